"""The SKU format shared by the catalog, the API paths and the request bodies.

Kept apart from `shop.request_body` so that routes reading a SKU from a path or
query string do not import pydantic at cold start.
"""

from __future__ import annotations

import re

from shop.errors import RequestValidationError

# Uppercase letters, digits and hyphens, 1 to 64 characters, no hyphen at either end
# (docs/content.md). The catalog's validation uses this same pattern (storefront/sku_format.py).
SKU_PATTERN = r"^[A-Z0-9](?:[A-Z0-9-]{0,62}[A-Z0-9])?$"
_SKU = re.compile(SKU_PATTERN)


def check_sku(value: str, field: str = "sku") -> str:
    """Return `value` if it has the catalog's SKU shape, else raise RequestValidationError."""
    # fullmatch: `$` alone would let a trailing newline through.
    if not _SKU.fullmatch(value):
        raise RequestValidationError(
            field, f"expected a SKU (uppercase letters, digits, hyphens), got {value!r}"
        )
    return value


def is_sku(value: str) -> bool:
    """True if `value` has the catalog's SKU shape."""
    return _SKU.fullmatch(value) is not None
