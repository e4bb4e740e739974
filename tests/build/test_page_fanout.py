"""Fan-out: a product is shown by a bounded number of pages, whatever the catalog's size.

An incremental build re-renders every page that shows an edited product, so the
number of pages showing one product is the cost of editing it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

from storefront.input_digest import site_digest
from storefront.model import Catalog
from storefront.plan_pages import plan_pages
from storefront.planned_page import PlannedPage
from storefront.ui_strings import load_ui_strings
from storefront.views import RELATED_COUNT, ProductIndex, related_products
from tests.build.catalog_factory import eur, make_catalog, make_mug

SITE = Path(__file__).resolve().parents[2] / "site"
MUGS = 40


def _big_kitchen(content_dir: Path) -> Catalog:
    """The small shop with MUGS mugs in one category, none featured, on sale or related."""
    mugs = tuple(
        make_mug(
            content_dir,
            slug=f"mug-{i:02d}",
            variants=(replace(make_mug(content_dir).variants[0], sku=f"MUG-{i:02d}"),),
            published=date(2025, 1, 1 + i % 28),
        )
        for i in range(MUGS)
    )
    return make_catalog(content_dir, products=mugs)


def _plan(catalog: Catalog) -> list[PlannedPage]:
    return plan_pages(catalog, load_ui_strings(SITE / "i18n", catalog.store.locales))


def test_each_product_is_shown_by_a_bounded_number_of_pages(tmp_path: Path) -> None:
    catalog = _big_kitchen(tmp_path)
    shown_by = Counter(slug for page in _plan(catalog) for slug in set(page.shows))

    # Per locale: its own page, the pages of the products just before it (related
    # top-up), for its category and the category's parent the listing page that shows
    # it and the cards fragment of the whole listing (40 mugs span two pages), and the
    # home page.
    bound = len(catalog.store.locales) * (1 + RELATED_COUNT + 2 * 2 + 1)
    assert max(shown_by.values()) <= bound, shown_by.most_common(3)
    # The first product of the category is no exception (it used to top up every page).
    assert shown_by["mug-00"] <= bound


def test_related_top_up_takes_the_next_products_of_the_category_wrapping_around(
    tmp_path: Path,
) -> None:
    catalog = _big_kitchen(tmp_path)
    index = ProductIndex.of(catalog)

    middle = related_products(index, index.by_slug["mug-10"])
    last = related_products(index, index.by_slug[f"mug-{MUGS - 1:02d}"])

    assert [p.slug for p in middle] == ["mug-11", "mug-12", "mug-13", "mug-14"]
    assert [p.slug for p in last] == ["mug-00", "mug-01", "mug-02", "mug-03"]


def test_editors_related_products_come_first_and_are_not_repeated(tmp_path: Path) -> None:
    catalog = _big_kitchen(tmp_path)
    index = ProductIndex.of(catalog)
    product = replace(index.by_slug["mug-10"], related=("mug-12", "mug-30"))

    related = [p.slug for p in related_products(index, product)]

    assert related == ["mug-12", "mug-30", "mug-11", "mug-13"]


def test_a_price_edit_of_the_showcase_product_leaves_the_site_wide_digest(
    tmp_path: Path,
) -> None:
    # The first product pictures the pages without an image: only its image is site-wide.
    catalog = _big_kitchen(tmp_path)
    first = catalog.products[0]
    cheaper = replace(first, variants=(replace(first.variants[0], price=eur("9.90")),))
    edited = replace(catalog, products=(cheaper, *catalog.products[1:]))
    recoloured = replace(first, images=(replace(first.images[0], src="images/other.jpg"),))
    pictured = replace(catalog, products=(recoloured, *catalog.products[1:]))

    assert site_digest(edited, "code", "theme", None) == site_digest(catalog, "code", "theme", None)
    assert site_digest(pictured, "code", "theme", None) != site_digest(
        catalog, "code", "theme", None
    )


def test_the_home_page_does_not_show_its_tiles_showcase_products(tmp_path: Path) -> None:
    # A category tile shows its first product's image, not its price: a price edit of
    # that product leaves the home page alone (its image is in the page's `detail`).
    catalog = _big_kitchen(tmp_path)
    home = next(p for p in _plan(catalog) if p.kind == "home" and p.locale == "en")
    newest = sorted(catalog.products, key=lambda p: (p.published, p.slug), reverse=True)

    assert set(home.shows) == {p.slug for p in newest[:8]}
    assert "images/mug.jpg" in home.detail
