"""Reading request bodies: size, JSON syntax, strict types, unknown fields."""

from __future__ import annotations

import pytest
from shop.errors import BodyTooLargeError, InvalidJsonError, RequestValidationError
from shop.request_body import AddItemRequest, SetQuantityRequest, check_sku, parse_body


def test_valid_body_becomes_a_typed_model() -> None:
    request = parse_body('{"sku": "TRS-42-BLK", "quantity": 2}', AddItemRequest, 4096)
    assert (request.sku, request.quantity) == ("TRS-42-BLK", 2)


def test_quantity_defaults_to_one() -> None:
    assert parse_body('{"sku": "A-1"}', AddItemRequest, 4096).quantity == 1


@pytest.mark.parametrize("raw", ["{", "sku=A", "", "   ", "{'sku': 'A'}"])
def test_malformed_json_is_invalid_json(raw: str) -> None:
    with pytest.raises(InvalidJsonError):
        parse_body(raw, AddItemRequest, 4096)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"sku": "A-1", "quantity": "2"}', "quantity"),  # string, not integer
        ('{"sku": "A-1", "quantity": 2.0}', "quantity"),
        ('{"sku": "A-1", "quantity": true}', "quantity"),
        ('{"sku": 7}', "sku"),
        ('{"quantity": 1}', "sku"),
        ('{"sku": "a lower"}', "sku"),
        ('{"sku": "A-1", "price": 1}', "price"),
        ("[1, 2]", "body"),
    ],
)
def test_wrong_types_name_the_field(raw: str, field: str) -> None:
    with pytest.raises(RequestValidationError) as caught:
        parse_body(raw, AddItemRequest, 4096)
    assert caught.value.field == field


def test_body_over_the_limit_is_refused_before_parsing() -> None:
    raw = '{"quantity": 1, "pad": "' + "x" * 5000 + '"}'
    with pytest.raises(BodyTooLargeError) as caught:
        parse_body(raw, SetQuantityRequest, 4096)
    assert caught.value.limit == 4096


def test_check_sku_refuses_path_injection() -> None:
    with pytest.raises(RequestValidationError):
        check_sku("../admin")


@pytest.mark.parametrize("sku", ["ABC-", "-ABC", "A" * 65])
def test_the_api_refuses_every_sku_the_catalog_refuses(sku: str) -> None:
    # "ABC-" passed the API's check though no catalog could hold it.
    from storefront.sku_format import is_catalog_sku

    assert not is_catalog_sku(sku)
    with pytest.raises(RequestValidationError):
        check_sku(sku)
