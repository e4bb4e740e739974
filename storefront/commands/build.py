"""`python build.py [build]`: validate the content and build the site into dist/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from storefront.errors import ContentErrors, OutputError, ThemeError, UiStringsError
from storefront.pipeline import DEFAULT_IMAGE_CACHE, DEFAULT_SITE_DIR, build_site
from storefront.progress import Progress, wants_progress


def add_content_arguments(parser: argparse.ArgumentParser) -> None:
    """The --content option shared by build and check."""
    parser.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        metavar="DIR",
        help="content folder to read (default: content)",
    )


def _error_places(errors: ContentErrors, folders: list[Path]) -> str:
    """Where the errors are: each of `folders` holding one, else the file itself, in order."""
    places: list[str] = []
    for error in errors:
        path = error.path.resolve()
        holder = next(
            (f for f in folders if f.resolve() == path or f.resolve() in path.parents),
            error.path,
        )
        if str(holder) not in places:
            places.append(str(holder))
    return " and ".join([", ".join(places[:-1]), places[-1]] if len(places) > 1 else places)


def print_content_errors(
    errors: ContentErrors, content_dir: Path, outcome: str, site_dir: Path | None = None
) -> None:
    """Print every error as `path:line: field: message`, then a one-line summary.

    The summary names where they are: the content folder, the theme (`site_dir`: a
    strings file), or another file (`--live-stock`).
    """
    for error in errors:
        print(error, file=sys.stderr)
    count = len(errors)
    folders = [content_dir] if site_dir is None else [content_dir, site_dir]
    where = _error_places(errors, folders) if count else str(content_dir)
    print(f"{count} error{'s' if count != 1 else ''} in {where}; {outcome}", file=sys.stderr)


def register(subparsers: Any) -> None:
    """Add the `build` subcommand (also what `python build.py` runs with no command)."""
    parser = subparsers.add_parser(
        "build",
        help="validate the content and build the site (the default command)",
        description="Validate the content and build the static site into OUT/public, the "
        "catalog snapshot into OUT/catalog.json and the headers manifest into "
        "OUT/manifest.json. OUT is replaced only when the build succeeds.",
    )
    add_content_arguments(parser)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("dist"),
        metavar="DIR",
        help="output folder (default: dist); replaced whole, so it must be new, empty or "
        "a previous build's, apart from the content and theme",
    )
    parser.add_argument(
        "--site",
        type=Path,
        default=DEFAULT_SITE_DIR,
        metavar="DIR",
        help="theme folder: templates, assets, strings (default: the project's site/)",
    )
    parser.add_argument(
        "--no-images",
        action="store_true",
        help="skip the responsive image variants: pages show the original images "
        "(faster; for trying out content and templates)",
    )
    parser.add_argument(
        "--live-stock",
        type=Path,
        metavar="FILE",
        help="show each SKU's availability from FILE, saved from `python build.py stock list "
        "--json` (the deploy workflow does), instead of the product files' seed counts",
    )
    parser.add_argument(
        "--future",
        action="store_true",
        help="also build the products published on a later day (a preview of a launch; "
        "never for the shop you deploy: they would be on sale)",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="ignore the previous build's state: render and write everything, then swap "
        "the new folder in (default: incremental, only what changed)",
    )
    parser.add_argument(
        "--progress",
        "-v",
        action="store_true",
        help="show progress (stage, count, rate) even when not on a terminal or in CI",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build; exit status 1 on content errors, with the previous output left in place."""
    try:
        image_cache = None if args.no_images else DEFAULT_IMAGE_CACHE
        progress = Progress(sys.stderr, wants_progress(sys.stderr, forced=args.progress))
        report = build_site(
            args.content,
            args.out,
            args.site,
            image_cache,
            full=args.full,
            progress=progress,
            live_stock=getattr(args, "live_stock", None),
            future=getattr(args, "future", False),
        )
    except ContentErrors as errors:
        print_content_errors(errors, args.content, f"{args.out} left unchanged", args.site)
        return 1
    except (OutputError, ThemeError, UiStringsError) as exc:
        print(f"build failed: {exc}; {args.out} left unchanged", file=sys.stderr)
        return 1
    stages = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.timings.items())
    if report.mode == "unchanged":
        print(
            f"Built {report.products} products into {args.out}: nothing changed, nothing "
            f"written ({report.pages} pages, {report.files} files) in {report.seconds:.2f} s"
        )
        return 0
    print(
        f"Built {report.products} products into {args.out}: {report.pages} pages, "
        f"{report.files} files, {report.written} written ({report.mode}) in "
        f"{report.seconds:.2f} s ({stages})"
    )
    for notice in report.notices:
        print(notice)
    return 0
