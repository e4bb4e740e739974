"""Small in-memory catalogs for the index tests (sitemap, feeds, search), built from the real model.

Factories take overrides so each test states only what it is about.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from shop.money import Money

from storefront.model import (
    Catalog,
    Category,
    Contact,
    Image,
    LegalEntity,
    Option,
    Page,
    PageText,
    Product,
    ProductText,
    ReturnPolicy,
    Shipping,
    ShippingOption,
    Store,
    Variant,
)


def eur(amount: int) -> Money:
    """Euros in cents."""
    return Money(amount, "EUR")


def make_store(**overrides: Any) -> Store:
    """A two-locale store (en default, fr)."""
    store = Store(
        name="Northwind Outfitters",
        base_url="https://shop.example.com",
        currency="EUR",
        default_locale="en",
        locales=("en", "fr"),
        contact=Contact(email="hello@example.com", country="FR"),
        legal=LegalEntity(name="Northwind Outfitters SAS"),
        tagline={"en": "Gear for long days outside", "fr": "Du matériel pour dehors"},
    )
    return replace(store, **overrides)


def make_categories() -> tuple[Category, ...]:
    """Footwear > Trail running, Clothing > Jackets."""
    return (
        Category("footwear", None, {"en": "Footwear", "fr": "Chaussures"}, {}, 0),
        Category("trail-running", "footwear", {"en": "Trail running", "fr": "Trail"}, {}, 0),
        Category("clothing", None, {"en": "Clothing", "fr": "Vêtements"}, {}, 1),
        Category("jackets", "clothing", {"en": "Jackets", "fr": "Vestes"}, {}, 0),
    )


def make_variant(**overrides: Any) -> Variant:
    """A single variant at 129.00 EUR with stock."""
    variant = Variant(sku="SKU-1", options={}, price=eur(12900), compare_at=None, stock=5)
    return replace(variant, **overrides)


def make_image(src: str = "images/x.jpg") -> Image:
    """An image with alt text in English only."""
    return Image(src=src, alts={"en": "A product photo"}, width=800, height=800)


def make_product(**overrides: Any) -> Product:
    """A single-variant product in the trail-running category, English text only."""
    product = Product(
        slug="product",
        source_path=Path("products/product.md"),
        category="trail-running",
        brand="Northwind",
        texts={
            "en": ProductText(
                title="Product",
                summary="A product.",
                body_html="<p>Body text.</p>",
                features=(),
                specs=(),
            )
        },
        options=(),
        variants=(make_variant(),),
        images=(make_image(),),
        tags=(),
        related=(),
        reviews=(),
        published=date(2026, 1, 1),
        updated=date(2026, 1, 1),
    )
    return replace(product, **overrides)


def make_text(title: str, summary: str = "A product.") -> ProductText:
    """Product text with a title and summary."""
    return ProductText(title=title, summary=summary, body_html="", features=(), specs=())


def trail_shoe() -> Product:
    """A two-variant shoe on sale, with French text (and colour), two images and a GTIN."""
    size = Option("size", {"en": "Size"}, ("42", "43"))
    color = Option("color", {"en": "Colour"}, ("Black",), {"fr": {"Black": "Noir"}})
    return make_product(
        slug="trail-shoe",
        category="trail-running",
        texts={
            "en": make_text("Ridge Trail Shoe", "A light, grippy trail shoe."),
            "fr": make_text("Chaussure de trail Ridge", "Une chaussure de trail légère."),
        },
        options=(size, color),
        variants=(
            make_variant(
                sku="RTS-42-BLK",
                options={"size": "42", "color": "Black"},
                price=eur(11900),
                compare_at=eur(14900),
                stock=4,
                gtin="3760123456789",
            ),
            make_variant(
                sku="RTS-43-BLK",
                options={"size": "43", "color": "Black"},
                price=eur(12900),
                compare_at=None,
                stock=0,
                mpn="NW-RTS-43",
            ),
        ),
        images=(make_image("images/trail-shoe-1.jpg"), make_image("images/trail-shoe-2.jpg")),
        tags=("trail", "running"),
        published=date(2026, 3, 2),
        updated=date(2026, 10, 14),
        sale_ends=date(2026, 12, 31),
    )


def storm_jacket() -> Product:
    """A single-variant jacket, no identifiers."""
    return make_product(
        slug="storm-jacket",
        category="jackets",
        texts={"en": make_text("Storm Shell Jacket", "A waterproof shell.")},
        variants=(make_variant(sku="SSJ-1", price=eur(24900), stock=2),),
        images=(make_image("images/storm-jacket.jpg"),),
        tags=("waterproof",),
        published=date(2026, 5, 1),
        updated=date(2026, 6, 20),
    )


def make_catalog(**overrides: Any) -> Catalog:
    """A small two-locale shop: a trail shoe, a jacket, a shipping page."""
    catalog = Catalog(
        content_dir=Path("content"),
        store=make_store(),
        categories=make_categories(),
        shipping=Shipping(
            countries=("FR", "DE"),
            options=(
                ShippingOption(
                    "standard",
                    "delivery",
                    {"en": "Standard delivery", "fr": "Livraison standard"},
                    eur(490),
                    2,
                    4,
                    free_over=eur(12000),
                ),
                ShippingOption("express", "delivery", {"en": "Express"}, eur(1290), 1, 1),
                ShippingOption("pickup", "pickup", {"en": "Pick up in store"}, eur(0), 0, 1),
            ),
            free_threshold=eur(12000),
        ),
        returns=ReturnPolicy(days=30, free=True),
        products=(storm_jacket(), trail_shoe()),
        pages=(
            Page(
                "shipping",
                Path("pages/shipping.md"),
                {
                    "en": PageText("Shipping", "Delivery times.", "<p>Fast.</p>"),
                    "fr": PageText("Livraison", "Délais de livraison.", "<p>Rapide.</p>"),
                },
                date(2026, 9, 1),
            ),
        ),
    )
    return replace(catalog, **overrides)
