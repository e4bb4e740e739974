"""A small, complete catalog built in code, for rendering tests (overrides via keyword args).

It covers what the templates branch on: a category tree two levels deep, a
product with size/colour variants on sale with reviews, a single-SKU product
out of stock, two locales with one translation missing (fallback), and pages.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PIL import Image as PillowImage
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
    Review,
    Shipping,
    ShippingOption,
    Store,
    Variant,
)


def eur(text: str) -> Money:
    """Euros from a decimal string, exactly."""
    whole, _, cents = text.partition(".")
    return Money(int(whole) * 100 + int((cents + "00")[:2]), "EUR")


def write_image(content_dir: Path, src: str, size: tuple[int, int] = (8, 6)) -> None:
    """A tiny real JPEG at content_dir/src."""
    path = content_dir / src
    path.parent.mkdir(parents=True, exist_ok=True)
    PillowImage.new("RGB", size, (90, 120, 80)).save(path, "JPEG")


def make_store(**overrides: Any) -> Store:
    """Store settings with two locales."""
    store = Store(
        name="Northwind Outfitters",
        base_url="https://shop.example.com",
        currency="EUR",
        default_locale="en",
        locales=("en", "fr"),
        contact=Contact(
            email="hello@example.com",
            phone="+33 1 23 45 67 89",
            address_lines=("12 rue des Alpes", "74000 Annecy", "France"),
            country="FR",
        ),
        legal=LegalEntity("Northwind Outfitters SAS", "RCS Annecy 123 456 789", "FR12345678901"),
        tagline={"en": "Gear for long days outside", "fr": "L’équipement des longues journées"},
    )
    return replace(store, **overrides)


def make_product(content_dir: Path, **overrides: Any) -> Product:
    """A shoe with two sizes × two colours, on sale, reviewed, translated into French."""
    images = (
        Image("images/shoe-1.jpg", {"en": "Shoe, side view", "fr": "Chaussure, profil"}, 8, 6),
        Image("images/shoe-2.jpg", {"en": "Shoe, sole"}, 8, 6),
    )
    for image in images:
        write_image(content_dir, image.src)
    variants = tuple(
        Variant(
            sku=f"RTS-{size}-{color[:3].upper()}",
            options={"size": size, "color": color},
            price=eur("119.00") if color == "Moss" else eur("129.00"),
            compare_at=eur("149.00"),
            stock=0 if (size, color) == ("41", "Moss") else 5,
            gtin="3760123456789" if (size, color) == ("40", "Black") else None,
        )
        for size in ("40", "41")
        for color in ("Black", "Moss")
    )
    product = Product(
        slug="trail-shoe",
        source_path=content_dir / "products/trail-shoe.md",
        category="trail-running",
        brand="Northwind",
        texts={
            "en": ProductText(
                "Ridge Trail Shoe",
                "A light, grippy trail shoe for long days on rocky ground.",
                '<p>Born on the ridges above <a href="/pages/shipping/">Annecy</a>.</p>',
                ("Vibram outsole", "Rock plate"),
                (("Weight", "285 g"), ("Drop", "6 mm")),
            ),
            "fr": ProductText(
                "Chaussure de trail Ridge",
                "Une chaussure de trail légère et accrocheuse pour les longues journées.",
                "<p>Née sur les crêtes au-dessus d’Annecy.</p>",
                ("Semelle Vibram",),
                (("Poids", "285 g"),),
            ),
        },
        options=(
            Option("size", {"en": "Size", "fr": "Taille"}, ("40", "41")),
            Option("color", {"en": "Colour", "fr": "Couleur"}, ("Black", "Moss")),
        ),
        variants=variants,
        images=images,
        tags=("trail",),
        related=("camp-mug",),
        reviews=(
            Review("Claire M.", 5, date(2026, 5, 10), "Sure-footed", "Great on wet rock."),
            Review("Tom <b>", 4, date(2026, 6, 1), "Comfy", "Runs a bit small & narrow."),
        ),
        published=date(2026, 3, 2),
        updated=date(2026, 10, 14),
        featured=True,
        sale_ends=date(2026, 12, 31),
    )
    return replace(product, **overrides)


def make_mug(content_dir: Path, **overrides: Any) -> Product:
    """A single-SKU product, out of stock, English only."""
    image = Image("images/mug.jpg", {"en": "Enamel mug"}, 8, 8)
    write_image(content_dir, image.src, (8, 8))
    product = Product(
        slug="camp-mug",
        source_path=content_dir / "products/camp-mug.md",
        category="camp-kitchen",
        brand="Northwind",
        texts={
            "en": ProductText("Enamel Camp Mug", "", "<p>Holds 350 ml.</p>", (), ()),
        },
        options=(),
        variants=(Variant("MUG-350", {}, eur("14.50"), None, 0, None, "NW-MUG"),),
        images=(image,),
        tags=(),
        related=(),
        reviews=(),
        published=date(2026, 1, 5),
        updated=date(2026, 1, 5),
    )
    return replace(product, **overrides)


def make_catalog(content_dir: Path, **overrides: Any) -> Catalog:
    """The whole small shop, with images written under `content_dir`."""
    categories = (
        Category("footwear", None, {"en": "Footwear", "fr": "Chaussures"}, {"en": "Shoes."}, 0),
        Category("trail-running", "footwear", {"en": "Trail running", "fr": "Trail"}, {}, 0),
        Category("camping", None, {"en": "Camping"}, {}, 1),
        Category("camp-kitchen", "camping", {"en": "Camp kitchen", "fr": "Cuisine"}, {}, 0),
    )
    pages = tuple(
        Page(
            slug,
            content_dir / f"pages/{slug}.md",
            {
                "en": PageText(slug.title(), f"All about {slug}.", f"<p>{slug} text.</p>"),
                "fr": PageText(f"{slug} (fr)", "", f"<p>{slug} texte.</p>"),
            },
            date(2026, 9, 1),
        )
        for slug in ("legal", "returns", "shipping")
    )
    catalog = Catalog(
        content_dir=content_dir,
        store=make_store(),
        categories=categories,
        shipping=Shipping(
            countries=("FR", "BE"),
            options=(
                ShippingOption(
                    "standard", "delivery", {"en": "Standard"}, eur("4.90"), 2, 4, eur("75.00")
                ),
                ShippingOption("pickup", "pickup", {"en": "Pickup"}, eur("0"), 0, 1),
            ),
            free_threshold=eur("75.00"),
        ),
        returns=ReturnPolicy(days=30, free=True),
        products=(make_mug(content_dir), make_product(content_dir)),
        pages=pages,
    )
    return replace(catalog, **overrides)
