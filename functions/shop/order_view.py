"""What the order status page may show: the order as JSON, without merchant-only data.

Flags, payment ids, the cart and reservation stay out; history notes that
carry internal amounts are reduced to what a shopper understands.
"""

from __future__ import annotations

import hmac
from typing import Any

from shop.orders import HistoryEntry, Order, OrderNotFoundError


def check_access(order: Order | None, order_id: str, token: str | None) -> Order:
    """The order if the token matches (constant-time), else OrderNotFoundError (404).

    An order whose shopper's data was erased is not found either: its page is theirs.
    """
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (a 500).
    given = (token or "").encode("utf-8", "surrogatepass")
    if order is None or not given or not hmac.compare_digest(order.access_token.encode(), given):
        raise OrderNotFoundError(order_id)
    if order.erased_at is not None:
        raise OrderNotFoundError(order_id)
    return order


def _history(entry: HistoryEntry) -> dict[str, Any]:
    note = entry.note
    kind, _, value = note.partition(":")
    item: dict[str, Any] = {"status": str(entry.status), "at": entry.at}
    if kind in ("refund", "partial_refund") and value.isdigit():
        item["refunded_amount"] = int(value)
    elif note:
        item["note"] = note
    return item


def order_json(order: Order) -> dict[str, Any]:
    """The order for its status page (schema `Order` in functions/openapi.yaml)."""
    window = order.delivery_window()
    shipping = None
    if order.shipping is not None:
        shipping = {
            "option_id": order.shipping.option_id,
            "kind": order.shipping.kind,
            "name": order.shipping.name,
            "price": order.shipping.amount.to_json(),
            "address": list(order.shipping.address),  # pickup: where to collect it
            "estimate": {"from": window[0].isoformat(), "to": window[1].isoformat()}
            if window
            else None,
        }
    return {
        "order_id": order.order_id,
        "number": order.display_number,
        "status": str(order.status),
        "created_at": order.created_at,
        "locale": order.locale,
        "email": order.email,
        "lines": [
            {
                "sku": line.sku,
                "title": line.title,
                "variant_label": line.variant_label,
                "quantity": line.quantity,
                "unit_price": line.unit_price.to_json(),
                "line_total": line.total.to_json(),
            }
            for line in order.lines
        ],
        "subtotal": order.subtotal.to_json(),
        "shipping_amount": order.shipping_amount.to_json(),
        "discount": order.discount.to_json(),
        "tax": order.tax.to_json(),
        "total": order.total.to_json(),
        "refunded": order.refunded.to_json() if order.refunded else None,
        "shipping": shipping,
        "address": {
            "name": order.address.name,
            "lines": list(order.address.lines()[1:]),
            "country": order.address.country,
        },
        "tracking": {"carrier": order.tracking.carrier, "number": order.tracking.number}
        if order.tracking
        else None,
        "history": [_history(entry) for entry in order.history],
    }
