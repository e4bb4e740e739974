"""Index groups: each index is made again only when a fact it shows changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from storefront import product_buckets
from storefront.index_groups import plan_index_groups
from storefront.input_digest import product_digests
from storefront.model import Catalog, Review
from tests.build.index_factories import eur, make_catalog, make_product, make_text


def _keys(catalog: Catalog) -> dict[str, str]:
    groups = plan_index_groups(catalog, "code", product_digests(catalog))
    return {group.name: group.key for group in groups}


def _changed(before: Catalog, after: Catalog) -> set[str]:
    old, new = _keys(before), _keys(after)
    return {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)}


@pytest.fixture
def shop(monkeypatch: pytest.MonkeyPatch) -> Catalog:
    """Twelve products in three search shards."""
    monkeypatch.setattr(product_buckets, "PRODUCTS_PER_BUCKET", 4)
    products = tuple(make_product(slug=f"p-{i:02}") for i in range(12))
    return replace(make_catalog(), products=products)


def _edit_first(catalog: Catalog, **changes: Any) -> Catalog:
    first = replace(catalog.products[0], **changes)
    return replace(catalog, products=(first, *catalog.products[1:]))


def test_a_price_edit_remakes_the_feeds_and_one_search_shard_only(shop: Catalog) -> None:
    variant = replace(shop.products[0].variants[0], price=eur(100))

    changed = _changed(shop, _edit_first(shop, variants=(variant,)))

    shard = product_buckets.bucket_of("p-00", 3)
    assert changed == {"index:feeds", f"index:search:{shard}"}


def test_a_title_edit_also_remakes_the_vocabulary(shop: Catalog) -> None:
    changed = _changed(shop, _edit_first(shop, texts={"en": make_text("Tent")}))

    assert "index:vocabulary" in changed
    assert "index:sitemap" not in changed


def test_an_updated_date_remakes_the_sitemap(shop: Catalog) -> None:
    later = shop.products[0].updated.replace(year=2027)

    assert "index:sitemap" in _changed(shop, _edit_first(shop, updated=later))


def test_a_newer_review_remakes_the_sitemap_its_lastmod_shows(shop: Catalog) -> None:
    later = shop.products[0].updated.replace(year=2027)
    review = Review("Ana", 5, later, "Great", "Kept me dry.")

    assert "index:sitemap" in _changed(shop, _edit_first(shop, reviews=(review,)))


def _sitemap(catalog: Catalog) -> dict[str, bytes]:
    [group] = [
        g
        for g in plan_index_groups(catalog, "code", product_digests(catalog))
        if g.name == "index:sitemap"
    ]
    return {f.path: f.data for f in group.make()}


@pytest.mark.parametrize(
    "edit",
    [
        # A product published later moves to the front of its listing: every page shifts
        {"published": date(2026, 6, 1)},
        # A translation file deleted: the locale leaves the product's sitemap entry
        {"untranslated": frozenset({"fr"})},
    ],
    ids=["published", "untranslated"],
)
def test_what_changes_the_sitemap_changes_its_key(shop: Catalog, edit: dict[str, Any]) -> None:
    # Two locales and two products a page, so that listings and alternates show the edit
    shop = replace(shop, store=replace(shop.store, locales=("en", "fr"), products_per_page=2))
    last = replace(shop.products[-1], **edit)
    edited = replace(shop, products=(*shop.products[:-1], last))

    assert _sitemap(edited) != _sitemap(shop)  # the edit shows in the sitemap…
    assert "index:sitemap" in _changed(shop, edited)  # …so an incremental build remakes it


def test_a_store_setting_remakes_every_index(shop: Catalog) -> None:
    renamed = replace(shop, store=replace(shop.store, name="Southwind"))

    assert _changed(shop, renamed) == set(_keys(shop))


def test_the_same_catalog_gives_the_same_keys(shop: Catalog) -> None:
    assert _keys(shop) == _keys(replace(shop))
