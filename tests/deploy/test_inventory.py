"""Stock seeding: initial stock read from the snapshot, live counts never overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storefront.deploy.errors import DeployError
from storefront.deploy.inventory import existing_skus, read_initial_stock, seed_stock
from tests.deploy.conftest import FakeStack
from tests.functions.shop.factories import make_snapshot_data, write_snapshot


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
    path = write_snapshot(tmp_path / "catalog.json")
    assert read_initial_stock(path) == {"TRS-42-BLK": 12, "SOCK-M": 40, "CAP-1": 2, "GAIT-0": 0}


@pytest.mark.parametrize("bad", [-1, 1.5, "3", None, True])
def test_an_initial_stock_that_is_not_a_count_is_an_error_naming_the_sku(
    tmp_path: Path, bad: object
) -> None:
    data = make_snapshot_data()
    data["skus"]["SOCK-M"]["initial_stock"] = bad
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data))
    with pytest.raises(DeployError, match=r"skus\.SOCK-M\.initial_stock: expected a non-negative"):
        read_initial_stock(path)


def test_deploy_refuses_a_snapshot_with_any_bad_entry_the_functions_would_find_only_on_use(
    tmp_path: Path,
) -> None:
    # The functions check an entry when a request reads it; deploy checks them all.
    data = make_snapshot_data()
    data["skus"]["CAP-1"]["price"] = {"amount": 25.0, "currency": "EUR"}
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data))
    with pytest.raises(DeployError, match=r"catalog\.json: skus\.CAP-1\.price: expected money"):
        read_initial_stock(path)


def test_a_missing_snapshot_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(DeployError, match=r"catalog\.json: file: expected a readable file"):
        read_initial_stock(tmp_path / "catalog.json")
