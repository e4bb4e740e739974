"""`python build.py check`: validate the content and report every problem, without building."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from storefront.annotations import github_annotation
from storefront.catalog_notices import catalog_notices
from storefront.commands.build import add_content_arguments, print_content_errors
from storefront.errors import ContentErrors
from storefront.input_digest import code_digest, content_digests
from storefront.pipeline import (
    DEFAULT_CONTENT_CACHE,
    DEFAULT_SITE_DIR,
    check_content,
    check_theme_locales,
)
from storefront.sale_ends import today_utc


def register(subparsers: Any) -> None:
    """Add the `check` subcommand."""
    parser = subparsers.add_parser(
        "check",
        help="validate the content only (every error at once, as file:line: field: message)",
        description="Read and validate the content folder without building anything. Prints "
        "every problem as file:line: field: message and exits with status 1 if there is any. "
        "Product files that validated before are taken from .cache/content, as in a build.",
    )
    add_content_arguments(parser)
    parser.add_argument(
        "--site",
        type=Path,
        default=DEFAULT_SITE_DIR,
        metavar="DIR",
        help="theme folder whose interface strings the locales need (default: the project's site/)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text (default) or github: one ::error file=…,line=…:: annotation per problem",
    )
    parser.set_defaults(run=run)


def _plural(count: int, word: str) -> str:
    if count == 1:
        return f"1 {word}"
    return f"{count} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


def run(args: argparse.Namespace) -> int:
    """Validate; exit status 1 when the content has errors."""
    try:
        # Through the build's product cache (.cache/content): a check re-validates only
        # the product files changed since the last check or build, and the build that
        # follows it in CI reads none of them again. The cross-file checks always run.
        files = content_digests(args.content, {}, 0)
        today = today_utc()
        catalog = check_content(args.content, files, code_digest(), DEFAULT_CONTENT_CACHE, today)
        check_theme_locales(getattr(args, "site", DEFAULT_SITE_DIR), catalog)
    except ContentErrors as errors:
        if getattr(args, "format", "text") == "github":
            # Workflow commands must go to stdout for GitHub to read them.
            for error in errors:
                print(github_annotation(error, Path.cwd()))
        print_content_errors(
            errors, args.content, "nothing was built", getattr(args, "site", DEFAULT_SITE_DIR)
        )
        return 1
    counts = (
        (len(catalog.products), "product"),
        (sum(len(p.variants) for p in catalog.products), "SKU"),
        (len(catalog.categories), "category"),
        (len(catalog.pages), "page"),
    )
    summary = ", ".join(_plural(n, word) for n, word in counts)
    print(f"{args.content} is valid: {summary}; locales {', '.join(catalog.store.locales)}")
    for notice in catalog_notices(catalog, today):
        print(notice)
    return 0
