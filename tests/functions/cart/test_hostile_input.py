"""Hostile requests at the cart and stock handlers: refused with their documented code, no write.

Oversized, deeply nested, non-UTF-8 and badly encoded bodies; SKUs dressed up
with homoglyphs, zero-width and bidi characters, NUL or a trailing newline;
quantities of every wrong kind; forged cart cookies; and requests from another
origin (the API is same-origin: it sends no CORS headers at all).
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

from tests.functions.shop.api import (
    ApiResult,
    assert_matches_openapi,
    cookie_value,
    invoke,
    make_event,
)
from tests.functions.shop.aws import CARTS_TABLE, table_item_count
from tests.functions.shop.factories import make_snapshot

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")

CART = "cart.app"
FOREIGN_ORIGIN = "https://evil.example"


def post_item(body: str, *, base64_body: bool = False, cookie: str | None = None) -> ApiResult:
    event = make_event(
        "cart_add_item.json", cookies=[f"cart_id={cookie}"] if cookie else None, body=body
    )
    if base64_body:
        event["body"] = base64.b64encode(body.encode("utf-8", "surrogatepass")).decode()
        event["isBase64Encoded"] = True
    return invoke(CART, event)


def post_bytes(raw: bytes) -> ApiResult:
    event = make_event("cart_add_item.json", cookies=None, body="")
    event["body"] = base64.b64encode(raw).decode()
    event["isBase64Encoded"] = True
    return invoke(CART, event)


def assert_refused(
    db: DynamoDBClient, result: ApiResult, status: int, code: str, *words: str
) -> None:
    """The documented status and code, a message naming the problem, and no cart written."""
    assert (result.status, result.error_code) == (status, code), result.body
    message = result.body["error"]["message"]
    for word in words:
        assert word in message, message
    assert_matches_openapi("POST", "/api/cart/items", result)
    assert table_item_count(db, CARTS_TABLE) == 0
    assert result.cookies == []


# --- bodies ----------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_413_before_it_is_read(db: DynamoDBClient) -> None:
    body = json.dumps({"sku": "SOCK-M", "quantity": 1, "pad": "x" * 70_000})
    assert_refused(db, post_item(body), 413, "body_too_large", "at most 4096 bytes")
    assert_refused(db, post_item(body, base64_body=True), 413, "body_too_large", "4096")


def test_a_body_just_over_the_limit_in_multibyte_text_is_413(db: DynamoDBClient) -> None:
    body = json.dumps({"sku": "SOCK-M", "pad": "é" * 2100}, ensure_ascii=False)  # 4.2 KB
    assert_refused(db, post_item(body), 413, "body_too_large", "got 42")


@pytest.mark.parametrize(
    "body",
    ["[" * 2000 + "]" * 2000, '{"sku": ' + "[" * 2000 + "]" * 2000 + "}", "[" * 4000],
    ids=["deep-array", "deep-field", "unclosed-arrays"],
)
def test_deeply_nested_json_is_400_invalid_json_not_a_crash(db: DynamoDBClient, body: str) -> None:
    result = post_item(body)
    assert result.status == 400, result.body
    assert result.error_code == "invalid_json"
    assert table_item_count(db, CARTS_TABLE) == 0


def test_a_body_that_is_not_utf8_is_400_invalid_json(db: DynamoDBClient) -> None:
    result = post_bytes(b'{"sku": "SOCK-M\xff\xfe", "quantity": 1}')
    assert_refused(db, result, 400, "invalid_json", "UTF-8")


def test_a_body_that_is_not_base64_when_flagged_so_is_400(db: DynamoDBClient) -> None:
    event = make_event("cart_add_item.json", cookies=None, body="not base64 at all!")
    event["isBase64Encoded"] = True
    assert_refused(db, invoke(CART, event), 400, "invalid_json", "base64")


def test_a_lone_surrogate_in_a_sku_is_refused_and_the_answer_is_valid_utf8(
    db: DynamoDBClient,
) -> None:
    result = post_item('{"sku": "SOCK-M\\ud800", "quantity": 1}')
    assert_refused(db, result, 422, "invalid_request", "sku")
    json.dumps(result.body, ensure_ascii=False).encode("utf-8")  # would raise on a surrogate


# --- SKUs ------------------------------------------------------------------------------------

TRICK_SKUS = {
    "cyrillic-T": "\u0422RS-42-BLK",  # Т looks like T
    "fullwidth": "\uff34\uff32\uff33-42-BLK",
    "zero-width-space": "TRS-42\u200b-BLK",
    "zero-width-joiner": "SOCK-M\u200d",
    "rtl-override": "\u202eKLB-24-SRT",
    "nul": "SOCK-M\u0000",
    "trailing-newline": "SOCK-M\n",
    "lowercase": "sock-m",
    "path": "../SOCK-M",
    "too-long": "A" * 65,
}


@pytest.mark.parametrize("sku", TRICK_SKUS.values(), ids=TRICK_SKUS.keys())
def test_unicode_tricks_in_a_body_sku_are_422_naming_the_field(
    db: DynamoDBClient, sku: str
) -> None:
    result = post_item(json.dumps({"sku": sku, "quantity": 1}))
    assert_refused(db, result, 422, "invalid_request", "sku", "expected a SKU")


@pytest.mark.parametrize("sku", TRICK_SKUS.values(), ids=TRICK_SKUS.keys())
def test_unicode_tricks_in_a_path_sku_are_refused_never_a_crash(
    db: DynamoDBClient, sku: str
) -> None:
    path = "/api/cart/items/" + quote(sku, safe="")
    event = make_event("cart_patch_item.json", cookies=None, body='{"quantity": 1}', path=path)
    event["pathParameters"] = {"proxy": "items/" + sku}
    result = invoke(CART, event)
    # A validation error, before the cart is looked up: a SKU let through would end in
    # 404 (no such line in a cart without a cookie). Its "/" is sent encoded (%2F).
    assert (result.status, result.error_code) == (422, "invalid_request")
    assert table_item_count(db, CARTS_TABLE) == 0


@pytest.mark.parametrize("sku", TRICK_SKUS.values(), ids=TRICK_SKUS.keys())
def test_unicode_tricks_in_a_stock_query_are_422(db: DynamoDBClient, sku: str) -> None:
    result = invoke("stock.app", make_event("stock_get.json", query="sku=" + quote(sku)))
    if sku.strip() != sku and sku.strip() in make_snapshot().skus:
        # Surrounding white space is trimmed from query values: the plain SKU is answered.
        assert (result.status, list(result.body["skus"])) == (200, [sku.strip()])
        return
    assert (result.status, result.error_code) == (422, "invalid_request"), result.body
    assert "sku" in result.body["error"]["message"]


def test_a_well_formed_sku_the_catalog_does_not_sell_is_unknown_sku(db: DynamoDBClient) -> None:
    result = post_item('{"sku": "TRS-42-BLK-X", "quantity": 1}')
    assert_refused(db, result, 422, "unknown_sku", "TRS-42-BLK-X")


# --- quantities ------------------------------------------------------------------------------

BAD_QUANTITIES: dict[str, tuple[Any, str]] = {
    "negative": (-1, "quantity_out_of_bounds"),
    "zero": (0, "quantity_out_of_bounds"),
    "above-the-line-limit": (11, "quantity_out_of_bounds"),
    "huge": (10**30, "quantity_out_of_bounds"),
    "float": (1.0, "invalid_request"),
    "fraction": (1.5, "invalid_request"),
    "string": ("2", "invalid_request"),
    "boolean": (True, "invalid_request"),
    "null": (None, "invalid_request"),
    "list": ([1], "invalid_request"),
}


@pytest.mark.parametrize(("quantity", "code"), BAD_QUANTITIES.values(), ids=BAD_QUANTITIES.keys())
def test_bad_quantities_are_refused_naming_the_quantity(
    db: DynamoDBClient, quantity: Any, code: str
) -> None:
    result = post_item(json.dumps({"sku": "SOCK-M", "quantity": quantity}))
    assert_refused(db, result, 422, code, "quantity")


def test_a_huge_value_is_not_repeated_back_whole(db: DynamoDBClient) -> None:
    result = post_item('{"sku": "SOCK-M", "quantity": ' + "9" * 4000 + "}")
    assert_refused(db, result, 422, "quantity_out_of_bounds", "quantity", "9999…")
    assert len(result.body["error"]["message"]) < 200


@pytest.mark.parametrize("literal", ["1e400", "1e-400"])
def test_exponent_quantities_are_refused(db: DynamoDBClient, literal: str) -> None:
    result = post_item('{"sku": "SOCK-M", "quantity": ' + literal + "}")
    assert_refused(db, result, 422, "invalid_request", "quantity")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_values_json_does_not_have_are_invalid_json(db: DynamoDBClient, literal: str) -> None:
    # Python's parser reads them; JSON has no such values.
    result = post_item('{"sku": "SOCK-M", "quantity": ' + literal + "}")
    assert_refused(db, result, 400, "invalid_json", literal)


def test_a_key_given_twice_is_invalid_json_naming_it(db: DynamoDBClient) -> None:
    # Parsers differ on which one counts: the request is ambiguous, so refused.
    result = post_item('{"sku": "SOCK-M", "quantity": 1, "sku": "TRS-42-BLK"}')
    assert_refused(db, result, 400, "invalid_json", '"sku"', "twice")


@pytest.mark.parametrize("media_type", ["text/plain", "application/xml", "multipart/form-data"])
def test_a_body_in_another_media_type_is_415(db: DynamoDBClient, media_type: str) -> None:
    event = make_event("cart_add_item.json", cookies=None, body='{"sku": "SOCK-M"}')
    event["headers"]["content-type"] = media_type
    result = invoke(CART, event)
    assert_refused(db, result, 415, "unsupported_media_type", media_type, "application/json")


# --- cookies ---------------------------------------------------------------------------------


def _victim_cart(db: DynamoDBClient) -> str:
    first = post_item('{"sku": "TRS-42-BLK", "quantity": 2}')
    cart_id = cookie_value(first)
    assert cart_id is not None
    return cart_id


@pytest.mark.parametrize(
    "forge",
    [
        lambda victim: victim[:-1] + ("0" if victim[-1] != "0" else "1"),  # tampered
        lambda victim: victim.upper(),
        lambda victim: victim + "00",
        lambda victim: victim[:31],
        lambda victim: victim + "\u0000",
        lambda victim: f'"{victim}"',
        lambda victim: "0" * 32,
    ],
    ids=["one-char-changed", "uppercase", "longer", "shorter", "nul", "quoted", "zeros"],
)
def test_a_forged_cookie_gets_a_new_cart_never_the_victims(db: DynamoDBClient, forge: Any) -> None:
    victim = _victim_cart(db)
    before = db.get_item(TableName=CARTS_TABLE, Key={"cart_id": {"S": victim}})["Item"]

    forged = forge(victim)
    read = invoke(CART, make_event("cart_get.json", cookies=[f"cart_id={forged}"]))
    assert (read.status, read.body["items"]) == (200, [])
    write = post_item('{"sku": "SOCK-M", "quantity": 1}', cookie=forged)

    assert write.status == 200
    new_id = cookie_value(write)
    assert new_id not in (None, victim, forged)
    assert [item["sku"] for item in write.body["items"]] == ["SOCK-M"]
    after = db.get_item(TableName=CARTS_TABLE, Key={"cart_id": {"S": victim}})["Item"]
    assert after == before


def test_an_injected_cookie_header_cannot_set_attributes_or_another_id(db: DynamoDBClient) -> None:
    victim = _victim_cart(db)
    cookies = [f"cart_id=zz; cart_id={victim}x", "session=1; cart_id=\r\nSet-Cookie: a=b"]
    event = make_event("cart_add_item.json", cookies=cookies, body='{"sku": "SOCK-M"}')
    result = invoke(CART, event)
    assert result.status == 200
    assert cookie_value(result) not in (None, victim)
    for header in result.cookies:
        assert not set(header) & {"\r", "\n"}


# --- other origins ---------------------------------------------------------------------------


def test_a_request_from_another_origin_gets_no_cors_headers(db: DynamoDBClient) -> None:
    event = make_event("cart_get.json")
    event["headers"]["origin"] = FOREIGN_ORIGIN
    result = invoke(CART, event)
    assert result.status == 200
    assert not [name for name in result.headers if name.startswith("access-control-")]


def test_a_cors_preflight_from_another_origin_is_not_granted(db: DynamoDBClient) -> None:
    event = make_event("cart_add_item.json", cookies=None, body=None, method="OPTIONS")
    event["headers"].update(
        {
            "origin": FOREIGN_ORIGIN,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        }
    )
    result = invoke(CART, event)
    assert result.status == 404
    assert not [name for name in result.headers if name.startswith("access-control-")]
    assert table_item_count(db, CARTS_TABLE) == 0
