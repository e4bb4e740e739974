"""The stock handler end to end on moto, driven by real API Gateway HTTP API v2 events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from shop.adapters.dynamodb_inventory import DynamoDBInventory

from tests.functions.shop.api import assert_matches_openapi, invoke, make_event
from tests.functions.shop.aws import INVENTORY_TABLE

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")

STOCK = "stock.app"


@pytest.fixture
def inventory(api_env: DynamoDBClient) -> DynamoDBInventory:
    return DynamoDBInventory(api_env, INVENTORY_TABLE)


def test_recorded_event_returns_live_counts_and_statuses(inventory: DynamoDBInventory) -> None:
    now = datetime.now(UTC)
    inventory.seed({"TRS-42-BLK": 12, "CAP-1": 2}, now)
    inventory.add_available("TRS-42-BLK", -9, now)
    result = invoke(STOCK, make_event("stock_get.json"))
    assert result.status == 200
    assert result.body == {
        "skus": {
            "TRS-42-BLK": {"available": 3, "status": "low_stock"},
            "CAP-1": {"available": 2, "status": "low_stock"},
        }
    }
    assert_matches_openapi("GET", "/api/stock", result)


def test_response_is_cacheable_for_five_seconds(inventory: DynamoDBInventory) -> None:
    result = invoke(STOCK, make_event("stock_get.json"))
    assert result.headers["cache-control"] == "public, max-age=5"
    assert result.cookies == []


def test_unseeded_skus_report_the_catalog_stock(inventory: DynamoDBInventory) -> None:
    result = invoke(STOCK, make_event("stock_get.json", query="sku=SOCK-M&sku=GAIT-0"))
    assert result.body["skus"] == {
        "SOCK-M": {"available": 40, "status": "in_stock"},
        "GAIT-0": {"available": 0, "status": "out_of_stock"},
    }


def test_sold_out_after_a_stock_take(inventory: DynamoDBInventory) -> None:
    inventory.set_available("SOCK-M", 0, datetime.now(UTC))
    result = invoke(STOCK, make_event("stock_get.json", query="sku=SOCK-M"))
    assert result.body["skus"]["SOCK-M"] == {"available": 0, "status": "out_of_stock"}


def test_comma_separated_and_repeated_skus_are_deduplicated(
    inventory: DynamoDBInventory,
) -> None:
    result = invoke(STOCK, make_event("stock_get.json", query="sku=SOCK-M,CAP-1&sku=SOCK-M"))
    assert list(result.body["skus"]) == ["SOCK-M", "CAP-1"]


def test_a_sku_the_catalog_dropped_is_out_of_stock_not_an_error(
    inventory: DynamoDBInventory,
) -> None:
    result = invoke(STOCK, make_event("stock_get.json", query="sku=OLD-1&sku=SOCK-M"))
    assert result.status == 200
    assert result.body["skus"]["OLD-1"] == {"available": 0, "status": "out_of_stock"}


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("", id="no-sku"),
        pytest.param("sku=", id="empty-sku"),
        pytest.param("sku=lower-case", id="lowercase"),
        pytest.param("sku=%3Cscript%3E", id="markup"),
        pytest.param("&".join(f"sku=S-{i}" for i in range(101)), id="too-many"),
    ],
)
def test_bad_queries_are_refused_with_a_json_error(
    inventory: DynamoDBInventory, query: str
) -> None:
    result = invoke(STOCK, make_event("stock_get.json", query=query))
    assert (result.status, result.error_code) == (422, "invalid_request")
    assert result.headers["cache-control"] == "no-store"
    assert_matches_openapi("GET", "/api/stock", result)


def test_a_hundred_skus_are_answered_in_one_request(inventory: DynamoDBInventory) -> None:
    query = "&".join(f"sku=S-{i}" for i in range(100))
    result = invoke(STOCK, make_event("stock_get.json", query=query))
    assert (result.status, len(result.body["skus"])) == (200, 100)


def test_other_paths_are_a_json_404(inventory: DynamoDBInventory) -> None:
    result = invoke(STOCK, make_event("stock_get.json", path="/api/stock/all"))
    assert (result.status, result.error_code) == (404, "not_found")
