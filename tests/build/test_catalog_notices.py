"""What `check` and `build` tell an editor about a valid catalog."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from storefront.catalog_notices import catalog_notices, removed_pages_notice
from storefront.model import PageText
from tests.build.catalog_factory import make_catalog

TODAY = date(2026, 12, 7)


def test_a_valid_catalog_with_nothing_to_say_has_no_notices(tmp_path: Path) -> None:
    assert catalog_notices(make_catalog(tmp_path), TODAY) == []


def test_a_page_description_search_results_would_cut_is_named_with_its_locale(
    tmp_path: Path,
) -> None:
    catalog = make_catalog(tmp_path)
    page = catalog.pages[0]
    long = PageText(page.texts["en"].title, "word " * 40, page.texts["en"].body_html)
    catalog = replace(catalog, pages=(replace(page, texts={**page.texts, "en": long}),))

    assert catalog_notices(catalog, TODAY) == [
        f"descriptions over 155 characters, cut short with … in search results: {page.slug} (en)"
    ]


def test_removed_pages_are_listed_as_site_paths_and_other_files_left_out() -> None:
    deleted = ["products/old/index.html", "fr/products/old/index.html", "images/old.jpg"]
    assert removed_pages_notice(deleted) == [
        "pages no longer built (links and bookmarks to them now find nothing; if one moved, "
        "add a redirect under redirects: in catalog.yaml): /fr/products/old/, /products/old/"
    ]
    assert removed_pages_notice(["images/old.jpg"]) == []


def test_a_review_or_an_update_dated_after_today_is_named(tmp_path: Path) -> None:
    # Pages showed "January 1, 2030" and the sitemap gave search engines that day.
    catalog = make_catalog(tmp_path)
    shoe = next(p for p in catalog.products if p.slug == "trail-shoe")
    review = replace(shoe.reviews[0], date=date(2030, 1, 1))
    changed = replace(shoe, updated=date(2031, 2, 3), reviews=(review, *shoe.reviews[1:]))
    products = tuple(changed if p is shoe else p for p in catalog.products)

    assert catalog_notices(replace(catalog, products=products), TODAY) == [
        "dated after today (2026-12-07), a typo?: "
        f"trail-shoe review by {review.author} on 2030-01-01, trail-shoe updated 2031-02-03"
    ]


def test_a_title_merchant_center_would_cut_is_named_with_its_locale(tmp_path: Path) -> None:
    catalog = make_catalog(tmp_path)
    mug = catalog.products[0]
    long = replace(mug.texts["en"], title="Camp mug " * 20)
    products = (replace(mug, texts={**mug.texts, "en": long}), *catalog.products[1:])

    assert catalog_notices(replace(catalog, products=products), TODAY) == [
        f"titles over 150 characters, cut in the Merchant Center feeds: {mug.slug} (en)"
    ]
