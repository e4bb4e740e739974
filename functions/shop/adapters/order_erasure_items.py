"""The writes that scrub an order's history and outbox when its shopper's data is erased.

History entries whose note changed are written again; each outbox email still
holding an address, or not yet sent, loses its address and the mail service's last
error (which quotes it), and one not sent is marked `erased` so that it never will
be, under the status it was read in. A transaction holds at most 100 of these: an
order with a long history is stored in several (DynamoOrders.save_erasure).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shop.adapters.dynamodb_outbox import OutboxEmail
from shop.adapters.order_items import history_to_item, key, order_pk
from shop.orders import HistoryEntry

MAX_TRANSACTION_ITEMS = 100  # DynamoDB's limit on one TransactWriteItems
_FINAL = ("sent", "superseded", "erased")


def erasure_writes(
    table: str,
    order_id: str,
    stored: Sequence[HistoryEntry],
    scrubbed: Sequence[HistoryEntry],
    emails: Sequence[OutboxEmail],
) -> list[tuple[str, dict[str, Any]]]:
    """Labelled transaction items taking the order's history and outbox to their scrubbed form."""
    writes: list[tuple[str, dict[str, Any]]] = []
    for index, entry in enumerate(scrubbed):
        if index < len(stored) and entry == stored[index]:
            continue
        item = history_to_item(order_id, index, entry)
        put: dict[str, Any] = {"TableName": table, "Item": item}
        if index >= len(stored):
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        writes.append(("history", {"Put": put}))
    for email in emails:
        if email.status in _FINAL and not email.item.get("to", {}).get("S"):
            continue
        kept = email.status if email.status in _FINAL else "erased"
        update = {
            "TableName": table,
            "Key": key(order_pk(order_id), email.sk),
            "UpdateExpression": "SET #to = :blank, email_status = :kept REMOVE last_error",
            "ConditionExpression": "email_status = :seen",
            "ExpressionAttributeNames": {"#to": "to"},
            "ExpressionAttributeValues": {
                ":blank": {"S": ""},
                ":kept": {"S": kept},
                ":seen": {"S": email.status},
            },
        }
        # Claimed or queued again meanwhile: redone on the fresh state, like the order.
        writes.append(("version_changed", {"Update": update}))
    return writes
