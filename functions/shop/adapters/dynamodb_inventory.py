"""Inventory in DynamoDB: units available per SKU, read in batches, written conditionally.

Only `available` is touched here (merchant stock takes and adjustments, and the
initial seed). Reservations move `available`/`reserved`/`sold` together in the
reservation adapter's transactions.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from shop.errors import NegativeStockError, StoreUnavailableError
from shop.stock import InventoryRecord

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

BATCH_GET_LIMIT = 100  # DynamoDB's per-request key limit
_UNPROCESSED_RETRIES = 8


def _record_from_item(item: Mapping[str, Any]) -> InventoryRecord:
    def number(name: str) -> int:
        attr = item.get(name)
        return int(attr["N"]) if attr else 0

    updated = item.get("updated_at")
    return InventoryRecord(
        sku=item["sku"]["S"],
        available=number("available"),
        reserved=number("reserved"),
        sold=number("sold"),
        updated_at=updated["S"] if updated else "",
    )


def _is_condition_failure(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


class DynamoDBInventory:
    """`InventoryStore` on a DynamoDB table keyed by `sku`."""

    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._client = client
        self._table = table

    def _fail(self, operation: str, exc: Exception) -> StoreUnavailableError:
        return StoreUnavailableError(self._table, operation, str(exc))

    def get_available(self, skus: Iterable[str]) -> dict[str, int]:
        """Available units for the known SKUs, in batches of 100 (BatchGetItem)."""
        wanted = sorted(set(skus))
        found: dict[str, int] = {}
        for start in range(0, len(wanted), BATCH_GET_LIMIT):
            keys: list[Any] = [
                {"sku": {"S": sku}} for sku in wanted[start : start + BATCH_GET_LIMIT]
            ]
            for attempt in range(_UNPROCESSED_RETRIES):
                request: Any = {
                    self._table: {"Keys": keys, "ProjectionExpression": "sku, available"}
                }
                try:
                    response = self._client.batch_get_item(RequestItems=request)
                except (BotoCoreError, ClientError) as exc:
                    raise self._fail("BatchGetItem", exc) from exc
                for item in response.get("Responses", {}).get(self._table, []):
                    record = _record_from_item(item)
                    found[record.sku] = record.available
                unprocessed: Any = response.get("UnprocessedKeys") or {}
                keys = list(unprocessed.get(self._table, {}).get("Keys", []))
                if not keys:
                    break
                time.sleep(0.01 * 2**attempt)  # throttled: back off before the leftovers
            else:
                raise self._fail("BatchGetItem", RuntimeError("unprocessed keys after retries"))
        return found

    def list_records(self) -> list[InventoryRecord]:
        """Every record, sorted by SKU (a full scan: merchant use only)."""
        records: list[InventoryRecord] = []
        kwargs: dict[str, Any] = {"TableName": self._table}
        try:
            while True:
                response = self._client.scan(**kwargs)
                records.extend(_record_from_item(item) for item in response.get("Items", []))
                last = response.get("LastEvaluatedKey")
                if not last:
                    break
                kwargs["ExclusiveStartKey"] = last
        except (BotoCoreError, ClientError) as exc:
            raise self._fail("Scan", exc) from exc
        return sorted(records, key=lambda record: record.sku)

    def seed(self, initial: Mapping[str, int], now: datetime) -> list[str]:
        """Create records for SKUs the table does not know; live counts are never overwritten."""
        added: list[str] = []
        stamp = now.isoformat(timespec="seconds")
        for sku in sorted(initial):
            try:
                self._client.put_item(
                    TableName=self._table,
                    Item={
                        "sku": {"S": sku},
                        "available": {"N": str(max(initial[sku], 0))},
                        "reserved": {"N": "0"},
                        "sold": {"N": "0"},
                        "updated_at": {"S": stamp},
                    },
                    ConditionExpression="attribute_not_exists(sku)",
                )
            except ClientError as exc:
                if _is_condition_failure(exc):
                    continue  # already live: keep its count
                raise self._fail("PutItem", exc) from exc
            except BotoCoreError as exc:
                raise self._fail("PutItem", exc) from exc
            added.append(sku)
        return added

    def _update(self, sku: str, expression: str, values: dict[str, Any], **extra: Any) -> Any:
        return self._client.update_item(
            TableName=self._table,
            Key={"sku": {"S": sku}},
            UpdateExpression=expression,
            ExpressionAttributeValues=values,
            ReturnValues="ALL_NEW",
            **extra,
        )

    def set_available(self, sku: str, available: int, now: datetime) -> InventoryRecord:
        """Set available units (a stock take); reserved and sold stay as they are."""
        if available < 0:
            raise NegativeStockError(sku, 0, available)
        try:
            response = self._update(
                sku,
                "SET available = :n, updated_at = :t, "
                "reserved = if_not_exists(reserved, :zero), sold = if_not_exists(sold, :zero)",
                {
                    ":n": {"N": str(available)},
                    ":t": {"S": now.isoformat(timespec="seconds")},
                    ":zero": {"N": "0"},
                },
            )
        except (BotoCoreError, ClientError) as exc:
            raise self._fail("UpdateItem", exc) from exc
        return _record_from_item(response["Attributes"])

    def add_available(self, sku: str, delta: int, now: datetime) -> InventoryRecord:
        """Add `delta` (may be negative) in one conditional write; never below zero."""
        values: dict[str, Any] = {
            ":d": {"N": str(delta)},
            ":t": {"S": now.isoformat(timespec="seconds")},
            ":zero": {"N": "0"},
        }
        extra: dict[str, Any] = {}
        if delta < 0:
            # The check and the write are one operation: no read-modify-write race
            # with checkouts reserving the same units.
            extra["ConditionExpression"] = "available >= :need"
            values[":need"] = {"N": str(-delta)}
        try:
            response = self._update(
                sku,
                "SET available = if_not_exists(available, :zero) + :d, updated_at = :t, "
                "reserved = if_not_exists(reserved, :zero), sold = if_not_exists(sold, :zero)",
                values,
                **extra,
            )
        except ClientError as exc:
            if _is_condition_failure(exc):
                current = self.get_available([sku]).get(sku, 0)
                raise NegativeStockError(sku, current, delta) from exc
            raise self._fail("UpdateItem", exc) from exc
        except BotoCoreError as exc:
            raise self._fail("UpdateItem", exc) from exc
        return _record_from_item(response["Attributes"])
