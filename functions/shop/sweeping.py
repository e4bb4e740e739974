"""Releasing expired holds: each on its own, and Stripe's word before the clock's.

Stripe normally sends `checkout.session.expired`; the sweep catches the holds whose
event never arrives. Release is guarded by the reservation's status, so racing the
webhook (or another sweep) is harmless. A grace period after expiry lets the event
win in the normal case.

The clock alone is not proof that a session went unpaid: Stripe's `completed` event
may be late (its deliveries are retried for days), and a delayed payment method may
settle after the hold it was given. Units put back on sale then would be sold twice.
So a hold with a Checkout Session is released only once Stripe says that session
expired; a completed one is fulfilled here (the order recorded, or a delayed
payment's hold extended) exactly as the webhook would, unless its PaymentIntent says
the delayed payment failed (released, as `async_payment_failed` would), and an open
one is expired at Stripe first. A hold that never got a session goes back by the clock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from shop.checkout import CheckoutSessionNotFoundError
from shop.fulfilment import PAID, PAYMENT_FAILED, Fulfilment, fulfil_session
from shop.ports import OperatorLog, PaymentGateway, ReservationStore
from shop.reservations import (
    SWEEP_GRACE_SECONDS,
    Release,
    Reservation,
    delayed_payment_deadline,
)
from shop.webhook_events import SessionInfo, parse_session

MAX_PER_RUN = 500  # a run is bounded; the next schedule continues

# Whether a hold's units may go back on sale now (True), after whatever asking about
# its session took; may raise ShopError (the tables or Stripe unreachable).
MayRelease = Callable[[Reservation], bool]


_LOG = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SweepResult:
    """What one run did."""

    released: int  # units back on sale
    skipped: int  # released or sold meanwhile, or kept: Stripe's session was not expired
    failed: tuple[str, ...] = ()  # reservation ids whose release kept failing
    # Released, but a stock row no longer counted the hold (restored from a backup, seeded
    # again, deleted): that line was left as the row is, for the operator to check.
    uncounted: tuple[str, ...] = ()


def _by_the_clock(reservation: Reservation) -> bool:
    return True


def sweep(
    store: ReservationStore,
    now: int,
    limit: int = MAX_PER_RUN,
    may_release: MayRelease = _by_the_clock,
    deadline: float | None = None,
    log: OperatorLog = _LOG,
) -> SweepResult:
    """Release expired held reservations, each on its own: one that fails never stops the rest.

    A hold with a session is released only when `may_release` says so. The index lists
    the oldest first, so a reservation whose release always fails (the tables refusing
    it) or is kept would otherwise come first in every run and stop every later expired
    hold from ever going back on sale. A hold whose stock row no longer counts it is
    released for its other lines and named in `uncounted` (logged; the alarm counts
    it). `deadline` (a time.monotonic() value) ends the run early; the next one continues.
    """
    released = skipped = 0
    failed: dict[str, None] = {}
    uncounted: list[str] = []
    passed: set[str] = set()  # looked at in this run: not again
    while released + skipped + len(failed) < limit:
        listed = store.list_expired_held(now - SWEEP_GRACE_SECONDS, limit=100 + len(passed))
        batch = [r for r in listed if r.reservation_id not in passed]
        if not batch:
            break
        progress = 0
        for reservation in batch:
            if deadline is not None and time.monotonic() > deadline:
                return SweepResult(released + progress, skipped, tuple(failed), tuple(uncounted))
            passed.add(reservation.reservation_id)
            try:
                done = (
                    reservation.session_id is None or may_release(reservation)
                ) and store.release(reservation)
            except Exception:
                # The tables or Stripe failing, a session we cannot read (WebhookPayloadError),
                # a bug: logged and counted as failed (its alarm fires), for this hold only;
                # the ones behind it are still released.
                log.exception(
                    "reservation release failed", extra={"reservation": reservation.reservation_id}
                )
                failed[reservation.reservation_id] = None
                continue
            if done:
                progress += 1
                if isinstance(done, Release) and done.uncounted:
                    log.warning(
                        "hold released, but a stock row no longer counted it",
                        extra={"reservation": reservation.reservation_id, "skus": done.uncounted},
                    )
                    uncounted.append(reservation.reservation_id)
            else:
                skipped += 1
        released += progress
    return SweepResult(released, skipped, tuple(failed), tuple(uncounted))


def _delayed_payment_failed(gateway: PaymentGateway, session: SessionInfo) -> bool:
    """Whether a completed, unpaid session's payment can no longer succeed (Stripe asked)."""
    if session.payment_status in PAID or session.payment_intent is None:
        return False
    return gateway.payment_intent_status(session.payment_intent) in PAYMENT_FAILED


def asking_stripe(
    ctx: Callable[[], Fulfilment],
    gateway: Callable[[], PaymentGateway],
    log: OperatorLog = _LOG,
) -> MayRelease:
    """`may_release` that settles each hold's session with Stripe first (see the module doc).

    `ctx` and `gateway` are called only when a hold with a session comes up: most runs
    find nothing to do and never read the catalog or the Stripe key.
    """

    def may_release(reservation: Reservation) -> bool:
        assert reservation.session_id is not None
        try:
            raw = gateway().retrieve_checkout_session(reservation.session_id)
        except CheckoutSessionNotFoundError:
            return True  # not a session of this Stripe account (a key changed): never payable
        session = parse_session(raw)
        if session.status == "expired":
            return True
        if session.status == "complete":
            if session.payment_status not in PAID and time.time() >= delayed_payment_deadline(
                reservation
            ):
                # Still pending after the longest hold a delayed payment gets (a bank
                # transfer never funded): the units go back on sale. Should it settle
                # later, the order is still recorded (flag paid_after_release).
                log.warning(
                    "delayed payment past its hold released by the sweeper",
                    extra={"reservation": reservation.reservation_id},
                )
                return True
            if _delayed_payment_failed(gateway(), session):
                # Its `async_payment_failed` event never came (the endpoint down past
                # Stripe's retries, the event not subscribed): extended every run, the
                # hold would keep its units off sale for good.
                log.warning(
                    "failed delayed payment found by the sweeper",
                    extra={"reservation": reservation.reservation_id},
                )
                return True
            # Paid: the order is recorded and the units sold. A delayed payment still
            # settling: the hold is extended. Either way, nothing goes back on sale.
            outcome, _ = fulfil_session(ctx(), session, event_type="sweeper")
            log.warning(
                "completed session found by the sweeper",
                extra={"reservation": reservation.reservation_id, "outcome": str(outcome)},
            )
            return False
        # Still open past its expiry: expire it, so it can no longer be paid, first.
        return gateway().expire_checkout_session(reservation.session_id)

    return may_release
