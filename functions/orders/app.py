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
import re
from dataclasses import replace

from aws_lambda_powertools.event_handler import Response
from shop.catalog_source import get_catalog
from shop.checkout import CheckoutSessionNotFoundError
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

function = HttpFunction("orders")  # publishes OrderNeedsAttention (shop.fulfilment_setup)
app = function.app

_ORDER_ID_MAX = 20
_SESSION_ID_MAX = 255
# What Stripe's Checkout Session ids are made of (openapi.yaml): nothing else reaches Stripe.
_SESSION_ID = re.compile(r"cs_[A-Za-z0-9_]+")


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
    """The order of a just-paid Checkout Session (fulfilled here if the webhook is late).

    Only the browser whose cart checked out learns anything: to anyone else every
    refusal (a made-up id, another integration's session, someone else's order, paid
    or not) is the same 404, which names the session they sent and nothing more
    (an order number would count the shop's sales).
    """
    if len(session_id) > _SESSION_ID_MAX or not _SESSION_ID.fullmatch(session_id):
        raise RequestValidationError("session_id", "expected a Checkout Session id (cs_…)")
    not_found = OrderNotFoundError(session_id[:_ORDER_ID_MAX])
    shopper_cart = cart_id_from_cookies(app.current_event.cookies) or ""
    ctx = replace(orders_context(), catalog=get_catalog())
    order_id = ctx.orders.order_id_for_session(session_id)
    outcome = Outcome.ALREADY_DONE
    if order_id is None:
        try:
            session = parse_session(orders_gateway().retrieve_checkout_session(session_id))
        except CheckoutSessionNotFoundError:
            raise not_found from None
        outcome, order_id = fulfil_session(ctx, session, event_type="success_page")
        if outcome is Outcome.NOT_OURS:  # another integration's session on the account
            raise not_found
        if order_id is None:
            # Not paid (yet): a delayed payment method, or the shopper came back unpaid.
            if not hmac.compare_digest(shopper_cart, session.client_reference_id or "-"):
                raise not_found
            return json_response(202, {"status": str(outcome), "order": None})
    found = ctx.orders.get_order(order_id)
    order = found[0] if found else None
    if order is None or not hmac.compare_digest(shopper_cart, order.cart_id or "-"):
        # Recorded all the same (the fulfilment above), but its details are the shopper's.
        raise not_found
    if order.erased_at is not None:  # the shopper's data is gone, as they asked
        raise not_found
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
