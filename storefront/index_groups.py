"""The site's indexes as output groups, each keyed on what it reads, so an edit redoes only those.

The indexes (sitemap and robots, the feeds, the search index shards, the search
vocabularies) read the catalog but never the theme. Each group's key covers
exactly the facts it shows: a price edit remakes the feeds and one search shard,
and leaves the sitemap (no prices in it) and the vocabularies (words of titles,
brands, tags and options only) as they were. The search shards are indexed by
Pagefind processes in a background thread while this one writes the others, and kept
whole in the bucket cache, so a build without a previous dist/ re-indexes only those
whose products changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from storefront.bucket_cache import DEFAULT_BUCKET_CACHE, BucketCache
from storefront.feeds import build_feeds
from storefront.input_digest import digest_value, shown_pages
from storefront.model import Catalog
from storefront.output import OutputFile
from storefront.output_groups import SiteOutputs
from storefront.packed_files import pack_files, unpack_files
from storefront.product_buckets import bucket_count
from storefront.redirects import build_redirects
from storefront.robots import build_robots
from storefront.search_index import vocabulary_file
from storefront.search_shards import Shard, build_shard, plan_shards, shard_urls
from storefront.sitemap import build_sitemaps, product_lastmod
from storefront.snapshot import Thumbnail, snapshot_bytes
from storefront.urls import image_path

FEEDS_GROUP = "index:feeds"


@dataclass(frozen=True, slots=True)
class IndexGroup:
    """One group of index files: its name, the key of its inputs, how to make it."""

    name: str
    key: str
    make: Callable[[], Iterable[OutputFile]]
    in_background: bool = False  # made by Pagefind processes: started before the others
    # Marks its cache entry used when its output is current (not made, so not read).
    keep: Callable[[], None] | None = None


def _sitemap_and_robots(catalog: Catalog) -> Iterable[OutputFile]:
    yield from build_sitemaps(catalog)
    yield from build_robots(catalog)


def _vocabularies(catalog: Catalog, shards: list[str]) -> Iterable[OutputFile]:
    return [vocabulary_file(catalog, locale, shards) for locale in catalog.store.locales]


def _shard_group(
    catalog: Catalog,
    settings: str,
    shard: Shard,
    products: Mapping[str, str],
    cache: BucketCache | None,
    thumbnail: Thumbnail = image_path,
) -> IndexGroup:
    # The bucket count decides which products share a shard.
    buckets = bucket_count(len(catalog.products))
    key = digest_value(
        settings, shard.number, buckets, [(p.slug, products[p.slug]) for p in shard.products]
    )
    make = partial(build_shard, catalog, shard, thumbnail)
    name = f"index:search:{shard.number}"
    if cache is None:
        return IndexGroup(name, key, make, in_background=True)
    part = f"search:{shard.number}/{buckets}"
    return IndexGroup(
        name,
        key,
        partial(_indexed_shard, cache, part, shard, make),
        in_background=True,
        keep=partial(cache.keep, part, shard.products),
    )


def _indexed_shard(
    cache: BucketCache, part: str, shard: Shard, make: Callable[[], Iterable[OutputFile]]
) -> list[OutputFile]:
    """A shard's bundle as a previous build kept it, else indexed by Pagefind now (and kept).

    Indexing is a millisecond of Pagefind per record: a 10,000-product shop's 20,000
    records are about a third of a full build, the same on every CI run (no dist/ kept).
    The entry is named after everything the shard shows, like the group's key.
    """
    for _ in range(2):
        files = unpack_files(cache.part(part, shard.products, lambda: pack_files(make())))
        if files is not None:
            return files
        cache.forget(part, shard.products)  # damaged: made again on the second pass
    return list(make())


def index_settings(catalog: Catalog, code: str) -> str:
    """What every index may show besides products: code, settings, categories, content pages."""
    return digest_value(
        code,
        catalog.store,
        catalog.categories,
        catalog.shipping,
        catalog.returns,
        shown_pages(catalog),
        sorted(catalog.redirects.items()),
    )


def plan_index_groups(
    catalog: Catalog,
    code: str,
    products: Mapping[str, str],
    cache: BucketCache | None = None,
    thumbnail: Thumbnail = image_path,
) -> list[IndexGroup]:
    """Every index group with its key; `products` is each product's digest (input_digest.py).

    `cache` keeps the Merchant feed's items between builds (None: make them all);
    `thumbnail` is the image search results show (`products` must cover it).
    """
    settings = index_settings(catalog, code)
    # Everything of a product the sitemap shows or orders by (storefront/sitemap.py):
    # `published` orders the paginated listings, `untranslated` drops locales.
    in_sitemap = [
        (
            p.slug,
            p.category,
            p.published,
            product_lastmod(p),
            tuple(image.src for image in p.images),
            sorted(p.untranslated),
        )
        for p in catalog.products
    ]
    # The vocabulary's words come from titles, brands, tags and option values only.
    in_vocabulary = [
        ({locale: text.title for locale, text in p.texts.items()}, p.brand, p.tags, p.options)
        for p in catalog.products
    ]
    shards = plan_shards(catalog)
    urls = shard_urls(shards)
    return [
        *(_shard_group(catalog, settings, shard, products, cache, thumbnail) for shard in shards),
        IndexGroup(
            "index:sitemap",
            digest_value(settings, in_sitemap),
            partial(_sitemap_and_robots, catalog),
        ),
        IndexGroup(
            FEEDS_GROUP,
            digest_value(settings, [(p.slug, products[p.slug]) for p in catalog.products]),
            # A generator: written one file at a time (tens of MB each for a large shop).
            partial(build_feeds, catalog, cache),
        ),
        IndexGroup("index:redirects", settings, partial(build_redirects, catalog)),
        IndexGroup(
            "index:vocabulary",
            digest_value(settings, urls, in_vocabulary),
            partial(_vocabularies, catalog, urls),
        ),
    ]


def produce_indexes(
    outputs: SiteOutputs,
    catalog: Catalog,
    code: str,
    products: Mapping[str, str],
    cache_dir: Path | None = DEFAULT_BUCKET_CACHE,
    thumbnail: Thumbnail = image_path,
) -> bytes | None:
    """Make every index group whose key changed; the new catalog.json if the feeds changed.

    The snapshot shows what the feeds show (every product's prices, titles, stock,
    and the settings), so it is made again exactly when they are; else None. Both are
    put together from per-bucket parts kept in `cache_dir` (storefront/bucket_cache.py).
    Both point at each product's thumbnail (`thumbnail`: a small variant, or the original
    with --no-images).
    """
    # The thumbnail's path is part of each product's key: it names the variant (the hash
    # of the image's bytes) or the original, so turning images on or off remakes the
    # snapshot and the search records that show it.
    products = {
        p.slug: f"{products[p.slug]} {thumbnail(p.images[0].src)}" for p in catalog.products
    }
    settings = index_settings(catalog, code)
    cache = BucketCache(cache_dir, settings, products) if cache_dir is not None else None
    groups = plan_index_groups(catalog, code, products, cache, thumbnail)
    # One shard at a time in the background (each indexes its languages at once, one
    # Pagefind process per language): that keeps both cores busy with this thread.
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        started: dict[str, Future[list[OutputFile]]] = {}
        for group in groups:
            if not outputs.is_current(group.name, group.key):
                if group.in_background:
                    started[group.name] = pool.submit(_listed, group.make)
            elif group.keep is not None:
                group.keep()
        made: dict[str, bool] = {}
        for group in sorted(groups, key=lambda g: g.in_background):
            running = started.get(group.name)
            make = running.result if running is not None else group.make
            made[group.name] = outputs.produce(group.name, group.key, make)
    finally:
        pool.shutdown(cancel_futures=True)  # a failed build does not index the shards left
    if not made[FEEDS_GROUP]:
        return None  # the cache was not read: its entries are still those of this catalog
    snapshot = snapshot_bytes(catalog, cache, thumbnail)
    if cache is not None:
        cache.remove_unused()
    return snapshot


def _listed(make: Callable[[], Iterable[OutputFile]]) -> list[OutputFile]:
    return list(make())
