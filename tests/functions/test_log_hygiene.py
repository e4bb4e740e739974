"""Logs never carry shoppers' personal data, card details or secrets, whatever the path.

A whole purchase runs through the real handlers (checkout, webhook, email
function, a refund) with a failure on the way (SES refusing the first send),
while everything logged at INFO and above is captured: Powertools' JSON lines
on stdout and the standard logging records (boto, stripe). None may contain the
shopper's email, street, postcode and city, phone or name, card details, or a
Stripe secret.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest

from tests.functions.faults import fail_aws
from tests.functions.payments import (
    SECRET,
    PaymentEnv,
    RecordingStripeHttp,
    StreamReader,
    deliver,
    install_stripe,
    paid_checkout,
    payment_env,
    refunded_charge,
    run_email_function,
    stripe_event,
)

__all__ = ["payment_env"]

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")

SKU = "TRS-42-BLK"
EMAIL = "claire.martin.private@example.org"
PHONE = "+33 6 12 34 56 78"
STREET = "3 rue Royale"
STRIPE_KEY = "sk_test_123"
PERSONAL = (EMAIL, "claire.martin.private", PHONE, STREET, "74000", "Annecy", "Claire Martin")
CARD = ('"last4"', '"exp_month"', '"exp_year"', '"fingerprint"', "4242")


def with_card_and_phone(charge: dict[str, Any]) -> dict[str, Any]:
    charge["billing_details"] = {
        "address": {"line1": STREET, "postal_code": "74000", "city": "Annecy", "country": "FR"},
        "email": EMAIL,
        "name": "Claire Martin",
        "phone": PHONE,
    }
    charge["payment_method_details"]["card"].update(last4="4242", exp_month=8, exp_year=2030)
    return charge


def test_a_purchase_with_a_failure_and_a_refund_logs_no_personal_data_card_or_secret(
    payment_env: PaymentEnv,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "INFO")
    caplog.set_level(logging.INFO)
    payment_env.set_stock(SKU, 3)
    http = RecordingStripeHttp()
    install_stripe(http)
    reader = StreamReader(payment_env)

    # Checkout, payment (delivered twice), the email failing once then sent
    session = paid_checkout(payment_env, http, {SKU: 1}, email=EMAIL)
    session["customer_details"]["phone"] = PHONE
    paid = stripe_event("checkout.session.completed", session)
    assert deliver(paid)[0] == 200
    assert deliver(paid)[0] == 200
    from order_emails.app import email_context

    ses = email_context().mailer.client
    start = reader.position
    with fail_aws(ses, "SendRawEmail", error={"Code": "MessageRejected", "Message": EMAIL}):
        assert run_email_function(reader)["batchItemFailures"] != []
    reader.position = start  # Lambda hands the failed batch over again
    assert run_email_function(reader)["batchItemFailures"] == []
    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["email"]["S"] == EMAIL

    # A refund whose charge carries the card and billing details, and a forged delivery
    charge = with_card_and_phone(refunded_charge(order["payment_intent"]["S"], 9480, 9480))
    assert deliver(stripe_event("charge.refunded", charge))[0] == 200
    assert deliver(stripe_event("charge.refunded", charge), secret="whsec_wrong")[0] == 400
    assert run_email_function(reader)["batchItemFailures"] == []
    assert len(payment_env.sent_emails()) == 2

    logged = capsys.readouterr()
    text = "\n".join(
        [logged.out, logged.err, *(r.getMessage() for r in caplog.records)]
        + [json.dumps(r.__dict__, default=str) for r in caplog.records]
    )
    assert "order email sent" in text  # the capture did see the functions' logs
    for value in (*PERSONAL, *CARD, STRIPE_KEY, SECRET, "whsec_wrong"):
        assert not logged_as_itself(value, text), f"{value!r} was logged"


def logged_as_itself(value: str, text: str) -> bool:
    """Whether `value` is in the text, a number only when not part of a longer one.

    The card's last four digits would otherwise be found inside the metrics'
    millisecond timestamps now and then (1796653014242).
    """
    if not value.isdigit():
        return value in text
    return re.search(rf"(?<!\d){value}(?!\d)", text) is not None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('{"last4": "4242"}', True),
        ("card 4242 refused", True),
        ('{"Timestamp":1796653014242}', False),
        ("4242424242424242", False),
    ],
)
def test_a_number_is_found_only_on_its_own(text: str, found: bool) -> None:
    assert logged_as_itself("4242", text) is found
