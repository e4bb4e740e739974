"""The build, stage by stage: load → validate → plan → render → write → indexes → apply.

A full build writes the site into a fresh folder beside the output and swaps it in
only when every stage succeeded. An incremental build (the default once dist/
holds a build state) renders only the pages whose inputs changed, stages only the
files whose bytes changed, and applies them through a journal
(storefront/staged_changes.py). Either way a failed build (bad content, a template
error, a crash) leaves the previous dist/ exactly as it was: the CDN and the local
server never see half a site.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from storefront.build_state import BuildState, load_state
from storefront.catalog_notices import catalog_notices, removed_pages_notice
from storefront.cycle_collector import collector_paused
from storefront.errors import ContentErrors, ErrorList
from storefront.folder_swap import swap_in
from storefront.input_digest import (
    FileDigests,
    code_digest,
    content_digests,
    digest_value,
    inputs_digest,
    tree_digest,
)
from storefront.live_stock import read_live_stock, with_live_stock
from storefront.model import Catalog
from storefront.out_folder import check_out_folder, link_target
from storefront.output_groups import SiteOutputs
from storefront.progress import Progress
from storefront.sale_ends import end_past_sales, next_sale_end, today_utc
from storefront.site_build import SiteBuild, stage_root_files
from storefront.staged_changes import commit_changes, finish_pending

__all__ = ["DEFAULT_IMAGE_CACHE", "DEFAULT_SITE_DIR", "BuildReport", "build_site", "swap_in"]

DEFAULT_SITE_DIR = Path(__file__).resolve().parent.parent / "site"
# Relative to the folder the build runs in, like dist/: CI keeps it between runs.
DEFAULT_IMAGE_CACHE = Path(".cache/images")
DEFAULT_CONTENT_CACHE = Path(".cache/content")


@dataclass(slots=True)
class BuildReport:
    """What a build made and how long each stage took (seconds)."""

    out_dir: Path
    products: int
    pages: int  # HTML files in the site
    files: int  # every file under public/
    timings: dict[str, float] = field(default_factory=dict)
    mode: str = "full"  # full | incremental | unchanged (inputs equal: nothing done)
    written: int = 0  # files under public/ written by this build
    # What the editor should know: scheduled products, sales over, pages gone since the
    # previous build (storefront/catalog_notices.py).
    notices: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        """Total time of all stages."""
        return sum(self.timings.values())


def check_content(
    content_dir: Path,
    files: FileDigests | None = None,
    code: str = "",
    cache_dir: Path | None = None,
    today: date | None = None,
) -> Catalog:
    """Load and validate `content_dir`; raise ContentErrors with every problem found.

    With the content files' digests and a cache folder, product files unchanged since
    a previous check are neither read nor validated again (storefront/product_cache.py).
    Products published after `today` are left out of the catalog (storefront/scheduled.py);
    with None, every product is in it.
    """
    # Imported here: a build whose inputs did not change never needs the validators.
    from storefront.load_content import load_content
    from storefront.product_cache import ProductCache
    from storefront.product_prevalidation import prevalidate_products
    from storefront.validate_catalog import validate_catalog

    errors = ErrorList()
    with collector_paused():
        if files is None:
            raw = load_content(content_dir, errors)
            return validate_catalog(raw, errors, today=today)
        cache = ProductCache.open(cache_dir, content_dir, code, files)
        # The files the cache cannot serve are validated on every core into it first.
        prevalidate_products(cache, content_dir)
        raw = load_content(content_dir, errors, cache.reusable)
        catalog = validate_catalog(raw, errors, cache, today)
    cache.save()
    return catalog


def check_theme_locales(site_dir: Path, catalog: Catalog) -> None:
    """Raise ContentErrors when a store locale has no interface strings in the theme."""
    from storefront.ui_strings import theme_locale_errors

    errors = theme_locale_errors(site_dir / "i18n", catalog)
    if errors:
        raise ContentErrors(errors)


# A staging folder untouched this long belongs to no running build: one killed (kill -9,
# a power cut) before it could remove its own. A build never takes this long.
ABANDONED_AFTER_SECONDS = 6 * 3600


def remove_abandoned_staging(out_dir: Path, now: float | None = None) -> None:
    """Delete the staging folders (`dist.building-*`, `dist.old-*`) killed builds left."""
    moment = time.time() if now is None else now
    for pattern in (f"{out_dir.name}.building-*", f"{out_dir.name}.old-*"):
        for folder in out_dir.parent.glob(pattern):
            try:
                abandoned = moment - folder.stat().st_mtime > ABANDONED_AFTER_SECONDS
            except OSError:  # removed meanwhile
                continue
            if abandoned and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)


def build_site(
    content_dir: Path,
    out_dir: Path,
    site_dir: Path = DEFAULT_SITE_DIR,
    image_cache: Path | None = DEFAULT_IMAGE_CACHE,
    *,
    full: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
    live_stock: Path | None = None,
    future: bool = False,
) -> BuildReport:
    """Build `content_dir` into `out_dir` (public/, catalog.json, manifest.json).

    Incremental unless `full` or `out_dir` has no build state: only the outputs whose
    inputs changed are made again and only files whose bytes changed are written.
    Responsive image variants are made through the cache folder `image_cache`; None
    skips them (`--no-images`): pages then show the original images.

    Sales whose `sale_ends` is before `today` (default: the date in UTC) are built at
    their regular prices (storefront/sale_ends.py), and products published after it are
    left out (storefront/scheduled.py) unless `future` (a preview of a launch). With
    `live_stock` (the JSON of `stock list --json`), pages and feeds show the inventory
    table's availability (storefront/live_stock.py).

    Raises ContentErrors for bad content and OutputError for an invalid output;
    in every failure `out_dir` is left untouched.
    """
    progress = progress or Progress(enabled=False)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    check_out_folder(out_dir, {"content": content_dir, "theme": site_dir})
    given_out, out_dir = out_dir, link_target(out_dir)
    if not full:
        # A build interrupted while applying its changes: finish it first. (A full build
        # replaces the whole folder, what was left half-applied with it.)
        finish_pending(out_dir)
    code, theme = code_digest(), tree_digest([site_dir])
    previous = None if full else load_state(out_dir)
    recorded_at = time.time_ns()
    content_files = content_digests(
        content_dir,
        previous.content_files if previous else {},
        previous.recorded_at_ns if previous else 0,
    )
    live = read_live_stock(live_stock) if live_stock is not None else None
    options = f"images={image_cache is not None};live={digest_value(live)};future={future}"
    inputs = inputs_digest(content_files, theme, code, options)
    today = today or today_utc()
    if previous is not None and previous.inputs == inputs and not _changed_since(previous, today):
        timings["check inputs"] = time.perf_counter() - started
        files = len(previous.public_files())
        return BuildReport(
            given_out, previous.products, previous.pages, files, timings, "unchanged"
        )

    progress.start("load and validate")
    with collector_paused():
        shown_on = None if future else today
        catalog = check_content(content_dir, content_files, code, DEFAULT_CONTENT_CACHE, shown_on)
        check_theme_locales(site_dir, catalog)
        notices = catalog_notices(catalog, today)
        catalog = end_past_sales(catalog, today)
        if live is not None:
            catalog = with_live_stock(catalog, live)
        # The catalog is millions of objects that live as long as the build: frozen, the
        # cycle collector stops scanning them over and over while the plan is made (that
        # tripled planning time at 10,000 products), and forked workers leave their pages
        # shared. Frozen before the collector resumes, or its first full pass walks them
        # all (0.1 s at 10,000 products). Unfrozen when the build ends, so a long-running
        # server frees them.
        gc.freeze()
    progress.finish()
    timings["load and validate"] = time.perf_counter() - started

    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned_staging(out_dir)
        # Named like `dist.building-xyz` so that .gitignore's /dist.*/ covers it after a crash.
        staging = Path(tempfile.mkdtemp(prefix=f"{out_dir.name}.building-", dir=out_dir.parent))
    except BaseException:
        gc.unfreeze()
        raise
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; dist/ must be readable like any folder
        (staging / "public").mkdir()
        outputs = SiteOutputs(previous, staging / "public")
        build = SiteBuild(catalog, site_dir, code, theme, outputs, timings, progress)
        build.make(image_cache, content_files)

        started = time.perf_counter()
        state = BuildState(inputs, outputs.groups, products=len(catalog.products))
        state.content_files, state.recorded_at_ns = content_files, recorded_at
        state.changes_on = _changes_on(catalog)
        state.pages = sum(1 for path in state.public_files() if path.endswith(".html"))
        root = stage_root_files(catalog, staging, build.snapshot, previous, state, build.thumbnail)
        if previous is None:
            swap_in(staging, out_dir)
        else:
            commit_changes(staging, out_dir, outputs.written, outputs.deleted(), root)
        timings["snapshot, manifest and apply"] = time.perf_counter() - started
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        gc.unfreeze()
    return BuildReport(
        out_dir=given_out,
        products=state.products,
        pages=state.pages,
        files=len(state.public_files()),
        timings=timings,
        mode="full" if previous is None else "incremental",
        written=len(outputs.written),
        notices=[*notices, *removed_pages_notice(outputs.deleted())],
    )


def _changes_on(catalog: Catalog) -> str | None:
    """The first day the same inputs build another shop (ISO date), if any."""
    sale_end = next_sale_end(catalog)
    days = [
        *([sale_end + timedelta(days=1)] if sale_end else []),
        *catalog.scheduled.values(),
    ]
    return min(days).isoformat() if days else None


def _changed_since(previous: BuildState, today: date) -> bool:
    """True if a sale has ended or a scheduled product is due since the previous build."""
    return previous.changes_on is not None and today.isoformat() >= previous.changes_on
