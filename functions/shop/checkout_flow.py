"""Starting a checkout: hold the cart's units, then open a Stripe Checkout Session.

Order matters: units are reserved first (one conditional transaction), so a
session is never created for stock we do not have; if Stripe then fails, the
reservation is released at once rather than waiting for the sweeper (likewise
if recording the session on the reservation fails).

One cart has one live checkout: a shopper who comes back from Stripe's page (or
checks out in a second tab) and checks out again would otherwise hold the cart's
units twice, find their own units short, and could pay for the cart twice. So the
cart remembers its latest checkout's reservation, and the next checkout first
expires that session and gives its units back.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from shop.cart_actions import resolve_locale
from shop.catalog import CatalogSnapshot
from shop.checkout import (
    CreatedSession,
    EmptyCheckoutError,
    PaymentGatewayError,
    reservation_lines,
    session_params,
)
from shop.errors import StoreUnavailableError
from shop.ports import CartStore, PaymentGateway, ReservationStore
from shop.pricing import price_cart
from shop.reservations import ReservationStatus, idempotency_key, new_reservation


@dataclass(frozen=True, slots=True)
class CheckoutContext:
    """The collaborators a checkout needs."""

    carts: CartStore
    reservations: ReservationStore
    gateway: PaymentGateway
    catalog: CatalogSnapshot
    site_url: str  # absolute, no trailing slash


def start_checkout(
    ctx: CheckoutContext, cart_id: str | None, locale: str | None, now: int
) -> CreatedSession:
    """Reserve the cart's units and create its Checkout Session; returns the session."""
    catalog = ctx.catalog
    chosen = resolve_locale(catalog, locale)
    cart = ctx.carts.get(cart_id, datetime.fromtimestamp(now, UTC)) if cart_id else None
    if cart is None:
        raise EmptyCheckoutError()
    # Prices come from the snapshot only; live stock is checked by the reservation.
    priced = price_cart(cart, catalog, available={})
    if not priced.items:
        raise EmptyCheckoutError()
    if cart.checkout is not None:
        close_previous_checkout(ctx, cart.checkout)
    default = catalog.store.default_locale
    reservation = new_reservation(
        cart.cart_id,
        reservation_lines(priced.items, chosen, default),
        now,
        currency=priced.subtotal.currency,
        locale=chosen,
    )
    ctx.reservations.reserve(reservation)
    params, option_ids = session_params(
        items=priced.items,
        subtotal=priced.subtotal,
        catalog=catalog,
        reservation=reservation,
        locale=chosen,
        site_url=ctx.site_url,
    )
    try:
        created = ctx.gateway.create_checkout_session(
            params, idempotency_key(reservation.reservation_id)
        )
    except PaymentGatewayError:
        ctx.reservations.release(reservation)
        raise
    rates = {
        rate_id: option_id
        for rate_id, option_id in zip(created.shipping_rate_ids, option_ids, strict=False)
        if rate_id
    }
    try:
        ctx.reservations.attach_session(reservation.reservation_id, created.session_id, rates)
    except StoreUnavailableError:
        # The shopper never gets this session's URL: give the units back now (the
        # sweeper would, after expiry). Should it be paid anyway, fulfilment's late
        # path sells what is left and flags the rest.
        with contextlib.suppress(StoreUnavailableError):
            ctx.reservations.release(reservation)
        raise
    # Remembered for the next checkout. Should this write fail, the session still
    # works; the hold is then given back when it expires, as before.
    with contextlib.suppress(StoreUnavailableError):
        ctx.carts.update(
            cart.cart_id,
            lambda stored: replace(stored, checkout=reservation.reservation_id),
            datetime.fromtimestamp(now, UTC),
        )
    return created


def close_previous_checkout(ctx: CheckoutContext, reservation_id: str) -> None:
    """Expire the cart's previous session and give its units back, when it can no longer be paid.

    A session paid meanwhile is left to fulfilment, which commits its units; one
    Stripe cannot expire now (an outage) keeps its units until it expires, as a
    shopper might still pay it. Either way the new checkout goes on.
    """
    previous = ctx.reservations.get(reservation_id)
    if (
        previous is None
        or previous.status is not ReservationStatus.HELD
        or previous.session_id is None  # being created right now, or its creation failed
    ):
        return
    try:
        expired = ctx.gateway.expire_checkout_session(previous.session_id)
    except PaymentGatewayError:
        return
    if expired:
        # Stripe's `checkout.session.expired` event releases it too; either goes first.
        with contextlib.suppress(StoreUnavailableError):
            ctx.reservations.release(previous)
