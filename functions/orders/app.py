"""Orders API: the order status page and the checkout success page.

- `GET /api/orders/{order_id}?t=<token>`: the order, its status history and
  tracking. A wrong or missing token answers 404, exactly like a missing order.
- `GET /api/orders/session/{session_id}`: the success page's lookup. It asks
  Stripe for the session and runs the same fulfilment as the webhook, so the
  order exists even if the webhook is late; returns the order's link.
"""

from __future__ import annotations

import functools
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext
from shop.adapters.dynamodb_carts import DynamoDBCartStore
from shop.adapters.dynamodb_orders import DynamoOrders
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.aws_clients import dynamodb_client
from shop.catalog import get_catalog
from shop.config import get_config, require
from shop.errors import RequestValidationError, ShopConfigError, ShopError, StoreUnavailableError
from shop.fulfilment import Fulfilment, Outcome, fulfil_session
from shop.http_responses import error_response, json_response, not_found_response
from shop.order_view import check_access, order_json
from shop.orders import OrderNotFoundError
from shop.payment_setup import payment_gateway
from shop.webhook_events import parse_session

logger = Logger()
tracer = Tracer()
app = APIGatewayHttpResolver()

_ORDER_ID_MAX = 20
_SESSION_ID_MAX = 255


@functools.cache
def orders_context() -> Fulfilment:
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


@app.get("/api/orders/session/<session_id>")
def order_for_session(session_id: str) -> Response[str]:
    """The order of a just-paid Checkout Session (fulfilled here if the webhook is late)."""
    if not session_id.startswith("cs_") or len(session_id) > _SESSION_ID_MAX:
        raise RequestValidationError("session_id", "expected a Checkout Session id (cs_…)")
    ctx = orders_context()
    order_id = ctx.orders.order_id_for_session(session_id)
    outcome = Outcome.ALREADY_DONE
    if order_id is None:
        session = parse_session(payment_gateway(get_config()).retrieve_checkout_session(session_id))
        outcome, order_id = fulfil_session(ctx, session, event_type="success_page")
    if order_id is None:
        # Not paid (yet): a delayed payment method, or the shopper came back unpaid.
        return json_response(202, {"status": str(outcome), "order": None})
    found = ctx.orders.get_order(order_id)
    if found is None:
        raise OrderNotFoundError(order_id)
    order = found[0]
    return json_response(
        200,
        {
            "status": str(outcome),
            "order": order_json(order),
            "token": order.access_token,
        },
    )


@app.get("/api/orders/<order_id>")
def get_order(order_id: str) -> Response[str]:
    """The order status page's data; 404 unless `t` is the order's token."""
    if not order_id.isdigit() or len(order_id) > _ORDER_ID_MAX:
        raise OrderNotFoundError(order_id[:_ORDER_ID_MAX])
    found = orders_context().orders.get_order(order_id)
    token = app.current_event.get_query_string_value("t")
    order = check_access(found[0] if found else None, order_id, token)
    return json_response(200, {"order": order_json(order)})


@app.exception_handler(ShopError)  # type: ignore[untyped-decorator]
def handle_shop_error(exc: ShopError) -> Response[str]:
    """Every domain error becomes its documented status and code."""
    if isinstance(exc, StoreUnavailableError | ShopConfigError):
        logger.exception("orders request failed on the server side")
    return error_response(exc)


@app.not_found
def handle_not_found(_: Exception) -> Response[str]:
    """Unknown paths and methods under /api/orders."""
    event = app.current_event
    return not_found_response(event.request_context.http.method, event.path)


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Lambda entry point for API Gateway HTTP API v2 events."""
    return app.resolve(event, context)
