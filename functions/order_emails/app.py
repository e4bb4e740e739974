"""Order emails: the orders table's stream → SES, from the outbox items.

Only the INSERT of an outbox item (`EMAIL#…`, `email_status = pending`) starts a
send: the function's own status writes do not. Sending it once, at least once,
is shop/email_outbox.py's; a failed send fails its record, reported as a batch
item failure, so Lambda retries it (then the dead-letter queue).
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
from shop.adapters.dynamodb_outbox import DynamoOutbox
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.adapters.ses_mailer import SesMailer
from shop.aws_clients import dynamodb_client, ses_client
from shop.catalog_source import get_catalog
from shop.config import METRICS_NAMESPACE, get_config, require
from shop.email_outbox import QueuedEmail, failure_name, send_queued_email
from shop.emails import ShopIdentity
from shop.errors import ConfigError
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


def failure_code(exc: BaseException) -> str:
    """What failed, without its message: the AWS error code in its causes, else the type."""
    current: BaseException | None = exc
    while current is not None:
        if isinstance(current, ClientError):
            return str(current.response.get("Error", {}).get("Code") or type(current).__name__)
        current = current.__cause__
    return failure_name(exc)


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
    email = QueuedEmail(
        pk=str(image["pk"]),
        sk=sk,
        kind=EmailKind(str(image["kind"])),
        order_id=str(image["order_id"]),
        amount=int(image["amount"]) if image.get("amount") is not None else None,
    )
    ctx = email_context()
    sent = send_queued_email(
        ctx.orders, ctx.outbox, ctx.mailer, ctx.shop, email, log=logger, describe=failure_code
    )
    if sent:
        logger.info("order email sent", extra={"order_id": email.order_id, "kind": str(email.kind)})
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
