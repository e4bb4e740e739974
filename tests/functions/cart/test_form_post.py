"""Add to cart without JavaScript: the product page's form posts, the shopper lands on the cart."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest

from tests.functions.shop.api import (
    ApiResult,
    assert_matches_openapi,
    clear_container_caches,
    cookie_value,
    invoke,
    make_event,
    openapi_spec,
)
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
    # The product form also posts its option pickers; this snapshot records no options
    # for the SKU (written before it did), so they are not used.
    result = post_form([("option-size", "42"), ("sku", "TRS-42-BLK"), ("quantity", "2")])

    assert result.status == 303
    assert result.headers["location"] == "/cart/#added"
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

    assert (from_page.status, from_page.headers["location"]) == (303, "/fr/cart/#added")
    assert (by_query.status, by_query.headers["location"]) == (303, "/fr/cart/#added")


@pytest.mark.parametrize(
    "referer",
    ["https://evil.example/fr/x", "https://evil.example//evil.example/", "javascript:alert(1)", ""],
)
def test_the_redirect_is_always_a_path_on_the_shop(db: DynamoDBClient, referer: str) -> None:
    result = post_form([("sku", "SOCK-M")], referer=referer)
    assert result.status == 303
    assert result.headers["location"] in {"/cart/#added", "/fr/cart/#added"}


# (form body, the code the cart page is flagged with, the SKU named with it)
FORM_REFUSALS = [
    ("quantity=1", "invalid_request", None),
    ("sku=SOCK-M&quantity=-1", "invalid_request", None),
    ("sku=SOCK-M&quantity=1.5", "invalid_request", None),
    ("sku=SOCK-M&quantity=two", "invalid_request", None),
    ("sku=SOCK-M&quantity=0", "quantity_out_of_bounds", None),
    ("sku=SOCK-M&quantity=99", "quantity_out_of_bounds", None),
    ("sku=SOCK-M&sku=CAP-1", "invalid_request", None),
    ("sku=sock%E2%80%8B-m", "invalid_request", None),
    ("sku=%3Cscript%3Ealert(1)%3C/script%3E", "invalid_request", None),
    ("sku=NOPE-1", "unknown_sku", None),
    ("sku=GAIT-0", "out_of_stock", "GAIT-0"),
    ("sku=CAP-1&quantity=3", "out_of_stock", "CAP-1"),
    ("&".join(f"f{i}=x" for i in range(60)) + "&sku=SOCK-M", "invalid_request", None),
    ("sku=SOCK-M&pad=" + "x" * 5000, "body_too_large", None),
]
FORM_REFUSAL_IDS = [
    "no-sku",
    "negative",
    "fraction",
    "words",
    "zero",
    "too-many",
    "two-skus",
    "zero-width",
    "markup",
    "unknown",
    "sold-out",
    "not-enough",
    "too-many-fields",
    "too-large",
]


def flagged_cart_page(code: str, sku: str | None = None, page: str = "/cart/") -> str:
    """Where a refused form post sends the shopper."""
    return f"{page}?error={code}" + (f"&sku={sku}" if sku else "") + f"#refused-{code}"


def assert_documented_location(result: ApiResult) -> None:
    """The 303's Location has the shape functions/openapi.yaml declares (allow-listed codes)."""
    ok = openapi_spec()["paths"]["/api/cart/items"]["post"]["responses"]["303"]
    pattern = ok["headers"]["Location"]["schema"]["pattern"]
    assert re.fullmatch(pattern, result.headers["location"]), result.headers["location"]


@pytest.mark.parametrize(("body", "code", "sku"), FORM_REFUSALS, ids=FORM_REFUSAL_IDS)
def test_a_refused_form_post_lands_on_the_cart_page_flagged_and_writes_nothing(
    db: DynamoDBClient, body: str, code: str, sku: str | None
) -> None:
    result = post_form(body)

    assert result.status == 303, result.body
    assert result.headers["location"] == flagged_cart_page(code, sku)
    assert result.headers["cache-control"] == "no-store"
    assert_documented_location(result)
    assert table_item_count(db, CARTS_TABLE) == 0
    assert result.cookies == []


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ('{"quantity": 1}', 422, "invalid_request", "sku"),
        ('{"sku": "SOCK-M", "quantity": -1}', 422, "quantity_out_of_bounds", "quantity"),
        ('{"sku": "SOCK-M", "quantity": 0}', 422, "quantity_out_of_bounds", "quantity"),
        ('{"sku": "SOCK-M", "quantity": 99}', 422, "quantity_out_of_bounds", "quantity"),
        ('{"sku": "NOPE-1"}', 422, "unknown_sku", "sku"),
        ('{"sku": "GAIT-0"}', 409, "out_of_stock", "GAIT-0"),
        ('{"sku": "CAP-1", "quantity": 3}', 409, "out_of_stock", "CAP-1"),
        ('{"sku": ', 400, "invalid_json", "JSON"),
        ('{"sku": "SOCK-M", "pad": "' + "x" * 5000 + '"}', 413, "body_too_large", "4096"),
    ],
    ids=[
        "no-sku",
        "negative",
        "zero",
        "too-many",
        "unknown",
        "sold-out",
        "not-enough",
        "not-json",
        "too-large",
    ],
)
def test_a_refused_json_post_is_still_the_documented_json_error(
    db: DynamoDBClient, body: str, status: int, code: str, field: str
) -> None:
    result = post_form(body, content_type="application/json")

    assert (result.status, result.error_code) == (status, code), result.body
    assert field in result.body["error"]["message"]
    assert_matches_openapi("POST", "/api/cart/items", result)
    assert table_item_count(db, CARTS_TABLE) == 0
    assert result.cookies == []


def test_a_refusal_leaves_the_shoppers_cart_as_it_was(db: DynamoDBClient) -> None:
    # Given a cart holding both Alpine Caps left
    cart_id = cookie_value(post_form([("sku", "CAP-1"), ("quantity", "2")]))
    assert cart_id is not None

    # When the shopper asks for one more
    result = post_form([("sku", "CAP-1"), ("quantity", "1")], cookie=cart_id)

    # Then they are told on the cart page, and the cart and its cookie are untouched
    assert result.headers["location"] == flagged_cart_page("out_of_stock", "CAP-1")
    assert result.cookies == []
    assert items(db, cart_id) == [{"sku": "CAP-1", "quantity": 2}]


def test_a_full_cart_refuses_a_new_line_on_the_cart_page(
    db: DynamoDBClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CART_MAX_LINES", "1")
    clear_container_caches()
    cart_id = cookie_value(post_form([("sku", "SOCK-M")]))
    assert cart_id is not None

    result = post_form([("sku", "TRS-42-BLK")], cookie=cart_id)

    assert result.headers["location"] == flagged_cart_page("cart_limit_exceeded")
    assert items(db, cart_id) == [{"sku": "SOCK-M", "quantity": 1}]


@pytest.mark.parametrize(
    ("error_name", "error_args", "status", "code"),
    [
        (
            "StoreUnavailableError",
            ("DynamoDB", "UpdateItem", "throttled"),
            503,
            "service_unavailable",
        ),
        ("ConcurrentUpdateError", ("cart", 3), 409, "concurrent_update"),
    ],
    ids=["store-unavailable", "concurrent"],
)
def test_a_failing_store_sends_a_form_post_to_the_cart_page_and_json_to_its_error(
    db: DynamoDBClient,
    monkeypatch: pytest.MonkeyPatch,
    error_name: str,
    error_args: tuple[object, ...],
    status: int,
    code: str,
) -> None:
    # Looked up now, not at import: the local server's cold starts (tests/devserver) drop
    # the functions' modules, and the handler then sees fresh copies of both.
    error = getattr(importlib.import_module("shop.errors"), error_name)(*error_args)

    def fail(*_: object) -> None:
        raise error

    monkeypatch.setattr(importlib.import_module("shop.cart_actions"), "add_to_cart", fail)

    form = post_form([("sku", "SOCK-M")], query="locale=fr")
    json = post_form('{"sku": "SOCK-M"}', content_type="application/json")

    assert (form.status, form.headers["location"]) == (
        303,
        flagged_cart_page(code, page="/fr/cart/"),
    )
    assert_documented_location(form)
    assert (json.status, json.error_code) == (status, code)


def test_an_unpublished_locale_is_refused_on_the_default_cart_page(db: DynamoDBClient) -> None:
    result = post_form([("sku", "SOCK-M")], query="locale=xx")
    assert (result.status, result.headers["location"]) == (
        303,
        flagged_cart_page("unsupported_locale"),
    )
    assert table_item_count(db, CARTS_TABLE) == 0


def test_json_posts_are_answered_as_before(db: DynamoDBClient) -> None:
    result = post_form('{"sku": "SOCK-M", "quantity": 1}', content_type="application/json")
    assert result.status == 200
    assert result.body["item_count"] == 1


@pytest.mark.parametrize("referer", ["http://[", "https://[::1"])
def test_a_form_post_with_a_referer_that_is_not_a_url_still_lands_on_the_cart_page(
    db: DynamoDBClient, referer: str
) -> None:
    # urlsplit raises on these: the default locale's cart page, and the cart is kept.
    accepted = post_form([("sku", "SOCK-M"), ("quantity", "1")], referer=referer)
    assert accepted.status == 303
    assert accepted.headers["location"] == "/cart/#added"
    assert any(cookie.startswith("cart_id=") for cookie in accepted.cookies)

    refused = post_form([("sku", "NOPE-1"), ("quantity", "1")], referer=referer)
    assert refused.status == 303
    assert refused.headers["location"].startswith("/cart/?error=")


def _two_colour_shoe(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A snapshot whose trail shoe comes in 42 / Black and 43 / Moss."""
    from tests.functions.shop.factories import make_sku, make_snapshot_data

    data = make_snapshot_data()
    data["skus"]["TRS-42-BLK"]["options"] = {"size": "42", "color": "Black"}
    data["skus"]["TRS-43-MOS"] = make_sku(
        "TRS-43-MOS",
        "trail-shoe",
        "Ridge Trail Shoe",
        8990,
        12,
        options={"size": "43", "color": "Moss"},
    )
    path = tmp_path / "two-colours.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("CATALOG_PATH", str(path))
    clear_container_caches()


def test_without_javascript_the_chosen_options_pick_the_variant_not_the_preselected_one(
    db: DynamoDBClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _two_colour_shoe(monkeypatch, tmp_path)
    # The page posts its preselected variant's `sku` and the shopper's choices
    fields = [("sku", "TRS-42-BLK"), ("option-size", "43"), ("option-color", "Moss"),
              ("quantity", "1")]  # fmt: skip

    result = post_form(fields)

    assert result.status == 303
    cart_id = cookie_value(result)
    assert cart_id is not None
    assert items(db, cart_id) == [{"sku": "TRS-43-MOS", "quantity": 1}]


def test_without_javascript_a_combination_that_is_not_sold_is_refused_and_nothing_added(
    db: DynamoDBClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _two_colour_shoe(monkeypatch, tmp_path)
    fields = [("sku", "TRS-42-BLK"), ("option-size", "43"), ("option-color", "Black"),
              ("quantity", "1")]  # fmt: skip

    result = post_form(fields)

    assert result.status == 303
    assert result.headers["location"] == "/cart/?error=unknown_sku#refused-unknown_sku"
    assert result.cookies == []
