"""Validate catalog.yaml's shipping: the countries shipped to, the options and free delivery."""

from __future__ import annotations

import functools
import re

from babel import Locale
from shop.money import Money

from storefront.fields import SLUG, Fields, as_written
from storefront.model import Shipping, ShippingOption

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_NOT_COUNTRIES = {"EU", "EZ", "QO", "UN", "ZZ"}
# Codes people write for a country whose ISO code is another.
_MEANT_COUNTRY = {"UK": "GB", "EL": "GR"}


@functools.cache
def _known_countries() -> frozenset[str]:
    """ISO 3166 country codes, from the CLDR data Babel ships."""
    codes = (str(code) for code in Locale("en").territories)
    return frozenset(c for c in codes if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES)


def country_problem(code: str) -> str | None:
    """What is wrong with a country code (shown to Stripe and Google as is); None if fine."""
    if not _COUNTRY.match(code):
        return f'expected an ISO country code like FR, got "{code}"'
    if code in _known_countries():
        return None
    meant = _MEANT_COUNTRY.get(code)
    hint = f'; did you mean "{meant}"?' if meant else ""
    return f'expected an ISO country code like FR, "{code}" is none{hint}'


def read_shipping(
    doc: Fields,
    currency: str,
    default: str,
    locales: tuple[str, ...],
    shop_address: tuple[str, ...] | None = (),
) -> Shipping | None:
    """catalog.yaml's `shipping`: countries, options and the free-delivery threshold.

    `shop_address` (store.contact.address) is where a pickup option without its own
    `address` is collected; None when the store's settings are wrong (already reported).
    """
    shipping = doc.mapping("shipping")
    if shipping is None:
        return None
    shipping.check_keys(("countries", "free_threshold", "handling_days", "options"))
    countries = shipping.texts("countries", min_items=1)
    for index, country in enumerate(countries or ()):
        problem = country_problem(country)
        if problem:
            shipping.error(f"countries[{index}]", problem)
        elif country in (countries or ())[:index]:
            # Twice, it gave every feed item and offer two shipping blocks for it.
            shipping.error(
                f"countries[{index}]", f"expected each country once, got {country} again"
            )
    threshold = shipping.money("free_threshold", currency, required=False)
    handling = _day_span(shipping, "handling_days", "[0, 1]", required=False)
    options: list[ShippingOption] = []
    ids: set[str] = set()
    count = 0
    for option in shipping.records("options", min_items=1):
        count += 1
        option.check_keys(("id", "kind", "name", "price", "days", "free_over", "address"))
        option_id = option.pattern("id", SLUG, "an id like standard or express")
        kind = option.text("kind")
        if kind is not None and kind not in ("delivery", "pickup"):
            option.error("kind", f'expected delivery or pickup, got "{kind}"')
            kind = None
        if option_id is not None and option_id in ids:
            option.error("id", f'duplicate shipping option "{option_id}"')
            option_id = None
        names = option.localized("name", default, locales)
        price = option.money("price", currency)
        free_over = option.money("free_over", currency, required=False)
        span = _day_span(option, "days", "[2, 4]")
        address = _pickup_address(option, kind, shop_address)
        if option_id and kind and names and price and span and address is not None:
            ids.add(option_id)
            options.append(
                ShippingOption(option_id, kind, names, price, span[0], span[1], free_over, address)
            )
    if countries is None or len(options) != count or not options or handling is None:
        return None
    if not _free_delivery_agrees(shipping, threshold, options):
        return None
    return Shipping(countries, tuple(options), threshold, handling)


def _pickup_address(
    option: Fields, kind: str | None, shop_address: tuple[str, ...] | None
) -> tuple[str, ...] | None:
    """Where a pickup option's orders are collected; () for delivery; None when wrong.

    The confirmation email and the order page tell the shopper this address: without
    one, a pickup order named no place to collect it.
    """
    if kind != "pickup":
        if option.has("address"):
            option.error("address", "expected no address on a delivery option (pickup only)")
            return None
        return ()
    own = option.texts("address", required=False)
    if own is None:
        return None
    if own or shop_address:
        return own or shop_address
    if shop_address is None:  # the store's own errors stop the build already
        return ()
    option.error(
        "address",
        'expected where pickup orders are collected, like ["12 rue des Alpes", '
        '"74000 Annecy"] (or store.contact.address, used when absent)',
    )
    return None


def _free_delivery_agrees(
    shipping: Fields, threshold: Money | None, options: list[ShippingOption]
) -> bool:
    """False (reported) when the pages' free-delivery promise differs from the charge.

    `free_threshold` is what the banners and the cart's progress bar promise; the
    first delivery option is what it makes free (shop.shipping_rates), unless that
    option names its own `free_over`: a different one charged delivery on a cart
    the page had just called free.
    """
    delivery = [(i, o.free_over) for i, o in enumerate(options) if o.kind == "delivery"]
    if threshold is None or not delivery:
        return True
    index, free_over = delivery[0]
    if free_over is None or free_over == threshold:
        return True
    item = list(shipping.records("options"))[index]  # every item read well: no new error
    item.error(
        "free_over",
        f"expected {threshold.to_decimal_string()} like free_threshold, or no free_over "
        f"(the first delivery option is free from free_threshold); got "
        f"{free_over.to_decimal_string()}: pages would promise free delivery from "
        f"{threshold.to_decimal_string()} and checkout charge it below "
        f"{free_over.to_decimal_string()}",
    )
    return False


def _day_span(
    fields: Fields, key: str, example: str, required: bool = True
) -> tuple[int, int] | None:
    """A [min, max] of business days; (0, 0) when optional and absent, None when bad."""
    if not required and not fields.has(key):
        return (0, 0)
    days = fields.sequence(key)
    if days is None:
        return None
    if (
        len(days) == 2
        and all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in days)
        and days[0] <= days[1]
    ):
        return (days[0], days[1])
    fields.error(key, f"expected [min, max] business days like {example}, got {as_written(days)}")
    return None
