"""Write dist/catalog.json: the price list the functions read (format in docs/architecture.md).

A price shown on a page is the price charged because both come from the same
validated catalog. Keys are written in a fixed order and SKUs sorted, so the
file is byte-identical for identical content.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shop.money import Money

from storefront.model import Catalog, Product, Variant
from storefront.urls import image_path, localize, product_route

SNAPSHOT_FORMAT = 1


def _money(value: Money | None) -> dict[str, Any] | None:
    return None if value is None else value.to_json()


def _sku_record(catalog: Catalog, product: Product, variant: Variant) -> dict[str, Any]:
    store = catalog.store
    default = store.default_locale
    labels: dict[str, str] = {}
    for locale in store.locales:
        # The label joins the option values in option order, each in the locale's words.
        labels[locale] = " / ".join(
            o.value_label(variant.options[o.name], locale) for o in product.options
        )
    return {
        "sku": variant.sku,
        "product": product.slug,
        "titles": {loc: product.text(loc, default).title for loc in store.locales},
        "variant_labels": labels,
        "urls": {loc: localize(product_route(product.slug), loc, store) for loc in store.locales},
        "image": image_path(product.images[0].src),
        "price": variant.price.to_json(),
        "compare_at": _money(variant.compare_at),
        "initial_stock": variant.stock,
    }


def build_snapshot(catalog: Catalog) -> dict[str, Any]:
    """The snapshot as a JSON-ready dict."""
    store, shipping, returns = catalog.store, catalog.shipping, catalog.returns
    skus = {
        variant.sku: _sku_record(catalog, product, variant)
        for product in catalog.products
        for variant in product.variants
    }
    return {
        "format": SNAPSHOT_FORMAT,
        "store": {
            "name": store.name,
            "base_url": store.base_url,
            "currency": store.currency,
            "default_locale": store.default_locale,
            "locales": list(store.locales),
            "low_stock_threshold": store.low_stock_threshold,
            "contact_email": store.contact.email,
        },
        "shipping": {
            "countries": list(shipping.countries),
            "free_threshold": _money(shipping.free_threshold),
            "options": [
                {
                    "id": option.id,
                    "kind": option.kind,
                    "names": dict(option.names),
                    "price": option.price.to_json(),
                    "min_days": option.min_days,
                    "max_days": option.max_days,
                    "free_over": _money(option.free_over),
                }
                for option in shipping.options
            ],
        },
        "returns": {
            "days": returns.days,
            "free": returns.free,
            "restock_on_refund": returns.restock_on_refund,
        },
        "skus": {sku: skus[sku] for sku in sorted(skus)},
    }


def snapshot_bytes(catalog: Catalog) -> bytes:
    """The snapshot serialised: compact (the functions load it at cold start), UTF-8."""
    text = json.dumps(build_snapshot(catalog), ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def write_snapshot(catalog: Catalog, path: Path) -> None:
    """Write the snapshot to `path` (normally dist/catalog.json)."""
    path.write_bytes(snapshot_bytes(catalog))
