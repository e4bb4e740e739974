"""Stripe webhook handler: POST /api/stripe/webhook.

Verifies `Stripe-Signature` on the raw body (API Gateway may base64 it) with a
5-minute timestamp tolerance; anything unverifiable gets 400 and writes
nothing. Verified events go to `shop.fulfilment.handle_event`; unknown types
get 200 and no action. Server-side failures answer 5xx so Stripe retries.
"""

from __future__ import annotations

import base64
import binascii
import functools
import time
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from shop.adapters.dynamodb_carts import DynamoDBCartStore
from shop.adapters.dynamodb_orders import DynamoOrders
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.aws_clients import dynamodb_client
from shop.catalog import get_catalog
from shop.config import get_config, require
from shop.errors import ShopConfigError, ShopError, StoreUnavailableError
from shop.fulfilment import Fulfilment, handle_event
from shop.http_errors import error_body
from shop.http_responses import error_response, json_response, not_found_response
from shop.payment_setup import webhook_secret
from shop.webhook_events import (
    WebhookPayloadError,
    WebhookSignatureError,
    parse_event,
    verify_signature,
)

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Storefront")
app = APIGatewayHttpResolver()


@functools.cache
def fulfilment_context() -> Fulfilment:
    """Collaborators built once per container."""
    config = get_config()
    client = dynamodb_client(config.region)
    reservations = DynamoReservations(
        client,
        require(config.reservations_table, "RESERVATIONS_TABLE"),
        require(config.inventory_table, "INVENTORY_TABLE"),
    )
    orders = DynamoOrders(client, require(config.orders_table, "ORDERS_TABLE"), reservations)
    carts = DynamoDBCartStore(client, config.carts_table) if config.carts_table else None
    return Fulfilment(orders=orders, reservations=reservations, catalog=get_catalog(), carts=carts)


@functools.cache
def signing_secret() -> str:
    """The webhook signing secret, read once per container."""
    return webhook_secret(get_config())


def raw_body(event: dict[str, Any]) -> bytes:
    """The exact bytes Stripe signed, undoing API Gateway's base64 if it applied it."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            return b""
    return str(body).encode("utf-8")


@app.post("/api/stripe/webhook")
def receive_event() -> Response[str]:
    """Verify, parse and act on one Stripe event."""
    event = app.current_event
    payload = raw_body(event.raw_event)
    header = event.headers.get("stripe-signature") or event.headers.get("Stripe-Signature")
    try:
        verify_signature(payload, header, signing_secret(), int(time.time()))
        stripe_event = parse_event(payload)
    except WebhookSignatureError as exc:
        logger.warning("webhook signature refused", extra={"reason": str(exc)})
        metrics.add_metric(name="WebhookRejected", unit=MetricUnit.Count, value=1)
        return json_response(400, error_body("invalid_signature", str(exc)))
    except WebhookPayloadError as exc:
        logger.warning("webhook payload refused", extra={"reason": str(exc)})
        metrics.add_metric(name="WebhookRejected", unit=MetricUnit.Count, value=1)
        return json_response(400, error_body("invalid_payload", str(exc)))
    outcome = handle_event(fulfilment_context(), stripe_event)
    logger.info(
        "stripe event handled",
        extra={
            "event_id": stripe_event.event_id,
            "type": type(stripe_event).__name__,
            "outcome": str(outcome),
        },
    )
    metrics.add_metric(name=f"Webhook_{outcome}", unit=MetricUnit.Count, value=1)
    return json_response(200, {"received": True, "outcome": str(outcome)})


@app.exception_handler(ShopError)  # type: ignore[untyped-decorator]
def handle_shop_error(exc: ShopError) -> Response[str]:
    """Server-side failures become 5xx so Stripe delivers the event again later."""
    if isinstance(exc, StoreUnavailableError | ShopConfigError):
        logger.exception("webhook failed on the server side; Stripe will retry")
    else:
        logger.warning("webhook refused", extra={"error": type(exc).__name__})
    return error_response(exc)


@app.not_found
def handle_not_found(_: Exception) -> Response[str]:
    """Unknown paths and methods under /api/stripe/webhook."""
    event = app.current_event
    return not_found_response(event.request_context.http.method, event.path)


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Lambda entry point for API Gateway HTTP API v2 events."""
    return app.resolve(event, context)
