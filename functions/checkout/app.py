"""Checkout API handler: POST /api/checkout turns the cookie's cart into a Stripe Checkout URL.

Returns `{"url", "session_id", "expires_at"}`; 409 `out_of_stock` names every
short SKU; 422 `empty_cart` when there is nothing to buy; 429 `too_many_holds` when
the client's connection has put its allowance of units on hold this half hour
(shop/hold_allowance.py).
"""

from __future__ import annotations

import functools
import time
from dataclasses import replace

from aws_lambda_powertools.event_handler import Response
from shop.adapters.dynamodb_carts import DynamoDBCartStore
from shop.adapters.dynamodb_hold_ledger import DynamoHoldLedger
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.aws_clients import dynamodb_client
from shop.catalog_source import get_catalog
from shop.checkout_flow import CheckoutContext, start_checkout
from shop.config import get_config, require
from shop.cookies import cart_id_from_cookies
from shop.hold_allowance import HoldAllowanceSpentError
from shop.http_responses import json_response
from shop.lambda_app import HttpFunction
from shop.payment_setup import payment_gateway
from shop.viewer_address import viewer_address

function = HttpFunction("checkout")
app = function.app


def time_for_payment_call() -> bool:
    """Whether this invocation has time left for one more Stripe call, slow as it may be."""
    # Deferred like the gateway itself: the SDK loads on the first checkout, not at cold start.
    from shop.adapters.stripe_gateway import WORST_CALL_SECONDS

    return app.lambda_context.get_remaining_time_in_millis() / 1000 > WORST_CALL_SECONDS + 1


@functools.cache
def checkout_context() -> CheckoutContext:
    """Collaborators built once per container."""
    config = get_config()
    client = dynamodb_client(config.region)
    carts_table = require(config.carts_table, "CARTS_TABLE")
    return CheckoutContext(
        carts=DynamoDBCartStore(client, carts_table),
        reservations=DynamoReservations(
            client,
            require(config.reservations_table, "RESERVATIONS_TABLE"),
            require(config.inventory_table, "INVENTORY_TABLE"),
        ),
        gateway=payment_gateway(config),
        catalog=get_catalog(),
        site_url=config.site_url,
        time_for_payment_call=time_for_payment_call,
        holds=DynamoHoldLedger(client, carts_table),
        allowance=config.hold_allowance,
    )


@app.post("/api/checkout")
def create_checkout() -> Response[str]:
    """POST /api/checkout[?locale=fr]: reserve the cart's units and open a Checkout Session."""
    event = app.current_event
    viewer = viewer_address(
        event.headers, event.request_context.http.source_ip, get_config().origin_secret
    )
    if viewer is None:
        # Through CloudFront without a CloudFront-Viewer-Address that names an IP address:
        # the origin request policy stopped forwarding it, and no hold is counted until
        # it does. Counted, so that an alarm says so (infra/template.yaml).
        function.count("CheckoutViewerUnknown")
        function.logger.warning("checkout without a viewer address: hold allowance not counted")
    try:
        session = start_checkout(
            replace(checkout_context(), catalog=get_catalog()),
            cart_id_from_cookies(event.cookies),
            event.get_query_string_value("locale"),
            int(time.time()),
            viewer,
        )
    except HoldAllowanceSpentError:
        # A shopper never gets here; a steady count is a client hoarding stock.
        function.count("CheckoutHoldsRefused")
        raise
    function.count("CheckoutStarted")
    function.logger.info("checkout session created", extra={"session_id": session.session_id})
    return json_response(
        200,
        {"url": session.url, "session_id": session.session_id, "expires_at": session.expires_at},
    )


handler = function.lambda_handler()
