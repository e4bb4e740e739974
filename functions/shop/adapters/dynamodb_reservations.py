"""Reservations and the stock they hold, in DynamoDB, moved only by conditional transactions.

Every stock move is one TransactWriteItems that also changes the reservation's
status under a condition on its current status, so a move can happen once and
only once whatever the order or number of callers (see docs/architecture.md):

- reserve: put the `held` reservation + `available -= q, reserved += q` if `available >= q`
- commit:  `held -> committed` + `reserved -= q, sold += q`
- release: `held -> released` + `reserved -= q, available += q`
- late commit (paid after the units were released): `released -> committed` +
  `available -= q, sold += q` if `available >= q`, only for the lines still in stock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from shop.errors import StoreUnavailableError
from shop.reservations import (
    Reservation,
    ReservationLine,
    ReservationStatus,
    Shortage,
    StockShortError,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

STATUS_INDEX = "status-expires_at"


def to_attr(value: Any) -> Any:
    """A Python value in DynamoDB's wire form."""
    return _serializer.serialize(value)


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    """A whole item in DynamoDB's wire form."""
    return {key: _serializer.serialize(value) for key, value in values.items()}


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """A DynamoDB item as plain Python values (numbers as Decimal)."""
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def transact_write(client: DynamoDBClient, items: Sequence[dict[str, Any]]) -> None:
    """Run one TransactWriteItems (items built as plain dicts in wire form)."""
    client.transact_write_items(TransactItems=cast(Any, list(items)))


def cancellation_codes(exc: ClientError) -> list[str]:
    """The per-item reason codes of a cancelled transaction ("None" where the item was fine)."""
    reasons = exc.response.get("CancellationReasons") or []
    return [str(reason.get("Code", "None")) for reason in reasons]


def reservation_to_item(reservation: Reservation) -> dict[str, Any]:
    """The reservation as a DynamoDB item (the shape in docs/architecture.md, plus prices)."""
    values: dict[str, Any] = {
        "reservation_id": reservation.reservation_id,
        "cart_id": reservation.cart_id,
        "lines": [
            {
                "sku": line.sku,
                "quantity": line.quantity,
                "unit_amount": line.unit_amount,
                "title": line.title,
                "variant_label": line.variant_label,
            }
            for line in reservation.lines
        ],
        "status": str(reservation.status),
        "expires_at": reservation.expires_at,
        "created_at": reservation.created_at,
        "currency": reservation.currency,
        "locale": reservation.locale,
        "shipping_rates": dict(reservation.shipping_rates),
    }
    if reservation.session_id:
        values["session_id"] = reservation.session_id
    return to_item(values)


def reservation_from_item(item: Mapping[str, Any]) -> Reservation:
    """Read a reservation item back."""
    data = from_item(item)
    return Reservation(
        reservation_id=str(data["reservation_id"]),
        cart_id=str(data.get("cart_id", "")),
        lines=tuple(
            ReservationLine(
                sku=str(line["sku"]),
                quantity=int(line["quantity"]),
                unit_amount=int(line.get("unit_amount", 0)),
                title=str(line.get("title", "")),
                variant_label=str(line.get("variant_label", "")),
            )
            for line in data.get("lines", [])
        ),
        status=ReservationStatus(str(data["status"])),
        expires_at=int(data["expires_at"]),
        created_at=int(data.get("created_at", 0)),
        currency=str(data.get("currency", "EUR")),
        locale=str(data.get("locale", "en")),
        session_id=str(data["session_id"]) if data.get("session_id") else None,
        shipping_rates={str(k): str(v) for k, v in data.get("shipping_rates", {}).items()},
    )


class DynamoReservations:
    """Holds, commits and releases stock for checkouts (RESERVATIONS_TABLE + INVENTORY_TABLE)."""

    def __init__(
        self, client: DynamoDBClient, reservations_table: str, inventory_table: str
    ) -> None:
        self.client = client
        self.reservations_table = reservations_table
        self.inventory_table = inventory_table

    # --- transaction items, also composed into the order transactions -----------------

    def _status_update(
        self, reservation_id: str, expected: ReservationStatus, new: ReservationStatus
    ) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self.reservations_table,
                "Key": {"reservation_id": {"S": reservation_id}},
                "UpdateExpression": "SET #s = :new, updated_at = :now",
                "ConditionExpression": "#s = :expected",
                "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": {
                    ":new": {"S": str(new)},
                    ":expected": {"S": str(expected)},
                    ":now": {"S": _now_iso()},
                },
            }
        }

    def _stock_update(
        self, sku: str, expression: str, quantity: int, guard: str | None
    ) -> dict[str, Any]:
        update: dict[str, Any] = {
            "TableName": self.inventory_table,
            "Key": {"sku": {"S": sku}},
            "UpdateExpression": expression + ", updated_at = :now",
            "ExpressionAttributeValues": {
                ":q": {"N": str(quantity)},
                ":zero": {"N": "0"},
                ":now": {"S": _now_iso()},
            },
        }
        if guard:
            update["ConditionExpression"] = guard
            update["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return {"Update": update}

    def commit_items(self, reservation: Reservation) -> list[dict[str, Any]]:
        """Items that turn a held reservation into sold units."""
        items = [
            self._status_update(
                reservation.reservation_id, ReservationStatus.HELD, ReservationStatus.COMMITTED
            )
        ]
        for line in reservation.lines:
            items.append(
                self._stock_update(
                    line.sku,
                    "SET reserved = reserved - :q, sold = if_not_exists(sold, :zero) + :q",
                    line.quantity,
                    "reserved >= :q",
                )
            )
        return items

    def late_commit_items(
        self, reservation: Reservation, lines: Iterable[ReservationLine]
    ) -> list[dict[str, Any]]:
        """Items that sell units again after the reservation was released (paid late)."""
        items = [
            self._status_update(
                reservation.reservation_id, ReservationStatus.RELEASED, ReservationStatus.COMMITTED
            )
        ]
        for line in lines:
            items.append(
                self._stock_update(
                    line.sku,
                    "SET available = available - :q, sold = if_not_exists(sold, :zero) + :q",
                    line.quantity,
                    "available >= :q",
                )
            )
        return items

    def restock_items(self, lines: Iterable[ReservationLine]) -> list[dict[str, Any]]:
        """Items that put refunded units back on sale."""
        return [
            self._stock_update(
                line.sku,
                "SET available = if_not_exists(available, :zero) + :q, "
                "sold = if_not_exists(sold, :zero) - :q",
                line.quantity,
                None,
            )
            for line in lines
        ]

    # --- operations -----------------------------------------------------------------------

    def reserve(self, reservation: Reservation) -> None:
        """Hold every line in one transaction, or raise StockShortError naming the short SKUs."""
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.reservations_table,
                    "Item": reservation_to_item(reservation),
                    "ConditionExpression": "attribute_not_exists(reservation_id)",
                }
            }
        ]
        for line in reservation.lines:
            items.append(
                self._stock_update(
                    line.sku,
                    "SET available = available - :q, "
                    "reserved = if_not_exists(reserved, :zero) + :q",
                    line.quantity,
                    "available >= :q",
                )
            )
        try:
            transact_write(self.client, items)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise StoreUnavailableError("inventory", "reserve", str(exc)) from exc
            codes = cancellation_codes(exc)
            failed = {
                line.sku
                for line, code in zip(reservation.lines, codes[1:], strict=False)
                if code == "ConditionalCheckFailed"
            }
            if not failed:
                # Lost to a concurrent transaction on the same items: the caller may retry.
                raise StoreUnavailableError("inventory", "reserve", str(exc)) from exc
            levels = self.stock_levels(sorted(failed))
            raise StockShortError(
                tuple(
                    Shortage(line.sku, line.quantity, levels.get(line.sku, 0))
                    for line in reservation.lines
                    if line.sku in failed
                )
            ) from exc

    def release(self, reservation: Reservation) -> bool:
        """Put held units back on sale; False when the reservation was no longer held."""
        items = [
            self._status_update(
                reservation.reservation_id, ReservationStatus.HELD, ReservationStatus.RELEASED
            )
        ]
        for line in reservation.lines:
            items.append(
                self._stock_update(
                    line.sku,
                    "SET reserved = reserved - :q, "
                    "available = if_not_exists(available, :zero) + :q",
                    line.quantity,
                    "reserved >= :q",
                )
            )
        try:
            transact_write(self.client, items)
        except ClientError as exc:
            codes = cancellation_codes(exc)
            if codes and codes[0] == "ConditionalCheckFailed":
                return False
            raise StoreUnavailableError("reservations", "release", str(exc)) from exc
        return True

    def get(self, reservation_id: str) -> Reservation | None:
        """The reservation, read consistently, or None."""
        try:
            response = self.client.get_item(
                TableName=self.reservations_table,
                Key={"reservation_id": {"S": reservation_id}},
                ConsistentRead=True,
            )
        except ClientError as exc:
            raise StoreUnavailableError("reservations", "get", str(exc)) from exc
        item = response.get("Item")
        return reservation_from_item(item) if item else None

    def attach_session(
        self, reservation_id: str, session_id: str, shipping_rates: Mapping[str, str]
    ) -> None:
        """Record the Checkout Session of a held reservation (and its shipping rate ids)."""
        try:
            self.client.update_item(
                TableName=self.reservations_table,
                Key={"reservation_id": {"S": reservation_id}},
                UpdateExpression="SET session_id = :sid, shipping_rates = :rates",
                ExpressionAttributeValues={
                    ":sid": {"S": session_id},
                    ":rates": to_attr(dict(shipping_rates)),
                },
                ConditionExpression="attribute_exists(reservation_id)",
            )
        except ClientError as exc:
            raise StoreUnavailableError("reservations", "attach_session", str(exc)) from exc

    def extend(self, reservation_id: str, expires_at: int) -> bool:
        """Keep a held reservation past its session (delayed payment); False if not held."""
        try:
            self.client.update_item(
                TableName=self.reservations_table,
                Key={"reservation_id": {"S": reservation_id}},
                UpdateExpression="SET expires_at = :exp",
                ConditionExpression="#s = :held AND expires_at < :exp",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={
                    ":exp": {"N": str(expires_at)},
                    ":held": {"S": str(ReservationStatus.HELD)},
                },
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise StoreUnavailableError("reservations", "extend", str(exc)) from exc
        return True

    def list_expired_held(self, before: int, limit: int = 100) -> list[Reservation]:
        """Held reservations whose `expires_at` is before `before` (GSI status-expires_at)."""
        try:
            response = self.client.query(
                TableName=self.reservations_table,
                IndexName=STATUS_INDEX,
                KeyConditionExpression="#s = :held AND expires_at < :before",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={
                    ":held": {"S": str(ReservationStatus.HELD)},
                    ":before": {"N": str(before)},
                },
                Limit=limit,
            )
        except ClientError as exc:
            raise StoreUnavailableError("reservations", "list_expired_held", str(exc)) from exc
        return [reservation_from_item(item) for item in response.get("Items", [])]

    def stock_levels(self, skus: Sequence[str]) -> dict[str, int]:
        """Available units per SKU right now (missing SKUs count as 0)."""
        levels: dict[str, int] = {}
        for sku in skus:
            response = self.client.get_item(
                TableName=self.inventory_table, Key={"sku": {"S": sku}}, ConsistentRead=True
            )
            item = response.get("Item")
            levels[sku] = int(from_item(item).get("available", 0)) if item else 0
        return levels
