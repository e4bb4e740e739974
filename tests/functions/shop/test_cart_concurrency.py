"""Cart actions racing on one cart (HTTP to a DynamoDB emulation): nothing lost, no limit broken."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pytest
from shop.adapters.dynamodb_carts import DynamoDBCartStore
from shop.adapters.dynamodb_inventory import DynamoDBInventory
from shop.cart_actions import CartContext, add_to_cart, show_cart
from shop.config import CartLimits
from shop.errors import OutOfStockError
from shop.in_memory import InMemoryInventory
from shop.in_memory_orders import InMemoryReservations

from tests.functions.shop.aws import CARTS_TABLE, INVENTORY_TABLE, serialising_moto_server
from tests.functions.shop.factories import NOW, make_snapshot

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

pytestmark = pytest.mark.slow


@pytest.fixture
def ctx() -> Iterator[CartContext]:
    with serialising_moto_server() as client:
        yield _context(client)


def _context(client: DynamoDBClient) -> CartContext:
    catalog = make_snapshot()
    inventory = DynamoDBInventory(client, INVENTORY_TABLE)
    inventory.seed(catalog.initial_stock(), NOW)
    return CartContext(
        store=DynamoDBCartStore(client, CARTS_TABLE),
        inventory=inventory,
        catalog=catalog,
        limits=CartLimits(max_line_quantity=50, max_cart_quantity=200),
        clock=lambda: NOW,
        holds=InMemoryReservations(InMemoryInventory({})),  # no checkout here: never asked
    )


def test_parallel_adds_from_two_tabs_all_land(ctx: CartContext) -> None:
    # Given a cart, and 24 add-to-cart requests racing on it
    first = add_to_cart(ctx, None, "SOCK-M", 1, None).cart
    assert first is not None

    def add(index: int) -> None:
        add_to_cart(ctx, first.cart_id, ("SOCK-M", "TRS-42-BLK")[index % 2], 1, None)

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(add, range(24)))
    # Then every unit is there
    body = show_cart(ctx, first.cart_id, None).body
    quantities = {line["sku"]: line["quantity"] for line in body["items"]}
    assert quantities == {"SOCK-M": 13, "TRS-42-BLK": 12}


def test_racing_adds_never_put_more_than_the_stock_in_one_cart(ctx: CartContext) -> None:
    # Given a SKU with 2 units left, and 8 requests for one unit each on the same cart
    first = add_to_cart(ctx, None, "SOCK-M", 1, None).cart
    assert first is not None
    refused: list[OutOfStockError] = []

    def add(_: int) -> None:
        try:
            add_to_cart(ctx, first.cart_id, "CAP-1", 1, None)
        except OutOfStockError as exc:
            refused.append(exc)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(add, range(8)))
    # Then exactly 2 landed and the other 6 were refused with the facts
    body = show_cart(ctx, first.cart_id, None).body
    quantities = {line["sku"]: line["quantity"] for line in body["items"]}
    assert quantities["CAP-1"] == 2
    assert len(refused) == 6
    assert all((e.requested, e.available) == (3, 2) for e in refused)
