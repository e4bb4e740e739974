"""Carts in DynamoDB: one item per cart, optimistic locking on `version`, TTL on `expires_at`.

Concurrent writers (two tabs, a double click, retried requests) each read the
cart, apply their change, and write only if `version` is still what they read;
the loser re-reads and re-applies its change, so no update is ever lost.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from shop.cart import Cart, CartLine, expiry_for, new_cart, new_cart_id, stamp
from shop.errors import ConcurrentUpdateError, StoreUnavailableError
from shop.ports import CartChange

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

MAX_ATTEMPTS = 25
_BACKOFF_BASE_S = 0.005
_BACKOFF_CAP_S = 0.1


def _lines_to_attr(lines: tuple[CartLine, ...]) -> AttributeValueTypeDef:
    return {
        "L": [
            {"M": {"sku": {"S": line.sku}, "quantity": {"N": str(line.quantity)}}} for line in lines
        ]
    }


def _lines_from_attr(attr: Any) -> tuple[CartLine, ...]:
    if not attr:
        return ()
    return tuple(
        CartLine(sku=entry["M"]["sku"]["S"], quantity=int(entry["M"]["quantity"]["N"]))
        for entry in attr.get("L", [])
    )


def cart_to_item(cart: Cart) -> dict[str, AttributeValueTypeDef]:
    """The DynamoDB item for a cart (layout in docs/architecture.md)."""
    # stamp() sets both timestamps before any write
    assert cart.created_at is not None
    assert cart.updated_at is not None
    return {
        "cart_id": {"S": cart.cart_id},
        "items": _lines_to_attr(cart.items),
        "saved": _lines_to_attr(cart.saved),
        "version": {"N": str(cart.version)},
        "created_at": {"S": cart.created_at.isoformat(timespec="seconds")},
        "updated_at": {"S": cart.updated_at.isoformat(timespec="seconds")},
        "expires_at": {"N": str(cart.expires_at)},
        **({"checkout": {"S": cart.checkout}} if cart.checkout else {}),
    }


def cart_from_item(item: Any) -> Cart:
    """A cart from its DynamoDB item."""
    return Cart(
        cart_id=item["cart_id"]["S"],
        items=_lines_from_attr(item.get("items")),
        saved=_lines_from_attr(item.get("saved")),
        version=int(item["version"]["N"]),
        created_at=datetime.fromisoformat(item["created_at"]["S"]),
        updated_at=datetime.fromisoformat(item["updated_at"]["S"]),
        expires_at=int(item["expires_at"]["N"]),
        checkout=item["checkout"]["S"] if "checkout" in item else None,
    )


def _is_condition_failure(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


class DynamoDBCartStore:
    """`CartStore` on a DynamoDB table keyed by `cart_id`."""

    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._client = client
        self._table = table

    def get(self, cart_id: str, now: datetime) -> Cart | None:
        """The cart (strongly consistent read), or None if absent or past its TTL."""
        try:
            response = self._client.get_item(
                TableName=self._table, Key={"cart_id": {"S": cart_id}}, ConsistentRead=True
            )
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailableError(self._table, "GetItem", str(exc)) from exc
        item = response.get("Item")
        if item is None:
            return None
        cart = cart_from_item(item)
        # TTL deletion lags by up to days: an expired cart must already count as gone.
        return None if cart.is_expired(now) else cart

    def update(self, cart_id: str | None, change: CartChange, now: datetime) -> Cart:
        """Read, apply `change`, write if nobody else wrote meanwhile; retry otherwise."""
        for attempt in range(MAX_ATTEMPTS):
            current = self.get(cart_id, now) if cart_id else None
            if current is None:
                # Fresh server-side id: a client-supplied id that does not exist is never
                # adopted, so nobody can plant a cart id in someone else's browser.
                base = new_cart(new_cart_id(), now)
                condition = "attribute_not_exists(cart_id)"
                values: dict[str, AttributeValueTypeDef] | None = None
            else:
                base = current
                condition = "version = :expected"
                values = {":expected": {"N": str(current.version)}}
            updated = stamp(change(base), now)  # a domain error here writes nothing
            try:
                kwargs: dict[str, Any] = {
                    "TableName": self._table,
                    "Item": cart_to_item(updated),
                    "ConditionExpression": condition,
                }
                if values:
                    kwargs["ExpressionAttributeValues"] = values
                self._client.put_item(**kwargs)
            except ClientError as exc:
                if not _is_condition_failure(exc):
                    raise StoreUnavailableError(self._table, "PutItem", str(exc)) from exc
                backoff = min(_BACKOFF_CAP_S, _BACKOFF_BASE_S * 2**attempt)
                time.sleep(random.uniform(0, backoff))  # noqa: S311 - jitter, not security
                continue
            except BotoCoreError as exc:
                raise StoreUnavailableError(self._table, "PutItem", str(exc)) from exc
            return updated
        # Not the cart id: the message goes to the browser, the id is the cookie's secret.
        raise ConcurrentUpdateError("cart", MAX_ATTEMPTS)

    def touch(self, cart: Cart, now: datetime) -> Cart:
        """Push the expiry forward without bumping the version (a read is not a change)."""
        expires_at = expiry_for(now)
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"cart_id": {"S": cart.cart_id}},
                UpdateExpression="SET expires_at = :e",
                ConditionExpression="attribute_exists(cart_id)",
                ExpressionAttributeValues={":e": {"N": str(expires_at)}},
            )
        except ClientError as exc:
            if not _is_condition_failure(exc):
                raise StoreUnavailableError(self._table, "UpdateItem", str(exc)) from exc
            return cart  # deleted meanwhile (TTL): nothing to refresh
        except BotoCoreError as exc:
            raise StoreUnavailableError(self._table, "UpdateItem", str(exc)) from exc
        return replace(cart, expires_at=expires_at)
