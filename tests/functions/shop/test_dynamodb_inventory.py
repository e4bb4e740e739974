"""The DynamoDB inventory against moto: batch reads, seeding that never overwrites, set/add."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from shop.adapters.dynamodb_inventory import DynamoDBInventory
from shop.errors import NegativeStockError, StoreUnavailableError

from tests.functions.shop.aws import INVENTORY_TABLE, mocked_dynamodb
from tests.functions.shop.factories import NOW

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient


@pytest.fixture
def client() -> Iterator[DynamoDBClient]:
    with mocked_dynamodb() as client:
        yield client


@pytest.fixture
def inventory(client: DynamoDBClient) -> DynamoDBInventory:
    return DynamoDBInventory(client, INVENTORY_TABLE)


def test_seed_creates_records_with_zero_reserved_and_sold(inventory: DynamoDBInventory) -> None:
    assert inventory.seed({"A": 5, "B": 0}, NOW) == ["A", "B"]
    records = {r.sku: r for r in inventory.list_records()}
    assert (records["A"].available, records["A"].reserved, records["A"].sold) == (5, 0, 0)
    assert records["A"].updated_at.startswith("2026-11-22T09:30")


def test_seed_never_overwrites_a_live_count(inventory: DynamoDBInventory) -> None:
    inventory.seed({"A": 5}, NOW)
    inventory.add_available("A", -3, NOW)
    assert inventory.seed({"A": 5, "C": 7}, NOW) == ["C"]
    assert inventory.get_available(["A", "C"]) == {"A": 2, "C": 7}


def test_get_available_reads_more_than_one_batch(inventory: DynamoDBInventory) -> None:
    initial = {f"SKU-{i:03d}": i for i in range(230)}
    inventory.seed(initial, NOW)
    assert inventory.get_available([*initial, "UNKNOWN-1"]) == initial


def test_get_available_of_nothing_is_empty(inventory: DynamoDBInventory) -> None:
    assert inventory.get_available([]) == {}


def test_set_available_keeps_reserved_and_sold(
    inventory: DynamoDBInventory, client: DynamoDBClient
) -> None:
    inventory.seed({"A": 5}, NOW)
    client.update_item(
        TableName=INVENTORY_TABLE,
        Key={"sku": {"S": "A"}},
        UpdateExpression="SET reserved = :r, sold = :s",
        ExpressionAttributeValues={":r": {"N": "2"}, ":s": {"N": "9"}},
    )
    record = inventory.set_available("A", 11, NOW)
    assert (record.available, record.reserved, record.sold) == (11, 2, 9)


def test_set_available_creates_an_unknown_sku(inventory: DynamoDBInventory) -> None:
    assert inventory.set_available("NEW-1", 4, NOW).available == 4


def test_set_available_refuses_negative(inventory: DynamoDBInventory) -> None:
    with pytest.raises(NegativeStockError):
        inventory.set_available("A", -1, NOW)


def test_add_available_adjusts_both_ways(inventory: DynamoDBInventory) -> None:
    inventory.seed({"A": 5}, NOW)
    assert inventory.add_available("A", 3, NOW).available == 8
    assert inventory.add_available("A", -8, NOW).available == 0


def test_add_available_refuses_going_below_zero_and_writes_nothing(
    inventory: DynamoDBInventory,
) -> None:
    inventory.seed({"A": 2}, NOW)
    with pytest.raises(NegativeStockError) as caught:
        inventory.add_available("A", -3, NOW)
    assert (caught.value.available, caught.value.delta) == (2, -3)
    assert inventory.get_available(["A"]) == {"A": 2}


def test_add_available_to_an_unknown_sku_starts_from_zero(inventory: DynamoDBInventory) -> None:
    assert inventory.add_available("NEW-1", 2, NOW).available == 2
    with pytest.raises(NegativeStockError):
        inventory.add_available("NEW-2", -1, NOW)


def test_list_records_is_sorted_by_sku(inventory: DynamoDBInventory) -> None:
    inventory.seed({"B": 1, "A": 1, "C": 1}, NOW)
    assert [r.sku for r in inventory.list_records()] == ["A", "B", "C"]


def test_sdk_errors_are_wrapped_with_the_cause(client: DynamoDBClient) -> None:
    with pytest.raises(StoreUnavailableError) as caught:
        DynamoDBInventory(client, "missing-table").get_available(["A"])
    assert caught.value.__cause__ is not None
