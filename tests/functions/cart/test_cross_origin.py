"""Writes from another site's pages (CSRF) are refused before any route runs; nothing changes.

The requests arrive as they do in production behind CloudFront: `Host` is the
HTTP API's own domain (the Host header is not forwarded), so only SITE_URL
(https://shop.example.com in these tests) vouches for an `Origin`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest

from tests.functions.shop.api import (
    SITE_URL,
    ApiResult,
    assert_matches_openapi,
    cookie_value,
    invoke,
    make_event,
)
from tests.functions.shop.aws import CARTS_TABLE, table_item_count

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")

CART = "cart.app"
API_HOST = "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"
FOREIGN = "https://evil.example"
FORM = "application/x-www-form-urlencoded"
REFUSED_FORM_LOCATION = "/cart/?error=cross_origin_request#refused-cross_origin_request"


def with_origin(event: dict[str, Any], origin: str | None, host: str = API_HOST) -> dict[str, Any]:
    """The event as a browser on `origin` would send it (None: no Origin header at all)."""
    event["headers"]["host"] = host
    event["headers"].pop("origin", None)
    if origin is not None:
        event["headers"]["origin"] = origin
    return event


def add_json(
    origin: str | None, cookie: str | None = None, host: str = API_HOST, sku: str = "SOCK-M"
) -> ApiResult:
    event = make_event(
        "cart_add_item.json",
        cookies=[f"cart_id={cookie}"] if cookie else None,
        body=f'{{"sku": "{sku}", "quantity": 1}}',
    )
    return invoke(CART, with_origin(event, origin, host))


def add_form(origin: str | None, cookie: str | None = None, query: str | None = None) -> ApiResult:
    event = make_event(
        "cart_add_item.json",
        cookies=[f"cart_id={cookie}"] if cookie else None,
        body=urlencode([("sku", "TRS-42-BLK"), ("quantity", "1")]),
        query=query,
    )
    event["headers"].update({"content-type": FORM, "referer": f"{FOREIGN}/win-a-prize"})
    return invoke(CART, with_origin(event, origin))


def stored_cart(db: DynamoDBClient, cart_id: str) -> dict[str, Any]:
    return db.get_item(TableName=CARTS_TABLE, Key={"cart_id": {"S": cart_id}})["Item"]


@pytest.fixture
def shopper(db: DynamoDBClient) -> str:
    """A shopper whose cart, made on the shop's own pages, holds one pair of socks."""
    cart_id = cookie_value(add_json(SITE_URL))
    assert cart_id is not None
    return cart_id


# --- the no-JavaScript form post: what an attacker's page auto-submits ---------------------


def test_a_cross_site_form_post_keeps_the_shoppers_cart_and_shows_it_flagged(
    db: DynamoDBClient, shopper: str
) -> None:
    before = stored_cart(db, shopper)

    # SameSite=Lax keeps the cookie off this post: the browser sends none.
    result = add_form(FOREIGN)

    assert result.status == 303
    assert result.headers["location"] == REFUSED_FORM_LOCATION
    assert result.headers["cache-control"] == "no-store"
    assert result.cookies == []  # the shopper's cookie is not replaced
    assert table_item_count(db, CARTS_TABLE) == 1
    assert stored_cart(db, shopper) == before


def test_a_refused_form_post_lands_on_the_cart_in_the_asked_language_or_the_default(
    db: DynamoDBClient,
) -> None:
    french = add_form(FOREIGN, query="locale=fr")
    unpublished = add_form(FOREIGN, query="locale=xx")

    assert french.headers["location"] == "/fr" + REFUSED_FORM_LOCATION
    # An unpublished locale must not turn the refusal into an unhandled error.
    assert (unpublished.status, unpublished.headers["location"]) == (303, REFUSED_FORM_LOCATION)
    assert table_item_count(db, CARTS_TABLE) == 0


def test_a_form_post_from_the_shops_own_page_still_adds_the_item(db: DynamoDBClient) -> None:
    result = add_form(SITE_URL)
    assert (result.status, result.headers["location"]) == (303, "/cart/#added")
    assert cookie_value(result) is not None


# --- JSON writes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_name", "method", "template"),
    [
        ("cart_add_item.json", "POST", "/api/cart/items"),
        ("cart_patch_item.json", "PATCH", "/api/cart/items/{sku}"),
        ("cart_delete_item.json", "DELETE", "/api/cart/items/{sku}"),
        ("cart_save_item.json", "POST", "/api/cart/saved/{sku}"),
        ("cart_move_saved_to_cart.json", "POST", "/api/cart/saved/{sku}/move-to-cart"),
        ("cart_delete_saved.json", "DELETE", "/api/cart/saved/{sku}"),
    ],
)
@pytest.mark.parametrize("origin", [FOREIGN, "null", "https://shop.example.com.evil.example", ""])
def test_a_write_from_another_origin_is_refused_and_changes_nothing(
    db: DynamoDBClient, shopper: str, event_name: str, method: str, template: str, origin: str
) -> None:
    before = stored_cart(db, shopper)
    # A script elsewhere cannot send the cookie either, but the refusal must not depend on it.
    event = with_origin(make_event(event_name, cookies=[f"cart_id={shopper}"]), origin)
    event["requestContext"]["http"]["path"] = event["rawPath"].replace("TRS-42-BLK", "SOCK-M")
    event["rawPath"] = event["requestContext"]["http"]["path"]

    result = invoke(CART, event)

    assert (result.status, result.error_code) == (400, "cross_origin_request"), result.body
    assert SITE_URL in result.body["error"]["message"]
    assert result.cookies == []
    assert_matches_openapi(method, template, result)
    assert stored_cart(db, shopper) == before
    assert table_item_count(db, CARTS_TABLE) == 1


def test_a_json_post_from_another_origin_starts_no_cart(db: DynamoDBClient) -> None:
    result = add_json(FOREIGN)
    assert (result.status, result.error_code) == (400, "cross_origin_request")
    assert result.cookies == []
    assert table_item_count(db, CARTS_TABLE) == 0


@pytest.mark.parametrize(
    "origin",
    [SITE_URL, "HTTPS://Shop.Example.com", "https://shop.example.com:443", None],
    ids=["site", "case", "default-port", "no-origin"],
)
def test_same_origin_and_origin_less_writes_work(
    db: DynamoDBClient, shopper: str, origin: str | None
) -> None:
    result = add_json(origin, cookie=shopper)
    assert result.status == 200, result.body
    assert result.body["item_count"] == 2


def test_reads_from_another_origin_are_not_refused(db: DynamoDBClient, shopper: str) -> None:
    event = with_origin(make_event("cart_get.json", cookies=[f"cart_id={shopper}"]), FOREIGN)
    result = invoke(CART, event)
    assert result.status == 200
    assert result.body["item_count"] == 1
    assert not [name for name in result.headers if name.startswith("access-control-")]


# --- the local shop: SITE_URL says localhost, the browser may say 127.0.0.1 ---------------


@pytest.fixture
def local_site(db: DynamoDBClient, monkeypatch: pytest.MonkeyPatch) -> DynamoDBClient:
    """SITE_URL as `build.py serve` sets it (storefront/devserver/localshop.py)."""
    monkeypatch.setenv("SITE_URL", "http://localhost:8000")
    importlib.import_module("shop.config").get_config.cache_clear()
    return db


@pytest.mark.parametrize(
    ("origin", "host"),
    [
        ("http://localhost:8000", "localhost:8000"),
        ("http://127.0.0.1:8000", "127.0.0.1:8000"),
        ("http://[::1]:8000", "[::1]:8000"),
        ("http://laptop.local:8000", "laptop.local:8000"),  # serve --public, from a phone
    ],
)
def test_a_browser_on_any_local_name_can_write_to_the_local_shop(
    local_site: DynamoDBClient, origin: str, host: str
) -> None:
    assert add_json(origin, host=host).status == 200


def test_the_local_shop_still_refuses_another_origin(local_site: DynamoDBClient) -> None:
    for origin in ("http://localhost:9999", "http://127.0.0.1:8000", FOREIGN):
        # The request went to localhost:8000; the page that sent it was elsewhere.
        result = add_json(origin, host="localhost:8000")
        assert (result.status, result.error_code) == (400, "cross_origin_request"), origin
    assert table_item_count(local_site, CARTS_TABLE) == 0


# --- SITE_URL missing -------------------------------------------------------------------


def test_without_site_url_writes_from_browsers_fail_closed_naming_the_setting(
    db: DynamoDBClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITE_URL", "")
    importlib.import_module("shop.config").get_config.cache_clear()

    refused = add_json(SITE_URL)
    origin_less = add_json(None)

    assert (refused.status, refused.error_code) == (400, "cross_origin_request")
    assert "SITE_URL" in refused.body["error"]["message"]
    assert origin_less.status == 200
