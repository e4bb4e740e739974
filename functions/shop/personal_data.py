"""Erasing a shopper's personal data from an order (GDPR article 17), keeping the accounts.

An erased order keeps what the books need: its number, dates, statuses, lines,
amounts, refunds, the delivery option, the delivery country (VAT is owed where the
goods go) and the Stripe payment it was paid by (refunds and bookkeeping). It loses
the email address, the name and address lines, the parcel's tracking number (the
carrier ties it to the address) in the order and in the history notes that repeat
it, and the cart and page links that led to it. Only an order that is over can be
erased: delivered, or refunded. Before, the shop still needs the address to send
it, the tracking number to find a lost parcel, or the shopper is owed a refund.
After erasure the order sends no email and its status page answers as for an
unknown order.

Stripe keeps its own copy of the payment: docs/orders.md says how to have it redacted
there. Pure rules only; the order desk (`build.py orders erase`) stores them.
"""

from __future__ import annotations

from dataclasses import replace

from shop.orders import Address, EmailKind, HistoryEntry, Order, OrderStatus

# What an order still needs its shopper's data for, by status; those not here are over.
_TO_SEND = "its address is still needed to send it; send it, or cancel and refund it, first"
_STILL_NEEDED: dict[OrderStatus, str] = {
    OrderStatus.PAID: _TO_SEND,
    OrderStatus.PREPARING: _TO_SEND,
    OrderStatus.SHIPPED: "its tracking number may still be needed to find the parcel; mark "
    "it delivered once it arrives",
    OrderStatus.CANCELLED: "its shopper is still owed the payment back; refund it first",
}
ERASED_NOTE = "personal data erased"
# Notes the shop writes from amounts alone ("refund:8990"), and the erasure's own: kept.
_KEPT_NOTES = ("refund:", "partial_refund:", ERASED_NOTE)


class ErasureRefusedError(ValueError):
    """The order's personal data cannot be erased (yet); the message says why."""

    def __init__(self, order: Order, reason: str) -> None:
        self.order_id = order.order_id
        super().__init__(f"order {order.display_number}: personal data not erased: {reason}")


def erase_personal_data(order: Order, at: str) -> Order:
    """`order` without the shopper's personal data, erased at `at` (ISO-8601 UTC)."""
    if order.erased_at is not None:
        raise ErasureRefusedError(order, f"already erased on {order.erased_at}")
    needed = _STILL_NEEDED.get(order.status)
    if needed is not None:
        raise ErasureRefusedError(order, f"it is {order.status}: {needed}")
    return replace(
        order,
        email="",
        address=Address(country=order.address.country),
        tracking=replace(order.tracking, number="") if order.tracking else None,
        access_token="",
        cart_id="",
        history=(*scrubbed_history(order), HistoryEntry(at, order.status, ERASED_NOTE)),
        erased_at=at,
    )


def scrubbed_history(order: Order) -> tuple[HistoryEntry, ...]:
    """The order's history without notes that may name the parcel ("Colissimo 6A123")."""
    return tuple(
        replace(entry, note="") if entry.note and not entry.note.startswith(_KEPT_NOTES) else entry
        for entry in order.history
    )


def email_to_send(order: Order, kind: EmailKind | None) -> EmailKind | None:
    """The email a change to `order` sends: none once its shopper's data was erased."""
    return None if order.erased_at is not None else kind
