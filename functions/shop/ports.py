"""What the domain needs from the outside world, as Protocols; adapters implement them.

Dependencies point one way: handlers -> domain -> ports <- adapters. Tests use
the `InMemory*` doubles from `shop.in_memory`; production uses `shop.adapters.*`.
Further ports (payments, mail, orders) are added below, each as its own Protocol.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from shop.cart import Cart
from shop.checkout import CreatedSession
from shop.emails import OutgoingEmail
from shop.orders import Claim, EmailKind, Order, OrderStatus
from shop.reservations import Release, Reservation, ReservationLine
from shop.stock import InventoryRecord

CartChange = Callable[[Cart], Cart]


class CartStore(Protocol):
    """Persistence of carts, with optimistic locking on `Cart.version`."""

    def get(self, cart_id: str, now: datetime) -> Cart | None:
        """The stored cart, or None if it does not exist or has expired."""
        ...

    def update(self, cart_id: str | None, change: CartChange, now: datetime) -> Cart:
        """Apply `change` to the stored cart and save it, retrying on concurrent writes.

        With `cart_id` None, or an id that does not exist or has expired, a new
        cart with a fresh server-generated id is created (a client never picks
        its cart id). If `change` raises, nothing is written. The returned cart
        carries the new version and expiry (refreshed to 30 days from `now`).
        """
        ...

    def touch(self, cart: Cart, now: datetime) -> Cart:
        """Push the cart's expiry to 30 days from `now` (used on reads, at most daily)."""
        ...


class HoldLedger(Protocol):
    """Counts the units each viewer put on hold per window (shop/hold_allowance.py)."""

    def take(self, counters: Sequence[tuple[str, int]], units: int, forget_at: int) -> bool:
        """Add `units` to each count (key, limit) if every one stays within its limit.

        All or nothing: False, and nothing added, if one would not. The counts may be
        forgotten from `forget_at` (Unix seconds) on.
        """
        ...

    def give_back(self, keys: Sequence[str], units: int) -> None:
        """Take `units` off each count again (they held nothing), never below zero."""
        ...


class InventoryStore(Protocol):
    """Units available per SKU; only conditional writes, never below zero."""

    def get_available(self, skus: Iterable[str]) -> dict[str, int]:
        """Available units for the SKUs the table knows (unknown SKUs are absent)."""
        ...

    def list_records(self) -> list[InventoryRecord]:
        """Every inventory record, sorted by SKU (merchant command)."""
        ...

    def seed(self, initial: Mapping[str, int], now: datetime) -> list[str]:
        """Create records for SKUs not yet known; never overwrite a live count. Returns new SKUs."""
        ...

    def set_available(self, sku: str, available: int, now: datetime) -> InventoryRecord:
        """Set the available units of one SKU (merchant stock take)."""
        ...

    def add_available(self, sku: str, delta: int, now: datetime) -> InventoryRecord:
        """Adjust available units by `delta`; raise NegativeStockError below zero."""
        ...


# --- checkout, payment and orders (engineer F) ----------------------------------------


class HoldLookup(Protocol):
    """Reads a reservation (the cart's own checkout hold), nothing more."""

    def get(self, reservation_id: str) -> Reservation | None:
        """The reservation, or None."""
        ...


class ReservationStore(Protocol):
    """Stock held for checkouts; every move is conditional on the reservation's status."""

    def reserve(self, reservation: Reservation) -> None:
        """Hold every line at once, or raise StockShortError naming the short SKUs."""
        ...

    def get(self, reservation_id: str) -> Reservation | None:
        """The reservation, or None."""
        ...

    def release(self, reservation: Reservation) -> Release:
        """Put held units back on sale; false if it was no longer held."""
        ...

    def attach_session(
        self, reservation_id: str, session_id: str, shipping_rates: Mapping[str, str]
    ) -> None:
        """Record the Checkout Session created for the reservation."""
        ...

    def extend(self, reservation_id: str, expires_at: int) -> bool:
        """Keep a held reservation longer (delayed payment methods); False if not held."""
        ...

    def list_expired_held(self, before: int, limit: int = 100) -> list[Reservation]:
        """Held reservations that expired before `before` (epoch seconds)."""
        ...


class OrderLookup(Protocol):
    """Reads one order (what sending its emails needs)."""

    def get_order(self, order_id: str) -> tuple[Order, int] | None:
        """The order and its version, or None."""
        ...


class OrderStore(OrderLookup, Protocol):
    """Orders, their history, processed events and email outbox; transitions are conditional."""

    def order_id_for_session(self, session_id: str) -> str | None:
        """The order recorded for a Checkout Session."""
        ...

    def order_id_for_payment_intent(self, payment_intent: str) -> str | None:
        """The order paid by a PaymentIntent."""
        ...

    def list_orders(self, limit: int = 50, status: OrderStatus | None = None) -> list[Order]:
        """The `limit` newest orders (only those in `status`, if given), newest first."""
        ...

    def next_order_number(self) -> int:
        """A fresh readable order number."""
        ...

    def create_order(
        self,
        order: Order,
        *,
        reservation: Reservation | None,
        late_lines: Sequence[ReservationLine] | None,
        event_id: str | None,
        event_type: str,
        from_reserved: Sequence[ReservationLine] = (),
    ) -> None:
        """Record a paid order and sell its units in one transaction (OrderConflictError if not).

        With `late_lines` None the held reservation's lines are committed from
        `reserved`; otherwise `late_lines` are sold from `available` and
        `from_reserved` (lines of a held reservation) committed from `reserved`.
        """
        ...

    def save_transition(
        self,
        before: tuple[Order, int],
        after: Order,
        *,
        email: EmailKind | None,
        event_id: str | None = None,
        event_type: str = "",
        restock: Sequence[ReservationLine] = (),
    ) -> None:
        """Write a status change with its history, email and stock moves (OrderConflictError)."""
        ...


class PaymentGateway(Protocol):
    """Stripe Checkout (or the local stand-in): sessions and refunds."""

    def create_checkout_session(
        self, params: Mapping[str, Any], idempotency_key: str
    ) -> CreatedSession:
        """Create a Checkout Session from Stripe API parameters."""
        ...

    def retrieve_checkout_session(self, session_id: str) -> Mapping[str, Any]:
        """The `checkout.session` object as Stripe returns it."""
        ...

    def expire_checkout_session(self, session_id: str) -> bool:
        """Make an open session unpayable; True once it is expired, False if it was paid.

        Raises PaymentGatewayError when Stripe cannot say (the session may still be paid).
        """
        ...

    def payment_intent_status(self, payment_intent: str) -> str:
        """A PaymentIntent's status as Stripe has it now (`processing`, `succeeded`…)."""
        ...

    def refund_payment(self, payment_intent: str, idempotency_key: str) -> str:
        """Refund a payment in full; returns the refund id."""
        ...


class Mailer(Protocol):
    """Sends one composed email."""

    def send(self, message: OutgoingEmail) -> str:
        """Send it; returns the provider's message id."""
        ...


class Outbox(Protocol):
    """The emails order events queued (pk, sk: the outbox item), each sent once."""

    def claim(self, pk: str, sk: str) -> Claim:
        """Take the email to send it, unless it is sent or another attempt holds it."""
        ...

    def mark_sent(self, pk: str, sk: str, message_id: str) -> None:
        """Record the email as sent (final)."""
        ...

    def give_back(self, pk: str, sk: str, error: str) -> None:
        """Release a claim after a failed send, with why, so a retry can take it."""
        ...

    def discard(self, pk: str, sk: str) -> None:
        """Close a claimed email unsent and without its address: its shopper was erased."""
        ...


class OperatorLog(Protocol):
    """Where the domain reports what the operator should know: Powertools' Logger in
    Lambda, a `logging.Logger` elsewhere (both fit)."""

    def warning(self, msg: object, /, *, extra: Mapping[str, object] | None = ...) -> None:
        """Something done that the operator may want to check."""

    def error(self, msg: object, /, *, extra: Mapping[str, object] | None = ...) -> None:
        """A failure that is handled (retried, counted), named with its facts."""

    def exception(self, msg: object, /, *, extra: Mapping[str, object] | None = ...) -> None:
        """A failure, logged with the exception being handled."""


class PublicFile(Protocol):
    """One file of the public site bucket, written by a function rather than the build."""

    def publish(self, body: bytes) -> bool:
        """Store `body` unless the file already holds exactly these bytes; True if written."""
        ...
