"""Products in stable buckets, so a large shop's indexes are made in parts and an edit redoes one.

The search index is one Pagefind bundle per bucket (storefront/search_shards.py); the
Merchant feed and catalog.json are put together from each bucket's part
(storefront/bucket_cache.py).
A product's bucket is a hash of its slug, so editing, adding or removing a product
leaves every other product where it was. A shop of up to PRODUCTS_PER_BUCKET products
has one bucket: its indexes are made in one piece, in catalog order, as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from storefront.model import Product

# About half a second of Pagefind per language on this machine: what one edit costs.
PRODUCTS_PER_BUCKET = 500


def bucket_count(products: int) -> int:
    """How many buckets a shop of `products` products gets (one up to PRODUCTS_PER_BUCKET)."""
    return max(1, -(-products // PRODUCTS_PER_BUCKET))


def bucket_of(slug: str, count: int) -> int:
    """The bucket of a product among `count`: a stable hash of its slug."""
    digest = hashlib.blake2b(slug.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count


def product_buckets(products: Sequence[Product]) -> list[tuple[Product, ...]]:
    """The products in their buckets, each in catalog order (some may be empty)."""
    count = bucket_count(len(products))
    buckets: list[list[Product]] = [[] for _ in range(count)]
    for product in products:
        buckets[bucket_of(product.slug, count)].append(product)
    return [tuple(bucket) for bucket in buckets]
