"""The hold allowance's counts in the carts table: one short-lived item per viewer and window.

Each count is an item keyed `hold-allowance#<viewer>@<window start>` beside the
carts (no cart id, 32 hex digits, can take that form), with the carts' TTL
attribute set to the window's end, so DynamoDB removes it like an expired cart.
Adding is one conditional UpdateItem: of two checkouts racing for the last
units of an allowance, one is counted and the other refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from shop.errors import StoreUnavailableError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

KEY_PREFIX = "hold-allowance#"


class DynamoHoldLedger:
    """`HoldLedger` on the carts table (key `cart_id`, TTL attribute `expires_at`)."""

    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._client = client
        self._table = table

    def take(self, key: str, units: int, limit: int, forget_at: int) -> bool:
        """Add `units` to count `key` if it stays at most `limit`; False if it would not."""
        if units > limit:
            return False
        return self._update(
            key,
            "ADD held_units :units SET expires_at = :forget_at",
            "attribute_not_exists(held_units) OR held_units <= :room",
            {
                ":units": {"N": str(units)},
                ":room": {"N": str(limit - units)},
                ":forget_at": {"N": str(forget_at)},
            },
        )

    def give_back(self, key: str, units: int) -> None:
        """Take `units` off count `key` (never below zero: a count gone by TTL stays gone)."""
        self._update(
            key,
            "ADD held_units :minus",
            "held_units >= :units",
            {":minus": {"N": str(-units)}, ":units": {"N": str(units)}},
        )

    def _update(
        self, key: str, update: str, condition: str, values: dict[str, AttributeValueTypeDef]
    ) -> bool:
        """One conditional UpdateItem of count `key`; False when its condition failed."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"cart_id": {"S": KEY_PREFIX + key}},
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise StoreUnavailableError(self._table, "UpdateItem", str(exc)) from exc
        except BotoCoreError as exc:
            raise StoreUnavailableError(self._table, "UpdateItem", str(exc)) from exc
        return True
