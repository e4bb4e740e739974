"""Add to cart without JavaScript: the product page's form posts, the shopper lands on the cart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest

from tests.functions.shop.api import ApiResult, cookie_value, invoke, make_event
from tests.functions.shop.aws import CARTS_TABLE, table_item_count

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")

FORM = "application/x-www-form-urlencoded"


def post_form(
    fields: list[tuple[str, str]] | str,
    *,
    cookie: str | None = None,
    referer: str = "https://shop.example.com/products/trail-shoe/",
    query: str | None = None,
    content_type: str = FORM,
) -> ApiResult:
    body = fields if isinstance(fields, str) else urlencode(fields)
    event = make_event(
        "cart_add_item.json",
        cookies=[f"cart_id={cookie}"] if cookie else None,
        body=body,
        query=query,
    )
    event["headers"].update({"content-type": content_type, "referer": referer})
    event["headers"].pop("accept", None)
    return invoke("cart.app", event)


def items(db: DynamoDBClient, cart_id: str) -> list[dict[str, Any]]:
    item = db.get_item(TableName=CARTS_TABLE, Key={"cart_id": {"S": cart_id}})["Item"]
    return [
        {"sku": line["M"]["sku"]["S"], "quantity": int(line["M"]["quantity"]["N"])}
        for line in item["items"]["L"]
    ]


def test_a_form_post_adds_the_item_and_sees_the_shopper_to_the_cart_page(
    db: DynamoDBClient,
) -> None:
    # The product form also posts its option pickers: they are ignored.
    result = post_form([("option-size", "42"), ("sku", "TRS-42-BLK"), ("quantity", "2")])

    assert result.status == 303
    assert result.headers["location"] == "/cart/"
    assert result.headers["cache-control"] == "no-store"
    cart_id = cookie_value(result)
    assert cart_id is not None
    assert any("HttpOnly" in c and "Secure" in c for c in result.cookies)
    assert items(db, cart_id) == [{"sku": "TRS-42-BLK", "quantity": 2}]


def test_a_second_form_post_adds_to_the_same_cart(db: DynamoDBClient) -> None:
    cart_id = cookie_value(post_form([("sku", "SOCK-M"), ("quantity", "1")]))
    assert cart_id is not None

    again = post_form(
        "sku=SOCK-M&quantity=3", cookie=cart_id, content_type=FORM + "; charset=UTF-8"
    )

    assert again.status == 303
    assert cookie_value(again) == cart_id
    assert items(db, cart_id) == [{"sku": "SOCK-M", "quantity": 4}]


def test_a_form_post_from_a_french_page_lands_on_the_french_cart(db: DynamoDBClient) -> None:
    from_page = post_form(
        [("sku", "SOCK-M")], referer="https://shop.example.com/fr/products/merino-sock/"
    )
    by_query = post_form([("sku", "SOCK-M")], query="locale=fr")

    assert (from_page.status, from_page.headers["location"]) == (303, "/fr/cart/")
    assert (by_query.status, by_query.headers["location"]) == (303, "/fr/cart/")


@pytest.mark.parametrize(
    "referer",
    ["https://evil.example/fr/x", "https://evil.example//evil.example/", "javascript:alert(1)", ""],
)
def test_the_redirect_is_always_a_path_on_the_shop(db: DynamoDBClient, referer: str) -> None:
    result = post_form([("sku", "SOCK-M")], referer=referer)
    assert result.status == 303
    assert result.headers["location"] in {"/cart/", "/fr/cart/"}


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ("quantity=1", 422, "invalid_request", "sku"),
        ("sku=SOCK-M&quantity=-1", 422, "invalid_request", "quantity"),
        ("sku=SOCK-M&quantity=1.5", 422, "invalid_request", "quantity"),
        ("sku=SOCK-M&quantity=two", 422, "invalid_request", "quantity"),
        ("sku=SOCK-M&quantity=0", 422, "quantity_out_of_bounds", "quantity"),
        ("sku=SOCK-M&quantity=99", 422, "quantity_out_of_bounds", "quantity"),
        ("sku=SOCK-M&sku=CAP-1", 422, "invalid_request", "sku"),
        ("sku=sock%E2%80%8B-m", 422, "invalid_request", "sku"),
        ("sku=NOPE-1", 422, "unknown_sku", "sku"),
        ("sku=GAIT-0", 409, "out_of_stock", "GAIT-0"),
        ("&".join(f"f{i}=x" for i in range(60)) + "&sku=SOCK-M", 422, "invalid_request", "body"),
        ("sku=SOCK-M&pad=" + "x" * 5000, 413, "body_too_large", "4096"),
    ],
    ids=[
        "no-sku",
        "negative",
        "fraction",
        "words",
        "zero",
        "too-many",
        "two-skus",
        "zero-width",
        "unknown",
        "sold-out",
        "too-many-fields",
        "too-large",
    ],
)
def test_a_refused_form_post_is_a_json_error_naming_the_field_and_writes_nothing(
    db: DynamoDBClient, body: str, status: int, code: str, field: str
) -> None:
    result = post_form(body)

    assert (result.status, result.error_code) == (status, code), result.body
    assert field in result.body["error"]["message"]
    assert table_item_count(db, CARTS_TABLE) == 0
    assert result.cookies == []


def test_json_posts_are_answered_as_before(db: DynamoDBClient) -> None:
    result = post_form('{"sku": "SOCK-M", "quantity": 1}', content_type="application/json")
    assert result.status == 200
    assert result.body["item_count"] == 1
