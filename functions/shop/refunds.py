"""Refunds: Stripe's `charge.refunded` (or the back office's refund) recorded on the order once.

A full refund restocks the order's units if the shop says so (returns.restock_on_refund)
and the order never shipped; a partial one is recorded with its amount, and the
refund email says how much went back.
"""

from __future__ import annotations

from shop.errors import ConcurrentUpdateError
from shop.fulfilment import ATTEMPTS, Fulfilment, Outcome
from shop.money import Money
from shop.orders import (
    EMAIL_ON_STATUS,
    Order,
    OrderConflictError,
    OrderStatus,
    RefundBeforeOrderError,
    now_iso,
    refund,
    refund_restocks,
)
from shop.personal_data import email_to_send
from shop.reservations import ReservationLine
from shop.webhook_events import ChargeRefundedEvent


def record_refund(
    ctx: Fulfilment, order_id: str, amount_refunded: int, *, event_id: str | None, event_type: str
) -> Outcome:
    """Record a (full or partial) refund once; restock a full one if the shop says so."""
    for _ in range(ATTEMPTS):
        found = ctx.orders.get_order(order_id)
        if found is None:
            return Outcome.IGNORED
        order, _version = found
        already = order.refunded.amount if order.refunded else 0
        if order.status is OrderStatus.REFUNDED or amount_refunded <= already:
            return Outcome.ALREADY_DONE
        after = refund(order, Money(amount_refunded, order.total.currency), now_iso())
        restock: tuple[ReservationLine, ...] = ()
        restocks = refund_restocks(order.status, ctx.catalog.returns.restock_on_refund)
        if after.status is OrderStatus.REFUNDED and restocks:
            never_sold = _short_skus(order)
            restock = tuple(
                ReservationLine(line.sku, line.quantity)
                for line in order.lines
                if line.sku not in never_sold
            )
        try:
            ctx.orders.save_transition(
                found,
                after,
                email=email_to_send(after, EMAIL_ON_STATUS[OrderStatus.REFUNDED]),
                event_id=event_id,
                event_type=event_type,
                restock=restock,
            )
        except OrderConflictError as conflict:
            if conflict.reason == "duplicate_event":
                return Outcome.ALREADY_DONE
            continue
        return Outcome.RECORDED
    raise ConcurrentUpdateError(f"refund of order {order_id}", ATTEMPTS)


def refunded_share(total: Money, charge: ChargeRefundedEvent) -> Money:
    """How much of an order's `total` a charge's refunds gave back, in the order's currency.

    With Adaptive Pricing the shopper pays in their own currency, so the charge and its
    refunds are in that currency while the order is in the shop's: Stripe's `refunded`
    then says whether all of it went back, and a part is the same share of the total.
    """
    if charge.refunded:
        return total
    if charge.currency == total.currency:
        # Never more than the order: a charge cannot refund more than it took.
        return Money(min(charge.amount_refunded, total.amount), total.currency)
    if charge.amount <= 0:
        return Money(0, total.currency)
    return Money(
        min(total.amount * charge.amount_refunded // charge.amount, total.amount), total.currency
    )


def refund_without_order(ctx: Fulfilment, charge: ChargeRefundedEvent) -> Outcome:
    """A refund no order matches: ours whose order is not recorded yet (retry), else not ours."""
    reservation_id = charge.reservation_id
    if charge.payment_intent and reservation_id and ctx.reservations.get(reservation_id):
        # Stripe does not keep events in order: the refund of a payment whose
        # `checkout.session.completed` is still being retried. Answering 2xx would drop it.
        raise RefundBeforeOrderError(charge.payment_intent)
    return Outcome.NOT_OURS


def _short_skus(order: Order) -> set[str]:
    skus: set[str] = set()
    for flag in order.flags:
        if flag.startswith("stock_short:"):
            skus.update(flag.split(":", 1)[1].split(","))
    return skus
