"""Pick the journeys' products from the built snapshot, so content edits don't break them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Pick:
    """A product page and one of its SKUs."""

    slug: str
    url: str
    title: str
    sku: str
    price: int  # minor units


def _by_product(snapshot: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    products: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in snapshot["skus"].values():
        products[entry["product"]].append(entry)
    return dict(sorted(products.items()))


def _pick(entry: dict[str, Any], locale: str = "en") -> Pick:
    return Pick(
        slug=entry["product"],
        url=entry["urls"][locale],
        title=entry["titles"][locale],
        sku=entry["sku"],
        price=entry["price"]["amount"],
    )


def in_stock_variant(snapshot: dict[str, Any], slug: str, minimum: int = 10) -> Pick | None:
    """A well-stocked SKU of a product that has several variants, or None."""
    entries = _by_product(snapshot).get(slug, [])
    if len(entries) < 2:
        return None
    stocked = [e for e in entries if e["initial_stock"] >= minimum]
    return _pick(stocked[0]) if stocked else None


def variant_products(snapshot: dict[str, Any]) -> list[Pick]:
    """Every product with several variants and a well-stocked one, that SKU picked."""
    picks = (in_stock_variant(snapshot, slug) for slug in _by_product(snapshot))
    return [p for p in picks if p is not None]


def single_sku_product(
    snapshot: dict[str, Any], minimum: int = 10, below: int | None = None
) -> Pick:
    """A product without variants, well stocked, priced under `below` minor units if given."""
    for entries in _by_product(snapshot).values():
        entry = entries[0]
        cheap = below is None or entry["price"]["amount"] < below
        if len(entries) == 1 and entry["initial_stock"] >= minimum and cheap:
            return _pick(entry)
    raise LookupError("the example shop has no well-stocked single-SKU product")


def sold_out_variant(snapshot: dict[str, Any]) -> tuple[Pick, str]:
    """A product with an in-stock variant (picked) and the SKU of a sold-out one."""
    for slug, entries in _by_product(snapshot).items():
        sold_out = [e["sku"] for e in entries if e["initial_stock"] == 0]
        stocked = in_stock_variant(snapshot, slug, minimum=1)
        if sold_out and stocked is not None:
            return stocked, sold_out[0]
    raise LookupError("the example shop has no product with a sold-out variant")
