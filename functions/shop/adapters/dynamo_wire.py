"""DynamoDB's wire form for the shop's adapters: (de)serialising items, running transactions."""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

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


# DynamoDB cancels a transaction that touches an item another transaction is
# writing at that moment (reason TransactionConflict): nothing was written, so it
# is retried, with jitter, before the caller sees an error. Hot SKUs need this.
CONFLICT_ATTEMPTS = 5
_BACKOFF_BASE_S = 0.02


def only_conflicts(exc: ClientError) -> bool:
    """True when a cancelled transaction failed on concurrency alone, not on a condition."""
    if exc.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return False
    codes = set(cancellation_codes(exc))
    return "TransactionConflict" in codes and codes <= {"None", "TransactionConflict"}


def request_token(items: Sequence[dict[str, Any]], attempt: int) -> str:
    """The ClientRequestToken of one attempt at a transaction: its items' digest.

    The SDK resends a call whose reply was lost (a read timeout) with the same token,
    and DynamoDB then answers the first call's result instead of running it again: a
    reservation applied twice would fail its own conditions ("only 0 available") and
    strand the units it held. Each of our own retries after a conflict is a new attempt
    with its own token, so it runs anew.
    """
    payload = json.dumps([attempt, list(items)], sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()


def transact_write(
    client: DynamoDBClient, items: Sequence[dict[str, Any]], *, repeatable: bool = False
) -> None:
    """Run one TransactWriteItems (plain dicts in wire form), retrying pure conflicts.

    `repeatable`: the same items written twice mean two changes (a count added to twice),
    so each call gets the SDK's own token, fresh per call, instead of the items' digest.
    """
    for attempt in range(CONFLICT_ATTEMPTS):
        request: dict[str, Any] = {"TransactItems": list(items)}
        if not repeatable:
            request["ClientRequestToken"] = request_token(items, attempt)
        try:
            client.transact_write_items(**request)
        except ClientError as exc:
            if not only_conflicts(exc) or attempt == CONFLICT_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0, _BACKOFF_BASE_S * 2**attempt))  # noqa: S311 - jitter
            continue
        return


def cancellation_codes(exc: ClientError) -> list[str]:
    """The per-item reason codes of a cancelled transaction ("None" where the item was fine)."""
    reasons = exc.response.get("CancellationReasons") or []
    return [str(reason.get("Code", "None")) for reason in reasons]
