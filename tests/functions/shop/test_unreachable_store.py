"""An unreachable DynamoDB (no route, no credentials) is a StoreUnavailableError, never a bug.

The HTTP functions answer StoreUnavailableError with 503 (and Stripe retries its
webhook); any other exception is logged as a bug and answered 500. botocore raises
its own errors before a request reaches DynamoDB, so every adapter must catch them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config
from shop.adapters.dynamodb_outbox import DynamoOutbox
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.errors import StoreUnavailableError


@pytest.fixture
def unreachable() -> Any:
    """A DynamoDB client pointed where nothing listens, trying once."""
    return boto3.client(
        "dynamodb",
        region_name="eu-west-3",
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=1),
    )


CALLS: dict[str, Callable[[DynamoReservations, DynamoOutbox], object]] = {
    "reservations get": lambda r, o: r.get("r1"),
    "reservations extend": lambda r, o: r.extend("r1", 2_000_000_000),
    "reservations attach_session": lambda r, o: r.attach_session("r1", "cs_test_1", {}),
    "reservations list_expired_held": lambda r, o: r.list_expired_held(2_000_000_000),
    "reservations stock_levels": lambda r, o: r.stock_levels(["TRS-42-BLK"]),
    "outbox claim": lambda r, o: o.claim("ORDER#1", "EMAIL#confirmation"),
    "outbox mark_sent": lambda r, o: o.mark_sent("ORDER#1", "EMAIL#confirmation", "m-1"),
}


@pytest.mark.parametrize("call", list(CALLS))
def test_an_unreachable_table_is_store_unavailable(call: str, unreachable: Any) -> None:
    reservations = DynamoReservations(unreachable, "reservations", "inventory")
    outbox = DynamoOutbox(unreachable, "orders")

    with pytest.raises(StoreUnavailableError, match="Could not connect to the endpoint"):
        CALLS[call](reservations, outbox)
