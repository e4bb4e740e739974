"""The hold allowance's counts in the carts table: one short-lived item per viewer and window.

Each count is an item keyed `hold-allowance#<viewer>@<window start>` beside the
carts (no cart id, 32 hex digits, can take that form), with the carts' TTL
attribute set to the window's end, so DynamoDB removes it like an expired cart.
A checkout's counts (an IPv6 viewer has two: its /64 and its /48) are added in one
conditional transaction: of two checkouts racing for the last units of an
allowance, one is counted and the other refused, and neither count moves alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from shop.adapters.dynamo_wire import cancellation_codes, transact_write
from shop.errors import StoreUnavailableError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

KEY_PREFIX = "hold-allowance#"


class DynamoHoldLedger:
    """`HoldLedger` on the carts table (key `cart_id`, TTL attribute `expires_at`)."""

    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._client = client
        self._table = table

    def take(self, counters: Sequence[tuple[str, int]], units: int, forget_at: int) -> bool:
        """Add `units` to every count (key, limit) if each stays within its limit; else False."""
        if not counters:
            return True
        if any(units > limit for _, limit in counters):
            return False
        updates = [
            {
                "Update": {
                    "TableName": self._table,
                    "Key": {"cart_id": {"S": KEY_PREFIX + key}},
                    "UpdateExpression": "ADD held_units :units SET expires_at = :forget_at",
                    "ConditionExpression": "attribute_not_exists(held_units) OR "
                    "held_units <= :room",
                    "ExpressionAttributeValues": {
                        ":units": {"N": str(units)},
                        ":room": {"N": str(limit - units)},
                        ":forget_at": {"N": str(forget_at)},
                    },
                }
            }
            for key, limit in counters
        ]
        try:
            # Repeatable: two checkouts of the same units from one viewer are two counts.
            transact_write(self._client, updates, repeatable=True)
        except ClientError as exc:
            if "ConditionalCheckFailed" in cancellation_codes(exc):
                return False
            raise StoreUnavailableError(self._table, "TransactWriteItems", str(exc)) from exc
        except BotoCoreError as exc:
            raise StoreUnavailableError(self._table, "TransactWriteItems", str(exc)) from exc
        return True

    def give_back(self, keys: Sequence[str], units: int) -> None:
        """Take `units` off each count (never below zero: a count gone by TTL stays gone)."""
        for key in keys:
            request: dict[str, Any] = {
                "TableName": self._table,
                "Key": {"cart_id": {"S": KEY_PREFIX + key}},
                "UpdateExpression": "ADD held_units :minus",
                "ConditionExpression": "held_units >= :units",
                "ExpressionAttributeValues": {
                    ":minus": {"N": str(-units)},
                    ":units": {"N": str(units)},
                },
            }
            try:
                self._client.update_item(**request)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                    continue
                raise StoreUnavailableError(self._table, "UpdateItem", str(exc)) from exc
            except BotoCoreError as exc:
                raise StoreUnavailableError(self._table, "UpdateItem", str(exc)) from exc
