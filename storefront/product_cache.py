"""Validated product files kept between builds, so an edit re-reads only the edited file.

Reading, parsing (YAML and Markdown) and validating 10,000 product files and their
10,000 translations takes seconds; an editor changes one. Each product file that
validated without any error is cached with its draft and its body rendered per
locale, under the file's digest and the digests of the images it was measured
from; each translation file (`slug.fr.md`) with its validated text and its body
rendered in its locale, under its digest and its product file's (it is checked
against the product's images and options). The whole cache
belongs to one context: the build code, the content folder and catalog.yaml (the
currency, locales and categories a product is checked against); another context
starts empty. Files with errors are never cached, so their messages are made
afresh. The cross-file checks (unique slugs and SKUs, related products, links,
translations) always run over every product, cached or not.

The cache is a speed-up only: a missing, stale, truncated or corrupt file (its
checksum is verified before anything is unpickled) means an empty cache, an entry
that cannot be unpickled is skipped, and those files are parsed as if never cached.
Entries are pickled one by one, so saving after an edit pickles only that file's.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TypeVar

from storefront.cycle_collector import collector_paused
from storefront.dataclass_pickle import dump_dataclasses, load_pickled
from storefront.input_digest import FileDigests, digest_value
from storefront.validate_products import ProductDraft
from storefront.validate_translations import ProductTranslation

_MAGIC = b"storefront-products 4 "
_CHECKSUM_SIZE = 32
KEEP = 8  # content folders whose cache is kept


@dataclass(frozen=True, slots=True)
class CachedProduct:
    """One product file's own validation result."""

    draft: ProductDraft  # its body's tokens dropped: `bodies` holds the HTML
    bodies: Mapping[str, str]  # the body's HTML per locale


@dataclass(frozen=True, slots=True)
class CachedTranslation:
    """One translation file's own validation result, against its product file as it was."""

    translation: ProductTranslation  # its body's tokens dropped: `body_html` holds the HTML
    body_html: str | None  # its body rendered in its locale; None: it keeps the product's


_Cached = TypeVar("_Cached", CachedProduct, CachedTranslation)


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One cached file: the digests it was made from and its pickled result."""

    file_digest: str
    # (relative path, digest) of each other file it was made from: the images a
    # product file was measured from, the product file a translation was checked against.
    sources: tuple[tuple[str, str], ...]
    pickled: bytes  # a CachedProduct or a CachedTranslation


def _checksum(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_CHECKSUM_SIZE).digest()


def _image_file(src: str) -> str:
    """The content-relative path an image's `src` names, as the content digests key it."""
    return PurePosixPath(src).as_posix()


class ProductCache:
    """The cached product files of one context, and the ones this build validated."""

    def __init__(
        self,
        path: Path | None,
        context: str,
        files: FileDigests,
        entries: dict[str, CacheEntry] | None = None,
        *,
        outputs_context: str = "",
    ) -> None:
        self.path, self.context, self.files = path, context, files
        # What the products' digests start from: the context without the content folder,
        # which decides no output (the same content elsewhere renders the same pages).
        self.outputs_context = outputs_context or context
        self.entries = entries or {}
        self.changed = False

    @classmethod
    def open(
        cls, cache_dir: Path | None, content_dir: Path, code: str, files: FileDigests
    ) -> ProductCache:
        """The cache of `content_dir` under `cache_dir` (None: no cache at all).

        `files` are the content files' digests (storefront/input_digest.py): an entry is
        used only while its file and its sources have the digests it was made from.
        """
        # The folder as written too: entries hold their files' paths as the build that
        # made them spelled them, and messages must name files as this build was asked
        # (`serve` passes an absolute path, an editor's `check` a relative one).
        folder = f"{content_dir.resolve()} as {content_dir}"
        catalog = files.get("catalog.yaml")
        context = digest_value(code, folder, catalog[2] if catalog else None)
        outputs = digest_value(code, catalog[2] if catalog else None)
        if cache_dir is None:
            return cls(None, context, files, outputs_context=outputs)
        path = cache_dir / f"{digest_value(folder)}.pickle"
        return cls(path, context, files, _read(path, context), outputs_context=outputs)

    def reusable(self, relative: str) -> bool:
        """Whether content file `relative` has an entry made from its current bytes."""
        entry = self.entries.get(relative)
        found = self.files.get(relative)
        if entry is None or found is None or found[2] != entry.file_digest:
            return False
        for source, digest in entry.sources:
            known = self.files.get(source)
            if known is None or known[2] != digest:
                return False
        return True

    def input_digest(self, relatives: Iterable[str]) -> str | None:
        """The digest of content files `relatives` in this context; None if one is unknown.

        A product is a function of its file, its translations, its images, the code
        and catalog.yaml (not of the folder they are in): this digest changes when it may.
        """
        hasher = hashlib.blake2b(self.outputs_context.encode(), digest_size=20)
        for name in relatives:
            found = self.files.get(name)
            if found is None:
                return None
            hasher.update(f"{name}={found[2]};".encode())
        return hasher.hexdigest()

    def take(self, relatives: Collection[str]) -> dict[str, CachedProduct]:
        """The cached product files of `relatives` that are reusable and readable."""
        return self._take(relatives, CachedProduct)

    def take_translations(self, relatives: Collection[str]) -> dict[str, CachedTranslation]:
        """The cached translation files of `relatives` that are reusable and readable."""
        return self._take(relatives, CachedTranslation)

    def _take(self, relatives: Collection[str], kind: type[_Cached]) -> dict[str, _Cached]:
        found: dict[str, _Cached] = {}
        with collector_paused():  # a million objects, none garbage
            for relative in relatives:
                if self.reusable(relative):
                    cached = load_pickled(self.entries[relative].pickled)
                    if isinstance(cached, kind):
                        found[relative] = cached
        return found

    def keep(self, relative: str, draft: ProductDraft, bodies: Mapping[str, str]) -> None:
        """Remember a file validated without error in this build (written by `save`)."""
        entry = self.entry(relative, draft, bodies)
        if entry is not None:
            self.add(relative, entry)

    def entry(
        self, relative: str, draft: ProductDraft, bodies: Mapping[str, str]
    ) -> CacheEntry | None:
        """The entry of a file validated without error; None if it cannot be keyed or pickled."""
        found = self.files.get(relative)
        images = [(_image_file(i.src), self.files.get(_image_file(i.src))) for i in draft.images]
        if found is None or any(digest is None for _, digest in images):
            return None  # not one of the scanned content files: nothing to key it by
        light = replace(draft, body=replace(draft.body, tokens=()))
        sources = tuple((name, d[2]) for name, d in images if d is not None)
        return _entry(found[2], sources, CachedProduct(light, bodies))

    def keep_translation(
        self,
        relative: str,
        product_file: str,
        translation: ProductTranslation,
        body_html: str | None,
    ) -> None:
        """Remember a translation file validated without error against `product_file`."""
        found, product = self.files.get(relative), self.files.get(product_file)
        if found is None or product is None:
            return  # not one of the scanned content files: nothing to key it by
        body = translation.body
        light = replace(translation, body=replace(body, tokens=()) if body else None)
        sources = ((product_file, product[2]),)
        entry = _entry(found[2], sources, CachedTranslation(light, body_html))
        if entry is not None:
            self.add(relative, entry)

    def add(self, relative: str, entry: CacheEntry) -> None:
        """Store `entry` for content file `relative` (made by `entry`, maybe in a worker)."""
        self.entries[relative] = entry
        self.changed = True

    def forget_all_but(self, relatives: set[str]) -> None:
        """Drop entries of files that are gone (deleted products would pile up otherwise)."""
        gone = [name for name in self.entries if name not in relatives]
        for name in gone:
            del self.entries[name]
        self.changed = self.changed or bool(gone)

    def save(self) -> None:
        """Write the cache if this build changed it."""
        if self.path is None or not self.changed:
            return
        stored = {name: (e.file_digest, e.sources, e.pickled) for name, e in self.entries.items()}
        payload = pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL)
        partial = self.path.with_suffix(f".{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(_header(self.context) + _checksum(payload) + payload)
            os.replace(partial, self.path)  # a concurrent build never reads half a file
        except OSError:
            # A read-only or full disk (`check` in a read-only checkout): the cache is
            # only a speed-up, so the next run validates those files again.
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            return
        _prune(self.path.parent)


def _entry(
    file_digest: str,
    sources: tuple[tuple[str, str], ...],
    cached: CachedProduct | CachedTranslation,
) -> CacheEntry | None:
    try:
        pickled = dump_dataclasses(cached)
    except pickle.PicklingError:  # a class re-imported since (a test session): skip
        return None
    return CacheEntry(file_digest, sources, pickled)


def _prune(cache_dir: Path) -> None:
    """Keep the caches of the KEEP content folders built last (tests build hundreds)."""
    found = []
    for path in cache_dir.glob("*.pickle"):
        try:
            found.append((path.stat().st_mtime_ns, path))
        except OSError:  # removed meanwhile by another build
            continue
    for _, path in sorted(found, reverse=True)[KEEP:]:
        path.unlink(missing_ok=True)


def _header(context: str) -> bytes:
    """The file's first bytes: the format and the context, checked before unpickling."""
    return _MAGIC + context.encode("ascii") + b"\n"


def _read(path: Path, context: str) -> dict[str, CacheEntry]:
    """The entries stored at `path` for `context`; empty when missing, stale or damaged.

    Nothing is unpickled unless the context (hence the code that wrote the classes)
    matches and the checksum proves the bytes are the ones written. The outer layer
    holds only strings and bytes; each entry is unpickled when it is used.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    header = _header(context)
    checksum = data[len(header) : len(header) + _CHECKSUM_SIZE]
    payload = data[len(header) + _CHECKSUM_SIZE :]
    if not data.startswith(header) or checksum != _checksum(payload):
        return {}
    try:
        stored = pickle.loads(payload)  # noqa: S301 - our own cache folder, checksum verified
    except (pickle.UnpicklingError, EOFError, TypeError, ValueError):
        return {}
    if not isinstance(stored, dict):
        return {}
    return {name: CacheEntry(*fields) for name, fields in stored.items()}
