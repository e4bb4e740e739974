"""The cart handler end to end on moto, driven by real API Gateway HTTP API v2 events."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.functions.shop.api import (
    ApiResult,
    assert_matches_openapi,
    clear_container_caches,
    cookie_value,
    invoke,
    make_event,
)
from tests.functions.shop.aws import CARTS_TABLE

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")

CART = "cart.app"
ITEMS = "/api/cart/items"
ITEM = "/api/cart/items/{sku}"


def add(sku: str, quantity: int = 1, cookie: str | None = None) -> ApiResult:
    body = f'{{"sku": "{sku}", "quantity": {quantity}}}'
    cookies = [f"cart_id={cookie}"] if cookie else None
    return invoke(CART, make_event("cart_add_item.json", cookies=cookies, body=body))


def stored(db: DynamoDBClient, cart_id: str) -> dict[str, Any]:
    return db.get_item(TableName=CARTS_TABLE, Key={"cart_id": {"S": cart_id}})["Item"]


def carts_in_table(db: DynamoDBClient) -> list[dict[str, Any]]:
    return list(db.scan(TableName=CARTS_TABLE)["Items"])


# --- reading -----------------------------------------------------------------------


def test_get_without_cookie_is_an_empty_cart_and_writes_nothing(db: DynamoDBClient) -> None:
    result = invoke(CART, make_event("cart_get_no_cookie.json"))
    assert result.status == 200
    assert result.body["items"] == []
    assert result.body["locale"] == "fr"
    assert result.body["free_shipping"]["remaining"] == {"amount": 7500, "currency": "EUR"}
    assert result.cookies == []
    assert result.headers["cache-control"] == "no-store"
    assert carts_in_table(db) == []
    assert_matches_openapi("GET", "/api/cart", result)


def test_get_with_an_unknown_cookie_is_an_empty_cart_never_an_error(db: DynamoDBClient) -> None:
    result = invoke(CART, make_event("cart_get.json"))
    assert result.status == 200
    assert result.body["items"] == []
    assert result.cookies == []  # the next write replaces it with a fresh id
    assert carts_in_table(db) == []


def test_get_returns_the_cart_the_cookie_names(db: DynamoDBClient) -> None:
    cart_id = cookie_value(add("TRS-42-BLK", 2))
    result = invoke(CART, make_event("cart_get.json", cookies=[f"cart_id={cart_id}"]))
    assert result.body["item_count"] == 2
    assert result.body["items"][0]["available"] == 12
    assert result.body["items"][0]["stock_status"] == "in_stock"
    assert_matches_openapi("GET", "/api/cart", result)


def test_get_localises_titles_and_urls(db: DynamoDBClient) -> None:
    cart_id = cookie_value(add("TRS-42-BLK"))
    event = make_event("cart_get.json", cookies=[f"cart_id={cart_id}"], query="locale=fr")
    line = invoke(CART, event).body["items"][0]
    assert (line["title"], line["url"]) == ("Ridge Trail Shoe (FR)", "/fr/products/trail-shoe/")


# --- adding ------------------------------------------------------------------------


def test_first_add_sets_a_secure_cookie_and_stores_the_cart(db: DynamoDBClient) -> None:
    result = add("TRS-42-BLK", 1, cookie=None)
    assert result.status == 200
    [cookie] = result.cookies
    assert cookie.endswith("; Path=/; Max-Age=2592000; HttpOnly; Secure; SameSite=Lax")
    cart_id = cookie_value(result)
    assert cart_id is not None
    assert len(cart_id) == 32
    assert stored(db, cart_id)["items"]["L"][0]["M"]["sku"] == {"S": "TRS-42-BLK"}
    assert result.body["subtotal"] == {"amount": 8990, "currency": "EUR"}
    assert_matches_openapi("POST", ITEMS, result)


def test_add_from_the_recorded_event_with_a_planted_cookie_gets_a_fresh_id(
    db: DynamoDBClient,
) -> None:
    event = make_event("cart_add_item.json")
    planted = event["cookies"][0].split("=")[1]
    result = invoke(CART, event)
    assert result.status == 200
    assert cookie_value(result) not in (None, planted)


def test_base64_encoded_body_is_decoded(db: DynamoDBClient) -> None:
    result = invoke(CART, make_event("cart_add_item_base64.json"))
    assert (result.status, result.body["item_count"]) == (200, 2)


def test_adds_accumulate_on_the_same_cart(db: DynamoDBClient) -> None:
    cart_id = cookie_value(add("SOCK-M", 1))
    result = add("SOCK-M", 2, cookie=cart_id)
    assert cookie_value(result) == cart_id
    assert result.body["items"][0]["quantity"] == 3
    assert len(carts_in_table(db)) == 1


def test_one_shopper_never_sees_anothers_cart(db: DynamoDBClient) -> None:
    alice = cookie_value(add("TRS-42-BLK"))
    bob = cookie_value(add("SOCK-M"))
    assert alice != bob
    bob_view = invoke(CART, make_event("cart_get.json", cookies=[f"cart_id={bob}"])).body
    assert [line["sku"] for line in bob_view["items"]] == ["SOCK-M"]


def test_a_cart_id_in_the_body_is_refused_not_honoured(db: DynamoDBClient) -> None:
    alice = cookie_value(add("TRS-42-BLK"))
    body = f'{{"sku": "SOCK-M", "quantity": 1, "cart_id": "{alice}"}}'
    result = invoke(CART, make_event("cart_add_item.json", cookies=None, body=body))
    assert (result.status, result.error_code) == (422, "invalid_request")
    assert stored(db, str(alice))["version"] == {"N": "1"}


def test_items_report_live_stock_when_low(db: DynamoDBClient) -> None:
    line = add("CAP-1", 1).body["items"][0]
    assert (line["available"], line["stock_status"]) == (2, "low_stock")


# --- changing ----------------------------------------------------------------------


def test_patch_sets_the_quantity(db: DynamoDBClient) -> None:
    cart_id = cookie_value(add("TRS-42-BLK"))
    event = make_event("cart_patch_item.json", cookies=[f"cart_id={cart_id}"])
    result = invoke(CART, event)
    assert (result.status, result.body["items"][0]["quantity"]) == (200, 3)
    assert_matches_openapi("PATCH", ITEM, result)


def test_patch_to_zero_removes_the_line(db: DynamoDBClient) -> None:
    cart_id = cookie_value(add("TRS-42-BLK"))
    event = make_event(
        "cart_patch_item.json", cookies=[f"cart_id={cart_id}"], body='{"quantity": 0}'
    )
    assert invoke(CART, event).body["items"] == []


def test_delete_removes_the_line_and_is_idempotent(db: DynamoDBClient) -> None:
    cart_id = cookie_value(add("TRS-42-BLK"))
    event = make_event("cart_delete_item.json", cookies=[f"cart_id={cart_id}"])
    first = invoke(CART, event)
    second = invoke(CART, event)
    assert (first.status, first.body["items"]) == (200, [])
    assert (second.status, second.body["items"]) == (200, [])
    assert stored(db, str(cart_id))["version"] == {"N": "2"}
    assert_matches_openapi("DELETE", ITEM, second)


def test_save_for_later_move_back_and_forget(db: DynamoDBClient) -> None:
    cart_id = cookie_value(add("TRS-42-BLK", 2))
    cookies = [f"cart_id={cart_id}"]
    saved = invoke(CART, make_event("cart_save_item.json", cookies=cookies))
    assert (saved.body["item_count"], saved.body["saved"][0]["quantity"]) == (0, 2)
    assert_matches_openapi("POST", "/api/cart/saved/{sku}", saved)
    back = invoke(CART, make_event("cart_move_saved_to_cart.json", cookies=cookies))
    assert (back.body["item_count"], back.body["saved"]) == (2, [])
    assert_matches_openapi("POST", "/api/cart/saved/{sku}/move-to-cart", back)
    invoke(CART, make_event("cart_save_item.json", cookies=cookies))
    forgotten = invoke(CART, make_event("cart_delete_saved.json", cookies=cookies))
    assert (forgotten.body["items"], forgotten.body["saved"]) == ([], [])
    assert_matches_openapi("DELETE", "/api/cart/saved/{sku}", forgotten)


# --- refusals: status, code, and nothing written -------------------------------------

BAD_ADDS = [
    pytest.param('{"sku": "NOPE-1", "quantity": 1}', 422, "unknown_sku", id="unknown-sku"),
    pytest.param('{"sku": "SOCK-M", "quantity": 0}', 422, "quantity_out_of_bounds", id="zero"),
    pytest.param('{"sku": "SOCK-M", "quantity": 11}', 422, "quantity_out_of_bounds", id="11"),
    pytest.param('{"sku": "SOCK-M", "quantity": -3}', 422, "quantity_out_of_bounds", id="neg"),
    pytest.param('{"sku": "CAP-1", "quantity": 3}', 409, "out_of_stock", id="over-stock"),
    pytest.param('{"sku": "GAIT-0", "quantity": 1}', 409, "out_of_stock", id="sold-out"),
    pytest.param('{"sku": "SOCK-M", "quantity": 1', 400, "invalid_json", id="truncated-json"),
    pytest.param("sku=SOCK-M&quantity=1", 400, "invalid_json", id="form-encoded"),
    pytest.param("", 400, "invalid_json", id="empty-body"),
    pytest.param('{"sku": "SOCK-M", "quantity": "1"}', 422, "invalid_request", id="qty-str"),
    pytest.param('{"sku": "SOCK-M", "quantity": 1.5}', 422, "invalid_request", id="qty-float"),
    pytest.param('{"sku": ["SOCK-M"], "quantity": 1}', 422, "invalid_request", id="sku-list"),
    pytest.param('{"quantity": 1}', 422, "invalid_request", id="sku-missing"),
    pytest.param('["SOCK-M", 1]', 422, "invalid_request", id="array-body"),
    pytest.param(
        '{"sku": "SOCK-M", "quantity": 1, "price": {"amount": 1, "currency": "EUR"}}',
        422,
        "invalid_request",
        id="client-price",
    ),
    pytest.param(
        '{"sku": "SOCK-M", "note": "' + "x" * 5000 + '"}', 413, "body_too_large", id="too-large"
    ),
]


@pytest.mark.parametrize(("body", "status", "code"), BAD_ADDS)
def test_refused_add_to_a_new_cart_writes_nothing(
    db: DynamoDBClient, body: str, status: int, code: str
) -> None:
    result = invoke(CART, make_event("cart_add_item.json", cookies=None, body=body))
    assert (result.status, result.error_code) == (status, code)
    assert result.cookies == []
    assert carts_in_table(db) == []
    assert_matches_openapi("POST", ITEMS, result)


@pytest.mark.parametrize(("body", "status", "code"), BAD_ADDS)
def test_refused_add_to_an_existing_cart_leaves_it_unchanged(
    db: DynamoDBClient, body: str, status: int, code: str
) -> None:
    cart_id = str(cookie_value(add("CAP-1", 1)))
    before = stored(db, cart_id)
    result = invoke(
        CART, make_event("cart_add_item.json", cookies=[f"cart_id={cart_id}"], body=body)
    )
    assert (result.status, result.error_code) == (status, code)
    assert stored(db, cart_id) == before
    assert len(carts_in_table(db)) == 1


BAD_PATCHES = [
    pytest.param("TRS-42-BLK", '{"quantity": 11}', 422, "quantity_out_of_bounds", id="11"),
    pytest.param("TRS-42-BLK", '{"quantity": -1}', 422, "quantity_out_of_bounds", id="neg"),
    pytest.param("TRS-42-BLK", '{"quantity": 13}', 422, "quantity_out_of_bounds", id="13"),
    pytest.param("SOCK-M", '{"quantity": 1}', 404, "not_in_cart", id="not-in-cart"),
    pytest.param("NOPE-1", '{"quantity": 1}', 404, "not_in_cart", id="unknown-sku"),
    pytest.param("TRS-42-BLK", '{"quantity": null}', 422, "invalid_request", id="null"),
    pytest.param("TRS-42-BLK", '{"qty": 1}', 422, "invalid_request", id="wrong-field"),
    pytest.param("TRS-42-BLK", "{quantity: 1}", 400, "invalid_json", id="bad-json"),
    pytest.param("trs-42-blk", '{"quantity": 1}', 422, "invalid_request", id="lowercase-sku"),
]


@pytest.mark.parametrize(("sku", "body", "status", "code"), BAD_PATCHES)
def test_refused_patch_leaves_the_cart_unchanged(
    db: DynamoDBClient, sku: str, body: str, status: int, code: str
) -> None:
    cart_id = str(cookie_value(add("TRS-42-BLK", 1)))
    before = stored(db, cart_id)
    event = make_event(
        "cart_patch_item.json",
        cookies=[f"cart_id={cart_id}"],
        body=body,
        path=f"/api/cart/items/{sku}",
    )
    result = invoke(CART, event)
    assert (result.status, result.error_code) == (status, code)
    assert stored(db, cart_id) == before
    assert_matches_openapi("PATCH", ITEM, result)


def test_patch_above_stock_is_out_of_stock_and_writes_nothing(db: DynamoDBClient) -> None:
    cart_id = str(cookie_value(add("CAP-1", 1)))
    before = stored(db, cart_id)
    event = make_event(
        "cart_patch_item.json",
        cookies=[f"cart_id={cart_id}"],
        body='{"quantity": 3}',
        path="/api/cart/items/CAP-1",
    )
    result = invoke(CART, event)
    assert (result.status, result.error_code) == (409, "out_of_stock")
    assert result.body["error"]["message"] == 'quantity for "CAP-1": only 2 available, requested 3'
    assert stored(db, cart_id) == before


def test_patch_without_a_cart_is_not_in_cart_and_creates_nothing(db: DynamoDBClient) -> None:
    result = invoke(CART, make_event("cart_patch_item.json", cookies=None))
    assert (result.status, result.error_code) == (404, "not_in_cart")
    assert carts_in_table(db) == []


def test_cart_unit_limit_is_enforced_and_writes_nothing(
    db: DynamoDBClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a deployment that allows 12 units per cart, and a cart holding 10
    monkeypatch.setenv("CART_MAX_QUANTITY", "12")
    clear_container_caches()
    cart_id = str(cookie_value(add("SOCK-M", 10)))
    before = stored(db, cart_id)
    # When 3 more units are added on another line
    result = add("TRS-42-BLK", 3, cookie=cart_id)
    # Then the cart limit refuses it and the cart is unchanged
    assert (result.status, result.error_code) == (422, "cart_limit_exceeded")
    assert "at most 12 units" in result.body["error"]["message"]
    assert stored(db, cart_id) == before


def test_unsupported_locale_is_refused(db: DynamoDBClient) -> None:
    result = invoke(CART, make_event("cart_get_no_cookie.json", query="locale=de"))
    assert (result.status, result.error_code) == (422, "unsupported_locale")
    assert_matches_openapi("GET", "/api/cart", result)


def test_unknown_route_is_a_json_404(db: DynamoDBClient) -> None:
    result = invoke(CART, make_event("cart_get.json", path="/api/cart/everything"))
    assert (result.status, result.error_code) == (404, "not_found")


def test_wrong_method_is_a_json_404(db: DynamoDBClient) -> None:
    result = invoke(CART, make_event("cart_get.json", path="/api/cart/items", method="PUT"))
    assert (result.status, result.error_code) == (404, "not_found")


# --- server-side faults: the API's shape, nothing leaked ------------------------------


def test_a_missing_table_is_a_503_that_names_nothing_internal(
    db: DynamoDBClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARTS_TABLE", "no-such-carts-table")
    clear_container_caches()
    result = add("SOCK-M")
    assert (result.status, result.error_code) == (503, "service_unavailable")
    assert "no-such-carts-table" not in result.body["error"]["message"]


def test_a_broken_snapshot_is_a_500_in_the_api_shape(
    db: DynamoDBClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": 99}', encoding="utf-8")
    monkeypatch.setenv("CATALOG_PATH", str(broken))
    clear_container_caches()
    result = invoke(CART, make_event("cart_get_no_cookie.json"))
    assert (result.status, result.error_code) == (500, "internal_error")
    assert "broken.json" not in result.body["error"]["message"]
