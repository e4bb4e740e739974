"""Checkout API handler: POST /api/checkout turns the cookie's cart into a Stripe Checkout URL.

Returns `{"url", "session_id", "expires_at"}`; 409 `out_of_stock` names every
short SKU; 422 `empty_cart` when there is nothing to buy.
"""

from __future__ import annotations

import functools
import time
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from shop.adapters.dynamodb_carts import DynamoDBCartStore
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.aws_clients import dynamodb_client
from shop.catalog import get_catalog
from shop.checkout_flow import CheckoutContext, start_checkout
from shop.config import get_config, require
from shop.cookies import cart_id_from_cookies
from shop.errors import ShopConfigError, ShopError, StoreUnavailableError
from shop.http_responses import error_response, json_response, not_found_response
from shop.payment_setup import payment_gateway

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Storefront")
app = APIGatewayHttpResolver()


@functools.cache
def checkout_context() -> CheckoutContext:
    """Collaborators built once per container."""
    config = get_config()
    client = dynamodb_client(config.region)
    return CheckoutContext(
        carts=DynamoDBCartStore(client, require(config.carts_table, "CARTS_TABLE")),
        reservations=DynamoReservations(
            client,
            require(config.reservations_table, "RESERVATIONS_TABLE"),
            require(config.inventory_table, "INVENTORY_TABLE"),
        ),
        gateway=payment_gateway(config),
        catalog=get_catalog(),
        site_url=config.site_url,
    )


@app.post("/api/checkout")
def create_checkout() -> Response[str]:
    """POST /api/checkout[?locale=fr]: reserve the cart's units and open a Checkout Session."""
    event = app.current_event
    session = start_checkout(
        checkout_context(),
        cart_id_from_cookies(event.cookies),
        event.get_query_string_value("locale"),
        int(time.time()),
    )
    metrics.add_metric(name="CheckoutStarted", unit=MetricUnit.Count, value=1)
    logger.info("checkout session created", extra={"session_id": session.session_id})
    return json_response(
        200,
        {"url": session.url, "session_id": session.session_id, "expires_at": session.expires_at},
    )


@app.exception_handler(ShopError)  # type: ignore[untyped-decorator]
def handle_shop_error(exc: ShopError) -> Response[str]:
    """Every domain error becomes its documented status and code."""
    if isinstance(exc, StoreUnavailableError | ShopConfigError):
        logger.exception("checkout failed on the server side")
    else:
        logger.info("checkout refused", extra={"error": type(exc).__name__, "detail": str(exc)})
    return error_response(exc)


@app.not_found
def handle_not_found(_: Exception) -> Response[str]:
    """Unknown paths and methods under /api/checkout."""
    event = app.current_event
    return not_found_response(event.request_context.http.method, event.path)


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Lambda entry point for API Gateway HTTP API v2 events."""
    return app.resolve(event, context)
