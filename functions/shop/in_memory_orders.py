"""In-memory reservations and orders, for domain tests without AWS.

They keep the contracts of the DynamoDB adapters (shop.adapters.dynamodb_reservations
and dynamodb_orders): every stock move is all-or-nothing and guarded by the
reservation's status, counts never go below zero, an order write fails with the
same `OrderConflictError` reasons in the same order of precedence. One lock
stands for DynamoDB's transaction isolation, shared with the inventory whose
records they move.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from shop.errors import StoreUnavailableError
from shop.in_memory import InMemoryInventory
from shop.orders import EmailKind, Order, OrderConflictError, OrderStatus
from shop.reservations import (
    Release,
    Reservation,
    ReservationLine,
    ReservationStatus,
    Shortage,
    StockShortError,
)
from shop.stock import InventoryRecord

FIRST_ORDER_NUMBER = 1001
_CONFLICT_PRECEDENCE = (
    "duplicate_session",
    "duplicate_event",
    "version_changed",
    "reservation_changed",
)
# (sku, Δavailable, Δreserved, Δsold) for one line of a stock move
_Move = tuple[str, int, int, int]


class InMemoryReservations:
    """Held, committed and released reservations moving the counts of an InMemoryInventory."""

    def __init__(self, inventory: InMemoryInventory) -> None:
        self.inventory = inventory
        self.reservations: dict[str, Reservation] = {}
        self.lock = threading.RLock()

    def _record(self, sku: str) -> InventoryRecord | None:
        return self.inventory.records.get(sku)

    def short_lines(self, moves: Iterable[_Move]) -> list[str]:
        """SKUs whose counts a move would take below zero (a missing record has none)."""
        short = []
        for sku, d_available, d_reserved, d_sold in moves:
            record = self._record(sku)
            counts = (
                (0, 0, 0) if record is None else (record.available, record.reserved, record.sold)
            )
            if (
                min(c + d for c, d in zip(counts, (d_available, d_reserved, d_sold), strict=True))
                < 0
            ):
                short.append(sku)
        return short

    def apply(self, moves: Iterable[_Move]) -> None:
        """Apply checked moves (callers hold the lock and checked `short_lines` first)."""
        for sku, d_available, d_reserved, d_sold in moves:
            record = self._record(sku) or InventoryRecord(sku, 0)
            self.inventory.records[sku] = replace(
                record,
                available=record.available + d_available,
                reserved=record.reserved + d_reserved,
                sold=record.sold + d_sold,
            )
            self.inventory.writes += 1

    def reserve(self, reservation: Reservation) -> None:
        """Hold every line at once, or raise StockShortError naming the short SKUs."""
        moves = [(line.sku, -line.quantity, line.quantity, 0) for line in reservation.lines]
        with self.lock:
            if reservation.reservation_id in self.reservations:
                raise StoreUnavailableError("inventory", "reserve", "reservation id taken")
            short = set(self.short_lines(moves))
            if short:
                levels = {sku: self.inventory.get_available([sku]).get(sku, 0) for sku in short}
                raise StockShortError(
                    tuple(
                        Shortage(line.sku, line.quantity, levels[line.sku])
                        for line in reservation.lines
                        if line.sku in short
                    )
                )
            self.apply(moves)
            self.reservations[reservation.reservation_id] = reservation

    def get(self, reservation_id: str) -> Reservation | None:
        """The reservation, or None."""
        return self.reservations.get(reservation_id)

    def release(self, reservation: Reservation) -> Release:
        """Put held units back on sale; false if it was no longer held.

        As the DynamoDB adapter: a line whose record no longer counts the hold is left
        as it is (named in the result), the other lines go back on sale.
        """
        moves = [(line.sku, line.quantity, -line.quantity, 0) for line in reservation.lines]
        with self.lock:
            stored = self.reservations.get(reservation.reservation_id)
            if stored is None or stored.status is not ReservationStatus.HELD:
                return Release(done=False)
            short = set(self.short_lines(moves))
            self.apply(move for move in moves if move[0] not in short)
            self.reservations[stored.reservation_id] = replace(
                stored, status=ReservationStatus.RELEASED
            )
            return Release(done=True, uncounted=tuple(sorted(short)))

    def attach_session(
        self, reservation_id: str, session_id: str, shipping_rates: Mapping[str, str]
    ) -> None:
        """Record the Checkout Session created for the reservation."""
        with self.lock:
            stored = self.reservations[reservation_id]
            self.reservations[reservation_id] = replace(
                stored, session_id=session_id, shipping_rates=dict(shipping_rates)
            )

    def extend(self, reservation_id: str, expires_at: int) -> bool:
        """Keep a held reservation longer; False if not held (or already kept longer)."""
        with self.lock:
            stored = self.reservations.get(reservation_id)
            if stored is None or stored.status is not ReservationStatus.HELD:
                return False
            if stored.expires_at >= expires_at:
                return False
            self.reservations[reservation_id] = replace(stored, expires_at=expires_at)
            return True

    def list_expired_held(self, before: int, limit: int = 100) -> list[Reservation]:
        """Held reservations that expired before `before`, soonest first."""
        held = [
            r
            for r in self.reservations.values()
            if r.status is ReservationStatus.HELD and r.expires_at < before
        ]
        return sorted(held, key=lambda r: r.expires_at)[:limit]


@dataclass
class InMemoryOrders:
    """Orders, session and event markers, and the email outbox, written all or nothing."""

    reservations: InMemoryReservations
    orders: dict[str, tuple[Order, int]] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    payment_intents: dict[str, str] = field(default_factory=dict)
    events: set[str] = field(default_factory=set)
    # (order id, kind, what queued it) -> "pending"; the outbox's keys as in DynamoDB
    outbox: dict[tuple[str, EmailKind, str], str] = field(default_factory=dict)
    counter: int = FIRST_ORDER_NUMBER - 1

    def get_order(self, order_id: str) -> tuple[Order, int] | None:
        """The order and its version, or None."""
        return self.orders.get(order_id)

    def order_id_for_session(self, session_id: str) -> str | None:
        """The order recorded for a Checkout Session."""
        return self.sessions.get(session_id)

    def order_id_for_payment_intent(self, payment_intent: str) -> str | None:
        """The order paid by a PaymentIntent."""
        return self.payment_intents.get(payment_intent)

    def list_orders(self, limit: int = 50, status: OrderStatus | None = None) -> list[Order]:
        """The `limit` newest orders (only those in `status`, if given), newest first."""
        newest = sorted(self.orders.values(), key=lambda found: found[0].number, reverse=True)
        matching = [order for order, _ in newest if status is None or order.status == status]
        return matching[:limit]

    def next_order_number(self) -> int:
        """A fresh readable order number."""
        with self.reservations.lock:
            self.counter += 1
            return self.counter

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
        """Record a paid order and sell its units in one step (OrderConflictError if not)."""
        with self.reservations.lock:
            failed: list[str] = []
            if order.session_id in self.sessions:
                failed.append("duplicate_session")
            if event_id and event_id in self.events:
                failed.append("duplicate_event")
            if order.order_id in self.orders:
                failed.append("order_number_taken")
            moves: list[_Move] = []
            if reservation is not None:
                stored = self.reservations.get(reservation.reservation_id)
                if stored is None or stored.status is not reservation.status:
                    failed.append("reservation_changed")
                if late_lines is None:
                    moves = [(ln.sku, 0, -ln.quantity, ln.quantity) for ln in reservation.lines]
                else:
                    moves = [(ln.sku, 0, -ln.quantity, ln.quantity) for ln in from_reserved]
                    moves += [(ln.sku, -ln.quantity, 0, ln.quantity) for ln in late_lines]
            short = tuple(self.reservations.short_lines(moves))
            _raise_first(failed, short)
            if reservation is not None:
                self.reservations.apply(moves)
                self.reservations.reservations[reservation.reservation_id] = replace(
                    self.reservations.reservations[reservation.reservation_id],
                    status=ReservationStatus.COMMITTED,
                )
            self.sessions[order.session_id] = order.order_id
            if event_id:
                self.events.add(event_id)
            if order.payment_intent:
                self.payment_intents[order.payment_intent] = order.order_id
            self.orders[order.order_id] = (order, 1)
            self.outbox[(order.order_id, EmailKind.CONFIRMATION, "paid")] = "pending"

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
        """Write a status change with its email and stock moves, if nobody else did."""
        order, version = before
        with self.reservations.lock:
            failed: list[str] = []
            if event_id and event_id in self.events:
                failed.append("duplicate_event")
            current = self.orders.get(order.order_id)
            if current is None or current[1] != version:
                failed.append("version_changed")
            moves = [(line.sku, line.quantity, 0, -line.quantity) for line in restock]
            _raise_first(failed, tuple(self.reservations.short_lines(moves)))
            self.reservations.apply(moves)
            if event_id:
                self.events.add(event_id)
            self.orders[order.order_id] = (after, version + 1)
            if email is not None:
                self.outbox[(order.order_id, email, f"v{version + 1}")] = "pending"


def _raise_first(failed: list[str], short: tuple[str, ...]) -> None:
    """Raise the conflict the DynamoDB adapter would report for these failed conditions."""
    for reason in (
        "duplicate_session",
        "duplicate_event",
        "version_changed",
        "reservation_changed",
    ):
        if reason in failed:
            raise OrderConflictError(reason)
    if short:
        raise OrderConflictError("stock_short", short)
    if "order_number_taken" in failed:
        raise OrderConflictError("order_number_taken")
