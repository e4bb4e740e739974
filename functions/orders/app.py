"""Orders API: the order status page and the checkout success page.

- `GET /api/orders/{order_id}?t=<token>`: the order, its status history and
  tracking. A wrong or missing token answers 404, exactly like a missing order.
- `GET /api/orders/session/{session_id}`: the success page's lookup. It asks
  Stripe for the session and runs the same fulfilment as the webhook, so the
  order exists even if the webhook is late; returns the order and its token
  only to the browser that checked out (its cart cookie is the order's cart):
  a session id travels in shared links, logs and browser history.
"""

from __future__ import annotations

import functools
import hmac
from dataclasses import replace

from aws_lambda_powertools.event_handler import Response
from shop.catalog import get_catalog
from shop.config import get_config
from shop.cookies import cart_id_from_cookies
from shop.errors import RequestValidationError
from shop.fulfilment import Fulfilment, Outcome, fulfil_session
from shop.fulfilment_setup import dynamodb_fulfilment
from shop.http_responses import json_response
from shop.lambda_app import HttpFunction
from shop.order_view import check_access, order_json
from shop.orders import OrderNotFoundError
from shop.payment_setup import payment_gateway
from shop.ports import PaymentGateway
from shop.webhook_events import parse_session

function = HttpFunction("orders", publishes_metrics=False)
app = function.app

_ORDER_ID_MAX = 20
_SESSION_ID_MAX = 255


@functools.cache
def orders_context() -> Fulfilment:
    """Collaborators built once per container."""
    return dynamodb_fulfilment(get_config())


@functools.cache
def orders_gateway() -> PaymentGateway:
    """Stripe's client, with its secret read from SSM once per container."""
    return payment_gateway(get_config())


@app.get("/api/orders/session/<session_id>")
def order_for_session(session_id: str) -> Response[str]:
    """The order of a just-paid Checkout Session (fulfilled here if the webhook is late)."""
    if not session_id.startswith("cs_") or len(session_id) > _SESSION_ID_MAX:
        raise RequestValidationError("session_id", "expected a Checkout Session id (cs_…)")
    ctx = replace(orders_context(), catalog=get_catalog())
    order_id = ctx.orders.order_id_for_session(session_id)
    outcome = Outcome.ALREADY_DONE
    if order_id is None:
        session = parse_session(orders_gateway().retrieve_checkout_session(session_id))
        outcome, order_id = fulfil_session(ctx, session, event_type="success_page")
    if outcome is Outcome.NOT_OURS:
        # Another integration's session on the same Stripe account: no order of ours.
        raise OrderNotFoundError(session_id[:_ORDER_ID_MAX])
    if order_id is None:
        # Not paid (yet): a delayed payment method, or the shopper came back unpaid.
        return json_response(202, {"status": str(outcome), "order": None})
    found = ctx.orders.get_order(order_id)
    if found is None:
        raise OrderNotFoundError(order_id)
    order = found[0]
    shopper_cart = cart_id_from_cookies(app.current_event.cookies)
    if not order.cart_id or not hmac.compare_digest(shopper_cart or "", order.cart_id):
        # Recorded all the same (the fulfilment above), but its details are the shopper's.
        raise OrderNotFoundError(order_id)
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
    # isascii: str.isdigit also accepts "²" and other scripts' digits.
    if not (order_id.isascii() and order_id.isdigit()) or len(order_id) > _ORDER_ID_MAX:
        raise OrderNotFoundError(order_id[:_ORDER_ID_MAX])
    found = orders_context().orders.get_order(order_id)
    token = app.current_event.get_query_string_value("t")
    order = check_access(found[0] if found else None, order_id, token)
    return json_response(200, {"order": order_json(order)})


handler = function.lambda_handler()
