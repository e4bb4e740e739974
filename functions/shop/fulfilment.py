"""Fulfilment: the one place where Stripe's word becomes orders and stock moves.

Called by the webhook for every event and by the success page with the
session it fetched, so an order exists as soon as either arrives. Every step is
idempotent and order-independent: the store's conditional transactions decide
who wins, and a loser re-reads and finds the work done.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

from shop.cart import Cart, remove_item
from shop.catalog import CatalogSnapshot
from shop.errors import ConcurrentUpdateError, StoreUnavailableError
from shop.orders import (
    EMAIL_ON_STATUS,
    EmailKind,
    Order,
    OrderConflictError,
    OrderNotFoundError,
    OrderStatus,
    Tracking,
    correct_tracking,
    now_iso,
    ship,
    transition,
)
from shop.personal_data import email_to_send
from shop.ports import CartStore, OrderStore, ReservationStore
from shop.reservations import (
    Reservation,
    ReservationLine,
    ReservationStatus,
    delayed_payment_deadline,
)
from shop.session_orders import build_order, is_its_checkout, payment_mismatches
from shop.webhook_events import SessionInfo

PAID = frozenset({"paid", "no_payment_required"})
# PaymentIntent statuses after which a completed session's delayed payment can no longer
# succeed: a failed debit puts its PaymentIntent back to `requires_payment_method`, and a
# completed Checkout Session offers the shopper no way to pay it again.
PAYMENT_FAILED = frozenset({"requires_payment_method", "canceled"})
ATTEMPTS = 5


class Outcome(StrEnum):
    """What handling an event did (logged, and returned to Stripe for debugging)."""

    RECORDED = "recorded"
    ALREADY_DONE = "already_done"
    AWAITING_PAYMENT = "awaiting_payment"
    RELEASED = "released"
    # Released, but a stock row no longer counted the hold: that line was left as the
    # row is (the reservation's uncounted_skus), for the operator to check its counts.
    RELEASED_UNCOUNTED = "released_uncounted"
    IGNORED = "ignored"
    NOT_OURS = "not_ours"  # a session or charge another integration on the account made


def _unheard(order: Order) -> None:
    """No one to tell (tests, the back office's own commands)."""


@dataclass(frozen=True, slots=True)
class Fulfilment:
    """What fulfilment works with."""

    orders: OrderStore
    reservations: ReservationStore
    catalog: CatalogSnapshot
    carts: CartStore | None = None  # to empty the shopper's cart once the order is paid
    # Told of each order recorded with flags (paid after its units went back on sale,
    # stock short, a stock row's drift): a shopper paid for units the shop may not have.
    # The functions log it and count it in an alarm (shop.fulfilment_setup).
    needs_attention: Callable[[Order], None] = _unheard


def fulfil_session(
    ctx: Fulfilment,
    session: SessionInfo,
    *,
    event_id: str | None = None,
    event_type: str = "checkout.session.completed",
    now: int | None = None,
) -> tuple[Outcome, str | None]:
    """Record the order of a paid session (once); returns the outcome and the order id."""
    moment = int(time.time()) if now is None else now
    existing = ctx.orders.order_id_for_session(session.session_id)
    if existing is not None:
        # Includes a late `completed` (unpaid) arriving after `async_payment_succeeded`.
        return Outcome.ALREADY_DONE, existing
    reservation_id = session.reservation_id
    reservation = ctx.reservations.get(reservation_id) if reservation_id else None
    if reservation is None:
        # Not a session this shop created: the endpoint receives every session of the
        # Stripe account (Payment Links, other apps, setup mode, a staging shop sharing
        # the test account). Reservations are never deleted, so ours always has one.
        return Outcome.NOT_OURS, None
    if session.mode != "payment":
        # The shop opens payment sessions only: a setup or subscription session that names
        # one of its reservations was never that checkout, and pays for nothing.
        return Outcome.NOT_OURS, None
    mismatches = payment_mismatches(session, reservation)
    if session.payment_status not in PAID:
        if not is_its_checkout(session, reservation):
            # Unpaid, another session moves nothing: it must not keep the checkout's units
            # for weeks or empty its cart (only a payment is recorded, flagged).
            return Outcome.NOT_OURS, None
        if session.status == "complete" and reservation.status is ReservationStatus.RELEASED:
            # Stripe does not keep events in order: `async_payment_failed` came first and
            # gave the units back. Nothing is bought: the cart keeps its lines.
            return Outcome.ALREADY_DONE, None
        if session.status == "complete":
            # A delayed method (SEPA, …): keep the units until it settles or fails, up
            # to its deadline (the sweeper then releases them).
            deadline = delayed_payment_deadline(reservation)
            if moment < deadline:
                ctx.reservations.extend(reservation.reservation_id, deadline)
            # Bought, if not yet paid: left in the cart, a second checkout of it could
            # be paid too, and the shopper charged twice once both settle.
            clear_bought_lines(ctx, reservation)
            return Outcome.AWAITING_PAYMENT, None
        return Outcome.IGNORED, None
    number = ctx.orders.next_order_number()
    short: set[str] = set()
    # SKUs whose stock row counts fewer units reserved than this hold (a row restored
    # from a backup or seeded again): their units can only be sold from `available`.
    # The hold's other lines are committed from `reserved` as usual.
    drifted: set[str] = set()
    for _ in range(ATTEMPTS):
        flags: list[str] = list(mismatches)
        late_lines = None
        from_reserved: list[ReservationLine] = []
        writable: Reservation | None = reservation
        if "session_mismatch" in mismatches:
            # Another session's units: they stay held for the checkout that holds them.
            # Recorded all the same (someone paid), with no stock, for a person to settle.
            writable = None
        elif reservation.status is ReservationStatus.RELEASED:
            # Paid after the units went back on sale: sell what is left, flag the rest.
            flags.append("paid_after_release")
            late_lines = [line for line in reservation.lines if line.sku not in short]
        elif reservation.status is ReservationStatus.HELD and drifted:
            flags.append("reserved_stock_drift:" + ",".join(sorted(drifted)))
            late_lines = [
                line for line in reservation.lines if line.sku in drifted and line.sku not in short
            ]
            from_reserved = [line for line in reservation.lines if line.sku not in drifted]
        elif reservation.status is ReservationStatus.COMMITTED:
            writable = None  # already sold by a concurrent delivery of the same payment
        if short:
            flags.append("stock_short:" + ",".join(sorted(short)))
        order = build_order(session, reservation, ctx.catalog, number, now_iso(), tuple(flags))
        try:
            ctx.orders.create_order(
                order,
                reservation=writable,
                late_lines=late_lines,
                from_reserved=from_reserved,
                event_id=event_id,
                event_type=event_type,
            )
        except OrderConflictError as conflict:
            if conflict.reason in ("duplicate_session", "duplicate_event"):
                return Outcome.ALREADY_DONE, ctx.orders.order_id_for_session(session.session_id)
            if conflict.reason == "stock_short":
                held = reservation.status is ReservationStatus.HELD
                for sku in conflict.skus:
                    if held and sku not in drifted:
                        drifted.add(sku)  # committing its hold failed: sell from `available`
                    else:
                        short.add(sku)
            elif conflict.reason == "order_number_taken":
                number = ctx.orders.next_order_number()  # the counter was behind: move on
            else:
                reservation = ctx.reservations.get(reservation.reservation_id) or reservation
            continue
        clear_bought_lines(ctx, reservation)
        if order.flags:
            ctx.needs_attention(order)
        return Outcome.RECORDED, order.order_id
    raise ConcurrentUpdateError(f"order for session {session.session_id}", ATTEMPTS)


def clear_bought_lines(ctx: Fulfilment, reservation: Reservation) -> None:
    """Take the bought SKUs out of the shopper's cart (saved-for-later lines stay).

    The checkout is done with, so the cart no longer names it: its hold (units of a
    payment still settling) is not the cart's to count as the shopper's.
    """
    cart_id, bought = reservation.cart_id, {line.sku for line in reservation.lines}
    if ctx.carts is None or not cart_id:
        return
    now = datetime.now(UTC)
    try:
        if ctx.carts.get(cart_id, now) is None:
            return

        def without_bought(cart: Cart) -> Cart:
            for sku in bought:
                cart = remove_item(cart, sku)
            if cart.checkout == reservation.reservation_id:
                cart = replace(cart, checkout=None)
            return cart

        ctx.carts.update(cart_id, without_bought, now)
    except (StoreUnavailableError, ConcurrentUpdateError):
        # The order is recorded; a cart left full is a nuisance, not a reason to fail
        # the webhook (its retry would find the order done and not clear it either).
        return


def release_session(ctx: Fulfilment, session: SessionInfo) -> Outcome:
    """Put a session's units back on sale (expired or payment failed); no-op if not held."""
    reservation_id = session.reservation_id
    reservation = ctx.reservations.get(reservation_id) if reservation_id else None
    if reservation is None:
        return Outcome.IGNORED
    if not is_its_checkout(session, reservation):
        # Another session naming the hold (any key or app on the account can make one):
        # its expiry would put units on sale that the checkout's own session can still
        # be paid for. A hold whose session was never recorded is the sweeper's to end.
        return Outcome.NOT_OURS
    if reservation.status is not ReservationStatus.HELD:
        return Outcome.ALREADY_DONE
    released = ctx.reservations.release(reservation)
    if not released:
        return Outcome.ALREADY_DONE
    return Outcome.RELEASED_UNCOUNTED if released.uncounted else Outcome.RELEASED


def change_status(
    ctx: Fulfilment, order_id: str, requested: OrderStatus, tracking: Tracking | None = None
) -> Order:
    """Move an order (merchant action: preparing, shipped, delivered, cancelled) once."""

    def moved(order: Order, at: str) -> Order:
        if requested is OrderStatus.SHIPPED and tracking is not None:
            return ship(order, tracking, at)
        return transition(order, requested, at)

    return _change_once(ctx, order_id, moved, EMAIL_ON_STATUS.get(requested))


def change_tracking(ctx: Fulfilment, order_id: str, tracking: Tracking) -> Order:
    """Correct a shipped order's carrier and tracking number; the shopper is emailed again."""

    def corrected(order: Order, at: str) -> Order:
        return correct_tracking(order, tracking, at)

    return _change_once(ctx, order_id, corrected, EmailKind.SHIPPING)


def _change_once(
    ctx: Fulfilment,
    order_id: str,
    change: Callable[[Order, str], Order],
    email: EmailKind | None,
) -> Order:
    """Apply a merchant's change to the stored order; redone if the order moved meanwhile."""
    for _ in range(ATTEMPTS):
        found = ctx.orders.get_order(order_id)
        if found is None:
            raise OrderNotFoundError(order_id)
        after = change(found[0], now_iso())
        try:
            ctx.orders.save_transition(found, after, email=email_to_send(after, email))
        except OrderConflictError:
            continue
        return after
    raise ConcurrentUpdateError(f"order {order_id}", ATTEMPTS)
