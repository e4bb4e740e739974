"""How an order is laid out in ORDERS_TABLE (pk/sk single-table design).

| pk | sk | what |
|---|---|---|
| `ORDER#<id>` | `ORDER` | the order (status, lines, amounts, address, `version`) |
| `ORDER#<id>` | `HISTORY#<nnnn>` | one status change |
| `ORDER#<id>` | `EMAIL#<kind>#<event>` | an outbox email (`pending` → `sending` → `sent`) |
| `SESSION#<cs_…>` | `SESSION` | the order of a Checkout Session: one order per session |
| `PI#<pi_…>` | `PI` | the order of a PaymentIntent (refunds arrive on charges) |
| `EVENT#<evt_…>` | `EVENT` | a processed Stripe event (expires after 30 days) |
| `COUNTER` | `ORDER_NUMBER` | the last readable order number |
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from shop.adapters.dynamo_wire import from_item, to_item
from shop.money import Money
from shop.orders import (
    Address,
    EmailKind,
    HistoryEntry,
    Order,
    OrderLine,
    OrderStatus,
    ShippingChoice,
    Tracking,
    now_iso,
)

ORDER_SK = "ORDER"
EVENT_RETENTION_SECONDS = 30 * 24 * 3600  # processed event ids expire (TTL) after this


def order_pk(order_id: str) -> str:
    """Partition key of everything about one order."""
    return f"ORDER#{order_id}"


def history_sk(index: int) -> str:
    """Sort key of the n-th history entry (zero-padded so they sort in order)."""
    return f"HISTORY#{index:04d}"


def email_sk(kind: str, event_key: str) -> str:
    """Sort key of an outbox email: one per kind and order event."""
    return f"EMAIL#{kind}#{event_key}"


def key(pk: str, sk: str) -> dict[str, Any]:
    """A pk/sk key in wire form."""
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def order_to_values(order: Order, version: int) -> dict[str, Any]:
    """The `ORDER` item as plain values (history lives in its own items)."""
    values: dict[str, Any] = {
        "pk": order_pk(order.order_id),
        "sk": ORDER_SK,
        "order_id": order.order_id,
        "number": order.number,
        "access_token": order.access_token,
        "session_id": order.session_id,
        "reservation_id": order.reservation_id,
        "cart_id": order.cart_id,
        "email": order.email,
        "locale": order.locale,
        "currency": order.total.currency,
        "lines": [
            {
                "sku": line.sku,
                "title": line.title,
                "variant_label": line.variant_label,
                "quantity": line.quantity,
                "unit_amount": line.unit_price.amount,
            }
            for line in order.lines
        ],
        "subtotal": order.subtotal.amount,
        "shipping_amount": order.shipping_amount.amount,
        "discount": order.discount.amount,
        "tax": order.tax.amount,
        "total": order.total.amount,
        "address": {
            "name": order.address.name,
            "line1": order.address.line1,
            "line2": order.address.line2,
            "postal_code": order.address.postal_code,
            "city": order.address.city,
            "state": order.address.state,
            "country": order.address.country,
        },
        "status": str(order.status),
        "created_at": order.created_at,
        "flags": list(order.flags),
        "version": version,
    }
    if order.payment_intent:
        values["payment_intent"] = order.payment_intent
    if order.shipping is not None:
        values["shipping"] = {
            "option_id": order.shipping.option_id,
            "kind": order.shipping.kind,
            "name": order.shipping.name,
            "amount": order.shipping.amount.amount,
            "min_days": order.shipping.min_days,
            "max_days": order.shipping.max_days,
        }
        if order.shipping.address:
            values["shipping"]["address"] = list(order.shipping.address)
    if order.tracking is not None:
        values["tracking"] = {"carrier": order.tracking.carrier, "number": order.tracking.number}
    if order.refunded is not None:
        values["refunded"] = order.refunded.amount
    if order.erased_at is not None:
        values["erased_at"] = order.erased_at
    return values


def order_to_item(order: Order, version: int) -> dict[str, Any]:
    """The `ORDER` item in wire form."""
    return to_item(order_to_values(order, version))


def history_to_item(order_id: str, index: int, entry: HistoryEntry) -> dict[str, Any]:
    """One history entry in wire form."""
    return to_item(
        {
            "pk": order_pk(order_id),
            "sk": history_sk(index),
            "at": entry.at,
            "status": str(entry.status),
            "note": entry.note,
        }
    )


def order_from_items(items: Sequence[Mapping[str, Any]]) -> tuple[Order, int] | None:
    """The order and its version from the items of its partition (order + history)."""
    order_data: dict[str, Any] | None = None
    history: list[tuple[str, HistoryEntry]] = []
    for raw in items:
        data = from_item(raw)
        sk = str(data["sk"])
        if sk == ORDER_SK:
            order_data = data
        elif sk.startswith("HISTORY#"):
            entry = HistoryEntry(
                at=str(data["at"]), status=OrderStatus(str(data["status"])), note=str(data["note"])
            )
            history.append((sk, entry))
    if order_data is None:
        return None
    history.sort(key=lambda pair: pair[0])
    return order_from_values(order_data, tuple(entry for _, entry in history))


def order_from_values(
    data: Mapping[str, Any], history: tuple[HistoryEntry, ...]
) -> tuple[Order, int]:
    """Rebuild an order from its item's plain values."""
    currency = str(data["currency"])

    def money(value: Any) -> Money:
        return Money(int(value), currency)

    shipping_data = data.get("shipping")
    shipping = (
        ShippingChoice(
            option_id=str(shipping_data["option_id"]),
            kind=str(shipping_data["kind"]),
            name=str(shipping_data["name"]),
            amount=money(shipping_data["amount"]),
            min_days=int(shipping_data["min_days"]),
            max_days=int(shipping_data["max_days"]),
            address=tuple(str(line) for line in shipping_data.get("address", ())),
        )
        if shipping_data
        else None
    )
    tracking_data = data.get("tracking")
    address = {str(k): str(v) for k, v in data.get("address", {}).items()}
    order = Order(
        order_id=str(data["order_id"]),
        number=int(data["number"]),
        access_token=str(data["access_token"]),
        session_id=str(data["session_id"]),
        payment_intent=str(data["payment_intent"]) if data.get("payment_intent") else None,
        reservation_id=str(data.get("reservation_id", "")),
        cart_id=str(data.get("cart_id", "")),
        email=str(data.get("email", "")),
        locale=str(data.get("locale", "en")),
        lines=tuple(
            OrderLine(
                sku=str(line["sku"]),
                title=str(line["title"]),
                variant_label=str(line["variant_label"]),
                quantity=int(line["quantity"]),
                unit_price=money(line["unit_amount"]),
            )
            for line in data.get("lines", [])
        ),
        subtotal=money(data["subtotal"]),
        shipping_amount=money(data["shipping_amount"]),
        discount=money(data["discount"]),
        tax=money(data["tax"]),
        total=money(data["total"]),
        shipping=shipping,
        address=Address(**address),
        status=OrderStatus(str(data["status"])),
        created_at=str(data["created_at"]),
        history=history,
        tracking=Tracking(str(tracking_data["carrier"]), str(tracking_data["number"]))
        if tracking_data
        else None,
        refunded=money(data["refunded"]) if data.get("refunded") is not None else None,
        flags=tuple(str(flag) for flag in data.get("flags", [])),
        erased_at=str(data["erased_at"]) if data.get("erased_at") else None,
    )
    return order, int(data.get("version", 0))


def event_item(event_id: str, event_type: str, order_id: str) -> dict[str, Any]:
    """A processed Stripe event, kept (TTL `expires_at`) long enough to outlast retries."""
    return to_item(
        {
            "pk": f"EVENT#{event_id}",
            "sk": "EVENT",
            "type": event_type,
            "order_id": order_id,
            "processed_at": now_iso(),
            "expires_at": int(time.time()) + EVENT_RETENTION_SECONDS,
        }
    )


def email_item(order: Order, kind: EmailKind, event_key: str) -> dict[str, Any]:
    """An outbox email, pending, for the email function to send once."""
    return to_item(
        {
            "pk": order_pk(order.order_id),
            "sk": email_sk(str(kind), event_key),
            "kind": str(kind),
            "order_id": order.order_id,
            "to": order.email,
            "locale": order.locale,
            "email_status": "pending",
            "created_at": now_iso(),
        }
    )
