"""Odd webhook bodies: refused with 400 and a code, never a crash, nothing written."""

from __future__ import annotations

import json
import time

import pytest

from tests.functions.payments import PaymentEnv, deliver, load_event, stripe_event

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (b"[" * 50_000, "invalid_payload"),  # signed but nested past the parser's stack
        (b'{"object": "event", "data": ' + b"[" * 5000 + b"]" * 5000 + b"}", "invalid_payload"),
        (b'{"object": "event", "id": "evt_\xff\xfe"}', "invalid_payload"),  # not UTF-8
        (b"", "invalid_payload"),
    ],
    ids=["deep-array", "deep-data", "not-utf8", "empty"],
)
def test_signed_odd_bodies_are_400_invalid_payload(
    payment_env: PaymentEnv, payload: bytes, code: str
) -> None:
    status, body = deliver(payload, base64_body=True)
    assert (status, body["error"]["code"]) == (400, code), body
    assert payment_env.items(payment_env.tables["ORDERS_TABLE"]) == []


def test_a_signed_session_in_a_currency_that_is_no_code_is_400_not_a_crash(
    payment_env: PaymentEnv,
) -> None:
    session = load_event("stripe_checkout_session.json")
    session.update(currency="EURO", metadata={"reservation_id": "r-1"})

    status, body = deliver(stripe_event("checkout.session.completed", session))

    assert (status, body["error"]["code"]) == (400, "invalid_payload"), body
    assert "data.object.currency" in body["error"]["message"]
    assert payment_env.items(payment_env.tables["ORDERS_TABLE"]) == []


def test_an_unsigned_deep_body_is_refused_on_its_signature_before_parsing(
    payment_env: PaymentEnv,
) -> None:
    status, body = deliver(b"[" * 50_000, signature="t=1,v1=00")
    assert (status, body["error"]["code"]) == (400, "invalid_signature")
    assert payment_env.items(payment_env.tables["ORDERS_TABLE"]) == []


@pytest.mark.parametrize(
    "v1", ["\u00e9", "\u00e9" * 64, "\ud800"], ids=["accent", "long", "surrogate"]
)
def test_a_signature_with_non_ascii_characters_is_400_invalid_signature(
    payment_env: PaymentEnv, v1: str
) -> None:
    # compare_digest refuses str with non-ASCII characters: the header is compared as bytes.
    status, body = deliver(b'{"object": "event"}', signature=f"t={int(time.time())},v1={v1}")
    assert (status, body["error"]["code"]) == (400, "invalid_signature")
    assert payment_env.items(payment_env.tables["ORDERS_TABLE"]) == []


def test_a_body_with_a_lone_surrogate_is_refused_on_its_signature_not_a_crash(
    payment_env: PaymentEnv,
) -> None:
    from stripe_webhook.app import handler

    from tests.functions.payments import FakeLambdaContext, webhook_request

    request = webhook_request(b'{"object": "event"}')
    request["body"] = '{"object": "event", "id": "evt_\ud800"}'  # not what was signed
    result = handler(request, FakeLambdaContext())
    assert result["statusCode"] == 400
    assert json.loads(result["body"])["error"]["code"] == "invalid_signature"
    assert payment_env.items(payment_env.tables["ORDERS_TABLE"]) == []
