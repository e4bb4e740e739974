"""The email outbox in ORDERS_TABLE: claim, mark sent, or give back for a retry.

An outbox item (`EMAIL#<kind>#<event>`) is written in the same transaction as
the order event that wants it. The email function claims it with a conditional
write (`pending` → `sending`), sends, then marks it `sent`. A failed send puts
it back to `pending` and fails the stream record so Lambda retries it (the
function acts on the item's INSERT record only, so this write triggers nothing);
a claim older than CLAIM_TIMEOUT (a crash mid-send) may be taken again.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from shop.adapters.order_items import key
from shop.errors import StoreUnavailableError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

CLAIM_TIMEOUT_SECONDS = 300


class DynamoOutbox:
    """Conditional status moves of outbox emails."""

    def __init__(self, client: DynamoDBClient, orders_table: str) -> None:
        self.client = client
        self.table = orders_table

    def claim(self, pk: str, sk: str, now: int | None = None) -> bool:
        """Take an email for sending; False if it is sent or someone else is sending it."""
        moment = int(time.time()) if now is None else now
        try:
            self.client.update_item(
                TableName=self.table,
                Key=key(pk, sk),
                UpdateExpression="SET email_status = :sending, claimed_at = :now ADD attempts :one",
                ConditionExpression="attribute_exists(pk) AND (email_status = :pending OR "
                "(email_status = :sending AND claimed_at < :stale))",
                ExpressionAttributeValues={
                    ":sending": {"S": "sending"},
                    ":pending": {"S": "pending"},
                    ":now": {"N": str(moment)},
                    ":stale": {"N": str(moment - CLAIM_TIMEOUT_SECONDS)},
                    ":one": {"N": "1"},
                },
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise StoreUnavailableError("orders", "claim email", str(exc)) from exc
        except BotoCoreError as exc:  # no credentials, endpoint unreachable
            raise StoreUnavailableError("orders", "claim email", str(exc)) from exc
        return True

    def mark_sent(self, pk: str, sk: str, message_id: str) -> None:
        """Record that the email left (never sent again)."""
        self._set(pk, sk, "sent", {":mid": {"S": message_id}}, ", message_id = :mid")

    def give_back(self, pk: str, sk: str, error: str) -> None:
        """Return a claimed email to `pending` after a failed send, for the retry."""
        self._set(pk, sk, "pending", {":err": {"S": error[:500]}}, ", last_error = :err")

    def _set(self, pk: str, sk: str, status: str, values: dict[str, object], extra: str) -> None:
        try:
            self.client.update_item(
                TableName=self.table,
                Key=key(pk, sk),
                UpdateExpression="SET email_status = :status" + extra,
                ConditionExpression="email_status = :sending",
                ExpressionAttributeValues={
                    ":status": {"S": status},
                    ":sending": {"S": "sending"},
                    **values,  # type: ignore[dict-item]
                },
            )
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailableError("orders", f"mark email {status}", str(exc)) from exc
