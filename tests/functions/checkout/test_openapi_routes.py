"""The checkout, orders and webhook routes are in functions/openapi.yaml."""

from __future__ import annotations

from tests.functions.shop.api import openapi_spec


def test_checkout_orders_and_webhook_routes_are_documented() -> None:
    paths = openapi_spec()["paths"]
    expected = {
        ("/api/checkout", "post"),
        ("/api/orders/{order_id}", "get"),
        ("/api/orders/session/{session_id}", "get"),
        ("/api/stripe/webhook", "post"),
    }
    assert {(p, m) for p, m in expected if m in paths.get(p, {})} == expected


def test_webhook_refusal_codes_are_documented() -> None:
    spec = openapi_spec()
    codes = spec["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]
    assert {"invalid_signature", "invalid_payload"} <= set(codes["enum"])
