"""The search index in shards: how products are bucketed, and what each shard's bundle holds."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from storefront import product_buckets
from storefront.product_buckets import bucket_count, bucket_of
from storefront.search_index import build_search_index
from storefront.search_shards import plan_shards, shard_urls
from tests.build.index_factories import make_catalog, make_product


def test_a_small_shop_keeps_one_bucket_and_a_large_one_gets_one_per_500_products() -> None:
    assert [bucket_count(n) for n in (0, 1, 500, 501, 10_000)] == [1, 1, 1, 2, 20]


def test_a_products_bucket_depends_only_on_its_slug_and_the_bucket_count() -> None:
    buckets = {bucket_of(f"product-{i}", 20) for i in range(2000)}

    assert buckets == set(range(20))  # every bucket used: the hash spreads the slugs
    # The same in every process and every build (buckets key caches kept on disk between
    # runs): pinned values, which Python's per-process str hash could never give.
    assert (bucket_of("trail-shoe", 20), bucket_of("wool-sock", 20)) == (18, 4)
    assert bucket_of("trail-shoe", 3) == 2


def test_shards_partition_the_products_and_the_primary_holds_the_content_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(product_buckets, "PRODUCTS_PER_BUCKET", 2)
    catalog = make_catalog()
    products = tuple(make_product(slug=f"p-{i}") for i in range(9))
    catalog = replace(catalog, products=products)

    shards = plan_shards(catalog)

    assert len(shards) == 5
    assert sorted(p.slug for s in shards for p in s.products) == sorted(p.slug for p in products)
    for shard in shards:
        assert all(bucket_of(p.slug, 5) == shard.number for p in shard.products)
    assert shards[0].pages == catalog.pages
    assert all(not s.pages for s in shards[1:])
    assert shard_urls(shards) == [f"/pagefind/shards/{s.number}/" for s in shards[1:] if s.products]


def test_only_the_primary_shard_carries_the_script_and_wasm_and_the_vocabulary_names_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(product_buckets, "PRODUCTS_PER_BUCKET", 1)
    catalog = make_catalog()  # two products: two shards

    outputs = {f.path: f.data for f in build_search_index(catalog)}

    shard_entries = sorted(p for p in outputs if p.endswith("pagefind-entry.json"))
    assert shard_entries == [
        "pagefind/pagefind-entry.json",
        "pagefind/shards/1/pagefind-entry.json",
    ]
    assert "pagefind/pagefind.js" in outputs
    assert "pagefind/wasm.en.pagefind" in outputs
    assert not [
        p for p in outputs if p.startswith("pagefind/shards/") and p.endswith((".js", ".pagefind"))
    ]
    records = 0
    for path in shard_entries:
        languages = json.loads(outputs[path])["languages"]
        assert set(languages) == {"en", "fr"}
        records += languages["en"]["page_count"]
    assert records == 3  # two products and one content page, each indexed once per locale
    vocabulary = json.loads(outputs["search/vocabulary.en.json"])
    assert vocabulary["shards"] == ["/pagefind/shards/1/"]
