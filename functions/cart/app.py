"""Cart API handler: wires Powertools to the cart actions; no logic of its own.

Routes (spec: functions/openapi.yaml): GET /api/cart; POST /api/cart/items;
PATCH and DELETE /api/cart/items/{sku}; POST and DELETE /api/cart/saved/{sku};
POST /api/cart/saved/{sku}/move-to-cart. The cart id only ever comes from the
cookie, so no route can name another shopper's cart.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from shop import cart_actions as actions
from shop.adapters.dynamodb_carts import DynamoDBCartStore
from shop.adapters.dynamodb_inventory import DynamoDBInventory
from shop.aws_clients import dynamodb_client
from shop.catalog import get_catalog
from shop.config import get_config, require
from shop.cookies import cart_cookie, cart_id_from_cookies
from shop.http_responses import json_response
from shop.lambda_app import HttpFunction
from shop.sku import check_sku

if TYPE_CHECKING:
    from shop.request_body import AddItemRequest, SetQuantityRequest

function = HttpFunction("cart")
app = function.app
router = Router()  # type: ignore[no-untyped-call]  # Powertools leaves __init__ unannotated


@functools.cache
def cart_context() -> actions.CartContext:
    """Collaborators built once per container from the configuration."""
    config = get_config()
    client = dynamodb_client(config.region)
    return actions.CartContext(
        store=DynamoDBCartStore(client, require(config.carts_table, "CARTS_TABLE")),
        inventory=DynamoDBInventory(client, require(config.inventory_table, "INVENTORY_TABLE")),
        catalog=get_catalog(),
        limits=config.cart_limits,
        clock=lambda: datetime.now(UTC),
    )


def _cart_id() -> str | None:
    return cart_id_from_cookies(app.current_event.cookies)


def _locale() -> str | None:
    return app.current_event.get_query_string_value("locale")


def _respond(outcome: actions.CartOutcome, status: int = 200) -> Response[str]:
    cookies = []
    if outcome.cookie == "set" and outcome.cart is not None:
        cookies.append(cart_cookie(outcome.cart.cart_id))
    return json_response(status, outcome.body, cookies=cookies)


def _body(model_name: str) -> Any:
    # pydantic is imported on the first write, not at cold start: the most
    # frequent call by far is the header counter's GET /api/cart, which has no body.
    from shop import request_body

    model = getattr(request_body, model_name)
    event = app.current_event
    limit = get_config().max_body_bytes
    # Not Powertools' decoded_body: it raises on bytes that are not UTF-8 (a 500).
    text = request_body.body_text(event.body, bool(event.is_base64_encoded), limit)
    return request_body.parse_body(text, model, limit)


@router.get("/")
def get_cart() -> Response[str]:
    """GET /api/cart."""
    return _respond(actions.show_cart(cart_context(), _cart_id(), _locale()))


@router.post("/items")
def add_item() -> Response[str]:
    """POST /api/cart/items {"sku", "quantity"}."""
    request: AddItemRequest = _body("AddItemRequest")
    outcome = actions.add_to_cart(
        cart_context(), _cart_id(), request.sku, request.quantity, _locale()
    )
    function.count("CartItemAdded")
    return _respond(outcome)


@router.patch("/items/<sku>")
def change_item(sku: str) -> Response[str]:
    """PATCH /api/cart/items/{sku} {"quantity"}; 0 removes the line."""
    request: SetQuantityRequest = _body("SetQuantityRequest")
    return _respond(
        actions.change_quantity(
            cart_context(), _cart_id(), check_sku(sku), request.quantity, _locale()
        )
    )


@router.delete("/items/<sku>")
def remove_item(sku: str) -> Response[str]:
    """DELETE /api/cart/items/{sku}."""
    return _respond(actions.remove_from_cart(cart_context(), _cart_id(), check_sku(sku), _locale()))


@router.post("/saved/<sku>")
def save_item(sku: str) -> Response[str]:
    """POST /api/cart/saved/{sku}: move the cart line to saved for later."""
    return _respond(actions.save_for_later(cart_context(), _cart_id(), check_sku(sku), _locale()))


@router.post("/saved/<sku>/move-to-cart")
def restore_item(sku: str) -> Response[str]:
    """POST /api/cart/saved/{sku}/move-to-cart: move a saved line back into the cart."""
    return _respond(actions.move_to_cart(cart_context(), _cart_id(), check_sku(sku), _locale()))


@router.delete("/saved/<sku>")
def forget_item(sku: str) -> Response[str]:
    """DELETE /api/cart/saved/{sku}: forget a saved line."""
    return _respond(actions.forget_saved(cart_context(), _cart_id(), check_sku(sku), _locale()))


app.include_router(router, prefix="/api/cart")
handler = function.lambda_handler()
