"""Order emails: the orders table's stream → SES, from the outbox items.

Each outbox item (`EMAIL#…`, `email_status = pending`) is claimed with a
conditional write, rendered from the recorded order, sent, and marked `sent`;
a failed send is given back and its record reported as a batch item failure,
so Lambda retries it (then the dead-letter queue) and nothing is lost, while the
claim keeps a retry or a duplicate stream record from sending twice. A record
whose email another attempt claimed but has not marked sent fails too: that
attempt may have died mid-send (a timeout), and only this record would ever send
it; a retry finds it sent, or takes the claim once it has gone stale. Delivery is
at least once: an email that left but could not be marked sent may go twice,
which beats a paid order whose confirmation never leaves. Only the
INSERT of an outbox item starts a send: the function's own status writes do not.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
    DynamoDBRecordEventName,
)
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError
from shop.adapters.dynamodb_orders import DynamoOrders
from shop.adapters.dynamodb_outbox import Claim, DynamoOutbox
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.adapters.ses_mailer import SesMailer
from shop.aws_clients import dynamodb_client, ses_client
from shop.catalog_source import get_catalog
from shop.config import METRICS_NAMESPACE, get_config, require
from shop.emails import ShopIdentity, compose_email
from shop.errors import ConfigError, StoreUnavailableError
from shop.money import Money
from shop.orders import EmailKind

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace=METRICS_NAMESPACE)
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


@dataclass(frozen=True, slots=True)
class EmailContext:
    """Collaborators built once per container."""

    orders: DynamoOrders
    outbox: DynamoOutbox
    mailer: SesMailer
    shop: ShopIdentity


@functools.cache
def email_context() -> EmailContext:
    """Read the configuration and build the collaborators."""
    config = get_config()
    client = dynamodb_client(config.region)
    table = require(config.orders_table, "ORDERS_TABLE")
    reservations = DynamoReservations(client, config.reservations_table, config.inventory_table)
    if not config.email_from:
        raise ConfigError("EMAIL_FROM", "expected the sender address verified in SES")
    ses = ses_client(config.region)
    catalog = get_catalog()
    return EmailContext(
        orders=DynamoOrders(client, table, reservations),
        outbox=DynamoOutbox(client, table),
        mailer=SesMailer(ses, config.email_from, reply_to=catalog.store.contact_email),
        shop=ShopIdentity(
            name=catalog.store.name,
            site_url=config.site_url or catalog.store.base_url,
            contact_email=catalog.store.contact_email,
            default_locale=catalog.store.default_locale,
        ),
    )


def send_outbox_email(
    ctx: EmailContext,
    pk: str,
    sk: str,
    kind: EmailKind,
    order_id: str,
    amount: int | None = None,
) -> bool:
    """Send one outbox email unless it is sent; True when this call sent it.

    Raises EmailInFlightError while another attempt holds a recent claim on it.
    """
    claim = ctx.outbox.claim(pk, sk)
    if claim is Claim.IN_FLIGHT:
        raise EmailInFlightError(f"outbox {pk} {sk}: another attempt is sending it; retry later")
    if claim is Claim.DONE:
        return False
    try:
        found = ctx.orders.get_order(order_id)
        if found is None:
            raise LookupError(f"outbox {pk} {sk}: order {order_id} not found")
        order = found[0]
        refund = Money(amount, order.total.currency) if amount is not None else None
        message = compose_email(order, kind, ctx.shop, refund=refund)
        message_id = ctx.mailer.send(message)
    except Exception as exc:
        # Named with its order and the kind of failure: the batch's own retry logs say
        # neither, and the dead-letter queue gets the batch's position only. Not SES's
        # words, which name the recipient (no personal data in logs): those are kept in
        # the outbox item, which `orders show` prints (docs/deploy.md runbook).
        logger.error(
            "order email failed",
            extra={
                "order_id": order_id,
                "kind": str(kind),
                "outbox": sk,
                "error": failure_code(exc),
            },
        )
        # Give it back so the retry (or the next stream record) can send it.
        ctx.outbox.give_back(pk, sk, f"{type(exc).__name__}: {exc}")
        # Raised afresh, without its cause: when a whole batch fails, Powertools raises
        # one error holding each record's traceback, which the runtime logs, and SES's
        # words name the recipient.
        raise OrderEmailError(f"outbox {pk} {sk}: {failure_code(exc)}") from None
    try:
        ctx.outbox.mark_sent(pk, sk, message_id)
    except StoreUnavailableError:
        # The email left. Not failed for a retry, which would only send it again; a
        # duplicate record of it may, once the claim is stale (at least once).
        logger.warning("order email sent but not marked sent", extra={"outbox": sk})
    return True


def failure_code(exc: BaseException) -> str:
    """What failed, without its message: the AWS error code in its causes, else the type."""
    current: BaseException | None = exc
    while current is not None:
        if isinstance(current, ClientError):
            return str(current.response.get("Error", {}).get("Code") or type(current).__name__)
        current = current.__cause__
    return type(exc).__name__


class OrderEmailError(RuntimeError):
    """An order email could not be sent: the record is retried (the message names no one)."""


class EmailInFlightError(RuntimeError):
    """Another attempt claimed the email and has not finished: the record is retried."""


def record_handler(record: DynamoDBRecord) -> None:
    """Act on one stream record: only the creation of an outbox item matters.

    Only INSERT records: a failed send gives the item back to `pending`, and acting
    on that MODIFY record too would make every failure trigger another attempt,
    forever, never reaching the dead-letter queue. A failure is retried by Lambda
    re-delivering the INSERT record (MaximumRetryAttempts, then the queue).
    """
    if record.event_name != DynamoDBRecordEventName.INSERT:
        return
    image = record.dynamodb.new_image if record.dynamodb else None
    if not image:
        return
    sk = str(image.get("sk", ""))
    if not sk.startswith("EMAIL#") or image.get("email_status") != "pending":
        return
    pk, kind, order_id = str(image["pk"]), EmailKind(str(image["kind"])), str(image["order_id"])
    amount = int(image["amount"]) if image.get("amount") is not None else None
    if send_outbox_email(email_context(), pk, sk, kind, order_id, amount):
        logger.info("order email sent", extra={"order_id": order_id, "kind": str(kind)})
        metrics.add_metric(name="OrderEmailSent", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Lambda entry point for the orders table's stream (ReportBatchItemFailures)."""
    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    return dict(response)
