"""The one mapping of domain errors to HTTP status and stable code."""

from __future__ import annotations

import pytest
from shop.errors import (
    BodyTooLargeError,
    CartLimitError,
    CatalogSnapshotError,
    InvalidJsonError,
    NotInCartError,
    OutOfStockError,
    QuantityError,
    RequestValidationError,
    ShopError,
    StoreUnavailableError,
    UnknownSkuError,
)
from shop.http_errors import http_error_for


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (InvalidJsonError("x"), 400, "invalid_json"),
        (RequestValidationError("quantity", "expected an integer"), 422, "invalid_request"),
        (BodyTooLargeError(5000, 4096), 413, "body_too_large"),
        (UnknownSkuError("X-1"), 422, "unknown_sku"),
        (NotInCartError("X-1"), 404, "not_in_cart"),
        (QuantityError("X-1", 11, 1, 10), 422, "quantity_out_of_bounds"),
        (CartLimitError("units", 51, 50), 422, "cart_limit_exceeded"),
        (OutOfStockError("X-1", 3, 2), 409, "out_of_stock"),
        (StoreUnavailableError("carts", "PutItem", "boom"), 503, "service_unavailable"),
        (CatalogSnapshotError("dist/catalog.json", "format", "expected 1"), 500, "internal_error"),
    ],
)
def test_each_error_has_its_status_and_code(error: ShopError, status: int, code: str) -> None:
    mapped = http_error_for(error)
    assert (mapped.status, mapped.code) == (status, code)


def test_client_errors_carry_the_domain_message() -> None:
    body = http_error_for(OutOfStockError("X-1", 3, 2)).body()
    assert body == {
        "error": {
            "code": "out_of_stock",
            "message": 'quantity for "X-1": only 2 available, requested 3',
        }
    }


def test_server_errors_do_not_leak_internals() -> None:
    mapped = http_error_for(StoreUnavailableError("prod-carts-table", "PutItem", "secret detail"))
    assert "prod-carts-table" not in mapped.message
    assert "secret detail" not in mapped.message


def test_an_unmapped_subclass_falls_back_to_its_parent_row() -> None:
    class SpecialStockError(OutOfStockError):
        pass

    assert http_error_for(SpecialStockError("X-1", 1, 0)).code == "out_of_stock"
