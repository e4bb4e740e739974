"""The Stripe Checkout request for a cart: priced lines, shipping options, URLs, metadata.

Pure: builds the exact parameters of `POST /v1/checkout/sessions` from the
cart priced by the server (`shop.pricing`) and the catalog snapshot, so the
price on the page, the price in the session and the price charged agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shop.catalog import CatalogSnapshot, ShippingOption
from shop.errors import ShopError
from shop.money import Money
from shop.pricing import PricedLine
from shop.reservations import Reservation, ReservationLine
from shop.shipping_rates import shipping_price
from shop.site_paths import CHECKOUT_CANCEL_PAGE, CHECKOUT_SUCCESS_PAGE, localized_path

# Locales Stripe Checkout speaks (subset that covers the shop's markets); others fall
# back to "auto" (the shopper's browser language).
STRIPE_LOCALES = frozenset(
    {"bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "hr", "hu", "it", "lt",
     "lv", "nb", "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sv", "tr", "ja", "zh"}
)  # fmt: skip
MAX_SHIPPING_OPTIONS = 5  # Stripe's limit per session


class PaymentGatewayError(ShopError):
    """The payment provider failed or refused a call; wraps the SDK error as __cause__."""

    def __init__(self, operation: str, detail: str) -> None:
        self.operation = operation
        self.detail = detail
        super().__init__(f"payment provider: {operation} failed ({detail})")


class CheckoutSessionNotFoundError(PaymentGatewayError):
    """The payment provider has no Checkout Session with this id (a client sent a made-up one)."""

    def __init__(self, session_id: str) -> None:
        super().__init__("retrieve checkout session", f"no such checkout session: {session_id}")
        self.session_id = session_id


class CheckoutStartingError(ShopError):
    """Another checkout of the same cart is being created right now (a second tab, a reload)."""

    def __init__(self, cart_id: str) -> None:
        self.cart_id = cart_id  # for the logs only: the message goes to the browser, and the
        # cart id is the HttpOnly cookie's secret (a page's scripts would read it there)
        super().__init__("cart: another checkout of it is starting, try again")


class EmptyCheckoutError(ShopError):
    """A checkout was asked for a cart with nothing to buy."""

    def __init__(self) -> None:
        super().__init__("cart: expected at least one item to check out, the cart is empty")


@dataclass(frozen=True, slots=True)
class CreatedSession:
    """What the payment gateway returns for a new Checkout Session."""

    session_id: str
    url: str
    expires_at: int
    # Stripe's shipping rate ids, in the order the options were sent.
    shipping_rate_ids: tuple[str, ...] = ()


def reservation_lines(
    items: Sequence[PricedLine], locale: str, default_locale: str
) -> tuple[ReservationLine, ...]:
    """The lines to hold, with the price and labels the shopper saw."""
    return tuple(
        ReservationLine(
            sku=line.entry.sku,
            quantity=line.quantity,
            unit_amount=line.unit_price.amount,
            title=line.entry.title(locale, default_locale),
            variant_label=line.entry.variant_label(locale, default_locale),
        )
        for line in items
    )


def _delivery_estimate(option: ShippingOption) -> dict[str, Any]:
    # Stripe wants positive values; same-day pickup simply gives no minimum.
    estimate: dict[str, Any] = {}
    if option.min_days > 0:
        estimate["minimum"] = {"unit": "business_day", "value": option.min_days}
    if option.max_days > 0:
        estimate["maximum"] = {"unit": "business_day", "value": option.max_days}
    return estimate


def shipping_options(
    catalog: CatalogSnapshot, subtotal: Money, locale: str
) -> tuple[list[dict[str, Any]], list[str]]:
    """Stripe `shipping_options` for this subtotal, and our option id for each, in order."""
    default = catalog.store.default_locale
    params: list[dict[str, Any]] = []
    ids: list[str] = []
    for option in catalog.shipping.options[:MAX_SHIPPING_OPTIONS]:
        amount = shipping_price(option, subtotal, catalog.shipping)
        rate: dict[str, Any] = {
            "type": "fixed_amount",
            "fixed_amount": {"amount": amount.amount, "currency": amount.currency.lower()},
            "display_name": option.names.get(locale) or option.names.get(default, option.id),
            "tax_behavior": "inclusive",
            "metadata": {"option_id": option.id, "kind": option.kind},
        }
        estimate = _delivery_estimate(option)
        if estimate:
            rate["delivery_estimate"] = estimate
        params.append({"shipping_rate_data": rate})
        ids.append(option.id)
    return params, ids


def _line_item(line: PricedLine, locale: str, default: str, site_url: str) -> dict[str, Any]:
    entry = line.entry
    title = entry.title(locale, default)
    label = entry.variant_label(locale, default)
    product: dict[str, Any] = {
        "name": f"{title} — {label}" if label else title,
        "metadata": {"sku": entry.sku},
    }
    if entry.image:
        product["images"] = [site_url + entry.image]
    return {
        "quantity": line.quantity,
        "price_data": {
            "currency": line.unit_price.currency.lower(),
            "unit_amount": line.unit_price.amount,
            "tax_behavior": "inclusive",
            "product_data": product,
        },
    }


def stripe_locale(locale: str) -> str:
    """The Checkout page language: the shop's locale when Stripe has it, else "auto"."""
    return locale if locale in STRIPE_LOCALES else "auto"


def session_params(
    *,
    items: Sequence[PricedLine],
    subtotal: Money,
    catalog: CatalogSnapshot,
    reservation: Reservation,
    locale: str,
    site_url: str,
) -> tuple[dict[str, Any], list[str]]:
    """The `checkout.sessions.create` parameters and the shipping option id of each rate."""
    default = catalog.store.default_locale
    metadata = {
        "reservation_id": reservation.reservation_id,
        "cart_id": reservation.cart_id,
        "locale": locale,
    }
    rates, option_ids = shipping_options(catalog, subtotal, locale)
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [_line_item(line, locale, default, site_url) for line in items],
        "shipping_address_collection": {"allowed_countries": list(catalog.shipping.countries)},
        "shipping_options": rates,
        "allow_promotion_codes": True,
        "billing_address_collection": "auto",
        "client_reference_id": reservation.cart_id,
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata},
        "locale": stripe_locale(locale),
        "expires_at": reservation.expires_at,
        "success_url": f"{site_url}{localized_path(CHECKOUT_SUCCESS_PAGE, locale, default)}"
        "?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": f"{site_url}{localized_path(CHECKOUT_CANCEL_PAGE, locale, default)}",
        "submit_type": "pay",
    }
    return params, option_ids
