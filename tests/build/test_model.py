"""The catalog model: translated text falls back to the default locale; sale detection."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from shop.money import Money

from storefront.model import Image, Product, ProductText, Variant


def _text(title: str) -> ProductText:
    return ProductText(title=title, summary="s", body_html="", features=(), specs=())


def _product(**overrides: object) -> Product:
    fields: dict[str, object] = {
        "slug": "trail-shoe",
        "source_path": Path("content/products/trail-shoe.md"),
        "category": "footwear",
        "brand": "Northwind",
        "texts": {"en": _text("Ridge Trail Shoe"), "fr": _text("Chaussure Ridge")},
        "options": (),
        "variants": (Variant("RTS-1", {}, Money(8990, "EUR"), None, 3),),
        "images": (Image("images/a.jpg", {"en": "A"}, 10, 10),),
        "tags": (),
        "related": (),
        "reviews": (),
        "published": date(2026, 1, 1),
        "updated": date(2026, 1, 1),
    }
    fields.update(overrides)
    return Product(**fields)  # type: ignore[arg-type]


def test_text_in_a_translated_locale_is_that_translation() -> None:
    assert _product().text("fr", "en").title == "Chaussure Ridge"


def test_text_in_an_untranslated_locale_falls_back_to_the_default_locale() -> None:
    product = _product(texts={"en": _text("Ridge Trail Shoe")})
    assert product.text("de", "en").title == "Ridge Trail Shoe"
    assert product.text("fr", "en").title == "Ridge Trail Shoe"


def test_a_product_is_on_sale_only_when_compare_at_is_above_price() -> None:
    variant = Variant("RTS-1", {}, Money(8990, "EUR"), None, 3)
    assert not _product(variants=(variant,)).on_sale
    assert _product(variants=(replace(variant, compare_at=Money(9990, "EUR")),)).on_sale
    assert not _product(variants=(replace(variant, compare_at=Money(8990, "EUR")),)).on_sale


def test_on_sale_is_exactly_a_discount_that_shows_a_whole_percent() -> None:
    # The fast rule agrees with the percentage the page shows, at every edge
    from shop.money import Money

    from storefront.model import Variant, percent_off

    for was in (100, 199, 200, 201, 4920, 999999):
        for price in range(max(1, was - 300), was + 2):
            variant = Variant("SKU-1", {}, Money(price, "EUR"), Money(was, "EUR"), 1)
            assert variant.on_sale == bool(percent_off(variant.price, variant.compare_at)), (
                price,
                was,
            )
