"""Starting a checkout: hold the cart's units, then open a Stripe Checkout Session.

Order matters: units are reserved first (one conditional transaction), so a
session is never created for stock we do not have; if Stripe then fails, the
reservation is released at once rather than waiting for the sweeper (likewise
if recording the session on the reservation fails).

One cart has one live checkout: a shopper who comes back from Stripe's page (or
checks out in a second tab) and checks out again would otherwise hold the cart's
units twice, find their own units short, and could pay for the cart twice. So the
cart remembers its latest checkout's reservation, and the next checkout first
expires that session and gives its units back. The cart is claimed for the new
reservation on the version that named the previous one, before any session exists:
of two checkouts started at once (a second tab, a reload while Stripe is slow), one
wins the claim and the other gives its units back and is refused. A checkout that
finds the previous one still being created (held, no session yet) is refused too:
that one may yet get a session the shopper can pay.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from shop.cart import Cart
from shop.cart_actions import resolve_locale
from shop.catalog import CatalogSnapshot
from shop.checkout import (
    CheckoutStartingError,
    CreatedSession,
    EmptyCheckoutError,
    PaymentGatewayError,
    reservation_lines,
    session_params,
)
from shop.errors import ConcurrentUpdateError, ShopError, StoreUnavailableError
from shop.hold_allowance import DEFAULT_ALLOWANCE, HoldAllowance, HoldAllowanceSpentError
from shop.ports import CartStore, HoldLedger, PaymentGateway, ReservationStore
from shop.pricing import PricedCart, price_cart
from shop.reservations import Reservation, ReservationStatus, idempotency_key, new_reservation

# A checkout holding units without a session is being created for at most the checkout
# function's timeout (29 s); one older than this died and will never get a session.
STARTING_SECONDS = 60


def _no_time_limit() -> bool:
    return True


@dataclass(frozen=True, slots=True)
class CheckoutContext:
    """The collaborators a checkout needs."""

    carts: CartStore
    reservations: ReservationStore
    gateway: PaymentGateway
    catalog: CatalogSnapshot
    site_url: str  # absolute, no trailing slash
    # Whether one more payment call can finish before the function is stopped (the
    # Lambda handler asks its remaining time). Stopped mid-call, the shopper gets API
    # Gateway's bare error and the units stay held until the sweeper's clock runs out.
    time_for_payment_call: Callable[[], bool] = _no_time_limit
    # Each viewer's units on hold per half hour (shop/hold_allowance.py); None counts nothing.
    holds: HoldLedger | None = None
    allowance: HoldAllowance = DEFAULT_ALLOWANCE


def start_checkout(
    ctx: CheckoutContext,
    cart_id: str | None,
    locale: str | None,
    now: int,
    viewer: str | None = None,
) -> CreatedSession:
    """Reserve the cart's units and create its Checkout Session; returns the session.

    `viewer` is the request's client IP address, whose allowance of units on hold the
    checkout counts against (HoldAllowanceSpentError when spent); None counts nothing.
    """
    catalog = ctx.catalog
    chosen = resolve_locale(catalog, locale)
    cart = ctx.carts.get(cart_id, datetime.fromtimestamp(now, UTC)) if cart_id else None
    if cart is None:
        raise EmptyCheckoutError()
    # Prices come from the snapshot only; live stock is checked by the reservation.
    priced = price_cart(cart, catalog, available={})
    if not priced.items:
        raise EmptyCheckoutError()
    previous = ctx.reservations.get(cart.checkout) if cart.checkout is not None else None
    # Counted before the previous checkout is closed: refused, that one stays payable.
    counted = _count_hold(ctx, viewer, priced, previous, now)
    try:
        if previous is not None:
            close_previous_checkout(ctx, previous, now)
            if not ctx.time_for_payment_call():
                # Closing it took the time a slow payment provider takes: refused before
                # any unit is held, as "try again", rather than stopped halfway through.
                raise PaymentGatewayError(
                    "create checkout session", "no time left after closing the previous checkout"
                )
        default = catalog.store.default_locale
        reservation = new_reservation(
            cart.cart_id,
            reservation_lines(priced.items, chosen, default),
            now,
            currency=priced.subtotal.currency,
            locale=chosen,
        )
        ctx.reservations.reserve(reservation)
        try:
            claim_cart(ctx, cart, reservation.reservation_id, now)
        except ShopError:
            with contextlib.suppress(StoreUnavailableError):
                ctx.reservations.release(reservation)
            raise
        try:
            return _open_session(ctx, priced, reservation, chosen)
        except ShopError:
            # Claimed, this failed checkout would hide the previous one, which may still be
            # paid: the next checkout must find and close that one.
            _hand_back_claim(ctx, cart, reservation.reservation_id, now)
            raise
    except ShopError:
        # Every refusal above leaves this checkout's units unheld: they do not count.
        if counted is not None:
            with contextlib.suppress(StoreUnavailableError):
                counted()
        raise


def _count_hold(
    ctx: CheckoutContext,
    viewer: str | None,
    priced: PricedCart,
    previous: Reservation | None,
    now: int,
) -> Callable[[], None] | None:
    """Count the checkout's units against the viewer's allowance; how to give them back.

    A checkout of the same cart again within the window counts only the units it adds:
    its previous checkout, still holding, is closed and its units given back. None when
    nothing is counted; raises HoldAllowanceSpentError when the allowance is spent.
    """
    holds, allowance = ctx.holds, ctx.allowance
    counters = allowance.counters(viewer, now) if viewer is not None else ()
    if holds is None or not counters or not allowance.capped:
        return None
    units = sum(item.quantity for item in priced.items)
    if (
        previous is not None
        and previous.status is ReservationStatus.HELD
        and allowance.window_start(previous.created_at) == allowance.window_start(now)
    ):
        units -= sum(line.quantity for line in previous.lines)
    if units <= 0:
        return None
    if not holds.take(counters, units, allowance.window_end(now)):
        raise HoldAllowanceSpentError(units, allowance, allowance.window_end(now) - now)
    keys = [key for key, _ in counters]
    return lambda: holds.give_back(keys, units)


def _open_session(
    ctx: CheckoutContext, priced: PricedCart, reservation: Reservation, locale: str
) -> CreatedSession:
    """Create the reservation's Checkout Session and record it; the units go back on failure."""
    params, option_ids = session_params(
        items=priced.items,
        subtotal=priced.subtotal,
        catalog=ctx.catalog,
        reservation=reservation,
        locale=locale,
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
    return created


def claim_cart(ctx: CheckoutContext, cart: Cart, reservation_id: str, now: int) -> None:
    """Record `reservation_id` as the cart's checkout, if no other checkout claimed it since.

    Raises CheckoutStartingError when one did (it read the same previous checkout).
    """
    previous = cart.checkout

    def claim(stored: Cart) -> Cart:
        if stored.checkout != previous:
            raise CheckoutStartingError(cart.cart_id)
        return replace(stored, checkout=reservation_id)

    ctx.carts.update(cart.cart_id, claim, datetime.fromtimestamp(now, UTC))


def _hand_back_claim(ctx: CheckoutContext, cart: Cart, reservation_id: str, now: int) -> None:
    """Name the cart's previous checkout again, unless another checkout claimed the cart since."""
    previous = cart.checkout

    def hand_back(stored: Cart) -> Cart:
        return replace(stored, checkout=previous) if stored.checkout == reservation_id else stored

    with contextlib.suppress(StoreUnavailableError, ConcurrentUpdateError):
        ctx.carts.update(cart.cart_id, hand_back, datetime.fromtimestamp(now, UTC))


def close_previous_checkout(ctx: CheckoutContext, previous: Reservation, now: int) -> None:
    """Expire the cart's previous session and give its units back, when it can no longer be paid.

    A session paid meanwhile is left to fulfilment, which commits its units; one
    Stripe cannot expire now (an outage) keeps its units until it expires, as a
    shopper might still pay it. Either way the new checkout goes on, unless the
    previous one is still being created (CheckoutStartingError).
    """
    if previous.status is not ReservationStatus.HELD:
        return
    if previous.session_id is None:
        if now - previous.created_at < STARTING_SECONDS:
            raise CheckoutStartingError(previous.cart_id)
        return  # its request died before Stripe answered: the sweeper gives the units back
    try:
        expired = ctx.gateway.expire_checkout_session(previous.session_id)
    except PaymentGatewayError:
        return
    if expired:
        # Stripe's `checkout.session.expired` event releases it too; either goes first.
        with contextlib.suppress(StoreUnavailableError):
            ctx.reservations.release(previous)
