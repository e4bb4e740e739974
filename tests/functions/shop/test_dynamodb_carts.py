"""The DynamoDB cart store against moto: item layout, TTL, optimistic locking, concurrency."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from shop.adapters.dynamodb_carts import DynamoDBCartStore
from shop.cart import Cart, add_item, stamp
from shop.config import CartLimits
from shop.errors import OutOfStockError, StoreUnavailableError

from tests.functions.shop.aws import (
    CARTS_TABLE,
    mocked_dynamodb,
    serialising_moto_server,
    table_item_count,
)
from tests.functions.shop.factories import NOW

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

LIMITS = CartLimits(max_line_quantity=100, max_cart_quantity=100)


@pytest.fixture
def client() -> Iterator[DynamoDBClient]:
    with mocked_dynamodb() as client:
        yield client


@pytest.fixture
def store(client: DynamoDBClient) -> DynamoDBCartStore:
    return DynamoDBCartStore(client, CARTS_TABLE)


def add(sku: str, quantity: int = 1, available: int = 1000) -> object:
    return lambda cart: add_item(cart, sku, quantity, LIMITS, available)


def test_first_update_creates_the_item_as_documented(
    store: DynamoDBCartStore, client: DynamoDBClient
) -> None:
    cart = store.update(None, add("SOCK-M", 2), NOW)  # type: ignore[arg-type]
    item = client.get_item(TableName=CARTS_TABLE, Key={"cart_id": {"S": cart.cart_id}})["Item"]
    assert item["items"] == {"L": [{"M": {"sku": {"S": "SOCK-M"}, "quantity": {"N": "2"}}}]}
    assert item["saved"] == {"L": []}
    assert item["version"] == {"N": "1"}
    assert item["expires_at"] == {"N": str(int((NOW + timedelta(days=30)).timestamp()))}
    assert item["created_at"]["S"].startswith("2026-11-22T09:30")


def test_stored_cart_reads_back_equal(store: DynamoDBCartStore) -> None:
    cart = store.update(None, add("SOCK-M", 2), NOW)  # type: ignore[arg-type]
    assert store.get(cart.cart_id, NOW) == cart


def test_update_bumps_the_version_and_keeps_created_at(store: DynamoDBCartStore) -> None:
    first = store.update(None, add("SOCK-M"), NOW)  # type: ignore[arg-type]
    later = NOW + timedelta(hours=2)
    second = store.update(first.cart_id, add("CAP-1"), later)  # type: ignore[arg-type]
    assert (second.version, second.created_at, second.updated_at) == (2, NOW, later)
    assert second.expires_at == int((later + timedelta(days=30)).timestamp())


def test_unknown_id_is_never_adopted(store: DynamoDBCartStore, client: DynamoDBClient) -> None:
    planted = "c" * 32
    cart = store.update(planted, add("SOCK-M"), NOW)  # type: ignore[arg-type]
    assert cart.cart_id != planted
    assert store.get(planted, NOW) is None


def test_an_expired_cart_reads_as_absent_and_is_replaced(store: DynamoDBCartStore) -> None:
    old = store.update(None, add("SOCK-M"), NOW)  # type: ignore[arg-type]
    after_ttl = NOW + timedelta(days=31)
    assert store.get(old.cart_id, after_ttl) is None
    fresh = store.update(old.cart_id, add("CAP-1"), after_ttl)  # type: ignore[arg-type]
    assert fresh.cart_id != old.cart_id
    assert [line.sku for line in fresh.items] == ["CAP-1"]


def test_a_change_that_raises_writes_nothing(
    store: DynamoDBCartStore, client: DynamoDBClient
) -> None:
    with pytest.raises(OutOfStockError):
        store.update(None, add("SOCK-M", 2, available=1), NOW)  # type: ignore[arg-type]
    assert table_item_count(client, CARTS_TABLE) == 0


def test_touch_extends_the_ttl_without_a_new_version(store: DynamoDBCartStore) -> None:
    cart = store.update(None, add("SOCK-M"), NOW)  # type: ignore[arg-type]
    later = NOW + timedelta(days=3)
    touched = store.touch(cart, later)
    stored = store.get(cart.cart_id, later)
    assert stored is not None
    assert stored.expires_at == touched.expires_at == int((later + timedelta(days=30)).timestamp())
    assert stored.version == cart.version


def test_a_write_based_on_a_stale_version_is_retried_on_fresh_data(
    store: DynamoDBCartStore, client: DynamoDBClient
) -> None:
    # Given a cart, and a competing writer that lands between our read and our write
    cart = store.update(None, add("SOCK-M"), NOW)  # type: ignore[arg-type]
    competitor = DynamoDBCartStore(client, CARTS_TABLE)
    calls: list[Cart] = []

    def change(current: Cart) -> Cart:
        calls.append(current)
        if len(calls) == 1:
            competitor.update(cart.cart_id, add("CAP-1"), NOW)  # type: ignore[arg-type]
        return add_item(current, "GAIT-0", 1, LIMITS, 10)

    # When we update
    result = store.update(cart.cart_id, change, NOW)
    # Then our change was re-applied on top of the competitor's, losing nothing
    assert len(calls) == 2
    assert [line.sku for line in result.items] == ["SOCK-M", "CAP-1", "GAIT-0"]
    assert result.version == 3


@pytest.mark.slow
def test_many_parallel_adds_on_one_cart_lose_no_update() -> None:
    with serialising_moto_server() as client:
        _parallel_adds_lose_nothing(DynamoDBCartStore(client, CARTS_TABLE))


def _parallel_adds_lose_nothing(store: DynamoDBCartStore) -> None:
    # Given one cart
    cart = store.update(None, add("SOCK-M", 1), NOW)  # type: ignore[arg-type]
    workers = 16
    per_worker = 3

    def shopper(index: int) -> None:
        for _ in range(per_worker):
            store.update(cart.cart_id, add(f"SKU-{index % 4}"), NOW)  # type: ignore[arg-type]

    # When many threads add to it at once
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(shopper, range(workers)))
    # Then every single add is in the cart
    final = store.get(cart.cart_id, NOW)
    assert final is not None
    assert final.item_count == 1 + workers * per_worker
    assert {line.sku: line.quantity for line in final.items}["SKU-0"] == 4 * per_worker
    assert final.version == 1 + workers * per_worker


def test_sdk_errors_are_wrapped_with_the_cause(client: DynamoDBClient) -> None:
    store = DynamoDBCartStore(client, "no-such-table")
    with pytest.raises(StoreUnavailableError) as caught:
        store.get("a" * 32, NOW)
    assert caught.value.__cause__ is not None
    assert caught.value.store == "no-such-table"


def test_stamp_then_store_roundtrip_keeps_saved_lines(store: DynamoDBCartStore) -> None:
    cart = store.update(None, add("SOCK-M"), NOW)  # type: ignore[arg-type]
    moved = store.update(
        cart.cart_id,
        lambda c: replace(c, items=(), saved=c.items),
        NOW,
    )
    stored = store.get(cart.cart_id, NOW)
    assert stored is not None
    assert stored.saved == moved.saved == cart.items
    assert stamp(stored, NOW).version == 3
