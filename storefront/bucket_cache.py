"""Parts of the whole-catalog files made per bucket of products, kept in `.cache/indexes/`.

A large shop's Merchant Center feed has one item per variant (tens of MB per
locale, seconds to make) and catalog.json one record per SKU. Each stays one file
(a merchant registers one feed URL; the functions read one snapshot), so after an
edit it is put together again from its parts, one per bucket of products
(storefront/product_buckets.py): the parts of unchanged buckets are read back from
here, those of the edited product's bucket are made again. Each bucket's search
shard (a Pagefind bundle, storefront/search_shards.py) is kept here too, whole, so
a build without a previous dist/ (CI, `--full`) indexes only the shards that
changed. An entry is named after the digest of everything it shows (the build
code, the settings, which part, each product's digest), so it is never stale; a
lost cache costs time, never correctness. Entries a build did not use are
removed, so the folder stays the size of one catalog's parts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from storefront.input_digest import digest_value
from storefront.model import Product
from storefront.product_buckets import product_buckets

DEFAULT_BUCKET_CACHE = Path(".cache/indexes")  # relative to where the build runs, like dist/
_SUFFIX = ".part"
# A bucket (500 products, sized for a Pagefind shard) is cached in slices of this many:
# an edit then remakes 50 products' feed items and SKU records, not 500 (0.3 s at 10,000).
PRODUCTS_PER_PART = 50


def product_parts(products: Sequence[Product]) -> list[tuple[Product, ...]]:
    """The products in cacheable parts: each bucket sliced in order, so bucket order holds."""
    return [
        bucket[start : start + PRODUCTS_PER_PART]
        for bucket in product_buckets(products)
        for start in range(0, len(bucket), PRODUCTS_PER_PART)
    ]


class BucketCache:
    """Reads and keeps the parts (feed items, snapshot SKUs, search shard) of each bucket."""

    def __init__(self, folder: Path, settings: str, products: Mapping[str, str]) -> None:
        self.folder, self.settings, self.products = folder, settings, products
        self.used: set[str] = set()

    def _entry(self, name: str, bucket: tuple[Product, ...]) -> Path:
        key = digest_value(self.settings, name, [(p.slug, self.products[p.slug]) for p in bucket])
        return self.folder / f"{key}{_SUFFIX}"

    def part(self, name: str, bucket: tuple[Product, ...], make: Callable[[], bytes]) -> bytes:
        """Part `name` ("feed:en", "snapshot") of `bucket`: from the cache, else `make()` (kept)."""
        entry = self._entry(name, bucket)
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

    def keep(self, name: str, bucket: tuple[Product, ...]) -> None:
        """Keep part `name` of `bucket`, unread: its output is current (not made again)."""
        self.used.add(self._entry(name, bucket).name)

    def forget(self, name: str, bucket: tuple[Product, ...]) -> None:
        """Delete part `name` of `bucket` (found damaged): the next `part` makes it again."""
        self._entry(name, bucket).unlink(missing_ok=True)

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
