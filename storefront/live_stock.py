"""Live stock for the pages: each SKU's availability as the inventory table has it.

A product file's `stock` is only what the inventory table is seeded with for a SKU
it has never seen (docs/stock.md); from then on the table is the truth and the
checkout sells from it. Pages built from the file's count would tell shoppers and
search engines (the structured data's availability, which Google's automatic item
updates read, and the Merchant feed) that a sold-out variant is in stock, or the
reverse, on every build. `build --live-stock FILE` takes the records that
`python build.py stock list --json` prints (the site deploy workflow saves them
just before its build) and builds each SKU the table knows with its available
units. A SKU the table does not know yet keeps its file's stock, which the deploy
seeds; the catalog snapshot keeps the files' counts, as it is what seeding reads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from storefront.errors import ContentError, ContentErrors
from storefront.input_digest import digest_value
from storefront.model import Catalog, Product

FIELD = "live stock"


def _refuse(path: Path, message: str) -> ContentErrors:
    return ContentErrors([ContentError(path, None, FIELD, message)])


def read_live_stock(path: Path) -> dict[str, int]:
    """SKU -> units available, from the JSON `stock list --json` wrote to `path`."""
    expected = (
        "expected the output of `python build.py stock list --json` "
        '([{"sku": …, "available": …}, …])'
    )
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _refuse(path, f"cannot read the file ({exc.strerror}); {expected}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _refuse(path, f"not JSON ({exc}); {expected}") from None
    if not isinstance(records, list):
        raise _refuse(path, f"{expected}, got a {type(records).__name__}")
    available: dict[str, int] = {}
    for index, record in enumerate(records):
        sku = record.get("sku") if isinstance(record, dict) else None
        units = record.get("available") if isinstance(record, dict) else None
        if not isinstance(sku, str) or type(units) is not int or units < 0:
            raise _refuse(
                path,
                f"record {index}: expected a SKU and its available units (a whole number "
                f"of 0 or more), got {json.dumps(record)[:120]}",
            )
        available[sku] = units
    return available


def with_live_stock(catalog: Catalog, available: Mapping[str, int]) -> Catalog:
    """The catalog with each known SKU's live units (Variant.live); others as written."""
    products = tuple(_live(product, available) for product in catalog.products)
    described, known = catalog.input_digests
    if described is not catalog.products or len(known) != len(products):
        return replace(catalog, products=products)  # digested whole by product_digests
    # A product's digest comes from its files: add the live units it now shows, so the
    # pages, feeds and indexes that show it are made again when they change, and only then.
    digests = dict(known)
    for product in products:
        live = [(v.sku, v.live) for v in product.variants if v.live is not None]
        if live:
            digests[product.slug] = digest_value(known[product.slug], "live", live)
    return replace(catalog, products=products, input_digests=(products, digests))


def _live(product: Product, available: Mapping[str, int]) -> Product:
    if not any(v.sku in available for v in product.variants):
        return product
    variants = tuple(replace(v, live=available.get(v.sku)) for v in product.variants)
    return replace(product, variants=variants)
