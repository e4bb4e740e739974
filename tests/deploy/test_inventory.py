"""Stock seeding: initial stock read from the snapshot, live counts never overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storefront.deploy.errors import DeployError
from storefront.deploy.inventory import existing_skus, read_initial_stock, seed_stock
from tests.deploy.conftest import FakeStack


def test_a_sku_created_after_the_plan_is_kept_not_overwritten(stack: FakeStack) -> None:
    # Given the merchant set stock for a SKU after the deploy listed the table
    dynamodb = stack.clients.dynamodb
    dynamodb.put_item(
        TableName="shop-inventory",
        Item={"sku": {"S": "RACE-1"}, "available": {"N": "2"}},
    )

    result = seed_stock(dynamodb, "shop-inventory", {"RACE-1": 50, "NEW-2": 4})

    assert result.seeded == ("NEW-2",)
    assert result.kept == 1
    assert stack.stock("RACE-1")["available"] == {"N": "2"}  # type: ignore[index]
    assert existing_skus(dynamodb, "shop-inventory") == {"RACE-1", "NEW-2"}


def test_initial_stock_is_read_per_sku_from_the_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"skus": {"A": {"initial_stock": 3}, "B": {"initial_stock": 0}}}))
    assert read_initial_stock(path) == {"A": 3, "B": 0}


@pytest.mark.parametrize("bad", [-1, 1.5, "3", None, True])
def test_an_initial_stock_that_is_not_a_count_is_an_error_naming_the_sku(
    tmp_path: Path, bad: object
) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"skus": {"TRS-42": {"initial_stock": bad}}}))
    with pytest.raises(DeployError, match=r"skus\.TRS-42\.initial_stock: expected an integer >= 0"):
        read_initial_stock(path)
