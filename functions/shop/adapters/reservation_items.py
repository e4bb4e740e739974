"""How a reservation is laid out in RESERVATIONS_TABLE (docs/architecture.md, plus prices)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shop.adapters.dynamo_wire import from_item, to_item
from shop.reservations import Reservation, ReservationLine, ReservationStatus


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
