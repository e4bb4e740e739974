"""Stock levels as shoppers see them: a status from units available and the store threshold."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

StockStatus = Literal["in_stock", "low_stock", "out_of_stock"]
# Merchant Center's g:availability values the shop uses (it never advertises preorder).
MerchantAvailability = Literal["in_stock", "out_of_stock"]
# Units at or below which a SKU shows "only a few left", unless catalog.yaml sets
# store.low_stock_threshold.
DEFAULT_LOW_STOCK_THRESHOLD = 3


@dataclass(frozen=True, slots=True)
class InventoryRecord:
    """One SKU's counts in the inventory table."""

    sku: str
    available: int
    reserved: int = 0
    sold: int = 0
    updated_at: str = ""


def stock_status(available: int, low_stock_threshold: int) -> StockStatus:
    """`out_of_stock` at 0, `low_stock` at or below the threshold, else `in_stock`."""
    if available <= 0:
        return "out_of_stock"
    if available <= low_stock_threshold:
        return "low_stock"
    return "in_stock"


def merchant_availability(available: int) -> MerchantAvailability:
    """Merchant Center's availability: `in_stock` while any unit is available.

    The same line `stock_status` draws for `out_of_stock`: the product feed, the live
    availability feed and the product page (via /api/stock) must agree, or Merchant
    Center disapproves the item for an availability mismatch. Low stock is in stock.
    """
    return "in_stock" if available > 0 else "out_of_stock"


def available_units(
    skus: Iterable[str], live: Mapping[str, int], initial: Mapping[str, int]
) -> dict[str, int]:
    """Units available per SKU: the live count, or the catalog's initial stock if unseeded.

    A SKU added to the catalog is seeded at deploy; until then the editor's
    number is the best answer (checkout's reservation remains the real guard).
    """
    return {sku: max(live.get(sku, initial.get(sku, 0)), 0) for sku in skus}
