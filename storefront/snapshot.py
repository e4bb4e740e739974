"""Write dist/catalog.json: the price list the functions read (format in docs/architecture.md).

A price shown on a page is the price charged because both come from the same
validated catalog. Keys are written in a fixed order and SKUs sorted, so the
file is byte-identical for identical content.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from shop.catalog import SNAPSHOT_FORMAT  # the functions' reader decides the format
from shop.money import Money

from storefront.bucket_cache import BucketCache, product_parts
from storefront.model import Catalog, Product, Shipping, ShippingOption, Variant
from storefront.urls import image_path, localize, product_route
from storefront.variant_picker import variant_image

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _money(value: Money | None) -> dict[str, Any] | None:
    return None if value is None else value.to_json()


# An image's `src` -> the path its thumbnail loads (storefront.images.thumbnail_path).
Thumbnail = Callable[[str], str]


def _sku_record(
    catalog: Catalog, product: Product, variant: Variant, thumbnail: Thumbnail = image_path
) -> dict[str, Any]:
    store = catalog.store
    default = store.default_locale
    labels: dict[str, str] = {}
    for locale in store.locales:
        # The label joins the option values in option order, each in the locale's words.
        labels[locale] = product.variant_label(variant, locale)
    return {
        "sku": variant.sku,
        "product": product.slug,
        "titles": {loc: product.text(loc, default).title for loc in store.locales},
        "variant_labels": labels,
        "urls": {loc: localize(product_route(product.slug), loc, store) for loc in store.locales},
        # The variant's own photo where one names its colour (as the picker shows it):
        # the cart showed an "L / Black" jacket in ochre.
        "image": thumbnail(product.images[(variant_image(product, variant, default) or 1) - 1].src),
        "price": variant.price.to_json(),
        "compare_at": _money(variant.compare_at),
        # The functions charge `compare_at` from the day after (shop.catalog.after_sale).
        "sale_ends": product.sale_ends.isoformat() if product.sale_ends else None,
        "initial_stock": variant.stock,
        # As written (the product page's option-<name> fields post these): what a form
        # sent without JavaScript is resolved against (functions/cart).
        "options": dict(variant.options),
    }


def _shipping_option(shipping: Shipping, option: ShippingOption) -> dict[str, Any]:
    # Its days are what the shopper is promised (Stripe's estimate, the order email):
    # the shop's handling plus the option's transit.
    min_days, max_days = shipping.delivery_days(option)
    record: dict[str, Any] = {
        "id": option.id,
        "kind": option.kind,
        "names": dict(option.names),
        "price": option.price.to_json(),
        "min_days": min_days,
        "max_days": max_days,
        "free_over": _money(option.free_over),
    }
    if option.address:  # pickup options: where the order is collected (the order records it)
        record["address"] = list(option.address)
    return record


def build_snapshot(catalog: Catalog, thumbnail: Thumbnail = image_path) -> dict[str, Any]:
    """The snapshot as a JSON-ready dict; each SKU's image is `thumbnail` of its product's first."""
    store, shipping, returns = catalog.store, catalog.shipping, catalog.returns
    skus = {
        variant.sku: _sku_record(catalog, product, variant, thumbnail)
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
            "options": [_shipping_option(shipping, option) for option in shipping.options],
        },
        "returns": {
            "days": returns.days,
            "free": returns.free,
            "restock_on_refund": returns.restock_on_refund,
        },
        "skus": {sku: skus[sku] for sku in sorted(skus)},
    }


def _sku_members(catalog: Catalog, thumbnail: Thumbnail, products: tuple[Product, ...]) -> bytes:
    """The "skus" members of these products, `"SKU":{record}` one per line (UTF-8)."""
    return "".join(
        f'"{variant.sku}":{_COMPACT.encode(_sku_record(catalog, product, variant, thumbnail))}\n'
        for product in products
        for variant in product.variants
    ).encode("utf-8")


def _sku_of(member: bytes) -> bytes:
    # A SKU is uppercase letters, digits and hyphens (validate_products.SKU): written as
    # it is between the quotes, and ordered as bytes as it is as text.
    return member[1 : member.index(b'"', 1)]


def snapshot_bytes(
    catalog: Catalog, cache: BucketCache | None = None, thumbnail: Thumbnail = image_path
) -> bytes:
    """The snapshot serialised: compact (the functions load it at cold start), UTF-8.

    The SKU records are made per bucket of products, read from `cache` when it has
    them (a large shop has tens of thousands), then put in SKU order: the same bytes
    as serialising build_snapshot() whole. `cache` must be keyed on the thumbnails too.
    """
    members: list[bytes] = []
    for bucket in product_parts(catalog.products):
        make = partial(_sku_members, catalog, thumbnail, bucket)
        members += (cache.part("snapshot", bucket, make) if cache else make()).splitlines()
    members.sort(key=_sku_of)
    rest = build_snapshot(replace(catalog, products=()))
    del rest["skus"]  # last key of the snapshot: its members are spliced in below
    head = _COMPACT.encode(rest).encode("utf-8")
    return b"".join([head[:-1], b',"skus":{', b",".join(members), b"}}\n"])
