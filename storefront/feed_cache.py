"""Merchant feed items per bucket of products, kept between builds in `.cache/feeds/`.

A large shop's Merchant Center feed has one item per variant: tens of MB per
locale and seconds to make. It stays one file per locale (a merchant registers one
feed URL), so after an edit it is put together again, from the items of each
bucket of products (storefront/product_buckets.py): those of unchanged buckets are
read back from here, those of the edited product's bucket are made again. An entry
is named after the digest of everything its items show (the build code, the
settings, the locale, each product's digest), so it is never stale; a lost or
damaged cache costs time, never correctness. Entries this build did not use are
removed, so the folder stays the size of one catalog's feeds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from storefront.input_digest import digest_value
from storefront.model import Product

DEFAULT_FEED_CACHE = Path(".cache/feeds")  # relative to where the build runs, like dist/
_SUFFIX = ".xml"


class FeedItemCache:
    """Reads and keeps the feed items of one bucket of products in one locale."""

    def __init__(self, folder: Path, settings: str, products: Mapping[str, str]) -> None:
        self.folder, self.settings, self.products = folder, settings, products
        self.used: set[str] = set()

    def items(self, locale: str, bucket: tuple[Product, ...], make: Callable[[], bytes]) -> bytes:
        """The items of `bucket` in `locale` (UTF-8): from the cache, else `make()` (then kept)."""
        key = digest_value(self.settings, locale, [(p.slug, self.products[p.slug]) for p in bucket])
        entry = self.folder / f"{key}{_SUFFIX}"
        self.used.add(entry.name)
        try:
            return entry.read_bytes()
        except OSError:
            pass
        data = make()
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = entry.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(data)
        os.replace(partial, entry)  # a concurrent build never reads half an entry
        return data

    def remove_unused(self) -> None:
        """Delete the entries this build did not use (older catalogs' items)."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            if entry.name.endswith(_SUFFIX) and entry.name not in self.used:
                try:
                    os.unlink(entry.path)
                except OSError:
                    continue  # another build removed it first
