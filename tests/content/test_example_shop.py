"""The example shop in content/ is valid and as rich as issue 2 asks: a believable shop."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image as PillowImage

from storefront.model import Catalog, Variant
from storefront.pipeline import check_content

CONTENT = Path(__file__).resolve().parents[2] / "content"
PAGES = {"shipping", "returns", "privacy", "terms", "legal", "about", "contact"}


@pytest.fixture(scope="module")
def shop() -> Catalog:
    """The example shop, loaded and validated by the real build."""
    return check_content(CONTENT)


def _gtin_is_valid(gtin: str) -> bool:
    digits = [int(d) for d in gtin]
    weighted = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return len(digits) == 13 and (weighted + digits[12]) % 10 == 0


def _variants(shop: Catalog) -> list[Variant]:
    return [v for p in shop.products for v in p.variants]


def test_example_shop_validates_with_at_least_34_products(shop: Catalog) -> None:
    assert len(shop.products) >= 34


def test_six_top_level_categories_each_have_subcategories_with_products(shop: Catalog) -> None:
    top = [c.slug for c in shop.categories if c.parent is None]
    children = Counter(c.parent for c in shop.categories if c.parent is not None)
    used = {p.category for p in shop.products}
    assert len(top) >= 6
    assert all(children[slug] >= 2 for slug in top), children
    leaves = {c.slug for c in shop.categories if c.parent is not None}
    assert leaves <= used, f"categories without products: {sorted(leaves - used)}"


def test_many_products_vary_by_size_and_colour_and_some_are_single_sku(shop: Catalog) -> None:
    by_both = [p for p in shop.products if {o.name for o in p.options} >= {"size", "color"}]
    single = [p for p in shop.products if not p.options]
    assert len(by_both) >= 12
    assert len(single) >= 6
    assert all(len(p.variants) == 1 for p in single)


def test_skus_are_unique_and_shaped_as_the_format_requires(shop: Catalog) -> None:
    skus = [v.sku for v in _variants(shop)]
    assert len(skus) == len(set(skus))
    assert all(s == s.upper() and s.replace("-", "").isalnum() for s in skus)


def test_stock_has_sold_out_and_low_variants_and_a_fully_sold_out_product(shop: Catalog) -> None:
    stocks = [v.stock for v in _variants(shop)]
    low = shop.store.low_stock_threshold
    assert stocks.count(0) >= 5
    assert sum(1 for s in stocks if 1 <= s <= low) >= 5
    assert sum(1 for s in stocks if s > low) > len(stocks) // 2  # most are well stocked
    sold_out = [p.slug for p in shop.products if all(v.stock == 0 for v in p.variants)]
    assert sold_out, "no product is entirely sold out"


def test_several_products_are_on_sale_some_with_an_end_date(shop: Catalog) -> None:
    on_sale = [p for p in shop.products if p.on_sale]
    assert len(on_sale) >= 4
    ending = [p for p in on_sale if p.sale_ends is not None]
    assert len(ending) >= 3
    assert all(p.sale_ends is not None and p.sale_ends > p.published for p in ending)
    # A sale can also be on one colour only, not on the whole product.
    assert any(len({v.compare_at for v in p.variants}) > 1 for p in on_sale)


def test_reviews_on_at_least_ten_products_with_varied_ratings(shop: Catalog) -> None:
    reviewed = [p for p in shop.products if p.reviews]
    ratings = {r.rating for p in reviewed for r in p.reviews}
    assert len(reviewed) >= 10
    assert {2, 3, 4, 5} <= ratings
    assert all(r.date >= p.published for p in reviewed for r in p.reviews)


def test_publication_dates_spread_over_two_years_and_some_are_featured(shop: Catalog) -> None:
    years = Counter(p.published.year for p in shop.products)
    assert years[2025] >= 10
    assert years[2026] >= 10
    newest = sorted(p.published for p in shop.products)[-4:]
    assert all(d.year == 2026 and d.month >= 9 for d in newest), newest
    assert 4 <= sum(p.featured for p in shop.products) <= 12


def test_every_gtin_has_a_valid_ean13_check_digit_and_is_unique(shop: Catalog) -> None:
    gtins = [v.gtin for v in _variants(shop) if v.gtin]
    assert len(gtins) >= 100
    assert [g for g in gtins if not _gtin_is_valid(g)] == []
    assert len(gtins) == len(set(gtins))


def test_every_page_the_shop_needs_exists_in_english_and_french(shop: Catalog) -> None:
    pages = {p.slug: p for p in shop.pages}
    assert set(pages) == PAGES
    for page in pages.values():
        assert page.texts["fr"].body_html != page.texts["en"].body_html, page.slug
        assert page.texts["fr"].description != page.texts["en"].description, page.slug


def test_at_least_ten_products_are_translated_into_french(shop: Catalog) -> None:
    translated = [
        p
        for p in shop.products
        if p.texts["fr"].title != p.texts["en"].title
        and p.texts["fr"].body_html != p.texts["en"].body_html
        and p.texts["fr"].features != p.texts["en"].features
    ]
    assert len(translated) >= 10


def test_every_product_has_one_to_three_images_with_alt_text_in_each_locale(
    shop: Catalog,
) -> None:
    for product in shop.products:
        assert 1 <= len(product.images) <= 3, product.slug
        for image in product.images:
            assert all(image.alts.get(locale) for locale in shop.store.locales), image.src


def test_every_product_image_is_a_small_square_jpeg(shop: Catalog) -> None:
    sources = {image.src for p in shop.products for image in p.images}
    for src in sorted(sources):
        path = CONTENT / src
        with PillowImage.open(path) as picture:
            assert (picture.format, picture.size) == ("JPEG", (1200, 1200)), src
        assert path.stat().st_size < 40_000, f"{src}: {path.stat().st_size} bytes"


def test_store_settings_match_the_shop_we_describe(shop: Catalog) -> None:
    store, shipping = shop.store, shop.shipping
    assert (store.name, store.currency, store.locales) == (
        "Northwind Outfitters",
        "EUR",
        ("en", "fr"),
    )
    assert set(shipping.countries) == {"FR", "BE", "DE", "NL", "LU", "ES", "IT", "AT"}
    assert [o.id for o in shipping.options] == ["standard", "express", "pickup"]
    assert shipping.free_threshold is not None
    assert shipping.free_threshold.amount == 7500
    assert (shop.returns.days, shop.returns.free) == (30, True)


def test_products_come_from_several_brands_mostly_the_shops_own(shop: Catalog) -> None:
    brands = Counter(p.brand for p in shop.products)
    assert len(brands) >= 3
    assert brands.most_common(1)[0][0] == "Northwind"


def test_the_documented_product_example_passes_check(tmp_path: Path) -> None:
    # Editors copy docs/content.md's example: it failed with four errors (a product gtin
    # beside variants, sizes no variant had, related products the shop does not have).
    docs = (CONTENT.parent / "docs" / "content.md").read_text(encoding="utf-8")
    example = docs.split("## products/<slug>.md\n\n```markdown\n", 1)[1].split("\n```", 1)[0]
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    # In place of the shop's own Ridge Trail Shoe (same images, SKUs and slug)
    (content / "products" / "ridge-trail-shoe.fr.md").unlink()
    (content / "products" / "ridge-trail-shoe.md").write_text(example + "\n", encoding="utf-8")

    shoe = next(p for p in check_content(content).products if p.slug == "ridge-trail-shoe")
    assert [v.sku for v in shoe.variants] == ["RTS-40-BLK", "RTS-41-MOS"]
    assert shoe.related[:2] == ("cirrus-trail-shoe", "merino-running-socks")
