"""Erasing a shopper's personal data from an order (GDPR article 17), keeping the accounts.

An erased order keeps what the books need: its number, dates, statuses, lines,
amounts, refunds, the delivery option and the delivery country (VAT is owed where
the goods go). It loses the email address, the name and address lines, and the
parcel's tracking number (the carrier ties it to the address), in the order and in
the history notes that repeat it. An order that may still have to be shipped (paid,
preparing) keeps them: without an address it could not be. After erasure the order
sends no email and its status page answers as for an unknown order.

Stripe keeps its own copy of the customer and payment: docs/orders.md says how to
erase it there. Pure rules only; the order desk (`build.py orders erase`) stores them.
"""

from __future__ import annotations

from dataclasses import replace

from shop.orders import Address, EmailKind, HistoryEntry, Order, OrderStatus

# Sent, delivered, refunded or cancelled: nothing left to send to the address.
ERASABLE: frozenset[OrderStatus] = frozenset(
    {OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.REFUNDED, OrderStatus.CANCELLED}
)
ERASED_NOTE = "personal data erased"
# History notes the shop writes from amounts alone ("refund:8990"): kept, they hold no one.
_AMOUNT_NOTES = ("refund:", "partial_refund:")


class ErasureRefusedError(ValueError):
    """The order's personal data cannot be erased (yet); the message says why."""

    def __init__(self, order: Order, reason: str) -> None:
        self.order_id = order.order_id
        super().__init__(f"order {order.display_number}: personal data not erased: {reason}")


def erase_personal_data(order: Order, at: str) -> Order:
    """`order` without the shopper's personal data, erased at `at` (ISO-8601 UTC)."""
    if order.erased_at is not None:
        raise ErasureRefusedError(order, f"already erased on {order.erased_at}")
    if order.status not in ERASABLE:
        raise ErasureRefusedError(
            order,
            f"it is {order.status}, so its address is still needed to send it; "
            "ship it or cancel it (and refund it) first",
        )
    history = tuple(_without_free_text(entry) for entry in order.history)
    return replace(
        order,
        email="",
        address=Address(country=order.address.country),
        tracking=replace(order.tracking, number="") if order.tracking else None,
        history=(*history, HistoryEntry(at, order.status, ERASED_NOTE)),
        erased_at=at,
    )


def _without_free_text(entry: HistoryEntry) -> HistoryEntry:
    """The entry without a note that may name the parcel ("Colissimo 6A123")."""
    if not entry.note or entry.note.startswith(_AMOUNT_NOTES):
        return entry
    return replace(entry, note="")


def email_to_send(order: Order, kind: EmailKind | None) -> EmailKind | None:
    """The email a change to `order` sends: none once its shopper's data was erased."""
    return None if order.erased_at is not None else kind
