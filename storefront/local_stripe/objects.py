"""Stripe-shaped objects for the local stand-in: Checkout Sessions, events, charges.

Field for field the shapes of Stripe's published examples
(`checkout.session`, `event`, `charge` in Stripe's OpenAPI fixtures), so the
webhook handler sees locally exactly what it sees from Stripe.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from shop.stripe_version import STRIPE_API_VERSION as API_VERSION


def new_id(prefix: str, length: int = 24) -> str:
    """A Stripe-like object id: "cs_test_…", "evt_…", "pi_…"."""
    return f"{prefix}_{secrets.token_hex(length // 2)}"


def _address(values: Mapping[str, str | None] | None = None) -> dict[str, str | None]:
    values = values or {}
    return {
        key: values.get(key) or None
        for key in ("city", "country", "line1", "line2", "postal_code", "state")
    }


def session_object(
    params: Mapping[str, Any], session_id: str, url: str, created: int
) -> dict[str, Any]:
    """A new, open `checkout.session` for the create parameters (as Stripe returns it)."""
    line_items = params.get("line_items") or []
    currency = str(line_items[0]["price_data"]["currency"]) if line_items else "eur"
    subtotal = sum(
        int(item["price_data"]["unit_amount"]) * int(item["quantity"]) for item in line_items
    )
    shipping_options = [
        {
            "shipping_amount": int(option["shipping_rate_data"]["fixed_amount"]["amount"]),
            "shipping_rate": new_id("shr_test"),
        }
        for option in params.get("shipping_options") or []
    ]
    allowed = (params.get("shipping_address_collection") or {}).get("allowed_countries")
    return {
        "id": session_id,
        "object": "checkout.session",
        "adaptive_pricing": {"enabled": False},
        "after_expiration": None,
        "allow_promotion_codes": params.get("allow_promotion_codes"),
        "amount_subtotal": subtotal,
        "amount_total": subtotal,
        "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
        "billing_address_collection": params.get("billing_address_collection"),
        "cancel_url": params.get("cancel_url"),
        "client_reference_id": params.get("client_reference_id"),
        "client_secret": None,
        "collected_information": None,
        "consent": None,
        "consent_collection": None,
        "created": created,
        "currency": currency,
        "currency_conversion": None,
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer": None,
        "customer_account": None,
        "customer_creation": "if_required",
        "customer_details": None,
        "customer_email": params.get("customer_email"),
        "discounts": [],
        "expires_at": int(params.get("expires_at") or created + 24 * 3600),
        "integration_identifier": None,
        "invoice": None,
        "invoice_creation": {"enabled": False, "invoice_data": None},
        "livemode": False,
        "locale": params.get("locale"),
        "managed_payments": {"enabled": False},
        "metadata": dict(params.get("metadata") or {}),
        "mode": params.get("mode", "payment"),
        "origin_context": None,
        "payment_intent": None,
        "payment_link": None,
        "payment_method_collection": "if_required",
        "payment_method_configuration_details": None,
        "payment_method_options": {},
        "payment_method_types": ["card"],
        "payment_status": "unpaid",
        "permissions": None,
        "phone_number_collection": {"enabled": False},
        "recovered_from": None,
        "saved_payment_method_options": None,
        "setup_intent": None,
        "shipping_address_collection": {"allowed_countries": list(allowed)} if allowed else None,
        "shipping_cost": None,
        "shipping_options": shipping_options,
        "status": "open",
        "submit_type": params.get("submit_type"),
        "subscription": None,
        "success_url": params.get("success_url"),
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted",
        "url": url,
        "wallet_options": None,
    }


def complete_session(
    session: dict[str, Any],
    *,
    shipping_rate: str,
    email: str,
    name: str,
    address: Mapping[str, str],
    paid: bool = True,
) -> None:
    """Fill in what Stripe records when the shopper pays (in place)."""
    amount_shipping = next(
        option["shipping_amount"]
        for option in session["shipping_options"]
        if option["shipping_rate"] == shipping_rate
    )
    full_address = _address(address)
    session.update(
        status="complete",
        url=None,  # Stripe gives a session's url only while it is open
        payment_status="paid" if paid else "unpaid",
        payment_intent=new_id("pi"),
        amount_total=session["amount_subtotal"] + amount_shipping,
        customer_details={
            "address": full_address,
            "business_name": None,
            "email": email,
            "individual_name": None,
            "name": name,
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        },
        collected_information={
            "business_name": None,
            "individual_name": None,
            "shipping_details": {"address": full_address, "name": name},
        },
        shipping_cost={
            "amount_subtotal": amount_shipping,
            "amount_tax": 0,
            "amount_total": amount_shipping,
            "shipping_rate": shipping_rate,
        },
        total_details={"amount_discount": 0, "amount_shipping": amount_shipping, "amount_tax": 0},
    )


def event_object(event_type: str, obj: Mapping[str, Any], created: int) -> dict[str, Any]:
    """An `event` wrapping a snapshot of `obj`, as Stripe POSTs it to webhooks."""
    return {
        "id": new_id("evt"),
        "object": "event",
        "api_version": API_VERSION,
        "created": created,
        "data": {"object": dict(obj)},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def refunded_charge(
    session: Mapping[str, Any], charge_id: str, metadata: Mapping[str, str], created: int
) -> dict[str, Any]:
    """The session's charge after a full refund (what `charge.refunded` carries).

    `metadata` is the PaymentIntent's: Stripe copies it onto the charge.
    """
    amount = int(session["amount_total"])
    details = session.get("customer_details") or {}
    return {
        "id": charge_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": amount,
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "balance_transaction": new_id("txn"),
        "billing_details": {
            "address": details.get("address") or _address(),
            "email": details.get("email"),
            "name": details.get("name"),
            "phone": None,
            "tax_id": None,
        },
        "calculated_statement_descriptor": "NORTHWIND",
        "captured": True,
        "created": created,
        "currency": session["currency"],
        "customer": None,
        "description": None,
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": None,
        "failure_message": None,
        "fraud_details": {},
        "livemode": False,
        "metadata": dict(metadata),
        "on_behalf_of": None,
        "outcome": None,
        "paid": True,
        "payment_intent": session["payment_intent"],
        "payment_method": new_id("pm"),
        "payment_method_details": {"type": "card"},
        "receipt_email": None,
        "receipt_number": None,
        "receipt_url": None,
        "refunded": True,
        "refunds": {
            "object": "list",
            "data": [],
            "has_more": False,
            "url": f"/v1/charges/{charge_id}/refunds",
        },
        "review": None,
        "shipping": None,
        "source_transfer": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "succeeded",
        "transfer_data": None,
        "transfer_group": None,
    }
