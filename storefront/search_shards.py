"""The search index in shards: one Pagefind bundle per bucket of products, merged in the browser.

Pagefind spends about a millisecond per record and its service holds every record
in memory, so one bundle for a large shop took seconds (and a GB) to remake after
any edit. Each bucket of products (storefront/product_buckets.py) is its own bundle
and its own output group, so an edit re-indexes one bucket; a small shop has one
bucket, so one bundle per language, as before.

Shard 0 is the primary bundle at /pagefind/ (pagefind.js, its worker and wasm, and
every content page, so that it holds every language the pages are written in);
shard n lives in /pagefind/shards/n/ and holds index data only: search.js adds it
with `pagefind.mergeIndex`, and a merged index runs on the primary's wasm. The
vocabulary files list the shard folders (storefront/search_index.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from storefront.model import Catalog, Page, Product
from storefront.output import OutputFile
from storefront.product_buckets import product_buckets
from storefront.search_index import (
    PAGEFIND_DIR,
    build_pagefind_bundle,
    page_records,
    product_records,
)
from storefront.urls import image_path


@dataclass(frozen=True, slots=True)
class Shard:
    """One bucket of the search index: its number and the products and pages it indexes."""

    number: int
    products: tuple[Product, ...]
    pages: tuple[Page, ...]


def shard_dir(number: int) -> str:
    """The folder of shard `number` under public/: the primary bundle is shard 0."""
    return PAGEFIND_DIR if number == 0 else f"{PAGEFIND_DIR}/shards/{number}"


def shard_urls(shards: list[Shard]) -> list[str]:
    """The site paths of the shards search.js merges into the primary one (empty ones have none)."""
    return [f"/{shard_dir(s.number)}/" for s in shards if s.number and (s.products or s.pages)]


def plan_shards(catalog: Catalog) -> list[Shard]:
    """Every shard of the catalog's search index (one per product bucket), with what each holds."""
    return [
        Shard(number, products, catalog.pages if number == 0 else ())
        for number, products in enumerate(product_buckets(catalog.products))
    ]


def build_shard(
    catalog: Catalog, shard: Shard, thumbnail: Callable[[str], str] = image_path
) -> Iterator[OutputFile]:
    """The Pagefind bundle of one shard (with the bundle's code for the primary shard)."""
    records = [
        r for product in shard.products for r in product_records(catalog, product, thumbnail)
    ]
    records += [r for page in shard.pages for r in page_records(catalog, page)]
    if not records:
        return iter(())  # an empty bucket has no bundle, and search.js is not told of it
    return build_pagefind_bundle(records, shard_dir(shard.number), with_code=shard.number == 0)
