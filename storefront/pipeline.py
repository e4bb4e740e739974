"""The build, stage by stage: load → validate → render → write → snapshot → manifest → swap.

The site is written into a fresh folder beside the output and swapped in only
when every stage succeeded, so a failed build (bad content, a template error,
a crash) leaves the previous dist/ exactly as it was: the CDN and the local
server never see half a site.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path, PurePosixPath

from storefront.errors import ErrorList, OutputError
from storefront.headers_manifest import write_manifest
from storefront.load_content import load_content
from storefront.model import Catalog
from storefront.output import OutputFile
from storefront.snapshot import write_snapshot
from storefront.validate_catalog import validate_catalog

DEFAULT_SITE_DIR = Path(__file__).resolve().parent.parent / "site"
# Relative to the folder the build runs in, like dist/: CI keeps it between runs.
DEFAULT_IMAGE_CACHE = Path(".cache/images")


@dataclass(slots=True)
class BuildReport:
    """What a build made and how long each stage took (seconds)."""

    out_dir: Path
    products: int
    pages: int  # HTML files written
    files: int  # every file under public/
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        """Total time of all stages."""
        return sum(self.timings.values())


def check_content(content_dir: Path) -> Catalog:
    """Load and validate `content_dir`; raise ContentErrors with every problem found."""
    errors = ErrorList()
    raw = load_content(content_dir, errors)
    return validate_catalog(raw, errors)


def _safe_relative(path: str) -> PurePosixPath:
    """The output path as a relative path that stays inside public/, else OutputError."""
    relative = PurePosixPath(path)
    if (
        not path
        or "\\" in path
        or relative.is_absolute()
        or any(part in ("", ".", "..") for part in path.split("/"))
    ):
        raise OutputError(f'output path: expected a relative path inside public/, got "{path}"')
    return relative


def write_files(
    files: Iterable[OutputFile], root: Path, already: set[str] | None = None
) -> list[str]:
    """Write every file under `root`, refusing a path given twice (or in `already`).

    Returns the paths written, in order.
    """
    written: dict[str, None] = {}  # insertion-ordered set
    taken = already or set()
    made_dirs: set[PurePosixPath] = set()
    for item in files:
        relative = _safe_relative(item.path)
        if item.path in written or item.path in taken:
            raise OutputError(f'output path: "{item.path}" was produced twice; expected one file')
        parent = relative.parent
        if parent not in made_dirs:
            (root / parent).mkdir(parents=True, exist_ok=True)
            made_dirs.add(parent)
        (root / relative).write_bytes(item.data)
        written[item.path] = None
    return list(written)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EPERM):  # filesystem without exchange
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace `out_dir` with `staging` (atomically where the OS allows it)."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    if _exchange(staging, out_dir):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous build
        return
    old = out_dir.with_name(f"{out_dir.name}.old-{uuid.uuid4().hex[:8]}")
    out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except OSError:
        old.rename(out_dir)  # put the previous build back before reporting the failure
        raise
    shutil.rmtree(old, ignore_errors=True)


def build_site(
    content_dir: Path,
    out_dir: Path,
    site_dir: Path = DEFAULT_SITE_DIR,
    image_cache: Path | None = DEFAULT_IMAGE_CACHE,
) -> BuildReport:
    """Build `content_dir` into `out_dir` (public/, catalog.json, manifest.json).

    Responsive image variants are made through the cache folder `image_cache`;
    None skips them (`--no-images`): pages then show the original images.

    Raises ContentErrors for bad content and OutputError for an invalid output;
    in every failure `out_dir` is left untouched.
    """
    # Imported here, not at module level: `check` needs none of the rendering stack.
    from storefront.feeds import build_feeds
    from storefront.images import prepare_images
    from storefront.render import render_site
    from storefront.robots import build_robots
    from storefront.search_index import build_search_index
    from storefront.sitemap import build_sitemaps

    timings: dict[str, float] = {}
    started = time.perf_counter()
    catalog = check_content(content_dir)
    timings["load and validate"] = time.perf_counter() - started

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # Named like `dist.building-xyz` so that .gitignore's /dist.*/ covers it after a crash.
    staging = Path(tempfile.mkdtemp(prefix=f"{out_dir.name}.building-", dir=out_dir.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; dist/ must be readable like any folder
        public = staging / "public"
        public.mkdir()
        started = time.perf_counter()
        plan, variants = prepare_images(catalog, image_cache)
        timings["images"] = time.perf_counter() - started

        started = time.perf_counter()
        paths = write_files(chain(render_site(catalog, site_dir, plan), variants), public)
        timings["render and write"] = time.perf_counter() - started

        # Indexes come after the pages they describe; write_files refuses any path that
        # two stages both produce, so the stages cannot silently overwrite each other.
        started = time.perf_counter()
        indexes = chain(
            build_sitemaps(catalog),
            build_robots(catalog),
            build_feeds(catalog),
            build_search_index(catalog),
        )
        paths += write_files(indexes, public, already=set(paths))
        timings["sitemap, feeds and search index"] = time.perf_counter() - started

        started = time.perf_counter()
        write_snapshot(catalog, staging / "catalog.json")
        write_manifest(paths, staging / "manifest.json")
        swap_in(staging, out_dir)
        timings["snapshot, manifest and swap"] = time.perf_counter() - started
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildReport(
        out_dir=out_dir,
        products=len(catalog.products),
        pages=sum(1 for p in paths if p.endswith(".html")),
        files=len(paths),
        timings=timings,
    )
