"""Which of a product's options stand for the attributes search engines group variants by.

Google's structured data (`variesBy`) and Merchant Center (`item_group_id` items)
tell variants apart by size, color, material and pattern only. Editors name options
freely, so common names for these map onto them: a trekking pole's `length` or a
bag's `capacity` is its size. A product maps each attribute once (its first option
of that kind); an option of no such kind is left out, and its variants are told
apart by SKU, title and price alone.
"""

from __future__ import annotations

from storefront.model import Product

ATTRIBUTE_OF_OPTION: dict[str, str] = {
    "size": "size",
    "length": "size",
    "capacity": "size",
    "volume": "size",
    "width": "size",
    "dimensions": "size",
    "color": "color",
    "colour": "color",
    "material": "material",
    "pattern": "pattern",
}


def option_attributes(product: Product) -> dict[str, str]:
    """Option name -> the attribute it stands for, in option order, each attribute once."""
    found: dict[str, str] = {}
    for option in product.options:
        attribute = ATTRIBUTE_OF_OPTION.get(option.name.lower())
        if attribute is not None and attribute not in found.values():
            found[option.name] = attribute
    return found
