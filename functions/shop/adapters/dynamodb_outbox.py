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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import BotoCoreError, ClientError

from shop.adapters.dynamo_wire import from_item, request_token
from shop.adapters.order_items import ORDER_SK, key, order_pk
from shop.errors import StoreUnavailableError
from shop.orders import Claim

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

# The email function is stopped after 30 s (infra/template.yaml), so a claim this old
# belongs to an attempt that died mid-send; short enough that the stream's retries of
# that record can still take it (tests/infra checks the two stay apart).
CLAIM_TIMEOUT_SECONDS = 90


@dataclass(frozen=True, slots=True)
class OutboxEmail:
    """One email of an order's outbox, as stored."""

    sk: str  # EMAIL#<kind>#<event>
    kind: str
    status: str  # pending | sending | sent | superseded (queued again under a new key)
    created_at: str
    item: dict[str, Any]  # the stored item, wire form

    @property
    def attempts(self) -> int:
        """How many times an attempt claimed it to send."""
        return int(self.item.get("attempts", {}).get("N", "0"))

    @property
    def last_error(self) -> str | None:
        """Why the last failed attempt failed (SES's refusal…), if one did."""
        error = self.item.get("last_error", {}).get("S")
        return str(error) if error is not None else None


class DynamoOutbox:
    """Conditional status moves of outbox emails."""

    def __init__(self, client: DynamoDBClient, orders_table: str) -> None:
        self.client = client
        self.table = orders_table

    def claim(self, pk: str, sk: str, now: int | None = None) -> Claim:
        """Take an email for sending, unless it is done or another attempt is sending it."""
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
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                found = cast(dict[str, Any], exc.response).get("Item") or {}
                sending = found.get("email_status") == {"S": "sending"}
                return Claim.IN_FLIGHT if sending else Claim.DONE
            raise StoreUnavailableError("orders", "claim email", str(exc)) from exc
        except BotoCoreError as exc:  # no credentials, endpoint unreachable
            raise StoreUnavailableError("orders", "claim email", str(exc)) from exc
        return Claim.TAKEN

    def mark_sent(self, pk: str, sk: str, message_id: str) -> None:
        """Record that the email left (never sent again)."""
        self._set(pk, sk, "sent", {":mid": {"S": message_id}}, ", message_id = :mid")

    def give_back(self, pk: str, sk: str, error: str) -> None:
        """Return a claimed email to `pending` after a failed send, for the retry."""
        self._set(pk, sk, "pending", {":err": {"S": error[:500]}}, ", last_error = :err")

    def discard(self, pk: str, sk: str) -> None:
        """Close a claimed email as `erased`, its address and last error gone (never sent)."""
        try:
            self.client.update_item(
                TableName=self.table,
                Key=key(pk, sk),
                UpdateExpression="SET email_status = :erased, #to = :blank REMOVE last_error",
                ConditionExpression="email_status = :sending",
                ExpressionAttributeNames={"#to": "to"},
                ExpressionAttributeValues={
                    ":erased": {"S": "erased"},
                    ":blank": {"S": ""},
                    ":sending": {"S": "sending"},
                },
            )
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailableError("orders", "mark email erased", str(exc)) from exc

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

    def emails_of(self, order_id: str) -> list[OutboxEmail]:
        """The order's outbox emails, oldest first."""
        try:
            response = self.client.query(
                TableName=self.table,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :email)",
                ExpressionAttributeValues={
                    ":pk": {"S": order_pk(order_id)},
                    ":email": {"S": "EMAIL#"},
                },
                ConsistentRead=True,
            )
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailableError("orders", "list emails", str(exc)) from exc
        emails = []
        for item in response.get("Items", []):
            values = from_item(item)
            emails.append(
                OutboxEmail(
                    sk=str(values["sk"]),
                    kind=str(values["kind"]),
                    status=str(values.get("email_status", "")),
                    created_at=str(values.get("created_at", "")),
                    item=dict(item),
                )
            )
        return sorted(emails, key=lambda email: email.created_at)

    def queue_again(self, email: OutboxEmail, at: str) -> str:
        """Queue a new pending copy of `email`; its INSERT makes the email function send it.

        The stream acts only on INSERTs (a retry of a failed send must not trigger
        itself), so setting the old item back to `pending` would send nothing. The old
        item, unless it was sent, is marked `superseded` in the same transaction.
        """
        kind_prefix = email.sk.split("#", 2)
        new_sk = f"{kind_prefix[0]}#{kind_prefix[1]}#again-{at}"
        copy = {
            **email.item,
            "sk": {"S": new_sk},
            "email_status": {"S": "pending"},
            "created_at": {"S": at},
            "queued_again_from": {"S": email.sk},
        }
        for stale in ("claimed_at", "attempts", "message_id", "last_error"):
            copy.pop(stale, None)
        writes: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.table,
                    "Item": copy,
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {
                # Not for an order whose shopper was erased meanwhile: the copy would
                # carry the address back in (shop/personal_data.py).
                "ConditionCheck": {
                    "TableName": self.table,
                    "Key": key(str(email.item["pk"]["S"]), ORDER_SK),
                    "ConditionExpression": "attribute_not_exists(erased_at)",
                }
            },
        ]
        if email.status != "sent":
            writes.append(
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": key(str(email.item["pk"]["S"]), email.sk),
                        "UpdateExpression": "SET email_status = :superseded",
                        "ConditionExpression": "email_status <> :sent",
                        "ExpressionAttributeValues": {
                            ":superseded": {"S": "superseded"},
                            ":sent": {"S": "sent"},
                        },
                    }
                }
            )
        try:
            self.client.transact_write_items(
                TransactItems=writes,  # type: ignore[arg-type]
                ClientRequestToken=request_token(writes, 0),
            )
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailableError("orders", "queue email again", str(exc)) from exc
        return new_sk
