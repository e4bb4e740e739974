"""Digests of the build's inputs: all of them at once, the code, the theme, each product.

They decide how much an incremental build does: an equal `inputs_digest` means
nothing to do at all; otherwise a page is rendered again only when the digest
of what it shows (`page_key`) changed. A digest covers the inputs' content, not
their modification times, so a fresh checkout in CI counts as unchanged.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from importlib import metadata
from pathlib import Path

from storefront.model import Catalog

ROOT = Path(__file__).resolve().parent.parent
# The code that decides the output: the build library and the functions' modules it
# renders with, directly or through each other (money, prices after a sale, the shipping
# rule the structured data and feeds advertise, the snapshot format, SKUs, stock levels).
# tests/build/test_input_digest.py checks that every one the build imports is listed.
CODE_DIRS = (ROOT / "storefront",)
SHARED_CODE = tuple(
    ROOT / "functions" / "shop" / f"{name}.py"
    for name in (
        "catalog", "config", "errors", "hold_allowance", "money", "sale_price",
        "shipping_rates", "site_paths", "sku", "snapshot_format", "stock",
    )
)  # fmt: skip
# Parts of the library that never shape dist/ (editing them must not re-render the site).
NOT_OUTPUT = ("devserver/", "local_stripe/", "deploy/", "commands/", "cli.py")
# Libraries whose version changes the bytes of pages or indexes.
OUTPUT_LIBRARIES = ("jinja2", "babel", "markdown-it-py", "minify-html", "pagefind", "pillow")
# Bumped by hand when the state's meaning changes without a code change elsewhere.
KEY_VERSION = "1"


def _hasher() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=20)


def _files_of(folder: Path, suffix: str = "") -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob(f"*{suffix}") if p.is_file())


def tree_digest(folders: Iterable[Path], suffix: str = "", skip: tuple[str, ...] = ()) -> str:
    """The digest of every file's relative path and bytes under `folders` (but `skip`)."""
    hasher = _hasher()
    for folder in folders:
        for path in _files_of(folder, suffix):
            relative = path.relative_to(folder).as_posix()
            if relative.startswith(skip):
                continue
            data = path.read_bytes()
            name = relative.encode()
            hasher.update(b"%d:%s%d:" % (len(name), name, len(data)))
            hasher.update(data)
    return hasher.hexdigest()


def code_digest() -> str:
    """The build code and the versions of the libraries that shape the output."""
    hasher = _hasher()
    hasher.update(f"{KEY_VERSION} {sys.version_info[:2]}".encode())
    for name in OUTPUT_LIBRARIES:
        try:
            hasher.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            hasher.update(f"{name}=none;".encode())
    hasher.update(tree_digest(CODE_DIRS, ".py", NOT_OUTPUT).encode())
    for path in SHARED_CODE:
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


# A file modified this close to the moment its digest was recorded may have changed
# again within the same mtime tick: such a file is always read again (git's "racy" rule).
RACY_NS = 2_000_000_000

FileDigests = dict[str, tuple[int, int, str]]  # relative path -> (size, mtime_ns, digest)


def _scan(folder: Path, prefix: str = "") -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every file under `folder` as (relative posix path, entry); os.scandir keeps stat cheap."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=True):
            yield from _scan(Path(entry.path), f"{prefix}{entry.name}/")
        elif entry.is_file(follow_symlinks=True):
            yield f"{prefix}{entry.name}", entry


def content_digests(content_dir: Path, known: FileDigests, recorded_at_ns: int) -> FileDigests:
    """The digest of every content file, reusing `known` ones whose size and mtime match.

    Like git's index: reading and hashing thousands of product files is most of a
    nothing-changed build, and a file whose size and modification time are unchanged
    (and were not racy when recorded) has unchanged bytes.
    """
    found: FileDigests = {}
    for relative, entry in _scan(content_dir):
        info = entry.stat()
        old = known.get(relative)
        fresh = info.st_mtime_ns < recorded_at_ns - RACY_NS
        if old is not None and old[:2] == (info.st_size, info.st_mtime_ns) and fresh:
            found[relative] = old
        else:
            with open(entry.path, "rb") as file:
                digest = hashlib.blake2b(file.read(), digest_size=20).hexdigest()
            found[relative] = (info.st_size, info.st_mtime_ns, digest)
    return found


def inputs_digest(files: FileDigests, theme: str, code: str, options: str) -> str:
    """Everything a build reads: content files, theme, code, and the build options."""
    hasher = _hasher()
    # The content folder's own path is left out: the same content elsewhere builds the same.
    for relative in sorted(files):
        hasher.update(f"{relative}={files[relative][2]};".encode())
    for part in (theme, code, options):
        hasher.update(b"\0" + part.encode())
    return hasher.hexdigest()


def digest_value(*values: object) -> str:
    """The digest of plain values and frozen model objects, through their repr.

    The model's dataclasses show every field in their repr and hold no sets, so equal
    values give equal text in any process. (Not pickle: it refuses an object whose
    class was re-imported since, which happens to a build run inside a test session.)
    """
    return hashlib.blake2b(repr(values).encode("utf-8"), digest_size=20).hexdigest()


def product_digests(catalog: Catalog) -> dict[str, str]:
    """Each validated product's digest: its texts, variants, images, translations…

    Validation with the content files' digests (storefront/product_cache.py) records
    each product's digest from its input files; else each product is digested whole.
    """
    described, known = catalog.input_digests
    if described is catalog.products and len(known) == len(catalog.products):
        return dict(known)
    return {product.slug: digest_value(product) for product in catalog.products}


def shown_pages(catalog: Catalog) -> list[tuple[str, object, date, object]]:
    """The content pages as the site shows them: without the file each came from.

    Their files' paths are absolute: in a digest, the same content built from another
    folder (a moved checkout, a copy) re-rendered every page.
    """
    return [
        (page.slug, page.texts, page.updated, sorted(page.untranslated)) for page in catalog.pages
    ]


def site_digest(catalog: Catalog, code: str, theme: str, images: object) -> str:
    """What every page depends on: settings, categories, content pages, theme, code, images.

    Content pages are in it because every footer lists their titles; the main image of
    the first featured product because it pictures the pages that have no image of their
    own. Only that image and the year of the latest update (every footer's copyright):
    the whole product or date here would re-render every page when either is edited.
    """
    products = catalog.products
    showcase = next((p for p in products if p.featured), products[0] if products else None)
    latest = max([p.updated for p in products] + [p.updated for p in catalog.pages], default=None)
    return digest_value(
        code,
        theme,
        catalog.store,
        catalog.categories,
        catalog.shipping,
        catalog.returns,
        shown_pages(catalog),
        latest.year if latest else None,
        showcase.images[0] if showcase else None,
        images,
    )


def page_key(
    site: str,
    output: str,
    template: str,
    shows: Iterable[str],
    detail: str,
    products: Mapping[str, str],
) -> str:
    """The digest of everything one page shows."""
    hasher = _hasher()
    hasher.update(f"{site}\0{output}\0{template}\0{detail}\0".encode())
    for slug in shows:
        hasher.update(f"{slug}={products[slug]};".encode())
    return hasher.hexdigest()
