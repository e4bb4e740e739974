"""A tiny finished build (dist/public + catalog.json) for the dev server's tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PAGE = (
    '<!doctype html><html lang="en"><head><title>{title}</title></head><body>{body}</body></html>'
)


def snapshot(**overrides: Any) -> dict[str, Any]:
    """A valid catalog snapshot (format 1) with two SKUs; override top-level keys."""
    eur = {"currency": "EUR"}
    data: dict[str, Any] = {
        "format": 1,
        "store": {
            "name": "Test Shop",
            "base_url": "https://shop.example.com",
            "currency": "EUR",
            "default_locale": "en",
            "locales": ["en", "fr"],
            "low_stock_threshold": 3,
            "contact_email": "hello@shop.example.com",
        },
        "shipping": {
            "countries": ["FR"],
            "free_threshold": {"amount": 7500, **eur},
            "options": [
                {
                    "id": "standard",
                    "kind": "delivery",
                    "names": {"en": "Standard", "fr": "Standard"},
                    "price": {"amount": 490, **eur},
                    "min_days": 2,
                    "max_days": 4,
                    "free_over": {"amount": 7500, **eur},
                }
            ],
        },
        "returns": {"days": 30, "free": True, "restock_on_refund": True},
        "skus": {
            sku: {
                "sku": sku,
                "product": "tee",
                "titles": {"en": "Tee", "fr": "T-shirt"},
                "variant_labels": {"en": label, "fr": label},
                "urls": {"en": "/products/tee/", "fr": "/fr/products/tee/"},
                "image": None,
                "price": {"amount": 2500, **eur},
                "compare_at": None,
                "initial_stock": stock,
            }
            for sku, label, stock in (("TEE-M", "M", 5), ("TEE-L", "L", 0))
        },
    }
    data.update(overrides)
    return data


def write_small_build(out: Path) -> Path:
    """Write public/ pages and catalog.json under `out`; returns `out`."""
    public = out / "public"
    pages = {
        "index.html": PAGE.format(title="Home", body="<h1>Home</h1>"),
        "products/tee/index.html": PAGE.format(title="Tee", body="<h1>Tee</h1>"),
        "404.html": PAGE.format(title="Not found", body="<h1>Page not found</h1>"),
        "assets/site.abc123.css": "body{margin:0}",
    }
    for relative, text in pages.items():
        path = public / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (out / "catalog.json").write_text(json.dumps(snapshot()), encoding="utf-8")
    # Marks it as a build (an older version's, whose state this one cannot read), which
    # a build may replace (storefront/out_folder.py).
    (out / ".build-state.json").write_text('{"format": 0}', encoding="utf-8")
    return out
