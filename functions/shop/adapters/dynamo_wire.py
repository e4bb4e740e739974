"""DynamoDB's wire form for the shop's adapters: (de)serialising items, running transactions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_attr(value: Any) -> Any:
    """A Python value in DynamoDB's wire form."""
    return _serializer.serialize(value)


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    """A whole item in DynamoDB's wire form."""
    return {key: _serializer.serialize(value) for key, value in values.items()}


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """A DynamoDB item as plain Python values (numbers as Decimal)."""
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


def now_iso() -> str:
    """The current UTC time as stored in `updated_at`."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def transact_write(client: DynamoDBClient, items: Sequence[dict[str, Any]]) -> None:
    """Run one TransactWriteItems (items built as plain dicts in wire form)."""
    client.transact_write_items(TransactItems=cast(Any, list(items)))


def cancellation_codes(exc: ClientError) -> list[str]:
    """The per-item reason codes of a cancelled transaction ("None" where the item was fine)."""
    reasons = exc.response.get("CancellationReasons") or []
    return [str(reason.get("Code", "None")) for reason in reasons]
