"""The catalog snapshot (dist/catalog.json) as the functions see it: their price list.

Every cart is priced from it, so a price shown on a page is the price charged.
shop/snapshot_format.py reads and checks the file; shop/catalog_source.py loads it
once per container and notices a deploy replacing it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from shop.errors import UnknownSkuError
from shop.money import Money
from shop.sale_price import regular_price, sale_is_over

if TYPE_CHECKING:
    from shop.snapshot_format import SkuTable

SNAPSHOT_FORMAT = 1


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """Store-wide settings the functions need."""

    name: str
    base_url: str
    currency: str
    default_locale: str
    locales: tuple[str, ...]
    low_stock_threshold: int
    contact_email: str


@dataclass(frozen=True, slots=True)
class ShippingOption:
    """One way to ship, priced in minor units."""

    id: str
    kind: str  # "delivery" | "pickup"
    names: Mapping[str, str]
    price: Money
    min_days: int
    max_days: int
    free_over: Money | None
    address: tuple[str, ...] = ()  # pickup: where orders are collected, as printed lines


@dataclass(frozen=True, slots=True)
class ShippingInfo:
    """Where the shop ships and how; `free_threshold` drives the cart's progress bar."""

    countries: tuple[str, ...]
    free_threshold: Money | None
    options: tuple[ShippingOption, ...]


@dataclass(frozen=True, slots=True)
class ReturnsInfo:
    """The return policy, as the snapshot states it."""

    days: int
    free: bool
    restock_on_refund: bool


@dataclass(frozen=True, slots=True)
class SkuEntry:
    """One purchasable SKU with its localised labels and price."""

    sku: str
    product: str  # product slug
    titles: Mapping[str, str]
    variant_labels: Mapping[str, str]
    urls: Mapping[str, str]
    image: str | None
    price: Money
    compare_at: Money | None
    initial_stock: int
    options: Mapping[str, str] = field(default_factory=dict)  # {"size": "42", "color": "Black"}
    sale_ends: date | None = None  # the sale's last day (UTC); then `compare_at` is the price

    def title(self, locale: str, default_locale: str) -> str:
        """The product title in `locale`, falling back to the default locale."""
        return self.titles.get(locale) or self.titles.get(default_locale, self.sku)

    def variant_label(self, locale: str, default_locale: str) -> str:
        """The variant label ("42 / Black") in `locale`; empty for single-variant products."""
        return self.variant_labels.get(locale) or self.variant_labels.get(default_locale, "")

    def url(self, locale: str, default_locale: str) -> str:
        """The product page path in `locale`, falling back to the default locale."""
        return self.urls.get(locale) or self.urls.get(default_locale, "/")


@dataclass(frozen=True, slots=True)
class CatalogSnapshot:
    """The whole snapshot, typed."""

    store: StoreInfo
    shipping: ShippingInfo
    returns: ReturnsInfo
    skus: SkuTable  # each entry checked when first read

    def entry(self, sku: str) -> SkuEntry:
        """The SKU's entry; raise UnknownSkuError if the catalog has no such SKU."""
        found = self.skus.get(sku)
        if found is None:
            raise UnknownSkuError(sku)
        return found

    def initial_stock(self) -> dict[str, int]:
        """Every SKU's stock as the editors wrote it (the inventory seed)."""
        return {sku: entry.initial_stock for sku, entry in self.skus.items()}

    def variant_with(self, sku: str, options: Mapping[str, str]) -> str:
        """The SKU of `sku`'s product whose options are `options` (UnknownSkuError if none).

        A product page's form posts the chosen options beside a preselected `sku`; without
        JavaScript nothing updates that `sku`, so the options say which variant was meant.
        """
        posted = self.entry(sku)
        if not posted.options:
            return sku  # a snapshot from before options were recorded: nothing to go by
        for candidate in self.skus.of_product(posted.product):
            if dict(self.entry(candidate).options) == dict(options):
                return candidate
        raise UnknownSkuError(sku)


def after_sale(entry: SkuEntry, day: date) -> SkuEntry:
    """The entry as priced on `day`: from the day after `sale_ends`, at its regular price.

    The nightly build does the same to the pages and feeds (storefront/sale_ends.py);
    this closes the minutes between midnight and that build's deploy.
    """
    if not sale_is_over(entry.sale_ends, day):
        return entry
    regular = regular_price(entry.price, entry.compare_at)
    return replace(entry, price=regular, compare_at=None, sale_ends=None)
