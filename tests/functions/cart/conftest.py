"""Fixtures for the cart handler tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from shop.adapters.dynamodb_inventory import DynamoDBInventory

from tests.functions.shop.api import api_env
from tests.functions.shop.aws import INVENTORY_TABLE
from tests.functions.shop.factories import make_snapshot

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

__all__ = ["api_env", "db"]


@pytest.fixture
def db(api_env: DynamoDBClient) -> DynamoDBClient:
    """Moto with the inventory seeded from the test snapshot."""
    DynamoDBInventory(api_env, INVENTORY_TABLE).seed(
        make_snapshot().initial_stock(), datetime.now(UTC)
    )
    return api_env
