"""Cart API handler: wires Powertools to the cart actions; no logic of its own.

Routes (spec: functions/openapi.yaml): GET /api/cart; POST /api/cart/items (JSON,
or the product page's plain form post, answered with 303 to the cart page);
PATCH and DELETE /api/cart/items/{sku}; POST and DELETE /api/cart/saved/{sku};
POST /api/cart/saved/{sku}/move-to-cart. The cart id only ever comes from the
cookie, so no route can name another shopper's cart. A write from another site's
page is refused before any route runs (shop.lambda_app). A form post is never
answered with JSON, which a browser without JavaScript would show raw: a refused
one (cross-site, sold out, bad field, cart full...) is sent to the cart page with
`?error=<stable code>` (and `&sku=` when stock ran short), and nothing changes.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from shop import cart_actions as actions
from shop.adapters.dynamodb_carts import DynamoDBCartStore
from shop.adapters.dynamodb_inventory import DynamoDBInventory
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.aws_clients import dynamodb_client
from shop.catalog_source import get_catalog
from shop.config import get_config, require
from shop.cookies import cart_cookie, cart_id_from_cookies
from shop.errors import CrossOriginError, OutOfStockError, ShopError
from shop.http_errors import http_error_for
from shop.http_responses import json_response, redirect_response
from shop.lambda_app import HttpFunction
from shop.site_paths import (
    CART_ADDED_ANCHOR,
    CART_PAGE,
    cart_refusal_anchor,
    locale_of_page,
    localized_path,
)
from shop.sku import check_sku, is_sku

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
        holds=DynamoReservations(
            client,
            require(config.reservations_table, "RESERVATIONS_TABLE"),
            require(config.inventory_table, "INVENTORY_TABLE"),
        ),
    )


def _context() -> actions.CartContext:
    """The container's collaborators with the catalog as deployed now (shop.catalog_source)."""
    return replace(cart_context(), catalog=get_catalog())


def _cart_id() -> str | None:
    return cart_id_from_cookies(app.current_event.cookies)


def _locale() -> str | None:
    return app.current_event.get_query_string_value("locale")


def _respond(outcome: actions.CartOutcome, status: int = 200) -> Response[str]:
    cookies = []
    if outcome.cookie == "set" and outcome.cart is not None:
        cookies.append(cart_cookie(outcome.cart.cart_id))
    return json_response(status, outcome.body, cookies=cookies)


# What an HTML form can post (always with POST): the browser shows whatever the answer is.
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")


def _media_type() -> str:
    content_type = app.current_event.headers.get("content-type") or ""
    return content_type.split(";", 1)[0].strip().lower()


def _is_form_post() -> bool:
    return _media_type() == _FORM_TYPES[0]


def _body_text() -> str:
    from shop import request_body

    event = app.current_event
    # Not Powertools' decoded_body: it raises on bytes that are not UTF-8 (a 500).
    return request_body.body_text(
        event.body, bool(event.is_base64_encoded), get_config().max_body_bytes
    )


def _body(model_name: str, *, form: bool = False, text: str | None = None) -> Any:
    # pydantic is imported on the first write, not at cold start: the most
    # frequent call by far is the header counter's GET /api/cart, which has no body.
    from shop import request_body

    model = getattr(request_body, model_name)
    limit = get_config().max_body_bytes
    text = _body_text() if text is None else text
    if form:
        return request_body.parse_form(text, model, limit)
    return request_body.parse_body(text, model, limit, _media_type())


def _cart_page() -> str:
    """The cart page in the shopper's language: `?locale=`, else the page the form was on."""
    store = _context().catalog.store
    referer = app.current_event.headers.get("referer") or ""
    locale = _locale() or locale_of_page(referer, store.locales)
    chosen = actions.resolve_locale(_context().catalog, locale)
    # Only a path built from a published locale: never an open redirect.
    return localized_path(CART_PAGE, chosen, store.default_locale)


def _refused_form(exc: ShopError) -> Response[str]:
    """A refused form post: 303 to the cart page flagged with the refusal's stable code."""
    function.log_shop_error(exc)
    try:
        page = _cart_page()
    except ShopError:
        # An unpublished ?locale=, or no catalog to read the locales from: an error
        # raised here would escape Powertools' error handling, so the default cart page.
        page = CART_PAGE
    # Only tokens the shop made: a code from shop.http_errors' table and a catalog SKU
    # (cart.js asks the stock API how many are left). Never the client's text, so a
    # crafted link cannot make the cart page say anything the shop does not.
    query = [("error", http_error_for(exc).code)]
    if isinstance(exc, OutOfStockError) and is_sku(exc.sku):
        query.append(("sku", exc.sku))
    # The shopper's browser navigates to this answer, as after an accepted form post:
    # it shows their own cart, untouched (no cookie is set), and the message: the page's
    # notice at the anchor without JavaScript, cart.js's (with the count left) with it.
    code = http_error_for(exc).code
    return redirect_response(f"{page}?{urlencode(query)}#{cart_refusal_anchor(code)}")


def refuse_cross_origin(exc: CrossOriginError) -> Response[str]:
    """A write from another site's page: a form post lands on the cart page, flagged."""
    is_form = app.current_event.request_context.http.method == "POST" and (
        _media_type() in _FORM_TYPES
    )
    if not is_form:
        return function.answer_shop_error(exc)
    return _refused_form(exc)


@router.get("/")
def get_cart() -> Response[str]:
    """GET /api/cart."""
    return _respond(actions.show_cart(_context(), _cart_id(), _locale()))


@router.post("/items")
def add_item() -> Response[str]:
    """POST /api/cart/items {"sku", "quantity"} as JSON, or as a form (303 to the cart page)."""
    if _is_form_post():
        return _add_item_from_form()
    request: AddItemRequest = _body("AddItemRequest")
    outcome = actions.add_to_cart(_context(), _cart_id(), request.sku, request.quantity, _locale())
    function.count("CartItemAdded")
    return _respond(outcome)


def _add_item_from_form() -> Response[str]:
    """The product page's form without JavaScript: accepted or refused, the cart page."""
    from shop.request_body import form_options

    try:
        text = _body_text()
        request: AddItemRequest = _body("AddItemRequest", form=True, text=text)
        sku = request.sku
        chosen = form_options(text)
        if chosen:
            # Without JavaScript the posted `sku` is the page's preselected variant;
            # the option pickers say which one the shopper chose.
            sku = _context().catalog.variant_with(check_sku(sku), chosen)
        outcome = actions.add_to_cart(_context(), _cart_id(), sku, request.quantity, _locale())
    except ShopError as exc:
        # Every refusal raises before the cart is written: the cart and cookie stay as they were.
        return _refused_form(exc)
    function.count("CartItemAdded")
    cookies = [cart_cookie(outcome.cart.cart_id)] if outcome.cart is not None else []
    # At the page's "added" notice: without JavaScript the cart itself cannot show.
    return redirect_response(f"{_cart_page()}#{CART_ADDED_ANCHOR}", cookies=cookies)


@router.patch("/items/<sku>")
def change_item(sku: str) -> Response[str]:
    """PATCH /api/cart/items/{sku} {"quantity"}; 0 removes the line."""
    request: SetQuantityRequest = _body("SetQuantityRequest")
    return _respond(
        actions.change_quantity(_context(), _cart_id(), check_sku(sku), request.quantity, _locale())
    )


@router.delete("/items/<sku>")
def remove_item(sku: str) -> Response[str]:
    """DELETE /api/cart/items/{sku}."""
    return _respond(actions.remove_from_cart(_context(), _cart_id(), check_sku(sku), _locale()))


@router.post("/saved/<sku>")
def save_item(sku: str) -> Response[str]:
    """POST /api/cart/saved/{sku}: move the cart line to saved for later."""
    return _respond(actions.save_for_later(_context(), _cart_id(), check_sku(sku), _locale()))


@router.post("/saved/<sku>/move-to-cart")
def restore_item(sku: str) -> Response[str]:
    """POST /api/cart/saved/{sku}/move-to-cart: move a saved line back into the cart."""
    return _respond(actions.move_to_cart(_context(), _cart_id(), check_sku(sku), _locale()))


@router.delete("/saved/<sku>")
def forget_item(sku: str) -> Response[str]:
    """DELETE /api/cart/saved/{sku}: forget a saved line."""
    return _respond(actions.forget_saved(_context(), _cart_id(), check_sku(sku), _locale()))


# Found before HttpFunction's ShopError handler: Powertools looks handlers up along the MRO.
app.exception_handler(CrossOriginError)(refuse_cross_origin)
app.include_router(router, prefix="/api/cart")
handler = function.lambda_handler()
