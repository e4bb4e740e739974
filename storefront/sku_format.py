"""The shape of a SKU in the catalog, shared by content validation and the stock command.

A module of its own so that `build.py stock` can check a SKU without importing
the content validators (Markdown, images) it otherwise never needs.
"""

from __future__ import annotations

import re

from shop.sku import SKU_PATTERN

# The functions' own pattern: a SKU the API refuses can never be in the catalog, and back.
SKU = re.compile(SKU_PATTERN)
SKU_EXPECTED = (
    "a SKU of uppercase letters, digits and hyphens (at most 64, not starting or ending "
    "with a hyphen) like RTS-42-BLK"
)


def is_catalog_sku(value: str) -> bool:
    """True if `value` could be a SKU of the catalog."""
    # fullmatch: `$` alone would let a trailing newline through.
    return SKU.fullmatch(value) is not None
