"""The local Checkout stand-in: Stripe-shaped, signed events through the real webhook."""

from __future__ import annotations

import json
import threading
import time
from html import escape
from typing import Any

import pytest
from shop.checkout import PaymentGatewayError
from shop.config import get_config
from shop.payment_setup import install_gateway, payment_gateway

from storefront.local_stripe import CheckoutStandIn, install
from storefront.local_stripe.standin import PATH_PREFIX
from tests.functions.payments import (
    SECRET,
    SITE,
    PaymentEnv,
    StreamReader,
    checkout,
    deliver,
    load_event,
    put_cart,
    run_email_function,
)

SKU = "TRS-42-BLK"


@pytest.fixture
def stand_in(payment_env: PaymentEnv, monkeypatch: pytest.MonkeyPatch) -> CheckoutStandIn:
    """The stand-in as `serve` installs it (no Stripe key), delivering to the real webhook."""
    monkeypatch.delenv("STRIPE_SECRET_KEY")
    monkeypatch.delenv("LOCAL_PAYMENT_GATEWAY", raising=False)
    get_config.cache_clear()
    payment_env.set_stock(SKU, 3)
    delivered: list[dict[str, Any]] = []

    def to_webhook(payload: bytes, signature: str) -> int:
        delivered.append(json.loads(payload))
        status, _ = deliver(payload, signature=signature)
        return status

    standin = CheckoutStandIn(site_url=SITE, webhook_secret=SECRET, deliver=to_webhook)
    standin.delivered = delivered  # type: ignore[attr-defined]
    install(standin)
    install_gateway(None)  # the functions find it through LOCAL_PAYMENT_GATEWAY
    return standin


def start(env: PaymentEnv, standin: CheckoutStandIn) -> str:
    """Check a one-shoe cart out; returns the session id."""
    put_cart(env, {SKU: 1})
    status, body = checkout()
    assert status == 200, body
    assert body["url"] == f"{SITE}{PATH_PREFIX}{body['session_id']}"
    return str(body["session_id"])


def post(standin: CheckoutStandIn, session_id: str, form: dict[str, str]) -> Any:
    """POST the page's form."""
    return standin.handle("POST", f"{PATH_PREFIX}{session_id}", "", form)


def test_functions_use_the_installed_stand_in_when_no_stripe_key_is_set(
    stand_in: CheckoutStandIn,
) -> None:
    assert payment_gateway(get_config()) is stand_in


def test_page_shows_lines_shipping_choices_total_and_the_three_actions(
    payment_env: PaymentEnv, stand_in: CheckoutStandIn
) -> None:
    session_id = start(payment_env, stand_in)

    status, headers, body = stand_in.handle("GET", f"{PATH_PREFIX}{session_id}", "", {})

    page = body.decode()
    assert status == 200
    assert ("Content-Type", "text/html; charset=utf-8") in headers
    assert "1 × Ridge Trail Shoe — 42 / Black" in page
    assert "89.90 EUR" in page
    assert "Standard delivery — 0.00 EUR" in page  # free over 75 €
    assert "Express delivery — 12.90 EUR" in page
    for action in ("pay", "decline", "expire"):
        assert f'name="action" value="{action}"' in page
    assert "<script" not in page


def test_pay_sends_a_signed_completed_event_records_the_order_and_redirects_to_success(
    payment_env: PaymentEnv, stand_in: CheckoutStandIn
) -> None:
    session_id = start(payment_env, stand_in)
    reader = StreamReader(payment_env)
    express = stand_in.sessions[session_id].session["shipping_options"][1]["shipping_rate"]
    form = {
        "action": "pay",
        "shipping_rate": express,
        "email": "jo@example.org",
        "name": "Jo",
        "line1": "1 quai",
        "postal_code": "74000",
        "city": "Annecy",
        "country": "FR",
    }

    status, headers, _ = stand_in.handle("POST", f"{PATH_PREFIX}{session_id}", "", form)

    assert status == 303
    assert dict(headers)["Location"] == f"{SITE}/checkout/success/?session_id={session_id}"
    assert stand_in.sessions[session_id].deliveries == [("checkout.session.completed", 200)]
    assert stand_in.sessions[session_id].session["url"] is None  # as Stripe's, once complete
    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "paid"
    assert order["email"]["S"] == "jo@example.org"
    assert order["shipping"]["M"]["option_id"]["S"] == "express"
    assert order["total"]["N"] == str(8990 + 1290)
    assert payment_env.stock(SKU) == (2, 0, 1)
    run_email_function(reader)
    assert [m["To"] for m in payment_env.sent_emails()] == ["jo@example.org"]
    # Back on the paid page (browser Back), its link leads to the confirmation
    _, _, page = stand_in.handle("GET", f"{PATH_PREFIX}{session_id}", "", {})
    assert f'href="{SITE}/checkout/success/?session_id={session_id}"' in page.decode()


def test_expire_sends_expired_releases_the_units_and_redirects_to_cancel(
    payment_env: PaymentEnv, stand_in: CheckoutStandIn
) -> None:
    session_id = start(payment_env, stand_in)

    status, headers, _ = stand_in.handle(
        "POST", f"{PATH_PREFIX}{session_id}", "", {"action": "expire"}
    )

    assert (status, dict(headers)["Location"]) == (303, f"{SITE}/checkout/cancel/")
    assert stand_in.sessions[session_id].deliveries == [("checkout.session.expired", 200)]
    assert payment_env.stock(SKU) == (3, 0, 0)
    # Paying an expired session is refused.
    refused, _, _ = stand_in.handle("POST", f"{PATH_PREFIX}{session_id}", "", {"action": "pay"})
    assert refused == 409


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"email": "not-an-email"},
            'Enter a valid email address, like jo@example.org (got "not-an-email").',
        ),
        ({"city": ""}, "Enter the whole shipping address: street, postal code and city."),
        ({"country": "US"}, 'The shop ships to FR, DE, BE only (got "US").'),
    ],
)
def test_a_form_stripe_would_refuse_keeps_the_shopper_on_the_page_and_pays_nothing(
    payment_env: PaymentEnv, stand_in: CheckoutStandIn, change: dict[str, str], message: str
) -> None:
    # Accepted before: an order SES could never confirm, or a parcel to a country
    # the shop does not ship to.
    session_id = start(payment_env, stand_in)
    form = {
        "action": "pay", "email": "jo@example.org", "name": "Jo", "line1": "1 quai",
        "postal_code": "74000", "city": "Annecy", "country": "FR", **change,
    }  # fmt: skip

    status, _, page = stand_in.handle("POST", f"{PATH_PREFIX}{session_id}", "", form)

    assert status == 400
    assert escape(message) in page.decode()
    assert stand_in.sessions[session_id].session["status"] == "open"
    assert stand_in.sessions[session_id].deliveries == []
    assert payment_env.order_items("ORDER#", "ORDER") == []


def test_checking_out_again_expires_the_first_session_with_its_event_and_holds_once(
    payment_env: PaymentEnv, stand_in: CheckoutStandIn
) -> None:
    first = start(payment_env, stand_in)

    status, body = checkout()  # back from the payment page, the shopper checks out again

    assert status == 200
    assert stand_in.sessions[first].session["status"] == "expired"
    assert stand_in.sessions[first].deliveries == [("checkout.session.expired", 200)]
    assert payment_env.stock(SKU) == (2, 1, 0)  # one cart, one hold
    refused, _, _ = post(stand_in, first, {"action": "pay"})
    assert refused == 409  # the first page can no longer be paid
    paid, _, _ = post(stand_in, str(body["session_id"]), {"action": "pay"})
    assert paid == 303


def test_decline_keeps_the_session_open_and_sends_nothing(
    payment_env: PaymentEnv, stand_in: CheckoutStandIn
) -> None:
    session_id = start(payment_env, stand_in)

    status, _, body = stand_in.handle(
        "POST", f"{PATH_PREFIX}{session_id}", "", {"action": "decline"}
    )

    assert status == 402
    assert "declined" in body.decode()
    assert stand_in.sessions[session_id].session["status"] == "open"
    assert stand_in.sessions[session_id].deliveries == []
    assert payment_env.stock(SKU) == (2, 1, 0)


def test_refund_sends_charge_refunded_and_the_order_is_refunded_and_restocked(
    payment_env: PaymentEnv, stand_in: CheckoutStandIn
) -> None:
    session_id = start(payment_env, stand_in)
    stand_in.handle("POST", f"{PATH_PREFIX}{session_id}", "", {"action": "pay"})
    payment_intent = stand_in.sessions[session_id].session["payment_intent"]

    stand_in.refund_payment(payment_intent, "refund-1001")

    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "refunded"
    assert payment_env.stock(SKU) == (3, 0, 0)


def test_two_pay_clicks_at_once_are_one_payment(
    payment_env: PaymentEnv, stand_in: CheckoutStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:

    from storefront.local_stripe import objects

    session_id = start(payment_env, stand_in)
    complete = objects.complete_session

    def slow_complete(*args: Any, **kwargs: Any) -> None:
        time.sleep(0.2)  # the other click arrives while this one completes the session
        complete(*args, **kwargs)

    monkeypatch.setattr(objects, "complete_session", slow_complete)
    clicks = [
        threading.Thread(
            target=stand_in.handle,
            args=("POST", f"{PATH_PREFIX}{session_id}", "", {"action": "pay"}),
        )
        for _ in range(2)
    ]
    for click in clicks:
        click.start()
    for click in clicks:
        click.join()

    completed = [d for d in stand_in.sessions[session_id].deliveries if d[0].endswith("completed")]
    assert len(completed) == 1  # two events would carry two PaymentIntents for one order


def test_a_paid_sessions_payment_intent_has_succeeded_and_an_unknown_one_is_refused(
    payment_env: PaymentEnv, stand_in: CheckoutStandIn
) -> None:
    session_id = start(payment_env, stand_in)
    stand_in.handle("POST", f"{PATH_PREFIX}{session_id}", "", {"action": "pay"})
    payment_intent = stand_in.sessions[session_id].session["payment_intent"]

    assert stand_in.payment_intent_status(payment_intent) == "succeeded"
    with pytest.raises(PaymentGatewayError, match="resource_missing"):
        stand_in.payment_intent_status("pi_unknown")


def test_a_repeated_refund_key_returns_the_first_refund_and_a_second_refund_is_refused(
    payment_env: PaymentEnv, stand_in: CheckoutStandIn
) -> None:
    session_id = start(payment_env, stand_in)
    stand_in.handle("POST", f"{PATH_PREFIX}{session_id}", "", {"action": "pay"})
    stored = stand_in.sessions[session_id]
    payment_intent = stored.session["payment_intent"]

    first = stand_in.refund_payment(payment_intent, "refund-order-1001")
    again = stand_in.refund_payment(payment_intent, "refund-order-1001")
    with pytest.raises(PaymentGatewayError, match="charge_already_refunded"):
        stand_in.refund_payment(payment_intent, "another-key")

    assert first == again
    refunds = [e for e in stand_in.delivered if e["type"] == "charge.refunded"]  # type: ignore[attr-defined]
    [charge] = [event["data"]["object"] for event in refunds]
    assert charge["id"] == stored.charge_id
    # Stripe copies the PaymentIntent's metadata onto its charge.
    assert charge["metadata"] == stored.params["payment_intent_data"]["metadata"]
    assert charge["metadata"]["reservation_id"]


def test_sessions_and_events_have_the_fields_of_stripes_own_examples(
    payment_env: PaymentEnv, stand_in: CheckoutStandIn
) -> None:
    session_id = start(payment_env, stand_in)
    stand_in.handle("POST", f"{PATH_PREFIX}{session_id}", "", {"action": "pay"})
    stand_in.refund_payment(stand_in.sessions[session_id].session["payment_intent"], "r-1")
    completed, refunded = stand_in.delivered  # type: ignore[attr-defined]
    session = completed["data"]["object"]

    assert set(completed) == set(load_event("stripe_event.json"))
    fixture_session = load_event("stripe_checkout_session.json")
    assert set(session) == set(fixture_session)
    for nested in ("customer_details", "collected_information", "shipping_cost", "total_details"):
        assert set(session[nested]) == set(fixture_session[nested]), nested
    assert set(refunded["data"]["object"]) == set(load_event("stripe_charge.json")) - {"source"}
    assert (session["status"], session["payment_status"]) == ("complete", "paid")
    assert (
        session["amount_total"]
        == session["amount_subtotal"] + session["total_details"]["amount_shipping"]
    )


def test_repeating_an_idempotency_key_returns_the_same_session(stand_in: CheckoutStandIn) -> None:
    params = {
        "line_items": [],
        "expires_at": 2_000_000_000,
        "success_url": SITE,
        "cancel_url": SITE,
    }
    first = stand_in.create_checkout_session(params, "checkout-session-res_1")
    again = stand_in.create_checkout_session(params, "checkout-session-res_1")
    other = stand_in.create_checkout_session(params, "checkout-session-res_2")
    assert first == again
    assert other.session_id != first.session_id
