"""Signature checking agrees with Stripe's own SDK; Stripe's fixture objects parse."""

from __future__ import annotations

import json

import pytest
import stripe
from shop.money import Money
from shop.refunds import refunded_share
from shop.webhook_events import (
    ChargeRefundedEvent,
    OtherEvent,
    SessionEvent,
    WebhookPayloadError,
    WebhookSignatureError,
    parse_event,
    sign_payload,
    verify_signature,
)

from tests.functions.payments import load_event, stripe_event

SECRET = "whsec_abc"
NOW = 1_795_340_000


def test_our_signature_is_the_one_stripes_sdk_computes_and_accepts() -> None:
    payload = b'{"id": "evt_1", "object": "event"}'
    ours = sign_payload(payload, SECRET, NOW)
    assert ours == stripe.WebhookSignature.generate_signature_header(
        payload.decode(), SECRET, timestamp=NOW
    )
    assert stripe.WebhookSignature.verify_header(payload, ours, SECRET, tolerance=None)


def test_a_header_with_several_v1_signatures_passes_if_one_matches() -> None:
    payload = b"{}"
    good = sign_payload(payload, SECRET, NOW).split("v1=")[1]
    verify_signature(payload, f"t={NOW},v1=deadbeef,v0=old,v1={good}", SECRET, NOW)


@pytest.mark.parametrize(
    ("header", "now", "reason"),
    [
        (None, NOW, "missing Stripe-Signature"),
        ("t=abc,v1=00", NOW, "expected epoch seconds"),
        (f"t={NOW}", NOW, "expected a v1="),
        (f"t={NOW},v1=00", NOW, "no v1 signature matches"),
        ("SIGNED", NOW + 301, "expected within 300s"),
        ("SIGNED", NOW - 301, "expected within 300s"),
    ],
)
def test_refusals_say_why(header: str | None, now: int, reason: str) -> None:
    payload = b"{}"
    if header == "SIGNED":
        header = sign_payload(payload, SECRET, NOW)
    with pytest.raises(WebhookSignatureError, match=reason):
        verify_signature(payload, header, SECRET, now)


def test_no_configured_secret_refuses_everything() -> None:
    with pytest.raises(WebhookSignatureError, match="no webhook secret"):
        verify_signature(b"{}", sign_payload(b"{}", "", NOW), "", NOW)


def test_stripes_fixture_session_parses_into_a_session_event() -> None:
    session = load_event("stripe_checkout_session.json")
    event = parse_event(json.dumps(stripe_event("checkout.session.completed", session)).encode())

    assert isinstance(event, SessionEvent)
    info = event.session
    assert info.session_id == session["id"]
    assert (info.status, info.payment_status) == ("open", "unpaid")
    assert info.payment_intent == "pi_1PgafyB7WZ01zgkWSjxsAJo3"
    assert info.email == "example@example.com"
    assert info.address.name == "name"
    assert info.amount_discount == 406046392
    assert info.reservation_id is None


def test_expanded_payment_intent_and_legacy_shipping_details_are_read() -> None:
    session = load_event("stripe_checkout_session.json")
    session["payment_intent"] = {"id": "pi_expanded", "object": "payment_intent"}
    session["collected_information"] = None
    session["shipping_details"] = {"name": "Old API", "address": {"city": "Lyon"}}
    event = parse_event(json.dumps(stripe_event("checkout.session.expired", session)).encode())

    assert isinstance(event, SessionEvent)
    assert event.session.payment_intent == "pi_expanded"
    assert (event.session.address.name, event.session.address.city) == ("Old API", "Lyon")


def test_charge_refunded_and_other_types_parse() -> None:
    charge = load_event("stripe_charge.json")
    refunded = parse_event(json.dumps(stripe_event("charge.refunded", charge)).encode())
    other = parse_event(json.dumps(load_event("stripe_event.json")).encode())

    assert isinstance(refunded, ChargeRefundedEvent)
    assert (refunded.charge_id, refunded.amount, refunded.currency) == (charge["id"], 100, "USD")
    assert other == OtherEvent("evt_1Pgc76B7WZ01zgkWwyRHS12y", "plan.created")


@pytest.mark.parametrize(
    "body", [b"", b"[]", b'{"object": "charge"}', b'{"object": "event", "id": 1}', b"\xff"]
)
def test_bodies_that_are_not_events_are_refused(body: bytes) -> None:
    with pytest.raises(WebhookPayloadError):
        parse_event(body)


def _session_event(**changes: object) -> bytes:
    session = load_event("stripe_checkout_session.json")
    session.update(changes)
    return json.dumps(stripe_event("checkout.session.completed", session)).encode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount_total": 10**40}, "data.object.amount_total"),
        ({"amount_subtotal": -5}, "data.object.amount_subtotal"),
        ({"total_details": {"amount_tax": 10**15}}, "data.object.total_details.amount_tax"),
        ({"currency": "EURO"}, "data.object.currency"),
        ({"currency": "€1"}, "data.object.currency"),
    ],
)
def test_amounts_and_currencies_no_payment_has_are_refused(
    changes: dict[str, object], field: str
) -> None:
    # Only Stripe signs events, but one past what an order can hold (DynamoDB numbers
    # have 38 digits, Money an ISO code) crashed the handler: Stripe then retried for days.
    with pytest.raises(WebhookPayloadError, match=field):
        parse_event(_session_event(**changes))


def test_a_refund_of_more_than_the_order_refunds_the_order() -> None:
    charge = ChargeRefundedEvent("evt_1", 0, "ch_1", "pi_1", "EUR", 1740, 99_999_999, False)
    assert refunded_share(Money(1740, "EUR"), charge) == Money(1740, "EUR")
