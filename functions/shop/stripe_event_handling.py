"""Acting on one verified Stripe event: a paid or failed session, or a refund."""

from __future__ import annotations

from shop.fulfilment import Fulfilment, Outcome, fulfil_session, release_session
from shop.refunds import record_refund, refund_without_order, refunded_share
from shop.webhook_events import ChargeRefundedEvent, SessionEvent, StripeEvent


def handle_event(ctx: Fulfilment, event: StripeEvent) -> Outcome:
    """Act on one verified Stripe event."""
    if isinstance(event, SessionEvent):
        if event.type in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
            outcome, _ = fulfil_session(
                ctx, event.session, event_id=event.event_id, event_type=event.type
            )
            return outcome
        return release_session(ctx, event.session)
    if isinstance(event, ChargeRefundedEvent):
        # By the PaymentIntent only: a charge's metadata is whatever its creator put there,
        # and another integration's `order_id` must never refund one of our orders.
        order_id = (
            ctx.orders.order_id_for_payment_intent(event.payment_intent)
            if event.payment_intent
            else None
        )
        if order_id is None:
            return refund_without_order(ctx, event)
        found = ctx.orders.get_order(order_id)
        if found is None:
            return Outcome.IGNORED
        return record_refund(
            ctx,
            order_id,
            refunded_share(found[0].total, event).amount,
            event_id=event.event_id,
            event_type="charge.refunded",
        )
    return Outcome.IGNORED
