"""Orders: what was bought, by whom, shipped where, and where it is now.

Pure domain (no boto3, stripe or Powertools). An order's status only moves
along `TRANSITIONS`; every move appends a history entry and may queue one
email, and the store writes all three in one conditional transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from shop.errors import ShopError
from shop.money import Money


class OrderStatus(StrEnum):
    """The life of an order as the shopper and the merchant see it."""

    PAID = "paid"
    PREPARING = "preparing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"


# The state machine: from a status, the statuses an order may move to.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PAID: frozenset(
        {OrderStatus.PREPARING, OrderStatus.SHIPPED, OrderStatus.REFUNDED, OrderStatus.CANCELLED}
    ),
    OrderStatus.PREPARING: frozenset(
        {OrderStatus.SHIPPED, OrderStatus.REFUNDED, OrderStatus.CANCELLED}
    ),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED, OrderStatus.REFUNDED}),
    OrderStatus.DELIVERED: frozenset({OrderStatus.REFUNDED}),
    # A cancelled order is refunded by Stripe afterwards; the refund is recorded.
    OrderStatus.CANCELLED: frozenset({OrderStatus.REFUNDED}),
    OrderStatus.REFUNDED: frozenset(),
}


# Statuses in which the order's units have not left the shop (never handed to a carrier).
NOT_SENT: frozenset[OrderStatus] = frozenset(
    {OrderStatus.PAID, OrderStatus.PREPARING, OrderStatus.CANCELLED}
)


def refund_restocks(status: OrderStatus, restock_returns: bool) -> bool:
    """Whether refunding in full an order in `status` puts its units back on sale.

    Units that never left are on the shelf: always. Those sent come back only as a
    return, which `returns.restock_on_refund` says the merchant refunds on receipt; a
    parcel lost in transit is refunded too, and is not on any shelf, so a shop that
    refunds before the return arrives sets it false and restocks by hand.
    """
    return status in NOT_SENT or restock_returns


class EmailKind(StrEnum):
    """The emails an order event can send."""

    CONFIRMATION = "confirmation"
    SHIPPING = "shipping"
    REFUND = "refund"


class Claim(StrEnum):
    """What claiming an outbox email to send it found."""

    TAKEN = "taken"  # this caller sends it now
    IN_FLIGHT = "in_flight"  # another attempt claimed it recently: it may yet fail
    DONE = "done"  # sent or superseded (or gone): nothing to send


# The email each status change sends, if any.
EMAIL_ON_STATUS: dict[OrderStatus, EmailKind] = {
    OrderStatus.PAID: EmailKind.CONFIRMATION,
    OrderStatus.SHIPPED: EmailKind.SHIPPING,
    OrderStatus.REFUNDED: EmailKind.REFUND,
}


class OrderTransitionError(ValueError):
    """A status change the state machine does not allow; `allowed` are the moves it does."""

    def __init__(
        self,
        order_id: str,
        current: OrderStatus,
        requested: OrderStatus,
        allowed: frozenset[OrderStatus] | None = None,
        why: str = "",
    ) -> None:
        self.order_id = order_id
        self.current = current
        self.requested = requested
        self.allowed = TRANSITIONS[current] if allowed is None else allowed
        listed = ", ".join(sorted(self.allowed)) or "none"
        reason = f" ({why})" if why else ""
        super().__init__(
            f"order #{order_id}: cannot go from {current} to {requested}{reason}; allowed: {listed}"
        )


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One SKU of an order at the price charged."""

    sku: str
    title: str
    variant_label: str
    quantity: int
    unit_price: Money

    @property
    def total(self) -> Money:
        """Unit price times quantity."""
        return self.unit_price * self.quantity


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address as Stripe Checkout collected it."""

    name: str = ""
    line1: str = ""
    line2: str = ""
    postal_code: str = ""
    city: str = ""
    state: str = ""
    country: str = ""  # ISO 3166-1 alpha-2

    def lines(self) -> tuple[str, ...]:
        """The address as printable lines, empty parts left out."""
        city = " ".join(p for p in (self.postal_code, self.city) if p)
        parts = (self.name, self.line1, self.line2, city, self.state, self.country)
        return tuple(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class ShippingChoice:
    """The shipping option the shopper picked, with its delivery estimate."""

    option_id: str
    kind: str  # "delivery" | "pickup"
    name: str  # in the order's locale
    amount: Money
    min_days: int
    max_days: int
    address: tuple[str, ...] = ()  # pickup: where to collect it, as the catalog said then


@dataclass(frozen=True, slots=True)
class Tracking:
    """Where the parcel can be followed."""

    carrier: str
    number: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One status change (or note) in an order's life."""

    at: str  # ISO-8601 UTC
    status: OrderStatus
    note: str = ""


@dataclass(frozen=True, slots=True)
class Order:
    """A paid order."""

    order_id: str  # the readable number as text, e.g. "1042"
    number: int
    access_token: str  # unguessable; required to read the order status page
    session_id: str
    payment_intent: str | None
    reservation_id: str
    cart_id: str
    email: str
    locale: str
    lines: tuple[OrderLine, ...]
    subtotal: Money
    shipping_amount: Money
    discount: Money
    tax: Money
    total: Money
    shipping: ShippingChoice | None
    address: Address
    status: OrderStatus
    created_at: str  # ISO-8601 UTC
    history: tuple[HistoryEntry, ...] = ()
    tracking: Tracking | None = None
    refunded: Money | None = None
    # Problems the merchant must look at, e.g. "stock_short:TRS-42-BLK" when a
    # payment completed after its reservation had been released and sold out.
    flags: tuple[str, ...] = field(default_factory=tuple)
    # When the shopper's personal data was erased (shop/personal_data.py); then no more emails.
    erased_at: str | None = None

    @property
    def display_number(self) -> str:
        """How people refer to the order: "#1042"."""
        return f"#{self.number}"

    def delivery_window(self) -> tuple[date, date] | None:
        """Earliest and latest delivery (or pickup) dates, in business days.

        Counted from the order, or once it shipped from that day: a parcel handed to the
        carrier two weeks after the order is not due two weeks ago.
        """
        if self.shipping is None:
            return None
        shipped = [e.at for e in self.history if e.status is OrderStatus.SHIPPED]
        start = datetime.fromisoformat(shipped[-1] if shipped else self.created_at).date()
        return (
            add_business_days(start, self.shipping.min_days),
            add_business_days(start, self.shipping.max_days),
        )


def new_access_token() -> str:
    """An unguessable token (128 random bits) for the order status link."""
    return secrets.token_urlsafe(16)


def now_iso(moment: datetime | None = None) -> str:
    """A UTC timestamp as ISO-8601 with seconds, the form stored everywhere."""
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


def add_business_days(start: date, days: int) -> date:
    """The date `days` business days (Mon-Fri) after `start`."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def is_pickup(order: Order) -> bool:
    """True for an order collected at the shop rather than sent by a carrier."""
    return order.shipping is not None and order.shipping.kind == "pickup"


def allowed_moves(order: Order) -> frozenset[OrderStatus]:
    """The statuses `order` may move to next.

    A pickup order is never shipped: that would tell the shopper their order is with a
    carrier, with a tracking number, for a parcel waiting at the counter. It is
    delivered when handed over, with no carrier in between.
    """
    moves = TRANSITIONS[order.status]
    if not is_pickup(order):
        return moves
    collectable = order.status in (OrderStatus.PAID, OrderStatus.PREPARING)
    return (moves - {OrderStatus.SHIPPED}) | (
        {OrderStatus.DELIVERED} if collectable else frozenset()
    )


def transition(order: Order, requested: OrderStatus, at: str, note: str = "") -> Order:
    """The order moved to `requested` with a history entry; raise if not allowed."""
    allowed = allowed_moves(order)
    if requested not in allowed:
        shipped_pickup = requested is OrderStatus.SHIPPED and is_pickup(order)
        why = "a pickup order is collected at the shop: delivered when handed over"
        raise OrderTransitionError(
            order.order_id, order.status, requested, allowed, why if shipped_pickup else ""
        )
    entry = HistoryEntry(at=at, status=requested, note=note)
    return replace(order, status=requested, history=(*order.history, entry))


def ship(order: Order, tracking: Tracking, at: str) -> Order:
    """The order marked shipped with its carrier and tracking number."""
    note = f"{tracking.carrier} {tracking.number}"
    return replace(transition(order, OrderStatus.SHIPPED, at, note), tracking=tracking)


# The history note of a corrected tracking number: "tracking corrected: DHL 1234".
TRACKING_CORRECTED = "tracking corrected"


def correct_tracking(order: Order, tracking: Tracking, at: str) -> Order:
    """A shipped order with its carrier and tracking number replaced (the first had a typo).

    Only while shipped: before, it is shipped with its tracking; once delivered, the
    parcel's number no longer matters to the shopper.
    """
    if order.status is not OrderStatus.SHIPPED:
        raise OrderTransitionError(
            order.order_id,
            order.status,
            OrderStatus.SHIPPED,
            allowed_moves(order),
            "only a shipped order's tracking can be corrected",
        )
    note = f"{TRACKING_CORRECTED}: {tracking.carrier} {tracking.number}"
    entry = HistoryEntry(at=at, status=order.status, note=note)
    return replace(order, tracking=tracking, history=(*order.history, entry))


def tracking_was_corrected(order: Order) -> bool:
    """True once a shipped order's tracking number replaced the one first emailed."""
    return any(entry.note.startswith(f"{TRACKING_CORRECTED}:") for entry in order.history)


def refund(order: Order, amount: Money, at: str) -> Order:
    """The order marked refunded (whole amount) or noted as partly refunded."""
    if amount < order.total:
        entry = HistoryEntry(at=at, status=order.status, note=f"partial_refund:{amount.amount}")
        return replace(order, refunded=amount, history=(*order.history, entry))
    return replace(
        transition(order, OrderStatus.REFUNDED, at, f"refund:{amount.amount}"), refunded=amount
    )


def refund_given(before: Order, after: Order) -> Money | None:
    """What one refund gave back: how much `after` has refunded beyond `before`."""
    if after.refunded is None:
        return None
    earlier = before.refunded.amount if before.refunded else 0
    return Money(after.refunded.amount - earlier, after.refunded.currency)


class OrderConflictError(Exception):
    """A conditional order write lost: `reason` says to what, `skus` which stock was short.

    Reasons: "duplicate_session", "duplicate_event", "reservation_changed",
    "stock_short", "version_changed", "order_number_taken".
    """

    def __init__(self, reason: str, skus: tuple[str, ...] = ()) -> None:
        self.reason = reason
        self.skus = skus
        super().__init__(f"order write refused: {reason} {' '.join(skus)}".strip())


class RefundBeforeOrderError(ShopError):
    """A refund of one of the shop's payments arrived before that payment's order exists."""

    def __init__(self, payment_intent: str) -> None:
        self.payment_intent = payment_intent
        super().__init__(
            f"refund of payment {payment_intent}: its order is not recorded yet; "
            "expected the refund after checkout.session.completed (Stripe retries it)"
        )


class OrderNotFoundError(ShopError):
    """No order with this id, or the access token does not match (indistinguishable on purpose)."""

    def __init__(self, order_id: str) -> None:
        self.order_id = order_id
        super().__init__(f'order "{order_id}": no such order for this link')
