"""The variant picker's data: one radio per SKU, and per-option groups for the shopper.

The radios (`name="sku"`) are the contract with the cart script; the option
groups (size, colour) are how shoppers choose when a product varies by more
than one option. Both are computed here so the template only lays them out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from shop.money import Money

from storefront.model import Product, Variant, percent_off


@dataclass(frozen=True, slots=True)
class VariantChoice:
    """One radio of the variant picker."""

    sku: str
    label: str  # "42 / Black" (option values in option order)
    price: Money
    compare_at: Money | None
    percent_off: int | None
    stock: int
    options_json: str  # {"size": "42", "color": "Black"}
    selected: bool
    image: int | None = None  # 1-based gallery position of the image that shows this variant


# Options whose value is visible in a photo; sizes are not.
VISUAL_OPTIONS = frozenset({"color", "colour", "pattern", "material", "style", "finish"})


def variant_image(product: Product, variant: Variant, default_locale: str) -> int | None:
    """The gallery position (1-based) of the first image whose alt text or file name
    names one of the variant's visual option values ("… in grey", `jacket-navy.jpg`)."""
    values = _visual_values(variant)
    if not values:
        return None
    images = tuple((image.src, image.alts.get(default_locale, "")) for image in product.images)
    return _first_image_naming(images, values, _other_looks(product, values))


def other_variants_images(product: Product, variant: Variant, default_locale: str) -> set[int]:
    """Gallery positions (1-based) of the photos that show only the product's other looks.

    The charcoal tee's feed item listed the rust and sage tees' photos as its own
    additional images; Google asks for each variant's own pictures. A photo naming
    no look (the fabric, the sole) or this variant's own stays.
    """
    own = _visual_values(variant)
    others = _other_looks(product, own)
    if not others:
        return set()
    images = tuple((image.src, image.alts.get(default_locale, "")) for image in product.images)
    return set(_only_other_looks(images, own, others))


def _other_looks(product: Product, own: tuple[str, ...]) -> tuple[str, ...]:
    """The visual option values of the product's other variants, not this one's, sorted."""
    return tuple(
        sorted({v for other in product.variants for v in _visual_values(other)} - set(own))
    )


@lru_cache(maxsize=4096)
def _only_other_looks(
    images: tuple[tuple[str, str], ...], own: tuple[str, ...], others: tuple[str, ...]
) -> frozenset[int]:
    # Cached: every size of a colour asks the same, in every locale's feed.
    return frozenset(
        position
        for position, (src, alt) in enumerate(images, start=1)
        if _names_any(_image_words(src, alt), others)
        and not _names_any(_image_words(src, alt), own)
    )


def _visual_values(variant: Variant) -> tuple[str, ...]:
    """The variant's values of options a photo shows (colour, pattern…), lowercased."""
    return tuple(
        value.lower()
        for name, value in variant.options.items()
        if name.lower() in VISUAL_OPTIONS and value.strip()
    )


def _image_words(src: str, alt: str) -> str:
    """What an image says of itself: its alt text and its file name's words, lowercased."""
    stem = src.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("-", " ").replace("_", " ")
    return f"{alt} {stem}".lower()


def _names_any(words: str, values: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{re.escape(value)}\b", words) for value in values)


@lru_cache(maxsize=4096)
def _first_image_naming(
    images: tuple[tuple[str, str], ...], values: tuple[str, ...], others: tuple[str, ...]
) -> int | None:
    """The first photo naming the variant's look and no other variant's, else the first
    naming it at all: "teal with black drawcord" is the teal bag's, not the black one's."""
    # Cached: a variant's page, its structured data and its feed items each ask, in
    # every locale (a tenth of a large shop's page contexts went into these searches).
    naming = [
        (position, _names_any(words, others))
        for position, (src, alt) in enumerate(images, start=1)
        if _names_any(words := _image_words(src, alt), values)
    ]
    only_own = next((position for position, other in naming if not other), None)
    return only_own if only_own is not None else (naming[0][0] if naming else None)


def variant_choices(
    product: Product, default_locale: str, locale: str = ""
) -> tuple[VariantChoice, ...]:
    """The picker's radios, labelled in `locale`; the first variant in stock is preselected."""
    in_stock = [v for v in product.variants if v.in_stock]
    preselected = (in_stock or list(product.variants))[0].sku
    return tuple(
        VariantChoice(
            sku=v.sku,
            label=product.variant_label(v, locale),
            price=v.price,
            compare_at=v.compare_at if percent_off(v.price, v.compare_at) else None,
            percent_off=percent_off(v.price, v.compare_at),
            stock=v.units,
            options_json=json.dumps(
                dict(v.options), ensure_ascii=False, sort_keys=True, separators=(",", ":")
            ),
            selected=v.sku == preselected,
            image=variant_image(product, v, default_locale),
        )
        for v in product.variants
    )


@dataclass(frozen=True, slots=True)
class OptionChoice:
    """One value of an option in the picker (e.g. size 42)."""

    value: str
    selected: bool  # part of the preselected variant
    available: bool  # some variant with this value is in stock
    label: str  # the value in the page's language (the value itself when untranslated)


@dataclass(frozen=True, slots=True)
class OptionGroup:
    """One option of the picker (size, colour) with its values in display order."""

    name: str
    label: str
    choices: tuple[OptionChoice, ...]


def option_groups(
    product: Product, choices: tuple[VariantChoice, ...], locale: str, default_locale: str
) -> tuple[OptionGroup, ...]:
    """Per-option groups for products that vary by two or more options (else empty).

    With one option the variant radios already read "40", "41", …; with two,
    "40 / Black" for every combination is long, so shoppers pick each option.
    """
    if len(product.options) < 2:
        return ()
    preselected = next(c.sku for c in choices if c.selected)
    chosen = next(v for v in product.variants if v.sku == preselected).options
    groups = []
    for option in product.options:
        used = [
            value
            for value in option.values
            if any(v.options.get(option.name) == value for v in product.variants)
        ]
        groups.append(
            OptionGroup(
                option.name,
                option.labels.get(locale) or option.labels.get(default_locale) or option.name,
                tuple(
                    OptionChoice(
                        value,
                        chosen.get(option.name) == value,
                        any(
                            v.options.get(option.name) == value and v.in_stock
                            for v in product.variants
                        ),
                        option.value_label(value, locale),
                    )
                    for value in used
                ),
            )
        )
    return tuple(groups)
