"""The category tree's queries: every listing in one pass, and a category's trail."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from storefront.category_tree import category_listings, category_trail
from storefront.model import Category
from tests.build.catalog_factory import make_catalog, make_mug, make_product


def test_a_listing_holds_its_own_and_its_subcategories_products_in_catalog_order(
    tmp_path: Path,
) -> None:
    catalog = make_catalog(
        tmp_path,
        products=(
            replace(make_mug(tmp_path), slug="a-mug"),
            replace(make_product(tmp_path), slug="b-boot", category="footwear"),
            replace(make_product(tmp_path), slug="c-shoe"),
        ),
    )

    listings = category_listings(catalog)

    slugs = {category: [p.slug for p in found] for category, found in listings.items()}
    assert slugs == {
        "footwear": ["b-boot", "c-shoe"],
        "trail-running": ["c-shoe"],
        "camping": ["a-mug"],
        "camp-kitchen": ["a-mug"],
    }


def test_an_empty_category_lists_nothing_and_an_unknown_one_is_not_listed(
    tmp_path: Path,
) -> None:
    catalog = make_catalog(tmp_path, products=(replace(make_mug(tmp_path), category="nowhere"),))

    listings = category_listings(catalog)

    assert listings == {"footwear": (), "trail-running": (), "camping": (), "camp-kitchen": ()}


def test_a_parent_cycle_ends_the_walk_instead_of_looping(tmp_path: Path) -> None:
    # Validation rejects cycles; the queries must still end on a catalog that has one.
    looped = (
        Category("a", "b", {"en": "A"}, {}, 0),
        Category("b", "a", {"en": "B"}, {}, 0),
    )
    catalog = make_catalog(
        tmp_path, categories=looped, products=(replace(make_mug(tmp_path), category="a"),)
    )

    listings = category_listings(catalog)

    assert [p.slug for p in listings["a"]] == ["camp-mug"]
    assert [p.slug for p in listings["b"]] == ["camp-mug"]
    assert [c.slug for c in category_trail(catalog, "a")] == ["b", "a"]


def test_a_trail_runs_from_the_top_level_category_down(tmp_path: Path) -> None:
    catalog = make_catalog(tmp_path)

    assert [c.slug for c in category_trail(catalog, "trail-running")] == [
        "footwear",
        "trail-running",
    ]
    assert category_trail(catalog, "nowhere") == ()
