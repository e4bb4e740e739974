"""The validated catalog: frozen, typed, money in minor units.

`validate_catalog` is the only producer of these objects; every later stage
(planning, rendering, indexes, the snapshot for the functions) only reads them.
Text that editors translate lives in per-locale `*Text` records; the default
locale's text is always present, other locales fall back to it field by field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TypeVar

from shop.money import Money
from shop.stock import DEFAULT_LOW_STOCK_THRESHOLD

# Category listings are split into pages of this many cards unless catalog.yaml says otherwise.
DEFAULT_PRODUCTS_PER_PAGE = 24


@dataclass(frozen=True, slots=True)
class Contact:
    """How shoppers reach the shop (header, footer, contact page, structured data)."""

    email: str
    phone: str | None = None
    address_lines: tuple[str, ...] = ()
    country: str = ""  # ISO 3166-1 alpha-2
    # The address's postcode and town as such, for the structured data: its lines are
    # printed as written, and no rule finds them there in every country.
    postal_code: str = ""
    locality: str = ""


@dataclass(frozen=True, slots=True)
class LegalEntity:
    """Who sells: shown in the legal notice and footer."""

    name: str
    registration: str | None = None
    vat_id: str | None = None


@dataclass(frozen=True, slots=True)
class Store:
    """Store-wide settings from catalog.yaml."""

    name: str
    base_url: str  # absolute, no trailing slash: "https://shop.example.com"
    currency: str  # ISO 4217
    default_locale: str  # "en"
    locales: tuple[str, ...]  # default first: ("en", "fr")
    contact: Contact
    legal: LegalEntity
    tagline: Mapping[str, str] = field(default_factory=dict)  # locale -> text
    low_stock_threshold: int = DEFAULT_LOW_STOCK_THRESHOLD
    products_per_page: int = DEFAULT_PRODUCTS_PER_PAGE  # category listings: cards per page


# Merchant Center's words for who an item is for (its `gender` and `age_group`).
GENDERS = ("female", "male", "unisex")
AGE_GROUPS = ("adult", "kids", "toddler", "infant", "newborn")


@dataclass(frozen=True, slots=True)
class Category:
    """A node of the category tree; `parent` is None for top-level categories."""

    slug: str
    parent: str | None
    names: Mapping[str, str]  # locale -> name (default locale always present)
    descriptions: Mapping[str, str]  # locale -> short description (may be empty)
    position: int  # order among siblings, as written in catalog.yaml
    # For Google's Merchant Center, each its parent's unless given ("" when none is):
    # the taxonomy's category ("Apparel & Accessories > Shoes" or its number), and the
    # gender and age group every clothing and shoe item must carry there.
    google_category: str = ""
    gender: str = ""
    age_group: str = ""


@dataclass(frozen=True, slots=True)
class ShippingOption:
    """One way to get the goods: standard, express or pickup."""

    id: str  # "standard" | "express" | "pickup" | any slug
    kind: str  # "delivery" | "pickup"
    names: Mapping[str, str]  # locale -> label
    price: Money
    min_days: int  # business days in transit, once the parcel has left (see Shipping)
    max_days: int
    free_over: Money | None = None  # free when the subtotal reaches this (None: never free)
    # Where a pickup order is collected (printed lines): the option's own `address`, else
    # the shop's contact address. Empty for delivery options.
    address: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Shipping:
    """Shipping settings: options, countries served, free-shipping threshold, handling time."""

    countries: tuple[str, ...]  # ISO 3166-1 alpha-2
    options: tuple[ShippingOption, ...]
    free_threshold: Money | None  # subtotal from which standard delivery is free
    # Business days from the order until the parcel leaves (or is ready for pickup).
    # Google wants handling and transit apart; shoppers are promised their sum.
    handling_days: tuple[int, int] = (0, 0)

    def delivery_days(self, option: ShippingOption) -> tuple[int, int]:
        """Business days from order to delivery with `option`: handling plus transit."""
        low, high = self.handling_days
        return low + option.min_days, high + option.max_days


@dataclass(frozen=True, slots=True)
class ReturnPolicy:
    """The merchant's return policy (shown on pages, in structured data and feeds)."""

    days: int
    free: bool
    fee: Money | None = None  # when not free
    restock_on_refund: bool = True


@dataclass(frozen=True, slots=True)
class Image:
    """A product image: source file under content/, with alt text per locale."""

    src: str  # path relative to the content folder, e.g. "images/trail-shoe-1.jpg"
    alts: Mapping[str, str]  # locale -> alt text
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Review:
    """A customer review shown on the product page and in structured data."""

    author: str
    rating: int  # 1..5
    date: date
    title: str
    body: str  # plain text; escaped when rendered


@dataclass(frozen=True, slots=True)
class Option:
    """A dimension a product varies by, e.g. size or colour, with its allowed values."""

    name: str  # machine name: "size", "color"
    labels: Mapping[str, str]  # locale -> label ("Size", "Taille")
    values: tuple[str, ...]  # as written by the editor, in display order
    # locale -> value -> shown text ("fr": {"Black": "Noir"}); untranslated values show as written
    value_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def value_label(self, value: str, locale: str) -> str:
        """How `value` reads in `locale`: its translation, else the value as written."""
        return self.value_labels.get(locale, {}).get(value, value)


def percent_off(price: Money, compare_at: Money | None) -> int | None:
    """The whole-percent discount of a sale price, or None when not on sale."""
    if compare_at is None or not price < compare_at or compare_at.amount <= 0:
        return None
    saved = Decimal(compare_at.amount - price.amount) * 100 / Decimal(compare_at.amount)
    return int(saved.to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class Variant:
    """A purchasable unit with its own SKU. A product without variants has exactly one."""

    sku: str
    options: Mapping[str, str]  # option name -> value; empty for a single-variant product
    price: Money
    compare_at: Money | None  # the "was" price when on sale
    stock: int  # initial stock, seeded into inventory for SKUs not yet known
    gtin: str | None = None
    mpn: str | None = None
    # Units available in the inventory table when the build read it (`build --live-stock`);
    # None: not known, the file's `stock` stands in (storefront/live_stock.py).
    live: int | None = None

    @property
    def on_sale(self) -> bool:
        """Sold below its `compare_at` by a discount that shows (at least 1 % once rounded).

        One rule for the page, its structured data and the Merchant feed: a discount that
        rounds to 0 % is no sale on the page, so the feed must not announce one either.
        """
        # percent_off(...) >= 1 in whole numbers (asked for every variant of every
        # product by every listing: Decimal there cost a second at 10,000 products):
        # the discount rounds half up to 1 % or more once it is at least half of 1 %.
        was = self.compare_at
        if was is None or not self.price < was:
            return False
        return 200 * (was.amount - self.price.amount) >= was.amount

    @property
    def units(self) -> int:
        """The units to show as available: the live count if known, else the file's stock."""
        return self.stock if self.live is None else self.live

    @property
    def in_stock(self) -> bool:
        """Whether the variant can be sold (as far as the build knows)."""
        return self.units > 0


@dataclass(frozen=True, slots=True)
class ProductText:
    """The translatable text of a product in one locale."""

    title: str
    summary: str  # one or two sentences: meta description, cards, feeds
    body_html: str  # rendered and sanitised Markdown body
    features: tuple[str, ...]
    specs: tuple[tuple[str, str], ...]  # (label, value) rows in order
    # The fields ("title", "summary", "body_html", "features", "specs") shown in the
    # default locale's words for want of a translation: pages mark them with its `lang`.
    # Sorted, not a set: digests take the repr, and a set's order changes per process.
    fallback_fields: tuple[str, ...] = ()


PRODUCT_TEXT_FIELDS = ("body_html", "features", "specs", "summary", "title")  # sorted
PAGE_TEXT_FIELDS = ("body_html", "description", "title")
_Text = TypeVar("_Text", ProductText, "PageText")


def text_in(
    texts: Mapping[str, _Text], locale: str, default_locale: str, fields: tuple[str, ...]
) -> _Text:
    """The text in `locale`, else the default locale's with every field marked as fallen back.

    Validated content has a text in every locale (each field fallen back on its own);
    texts made in code may lack a locale.
    """
    own = texts.get(locale)
    if own is not None:
        return own
    fallback = texts[default_locale]
    return fallback if locale == default_locale else replace(fallback, fallback_fields=fields)


@dataclass(frozen=True, slots=True)
class Product:
    """A product with its variants, images and per-locale text."""

    slug: str
    source_path: Path
    category: str  # slug of its (leaf or inner) category
    brand: str
    texts: Mapping[str, ProductText]  # locale -> text; default locale always present
    options: tuple[Option, ...]
    variants: tuple[Variant, ...]  # at least one
    images: tuple[Image, ...]  # at least one
    tags: tuple[str, ...]
    related: tuple[str, ...]  # product slugs
    reviews: tuple[Review, ...]
    published: date
    updated: date  # last content change (for sitemap lastmod), >= published
    featured: bool = False
    sale_ends: date | None = None
    gender: str = ""  # the product's own (a women's jacket), else its category's
    age_group: str = ""
    # The manufacturer's part number of the model. A single-variant product's variant
    # carries it too (its feed item's mpn); with variants, each variant gives its own
    # and this one names the ProductGroup in the structured data.
    mpn: str | None = None
    # Locales without a translation file: their pages show the default locale's text,
    # so search engines are not offered them as that language's version.
    untranslated: frozenset[str] = frozenset()

    def text(self, locale: str, default_locale: str) -> ProductText:
        """The product's text in `locale`, falling back to the default locale's (so marked)."""
        return text_in(self.texts, locale, default_locale, PRODUCT_TEXT_FIELDS)

    def variant_label(self, variant: Variant, locale: str = "") -> str:
        """The variant's option values in option order, in `locale`'s words: "42 / Noir".

        Empty for a product without options; a value without a translation stays as written.
        """
        return " / ".join(
            o.value_label(variant.options[o.name], locale)
            for o in self.options
            if o.name in variant.options
        )

    @property
    def on_sale(self) -> bool:
        """True when any variant has a compare-at price above its price."""
        return any(v.on_sale for v in self.variants)


@dataclass(frozen=True, slots=True)
class PageText:
    """A content page's text in one locale."""

    title: str
    description: str
    body_html: str
    # The fields ("title", "description", "body_html") in the default locale's words, sorted.
    fallback_fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Page:
    """A content page (shipping, returns, privacy, terms, legal, about, contact)."""

    slug: str
    source_path: Path
    texts: Mapping[
        str, PageText
    ]  # every locale; a locale without a translation repeats the default
    updated: date
    # Locales with no translation file: their page repeats the default text (noindex,
    # left out of the sitemap and of the hreflang links).
    untranslated: frozenset[str] = frozenset()

    def text(self, locale: str, default_locale: str) -> PageText:
        """The page's text in `locale`, falling back to the default locale's (so marked)."""
        return text_in(self.texts, locale, default_locale, PAGE_TEXT_FIELDS)


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything the build renders, validated."""

    content_dir: Path
    store: Store
    categories: tuple[Category, ...]  # tree order: parents before children
    shipping: Shipping
    returns: ReturnPolicy
    products: tuple[Product, ...]  # sorted by slug
    pages: tuple[Page, ...]  # sorted by slug
    # Old site path -> the page it leads to now (catalog.yaml `redirects`, locale-less).
    redirects: Mapping[str, str] = field(default_factory=dict)
    # Each product's digest taken from the files it was made from (its own, its
    # translations, its images, catalog.yaml, the code), when validation knew them:
    # cheaper than digesting the validated product. Kept with the products tuple they
    # describe, so a catalog copied with other products (dataclasses.replace) has none.
    input_digests: tuple[tuple[Product, ...], Mapping[str, str]] = field(
        default=((), {}), compare=False, repr=False
    )
    # Products left out until their `published` day (slug -> day; storefront/scheduled.py).
    scheduled: Mapping[str, date] = field(default_factory=dict)
