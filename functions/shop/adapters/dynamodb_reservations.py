"""Reservations and the stock they hold, in DynamoDB, moved only by conditional transactions.

Every stock move is one TransactWriteItems that also changes the reservation's
status under a condition on its current status, so a move can happen once and
only once whatever the order or number of callers (see docs/architecture.md):

- reserve: put the `held` reservation + `available -= q, reserved += q` if `available >= q`
- commit:  `held -> committed` + `reserved -= q, sold += q`
- release: `held -> released` + `reserved -= q, available += q` if `reserved >= q`, only
  for the lines whose stock row still counts the hold.
- late commit (paid after the units were released): `released -> committed` +
  `available -= q, sold += q` if `available >= q`, only for the lines still in stock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from shop.adapters.dynamo_wire import (
    cancellation_codes,
    from_item,
    now_iso,
    to_attr,
    transact_write,
)
from shop.adapters.reservation_items import reservation_from_item, reservation_to_item
from shop.errors import StoreUnavailableError
from shop.reservations import (
    Release,
    Reservation,
    ReservationLine,
    ReservationStatus,
    Shortage,
    StockShortError,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

STATUS_INDEX = "status-expires_at"


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
                    ":now": {"S": now_iso()},
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
                ":now": {"S": now_iso()},
            },
        }
        if guard:
            update["ConditionExpression"] = guard
            update["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return {"Update": update}

    def _sell_from_reserved(self, line: ReservationLine) -> dict[str, Any]:
        return self._stock_update(
            line.sku,
            "SET reserved = reserved - :q, sold = if_not_exists(sold, :zero) + :q",
            line.quantity,
            "reserved >= :q",
        )

    def _sell_from_available(self, line: ReservationLine) -> dict[str, Any]:
        return self._stock_update(
            line.sku,
            "SET available = available - :q, sold = if_not_exists(sold, :zero) + :q",
            line.quantity,
            "available >= :q",
        )

    def commit_items(self, reservation: Reservation) -> list[dict[str, Any]]:
        """Items that turn a held reservation into sold units."""
        status = self._status_update(
            reservation.reservation_id, ReservationStatus.HELD, ReservationStatus.COMMITTED
        )
        return [status, *(self._sell_from_reserved(line) for line in reservation.lines)]

    def late_commit_items(
        self,
        reservation: Reservation,
        lines: Iterable[ReservationLine],
        from_reserved: Iterable[ReservationLine] = (),
    ) -> list[dict[str, Any]]:
        """Items that sell `lines` from `available` (paid after the release, or held units
        the stock row no longer counts as reserved) and `from_reserved` from `reserved`,
        the reservation still as read. Stock items in the order: `from_reserved`, `lines`."""
        status = self._status_update(
            reservation.reservation_id, reservation.status, ReservationStatus.COMMITTED
        )
        return [
            status,
            *(self._sell_from_reserved(line) for line in from_reserved),
            *(self._sell_from_available(line) for line in lines),
        ]

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
        except BotoCoreError as exc:  # no credentials, endpoint unreachable
            raise StoreUnavailableError("inventory", "reserve", str(exc)) from exc

    def release(self, reservation: Reservation) -> Release:
        """Put held units back on sale; false when the reservation was no longer held.

        A line whose stock row no longer counts the hold as reserved (the row restored
        from a backup, seeded again or deleted) is left as the row is: its count is the
        operator's, and adding the units would put them on sale twice. The hold's other
        lines go back on sale all the same (else their units stayed reserved for good),
        and the reservation records the SKUs left alone in `uncounted_skus`.
        """
        uncounted: list[str] = []
        for _ in range(len(reservation.lines) + 1):
            counted = [line for line in reservation.lines if line.sku not in uncounted]
            items = [self._release_status(reservation.reservation_id, uncounted)]
            items.extend(self._unreserve(line) for line in counted)
            try:
                transact_write(self.client, items)
            except ClientError as exc:
                codes = cancellation_codes(exc)
                if codes and codes[0] == "ConditionalCheckFailed":
                    return Release(done=False)
                drifted = [
                    line.sku
                    for line, code in zip(counted, codes[1:], strict=False)
                    if code == "ConditionalCheckFailed"
                ]
                if not drifted:  # the tables failing, or a concurrent transaction
                    raise StoreUnavailableError("reservations", "release", str(exc)) from exc
                uncounted.extend(drifted)
                continue
            except BotoCoreError as exc:  # no credentials, endpoint unreachable
                raise StoreUnavailableError("reservations", "release", str(exc)) from exc
            return Release(done=True, uncounted=tuple(sorted(uncounted)))
        raise StoreUnavailableError("reservations", "release", "stock rows kept changing")

    def _release_status(self, reservation_id: str, uncounted: list[str]) -> dict[str, Any]:
        item = self._status_update(
            reservation_id, ReservationStatus.HELD, ReservationStatus.RELEASED
        )
        if uncounted:
            update = item["Update"]
            update["UpdateExpression"] += ", uncounted_skus = :uncounted"
            update["ExpressionAttributeValues"][":uncounted"] = to_attr(sorted(uncounted))
        return item

    def _unreserve(self, line: ReservationLine) -> dict[str, Any]:
        return self._stock_update(
            line.sku,
            "SET reserved = reserved - :q, available = if_not_exists(available, :zero) + :q",
            line.quantity,
            "reserved >= :q",
        )

    def get(self, reservation_id: str) -> Reservation | None:
        """The reservation, read consistently, or None."""
        try:
            response = self.client.get_item(
                TableName=self.reservations_table,
                Key={"reservation_id": {"S": reservation_id}},
                ConsistentRead=True,
            )
        except (BotoCoreError, ClientError) as exc:
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
        except (BotoCoreError, ClientError) as exc:
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
        except BotoCoreError as exc:  # no credentials, endpoint unreachable
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
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailableError("reservations", "list_expired_held", str(exc)) from exc
        return [reservation_from_item(item) for item in response.get("Items", [])]

    def stock_levels(self, skus: Sequence[str]) -> dict[str, int]:
        """Available units per SKU right now (missing SKUs count as 0)."""
        levels: dict[str, int] = {}
        for sku in skus:
            try:
                response = self.client.get_item(
                    TableName=self.inventory_table, Key={"sku": {"S": sku}}, ConsistentRead=True
                )
            except (BotoCoreError, ClientError) as exc:
                # Asked while a refused reservation is reported: raw, it answered 500 and
                # logged a bug instead of 503 "try again".
                raise StoreUnavailableError("inventory", "stock_levels", str(exc)) from exc
            item = response.get("Item")
            levels[sku] = int(from_item(item).get("available", 0)) if item else 0
        return levels
