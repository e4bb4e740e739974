"""Stock reservations: the rules for holding units while a shopper pays.

A checkout holds its units (`held`) until Stripe says the session completed
(`committed`) or expired (`released`). A reservation lives exactly as long as
its Checkout Session; the sweeper releases those whose expiry passed without an
event. Pure: no boto3, no stripe.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from shop.errors import ShopError

# Stripe refuses a session `expires_at` closer than 30 minutes; one more minute
# covers the time between reserving and creating the session.
RESERVATION_SECONDS = 31 * 60
# After the session expired, give Stripe's own `expired` event this long to
# arrive before the sweeper releases the units itself (both are idempotent).
SWEEP_GRACE_SECONDS = 5 * 60
# A completed session paid by a delayed method (SEPA debit, …) keeps its units
# while the payment settles: a SEPA debit may take up to 14 business days (Stripe's
# word), about 20 calendar days with weekends and bank holidays, so 21. Counted from
# the checkout's start and never renewed: a payment that stays pending (a bank
# transfer never funded) would otherwise keep units off sale for good, for free.
ASYNC_PAYMENT_HOLD_SECONDS = 21 * 24 * 3600


def delayed_payment_deadline(reservation: Reservation) -> int:
    """When a delayed payment's hold ends (epoch seconds): its units then go back on sale.

    A payment that settles after it is still recorded (flag `paid_after_release`),
    sold from the stock then available, as for any payment after a release.
    """
    return reservation.created_at + ASYNC_PAYMENT_HOLD_SECONDS


@dataclass(frozen=True, slots=True)
class Release:
    """What releasing a hold did: true when its units went back on sale."""

    done: bool  # False: it was no longer held (released, sold or extended meanwhile)
    # SKUs whose stock row no longer counted the hold (restored, seeded again, deleted):
    # left as that row is, for the operator to check (the sweeper's alarm says so).
    uncounted: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.done


@dataclass(frozen=True, slots=True)
class Shortage:
    """One SKU a checkout wanted more of than is available."""

    sku: str
    requested: int
    available: int


class StockShortError(ShopError):
    """A checkout could not hold every line: names each short SKU (HTTP 409)."""

    def __init__(self, shortages: tuple[Shortage, ...]) -> None:
        self.shortages = shortages
        details = "; ".join(
            f'"{s.sku}": only {s.available} available, requested {s.requested}' for s in shortages
        )
        super().__init__(f"quantity: not enough stock for {details}")

    @property
    def skus(self) -> tuple[str, ...]:
        """The short SKUs, in cart order."""
        return tuple(s.sku for s in self.shortages)


class ReservationStatus(StrEnum):
    """Where a reservation is in its life."""

    HELD = "held"
    COMMITTED = "committed"
    RELEASED = "released"


@dataclass(frozen=True, slots=True)
class ReservationLine:
    """Units of one SKU held by a reservation, with the price shown at checkout."""

    sku: str
    quantity: int
    unit_amount: int = 0  # minor units, from the catalog snapshot at checkout
    title: str = ""
    variant_label: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise ValueError(f"quantity of {self.sku}: expected an integer, got {self.quantity!r}")
        if self.quantity < 1:
            raise ValueError(f"quantity of {self.sku}: expected at least 1, got {self.quantity}")


@dataclass(frozen=True, slots=True)
class Reservation:
    """Units held for one checkout, guarded by its status in every stock move."""

    reservation_id: str
    cart_id: str
    lines: tuple[ReservationLine, ...]
    status: ReservationStatus
    expires_at: int  # epoch seconds
    created_at: int
    currency: str = "EUR"
    locale: str = "en"
    session_id: str | None = None
    # Stripe shipping rate id -> our shipping option id, recorded when the
    # session is created so fulfilment knows which option the shopper chose.
    shipping_rates: Mapping[str, str] = field(default_factory=dict)


def new_reservation_id() -> str:
    """An unguessable reservation id (128 random bits); also seeds the Stripe idempotency key."""
    return "res_" + secrets.token_hex(16)


def merge_lines(lines: Iterable[ReservationLine]) -> tuple[ReservationLine, ...]:
    """One line per SKU (quantities added), in SKU order.

    A transaction may touch an item only once, and a stable order keeps
    concurrent transactions from dead-locking each other in DynamoDB.
    """
    merged: dict[str, ReservationLine] = {}
    for line in lines:
        previous = merged.get(line.sku)
        if previous is None:
            merged[line.sku] = line
        else:
            merged[line.sku] = ReservationLine(
                line.sku,
                previous.quantity + line.quantity,
                previous.unit_amount,
                previous.title,
                previous.variant_label,
            )
    return tuple(merged[sku] for sku in sorted(merged))


def new_reservation(
    cart_id: str,
    lines: Iterable[ReservationLine],
    now: int,
    *,
    currency: str = "EUR",
    locale: str = "en",
    reservation_id: str | None = None,
) -> Reservation:
    """A fresh `held` reservation expiring with the Checkout Session."""
    merged = merge_lines(lines)
    if not merged:
        raise ValueError("a reservation needs at least one line")
    return Reservation(
        reservation_id=reservation_id or new_reservation_id(),
        cart_id=cart_id,
        lines=merged,
        status=ReservationStatus.HELD,
        expires_at=now + RESERVATION_SECONDS,
        created_at=now,
        currency=currency,
        locale=locale,
    )


def idempotency_key(reservation_id: str) -> str:
    """The Stripe idempotency key for the session of a reservation: a retry never makes two."""
    return f"checkout-session-{reservation_id}"
