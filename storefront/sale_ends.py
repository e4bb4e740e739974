"""Sales that have ended: the regular price comes back on the day after `sale_ends`.

A product's `sale_ends` is the last day of its sale, in UTC, as the Merchant feed
announces it (`sale_price_effective_date` ends at 23:59:59Z). Pages, structured
data, feeds and the functions' price list must then all show the regular price,
without an editor's edit: a page still offering the sale price, or a checkout
still charging it, after Google was told it ended is a price mismatch. So every
build first turns past sales into regular prices (`end_past_sales`), and the
build state remembers the next end date, so that a build on a later day is not
skipped as "nothing changed" (the deploy workflow builds every night for it).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from shop.sale_price import regular_price
from shop.sale_price import sale_is_over as sale_ends_before

from storefront.input_digest import digest_value
from storefront.model import Catalog, Product, Variant


def today_utc() -> date:
    """The day whose sales are still on: the calendar date in UTC."""
    return datetime.now(UTC).date()


def sale_is_over(product: Product, today: date) -> bool:
    """True from the day after the product's `sale_ends`."""
    return sale_ends_before(product.sale_ends, today)


def _regular(variant: Variant) -> Variant:
    if variant.compare_at is None:
        return variant
    return replace(variant, price=regular_price(variant.price, variant.compare_at), compare_at=None)


def without_sale(product: Product) -> Product:
    """The product at its regular prices, changed (for the sitemap) the day its sale ended."""
    assert product.sale_ends is not None
    ended_on = product.sale_ends + timedelta(days=1)
    return replace(
        product,
        variants=tuple(_regular(v) for v in product.variants),
        sale_ends=None,
        updated=max(product.updated, ended_on),
    )


def end_past_sales(catalog: Catalog, today: date) -> Catalog:
    """The catalog with every sale that ended before `today` back at regular prices."""
    if not any(sale_is_over(p, today) for p in catalog.products):
        return catalog
    products = tuple(without_sale(p) if sale_is_over(p, today) else p for p in catalog.products)
    described, known = catalog.input_digests
    if described is not catalog.products or len(known) != len(products):
        return replace(catalog, products=products)  # digested whole by product_digests
    # A product's digest comes from its files, which did not change: mark the ended sale
    # in it, so the pages, feeds and snapshot that show the product are made again.
    digests = dict(known)
    for original, changed in zip(catalog.products, products, strict=True):
        if changed is not original:
            digests[changed.slug] = digest_value(known[changed.slug], "sale over")
    return replace(catalog, products=products, input_digests=(products, digests))


def next_sale_end(catalog: Catalog) -> date | None:
    """The last day of the soonest sale still on, if any (the day after it, a build is due)."""
    return min((p.sale_ends for p in catalog.products if p.sale_ends is not None), default=None)
