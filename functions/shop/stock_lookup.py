"""Live stock for product pages: units available and a status per SKU.

A SKU the catalog no longer sells (a page older than the snapshot, mid-deploy)
is answered as out of stock rather than failing the whole request: the page
then disables its add-to-cart button, which is the truth.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shop.catalog import CatalogSnapshot
from shop.errors import RequestValidationError
from shop.ports import InventoryStore
from shop.sku import check_sku
from shop.stock import available_units, stock_status

MAX_SKUS_PER_REQUEST = 100


def read_sku_list(values: Sequence[str]) -> list[str]:
    """SKUs from repeated `sku=` parameters (commas also accepted), checked and de-duplicated."""
    skus: list[str] = []
    for value in values:
        for part in value.split(","):
            sku = check_sku(part.strip())
            if sku not in skus:
                skus.append(sku)
    if not skus:
        raise RequestValidationError("sku", "expected at least one sku query parameter")
    if len(skus) > MAX_SKUS_PER_REQUEST:
        raise RequestValidationError(
            "sku", f"expected at most {MAX_SKUS_PER_REQUEST} SKUs, got {len(skus)}"
        )
    return skus


def stock_json(
    skus: Sequence[str], catalog: CatalogSnapshot, inventory: InventoryStore
) -> dict[str, Any]:
    """{"skus": {SKU: {"available": n, "status": ...}}} (schema `Stock` in openapi.yaml)."""
    known = [sku for sku in skus if sku in catalog.skus]
    live = inventory.get_available(known) if known else {}
    # The initial stock of the SKUs asked for only: not a dict of the whole catalog per request.
    initial = {sku: catalog.entry(sku).initial_stock for sku in known}
    units = available_units(known, live, initial)
    threshold = catalog.store.low_stock_threshold
    return {
        "skus": {
            sku: {
                "available": units.get(sku, 0),
                "status": stock_status(units.get(sku, 0), threshold),
            }
            for sku in skus
        }
    }
