"""Sending one queued order email exactly once, as far as the outbox can promise.

Each outbox item is claimed with a conditional write, rendered from the recorded
order, sent, and marked sent. A failed send gives the claim back and raises, so
the caller's retry (Lambda re-delivering the stream record, then its dead-letter
queue) sends it later and nothing is lost, while the claim keeps a retry or a
duplicate record from sending twice. An email another attempt claimed but has not
marked sent raises too: that attempt may have died mid-send, and a retry finds it
sent, or takes the claim once it has gone stale. Delivery is at least once: an
email that left but could not be marked sent may go twice, which beats a paid
order whose confirmation never leaves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from shop.emails import ShopIdentity, compose_email
from shop.errors import StoreUnavailableError
from shop.money import Money
from shop.orders import Claim, EmailKind
from shop.ports import Mailer, OperatorLog, OrderLookup, Outbox

_LOG = logging.getLogger(__name__)


class OrderEmailError(RuntimeError):
    """An order email could not be sent: the record is retried (the message names no one)."""


class EmailInFlightError(RuntimeError):
    """Another attempt claimed the email and has not finished: the record is retried."""


@dataclass(frozen=True, slots=True)
class QueuedEmail:
    """One outbox item: where it is stored, which email of which order, and a refund's amount."""

    pk: str
    sk: str
    kind: EmailKind
    order_id: str
    amount: int | None = None  # minor units of a partial refund, in the order's currency


def failure_name(exc: BaseException) -> str:
    """What failed, without its message (which may name the recipient): its type."""
    return type(exc).__name__


def send_queued_email(
    orders: OrderLookup,
    outbox: Outbox,
    mailer: Mailer,
    shop: ShopIdentity,
    email: QueuedEmail,
    *,
    log: OperatorLog = _LOG,
    describe: Callable[[BaseException], str] = failure_name,
) -> bool:
    """Send one outbox email unless it is sent; True when this call sent it.

    Raises EmailInFlightError while another attempt holds a recent claim on it, and
    OrderEmailError (after giving the claim back) when it could not be sent.
    `describe` names a failure for the logs without its words (an SDK's error code).
    """
    pk, sk = email.pk, email.sk
    claim = outbox.claim(pk, sk)
    if claim is Claim.IN_FLIGHT:
        raise EmailInFlightError(f"outbox {pk} {sk}: another attempt is sending it; retry later")
    if claim is Claim.DONE:
        return False
    try:
        found = orders.get_order(email.order_id)
        if found is None:
            raise LookupError(f"outbox {pk} {sk}: order {email.order_id} not found")
        order = found[0]
        if order.erased_at is not None:
            # Queued before its shopper's data was erased (a resend racing the erasure).
            outbox.discard(pk, sk)
            return False
        amount = email.amount
        refund = Money(amount, order.total.currency) if amount is not None else None
        message = compose_email(order, email.kind, shop, refund=refund)
        message_id = mailer.send(message)
    except Exception as exc:
        # Named with its order and the kind of failure: the batch's own retry logs say
        # neither, and the dead-letter queue gets the batch's position only. Not the mail
        # service's words, which name the recipient (no personal data in logs): those are
        # kept in the outbox item, which `orders show` prints (docs/deploy.md runbook).
        log.error(
            "order email failed",
            extra={
                "order_id": email.order_id,
                "kind": str(email.kind),
                "outbox": sk,
                "error": describe(exc),
            },
        )
        # Give it back so the retry (or the next stream record) can send it.
        outbox.give_back(pk, sk, f"{type(exc).__name__}: {exc}")
        # Raised afresh, without its cause: when a whole batch fails, Powertools raises
        # one error holding each record's traceback, which the runtime logs, and the
        # mail service's words name the recipient.
        raise OrderEmailError(f"outbox {pk} {sk}: {describe(exc)}") from None
    try:
        outbox.mark_sent(pk, sk, message_id)
    except StoreUnavailableError:
        # The email left. Not failed for a retry, which would only send it again; a
        # duplicate record of it may, once the claim is stale (at least once).
        log.warning("order email sent but not marked sent", extra={"outbox": sk})
    return True
