"""functions/openapi.yaml is a valid OpenAPI 3.1 document that documents what the code does."""

from __future__ import annotations

from openapi_spec_validator import validate
from shop.http_errors import ERROR_TABLE

from tests.functions.shop.api import openapi_spec


def test_spec_is_valid_openapi_3_1() -> None:
    spec = openapi_spec()
    assert spec["openapi"].startswith("3.1")
    validate(spec)  # raises on any violation


def test_every_error_code_the_code_can_send_is_documented() -> None:
    documented = set(
        openapi_spec()["components"]["schemas"]["Error"]["properties"]["error"]["properties"][
            "code"
        ]["enum"]
    )
    sent = {code for _, code in ERROR_TABLE.values()} | {"not_found"}
    assert sent <= documented, f"undocumented codes: {sorted(sent - documented)}"


def test_cart_and_stock_routes_are_documented() -> None:
    paths = openapi_spec()["paths"]
    expected = {
        ("/api/cart", "get"),
        ("/api/cart/items", "post"),
        ("/api/cart/items/{sku}", "patch"),
        ("/api/cart/items/{sku}", "delete"),
        ("/api/cart/saved/{sku}", "post"),
        ("/api/cart/saved/{sku}", "delete"),
        ("/api/cart/saved/{sku}/move-to-cart", "post"),
        ("/api/stock", "get"),
    }
    assert {(path, method) for path, method in expected if method in paths.get(path, {})} == (
        expected
    )
