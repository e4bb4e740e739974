"""The bucket cache of the feed and snapshot: same bytes as without it, changed buckets re-made."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from storefront import bucket_cache, product_buckets
from storefront.bucket_cache import BucketCache
from storefront.feeds import build_feeds
from storefront.input_digest import product_digests
from storefront.model import Catalog
from storefront.snapshot import build_snapshot, snapshot_bytes
from tests.build.index_factories import eur, make_catalog, make_product, make_variant


@pytest.fixture
def shop(monkeypatch: pytest.MonkeyPatch) -> Catalog:
    """Twelve products in three buckets."""
    monkeypatch.setattr(product_buckets, "PRODUCTS_PER_BUCKET", 4)
    products = tuple(
        make_product(slug=f"p-{i:02}", variants=(make_variant(sku=f"SKU-{i:02}"),))
        for i in range(12)
    )
    return replace(make_catalog(), products=products)


def _feeds(catalog: Catalog, cache: BucketCache | None) -> dict[str, bytes]:
    files = {f.path: f.data for f in build_feeds(catalog, cache)}
    return {**files, "catalog.json": snapshot_bytes(catalog, cache)}


def _cache(folder: Path, catalog: Catalog) -> BucketCache:
    return BucketCache(folder, "settings", product_digests(catalog))


def test_feeds_from_a_cold_or_warm_cache_equal_feeds_made_without_one(
    shop: Catalog, tmp_path: Path
) -> None:
    plain = _feeds(shop, None)

    assert _feeds(shop, _cache(tmp_path, shop)) == plain
    assert len(list(tmp_path.iterdir())) == 3 * 3  # a bucket per locale, and for the snapshot
    assert _feeds(shop, _cache(tmp_path, shop)) == plain
    assert plain["feeds/products.xml"].count(b"<item>") == 12


def test_an_edit_remakes_its_bucket_only_and_unused_entries_are_removed(
    shop: Catalog, tmp_path: Path
) -> None:
    _feeds(shop, _cache(tmp_path, shop))
    before = {path.name for path in tmp_path.iterdir()}
    cheaper = replace(shop.products[0].variants[0], price=eur(100))
    edited = replace(
        shop, products=(replace(shop.products[0], variants=(cheaper,)), *shop.products[1:])
    )

    cache = _cache(tmp_path, edited)
    feeds = _feeds(edited, cache)
    cache.remove_unused()

    after = {path.name for path in tmp_path.iterdir()}
    assert len(after - before) == 3  # the edited product's bucket: feeds and snapshot
    assert len(before - after) == 3  # its old entries are gone
    assert feeds == _feeds(edited, None)
    assert b"<g:price>1.00 EUR</g:price>" in feeds["feeds/products.xml"]
    assert b'"price":{"amount":100,"currency":"EUR"}' in feeds["catalog.json"]


def test_the_snapshot_put_together_from_buckets_is_the_whole_snapshot_serialised(
    shop: Catalog, tmp_path: Path
) -> None:
    whole = json.dumps(build_snapshot(shop), ensure_ascii=False, separators=(",", ":"))

    assert snapshot_bytes(shop, _cache(tmp_path, shop)) == (whole + "\n").encode()
    assert list(json.loads(whole)["skus"]) == sorted(f"SKU-{i:02}" for i in range(12))


def test_a_lost_cache_only_costs_time(shop: Catalog, tmp_path: Path) -> None:
    _feeds(shop, _cache(tmp_path, shop))
    for entry in tmp_path.iterdir():
        entry.unlink()  # a cache folder emptied by CI between runs

    assert _feeds(shop, _cache(tmp_path, shop)) == _feeds(shop, None)


def test_parts_slice_each_bucket_in_order_so_the_feed_keeps_bucket_order(
    shop: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given feeds made from whole buckets (four products each)
    whole = _feeds(shop, _cache(tmp_path / "whole", shop))
    # When each bucket is cached in parts of three products
    monkeypatch.setattr(bucket_cache, "PRODUCTS_PER_PART", 3)
    sliced = _feeds(shop, _cache(tmp_path / "sliced", shop))

    # Then the bytes are the same, with more, smaller parts (for 2 locales and the snapshot)
    assert sliced == whole
    parts = bucket_cache.product_parts(shop.products)
    assert max(len(part) for part in parts) == 3
    assert len(list((tmp_path / "sliced").iterdir())) == 3 * len(parts) > 3 * 3
