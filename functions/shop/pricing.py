"""Price a cart from the catalog snapshot: lines, subtotal, item count, free-shipping progress.

The server is the only one who prices: the client sends SKUs and quantities,
and every amount here comes from the snapshot the pages were built from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shop.cart import Cart, CartLine
from shop.catalog import CatalogSnapshot, SkuEntry
from shop.money import Money
from shop.stock import StockStatus, stock_status


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A cart line with its catalog entry, prices and live stock."""

    entry: SkuEntry
    quantity: int
    unit_price: Money
    line_total: Money
    available: int
    status: StockStatus


@dataclass(frozen=True, slots=True)
class FreeShippingProgress:
    """How far the subtotal is from free standard delivery."""

    threshold: Money
    remaining: Money  # zero once qualified
    qualifies: bool


@dataclass(frozen=True, slots=True)
class PricedCart:
    """A cart as the shopper sees it."""

    items: tuple[PricedLine, ...]
    saved: tuple[PricedLine, ...]
    subtotal: Money
    item_count: int
    free_shipping: FreeShippingProgress | None  # None when the shop never ships free
    unavailable: tuple[str, ...]  # SKUs in the stored cart that the catalog no longer sells
    unavailable_saved: tuple[str, ...] = ()  # those of them saved for later


def free_shipping_progress(subtotal: Money, threshold: Money | None) -> FreeShippingProgress | None:
    """Amount still needed for free shipping, or None if the shop has no threshold."""
    if threshold is None:
        return None
    qualifies = threshold <= subtotal
    remaining = Money.zero(subtotal.currency) if qualifies else threshold - subtotal
    return FreeShippingProgress(threshold=threshold, remaining=remaining, qualifies=qualifies)


def _price_lines(
    lines: tuple[CartLine, ...], catalog: CatalogSnapshot, available: Mapping[str, int]
) -> tuple[tuple[PricedLine, ...], list[str]]:
    priced: list[PricedLine] = []
    missing: list[str] = []
    threshold = catalog.store.low_stock_threshold
    for line in lines:
        entry = catalog.skus.get(line.sku)
        if entry is None:
            missing.append(line.sku)
            continue
        units = max(available.get(line.sku, 0), 0)
        priced.append(
            PricedLine(
                entry=entry,
                quantity=line.quantity,
                unit_price=entry.price,
                line_total=entry.price * line.quantity,
                available=units,
                status=stock_status(units, threshold),
            )
        )
    return tuple(priced), missing


def price_cart(cart: Cart, catalog: CatalogSnapshot, available: Mapping[str, int]) -> PricedCart:
    """Price every line from the snapshot; lines whose SKU left the catalog are reported."""
    items, missing_items = _price_lines(cart.items, catalog, available)
    saved, missing_saved = _price_lines(cart.saved, catalog, available)
    subtotal = Money.zero(catalog.store.currency)
    for line in items:
        subtotal = subtotal + line.line_total
    return PricedCart(
        items=items,
        saved=saved,
        subtotal=subtotal,
        item_count=sum(line.quantity for line in items),
        free_shipping=free_shipping_progress(subtotal, catalog.shipping.free_threshold),
        unavailable=tuple(missing_items + missing_saved),
        unavailable_saved=tuple(missing_saved),
    )


def _line_json(line: PricedLine, locale: str, default_locale: str) -> dict[str, Any]:
    entry = line.entry
    return {
        "sku": entry.sku,
        "product": entry.product,
        "title": entry.title(locale, default_locale),
        "variant_label": entry.variant_label(locale, default_locale),
        "url": entry.url(locale, default_locale),
        "image": entry.image,
        "quantity": line.quantity,
        "unit_price": line.unit_price.to_json(),
        "compare_at": entry.compare_at.to_json() if entry.compare_at else None,
        "line_total": line.line_total.to_json(),
        "available": line.available,
        "stock_status": line.status,
    }


def cart_json(priced: PricedCart, locale: str, default_locale: str) -> dict[str, Any]:
    """The cart as the API returns it (schema `Cart` in functions/openapi.yaml)."""
    progress = priced.free_shipping
    return {
        "items": [_line_json(line, locale, default_locale) for line in priced.items],
        "saved": [_line_json(line, locale, default_locale) for line in priced.saved],
        "subtotal": priced.subtotal.to_json(),
        "item_count": priced.item_count,
        "free_shipping": None
        if progress is None
        else {
            "threshold": progress.threshold.to_json(),
            "remaining": progress.remaining.to_json(),
            "qualifies": progress.qualifies,
        },
        "unavailable": list(priced.unavailable),
        # Removed from the saved list, not the cart's lines: DELETE /api/cart/saved/{sku}.
        "unavailable_saved": list(priced.unavailable_saved),
        "locale": locale,
    }
