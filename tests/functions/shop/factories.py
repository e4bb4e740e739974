"""Factories for the functions' tests: a catalog snapshot (as the build writes it) and stores."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shop.catalog import CatalogSnapshot
from shop.snapshot_format import parse_snapshot

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def eur(amount: int) -> dict[str, Any]:
    """Money in the snapshot's wire form."""
    return {"amount": amount, "currency": "EUR"}


def make_sku(
    sku: str, product: str, title: str, price: int, stock: int, **overrides: Any
) -> dict[str, Any]:
    """One snapshot SKU entry with English and French labels."""
    entry: dict[str, Any] = {
        "sku": sku,
        "product": product,
        "titles": {"en": title, "fr": f"{title} (FR)"},
        "variant_labels": {"en": "42 / Black", "fr": "42 / Noir"},
        "urls": {"en": f"/products/{product}/", "fr": f"/fr/products/{product}/"},
        "image": f"/images/{product}-1.jpg",
        "price": eur(price),
        "compare_at": None,
        "initial_stock": stock,
    }
    entry.update(overrides)
    return entry


_BASE: dict[str, Any] = {
    "format": 1,
    "store": {
        "name": "Northwind Outfitters",
        "base_url": "https://shop.example.com",
        "currency": "EUR",
        "default_locale": "en",
        "locales": ["en", "fr"],
        "low_stock_threshold": 3,
        "contact_email": "hello@example.com",
    },
    "shipping": {
        "countries": ["FR", "DE", "BE"],
        "free_threshold": eur(7500),
        "options": [
            {
                "id": "standard",
                "kind": "delivery",
                "names": {"en": "Standard", "fr": "Standard"},
                "price": eur(490),
                "min_days": 2,
                "max_days": 4,
                "free_over": eur(7500),
            }
        ],
    },
    "returns": {"days": 30, "free": True, "restock_on_refund": True},
    "skus": {
        "TRS-42-BLK": make_sku("TRS-42-BLK", "trail-shoe", "Ridge Trail Shoe", 8990, 12),
        "SOCK-M": make_sku("SOCK-M", "merino-sock", "Merino Running Sock", 1450, 40),
        "CAP-1": make_sku("CAP-1", "alpine-cap", "Alpine Cap", 2500, 2, variant_labels={}),
        "GAIT-0": make_sku("GAIT-0", "alpine-gaiter", "Alpine Gaiter", 3200, 0),
    },
}


def make_snapshot_data(**overrides: Any) -> dict[str, Any]:
    """A snapshot document; top-level keys in `overrides` replace the defaults."""
    data = copy.deepcopy(_BASE)
    data.update(copy.deepcopy(overrides))
    return data


def make_snapshot(**overrides: Any) -> CatalogSnapshot:
    """A parsed snapshot."""
    return parse_snapshot(make_snapshot_data(**overrides), "test-snapshot")


def write_snapshot(path: Path, **overrides: Any) -> Path:
    """Write a snapshot file (as the build would) and return its path."""
    path.write_text(json.dumps(make_snapshot_data(**overrides)), encoding="utf-8")
    return path
