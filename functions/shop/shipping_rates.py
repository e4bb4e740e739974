"""What a delivery option costs for a subtotal: the one free-shipping rule of the shop.

Pure and structural, so the checkout (snapshot types) and the build's structured
data and Merchant Center feed (catalog types) charge and advertise the same price.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from shop.money import Money


class PricedShippingOption(Protocol):
    """A shipping option as the rule reads it (the snapshot's and the catalog's both fit)."""

    @property
    def kind(self) -> str: ...  # "delivery" | "pickup"

    @property
    def price(self) -> Money: ...

    @property
    def free_over(self) -> Money | None: ...


class ShippingRules(Protocol):
    """The shop's shipping settings as the rule reads them."""

    @property
    def options(self) -> Sequence[PricedShippingOption]: ...

    @property
    def free_threshold(self) -> Money | None: ...


def shipping_price(option: PricedShippingOption, subtotal: Money, rules: ShippingRules) -> Money:
    """What `option` costs for this subtotal: free once its threshold is reached."""
    threshold = option.free_over
    first_delivery = next((o for o in rules.options if o.kind == "delivery"), None)
    if threshold is None and option is first_delivery:
        # The shop-wide threshold applies to standard delivery (docs/content.md).
        threshold = rules.free_threshold
    if threshold is not None and threshold <= subtotal:
        return Money.zero(option.price.currency)
    return option.price
