"""Orders in DynamoDB: every transition is one conditional transaction.

Creating an order writes, all or nothing: the session's order lookup (one order
per session), the processed event id, the order, its first history entry, the
confirmation email in the outbox, and the stock commit of its reservation.
Later transitions (ship, refund) bump the order's `version` under a condition
and write their history entry and outbox email in the same transaction.
Layout: see `shop.adapters.order_items`. Every SDK failure, from DynamoDB
(ClientError) or before reaching it (BotoCoreError: no credentials, endpoint
unreachable), surfaces as StoreUnavailableError.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from shop.adapters.dynamo_wire import cancellation_codes, from_item, to_item, transact_write
from shop.adapters.dynamodb_outbox import OutboxEmail
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.adapters.order_erasure_items import MAX_TRANSACTION_ITEMS, erasure_writes
from shop.adapters.order_items import (
    ORDER_SK,
    email_item,
    event_item,
    history_to_item,
    key,
    order_from_items,
    order_pk,
    order_to_item,
)
from shop.errors import StoreUnavailableError
from shop.orders import EmailKind, Order, OrderConflictError, OrderStatus, refund_given
from shop.personal_data import scrubbed_history
from shop.reservations import Reservation, ReservationLine

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

FIRST_ORDER_NUMBER = 1001


def _put(table: str, item: dict[str, Any], label: str) -> tuple[str, dict[str, Any]]:
    return label, {
        "Put": {
            "TableName": table,
            "Item": item,
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


class DynamoOrders:
    """The order store (ORDERS_TABLE), composing stock moves from the reservations adapter."""

    def __init__(self, client: DynamoDBClient, orders_table: str, reservations: DynamoReservations):
        self.client = client
        self.table = orders_table
        self.reservations = reservations

    # --- reads ------------------------------------------------------------------------------

    def get_order(self, order_id: str) -> tuple[Order, int] | None:
        """The order with its history and version, or None."""
        try:
            response = self.client.query(
                TableName=self.table,
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": {"S": order_pk(order_id)}},
                ConsistentRead=True,
            )
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailableError("orders", "get_order", str(exc)) from exc
        return order_from_items(list(response.get("Items", [])))

    def _lookup(self, pk: str, sk: str) -> str | None:
        try:
            response = self.client.get_item(
                TableName=self.table, Key=key(pk, sk), ConsistentRead=True
            )
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailableError("orders", "lookup", str(exc)) from exc
        item = response.get("Item")
        return str(from_item(item)["order_id"]) if item else None

    def order_id_for_session(self, session_id: str) -> str | None:
        """The order recorded for a Checkout Session, if any."""
        return self._lookup(f"SESSION#{session_id}", "SESSION")

    def order_id_for_payment_intent(self, payment_intent: str) -> str | None:
        """The order paid by a PaymentIntent, if any."""
        return self._lookup(f"PI#{payment_intent}", "PI")

    def list_orders(self, limit: int = 50, status: OrderStatus | None = None) -> list[Order]:
        """The `limit` newest orders (only those in `status`, if given), newest first.

        A scan of every page of the table (fine for a shop's back office): the
        status filter applies before the limit, so old orders are never cut off.
        """
        orders: list[Order] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "FilterExpression": "sk = :sk",
            "ExpressionAttributeValues": {":sk": {"S": ORDER_SK}},
        }
        while True:
            try:
                response = self.client.scan(**kwargs)
            except (BotoCoreError, ClientError) as exc:
                raise StoreUnavailableError("orders", "scan", str(exc)) from exc
            for item in response.get("Items", []):
                found = order_from_items([item])
                if found is not None and (status is None or found[0].status == status):
                    orders.append(found[0])
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        orders.sort(key=lambda order: order.number, reverse=True)
        return orders[:limit]

    # --- writes -----------------------------------------------------------------------------

    def next_order_number(self) -> int:
        """A fresh readable order number from an atomic counter (1001, 1002, …)."""
        try:
            response = self.client.update_item(
                TableName=self.table,
                Key=key("COUNTER", "ORDER_NUMBER"),
                UpdateExpression="SET #v = if_not_exists(#v, :start) + :one",
                ExpressionAttributeNames={"#v": "value"},
                ExpressionAttributeValues={
                    ":start": {"N": str(FIRST_ORDER_NUMBER - 1)},
                    ":one": {"N": "1"},
                },
                ReturnValues="UPDATED_NEW",
            )
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailableError("orders", "next_order_number", str(exc)) from exc
        return int(response["Attributes"]["value"]["N"])

    def _run(self, labelled: Sequence[tuple[str, dict[str, Any]]], operation: str) -> None:
        """Run a labelled transaction; turn condition failures into OrderConflictError."""
        try:
            transact_write(self.client, [item for _, item in labelled])
        except BotoCoreError as exc:  # no credentials, endpoint unreachable: nothing written
            raise StoreUnavailableError("orders", operation, str(exc)) from exc
        except ClientError as exc:
            codes = cancellation_codes(exc)
            failed = [
                label
                for (label, _), code in zip(labelled, codes, strict=False)
                if code == "ConditionalCheckFailed"
            ]
            if not failed:
                raise StoreUnavailableError("orders", operation, str(exc)) from exc
            for reason in (
                "duplicate_session",
                "duplicate_event",
                "version_changed",
                "reservation_changed",
            ):
                if reason in failed:
                    raise OrderConflictError(reason) from exc
            skus = tuple(label.split(":", 1)[1] for label in failed if label.startswith("stock:"))
            if skus:
                raise OrderConflictError("stock_short", skus) from exc
            # The order, its history or its email already exist under this number (the
            # counter behind the orders, after a restore from a backup): not a stock matter.
            raise OrderConflictError("order_number_taken") from exc

    def create_order(
        self,
        order: Order,
        *,
        reservation: Reservation | None,
        late_lines: Sequence[ReservationLine] | None,
        event_id: str | None,
        event_type: str,
        from_reserved: Sequence[ReservationLine] = (),
    ) -> None:
        """Record a paid order and sell its units in one transaction.

        With `late_lines` None the held reservation is committed; otherwise exactly
        those lines are sold from `available` (a released reservation paid late, or
        the lines of a held one its stock rows no longer count as reserved) and
        `from_reserved` committed from `reserved`.
        """
        labelled: list[tuple[str, dict[str, Any]]] = [
            _put(
                self.table,
                to_item(
                    {
                        "pk": f"SESSION#{order.session_id}",
                        "sk": "SESSION",
                        "order_id": order.order_id,
                    }
                ),
                "duplicate_session",
            ),
        ]
        if event_id:
            labelled.append(
                _put(
                    self.table,
                    event_item(event_id, event_type, order.order_id),
                    "duplicate_event",
                )
            )
        labelled.append(_put(self.table, order_to_item(order, 1), "order"))
        if order.payment_intent:
            labelled.append(
                _put(
                    self.table,
                    to_item(
                        {"pk": f"PI#{order.payment_intent}", "sk": "PI", "order_id": order.order_id}
                    ),
                    "payment_intent",
                )
            )
        for index, entry in enumerate(order.history):
            labelled.append(
                _put(self.table, history_to_item(order.order_id, index, entry), "history")
            )
        labelled.append(
            _put(self.table, email_item(order, EmailKind.CONFIRMATION, "paid"), "email")
        )
        if reservation is not None:
            stock_items = (
                self.reservations.commit_items(reservation)
                if late_lines is None
                else self.reservations.late_commit_items(reservation, late_lines, from_reserved)
            )
            labelled.append(("reservation_changed", stock_items[0]))
            lines = reservation.lines if late_lines is None else [*from_reserved, *late_lines]
            labelled.extend(
                (f"stock:{line.sku}", item)
                for line, item in zip(lines, stock_items[1:], strict=True)
            )
        self._run(labelled, "create_order")

    def save_transition(
        self,
        before: tuple[Order, int],
        after: Order,
        *,
        email: EmailKind | None,
        event_id: str | None = None,
        event_type: str = "",
        restock: Sequence[ReservationLine] = (),
    ) -> None:
        """Write a status change (new history entries, outbox email, stock) if nobody else did."""
        order, version = before
        labelled: list[tuple[str, dict[str, Any]]] = []
        if event_id:
            labelled.append(
                _put(
                    self.table,
                    event_item(event_id, event_type, order.order_id),
                    "duplicate_event",
                )
            )
        labelled.append(self._next_version(after, version))
        for index in range(len(order.history), len(after.history)):
            labelled.append(
                _put(
                    self.table,
                    history_to_item(order.order_id, index, after.history[index]),
                    "history",
                )
            )
        if email is not None:
            outbox = email_item(after, email, f"v{version + 1}")
            given = refund_given(order, after)
            if email is EmailKind.REFUND and given is not None:
                # The email says this refund's amount: sent later, the order would give
                # the running total of every refund so far instead.
                outbox["amount"] = {"N": str(given.amount)}
            labelled.append(_put(self.table, outbox, "email"))
        labelled.extend(("restock", entry) for entry in self.reservations.restock_items(restock))
        self._run(labelled, "save_transition")

    def save_erasure(
        self, before: tuple[Order, int], after: Order, emails: Sequence[OutboxEmail]
    ) -> None:
        """Store an order whose personal data was erased (shop/personal_data.py).

        The order goes first, under its version, with as many of the scrubbed history
        entries and outbox `emails` (as read before) as one transaction holds; the rest
        follow. A change meanwhile (a refund, an email claimed) raises
        OrderConflictError: the caller reads the order again, and an order found erased
        is finished with `finish_erasure`.
        """
        order, version = before
        scrub = erasure_writes(self.table, order.order_id, order.history, after.history, emails)
        self._run_in_chunks([self._next_version(after, version), *scrub])

    def finish_erasure(self, order: Order, emails: Sequence[OutboxEmail]) -> None:
        """Scrub what an erasure stopped halfway left of an erased order (notes, emails)."""
        scrubbed = scrubbed_history(order)
        self._run_in_chunks(
            erasure_writes(self.table, order.order_id, order.history, scrubbed, emails)
        )

    def _next_version(self, after: Order, version: int) -> tuple[str, dict[str, Any]]:
        """The order written as `after`, if it is still at `version` (else version_changed)."""
        return (
            "version_changed",
            {
                "Put": {
                    "TableName": self.table,
                    "Item": order_to_item(after, version + 1),
                    "ConditionExpression": "version = :v",
                    "ExpressionAttributeValues": {":v": {"N": str(version)}},
                }
            },
        )

    def _run_in_chunks(self, labelled: Sequence[tuple[str, dict[str, Any]]]) -> None:
        for start in range(0, len(labelled), MAX_TRANSACTION_ITEMS):
            self._run(labelled[start : start + MAX_TRANSACTION_ITEMS], "save_erasure")
