"""When a sale is over and what the regular price then is: one rule for pages and checkout.

The build turns ended sales into regular prices on pages and feeds
(storefront/sale_ends.py); the functions price a cart the same way in the minutes
between midnight and the nightly build's deploy (shop.catalog.after_sale).
"""

from __future__ import annotations

from datetime import date

from shop.money import Money


def sale_is_over(sale_ends: date | None, day: date) -> bool:
    """True from the day after `sale_ends` (the sale's last day, in UTC)."""
    return sale_ends is not None and day > sale_ends


def regular_price(price: Money, compare_at: Money | None) -> Money:
    """The price once the sale is over: the was-price, when above the sale price."""
    return compare_at if compare_at is not None and price < compare_at else price
