"""What a real Stripe account sends beyond the shop's own happy path.

The webhook endpoint receives every Checkout Session and charge of the account
(Payment Links, other apps, setup mode, a staging shop on the same test account),
in whatever order Stripe delivers them, rendered in the endpoint's API version,
and, with Adaptive Pricing, refunded in the shopper's currency. Each test feeds
Stripe's own fixture objects, signed the real way, through the real handler on moto.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.functions.payments import (
    FakeLambdaContext,
    PaymentEnv,
    RecordingStripeHttp,
    StreamReader,
    deliver,
    load_event,
    paid_checkout,
    refunded_charge,
    stripe_event,
)
from tests.functions.stripe_webhook.conftest import SKU, orders, subjects

REFERENCE = Path(__file__).resolve().parents[4] / "shared" / "reference" / "stripe"


def reference(name: str) -> dict[str, Any]:
    """Stripe's published example object `name` (shared/reference/stripe/fixtures3.json)."""
    resources = json.loads((REFERENCE / "fixtures3.json").read_text(encoding="utf-8"))
    return copy.deepcopy(resources["resources"][name])


def foreign_paid_session(**changes: Any) -> dict[str, Any]:
    """Stripe's example session (no metadata of ours), completed and paid."""
    session = reference("checkout.session")
    session.update(
        status="complete",
        payment_status="paid",
        currency="eur",
        amount_subtotal=5000,
        amount_total=5000,
        payment_intent="pi_other_app",
    )
    session.update(changes)
    return session


def our_paid_order(env: PaymentEnv, http: RecordingStripeHttp) -> dict[str, Any]:
    """One shoe bought and recorded (order #1001, 94.80 EUR); returns the completed session."""
    session = paid_checkout(env, http, {SKU: 1})
    assert deliver(stripe_event("checkout.session.completed", session))[0] == 200
    return session


def test_another_integrations_paid_session_is_not_an_order(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, _, reader = shop

    status, body = deliver(stripe_event("checkout.session.completed", foreign_paid_session()))

    assert (status, body["outcome"]) == (200, "not_ours")
    assert orders(env) == []
    assert subjects(env, reader) == []


def test_a_setup_mode_session_is_not_a_free_order(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, _, reader = shop
    session = foreign_paid_session(
        mode="setup",
        payment_status="no_payment_required",
        currency=None,
        amount_subtotal=None,
        amount_total=None,
        payment_intent=None,
        setup_intent="seti_1",
    )

    status, body = deliver(stripe_event("checkout.session.completed", session))

    assert (status, body["outcome"]) == (200, "not_ours")
    assert orders(env) == []
    assert subjects(env, reader) == []


def test_a_session_naming_a_reservation_this_shop_never_made_is_not_an_order(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    # A staging shop sharing the Stripe test account sends the same metadata keys.
    env, _, _ = shop
    session = foreign_paid_session(metadata={"reservation_id": "r-from-staging"})

    _, body = deliver(stripe_event("checkout.session.completed", session))

    assert body["outcome"] == "not_ours"
    assert orders(env) == []


def _flags(order: dict[str, Any]) -> list[str]:
    return [flag["S"] for flag in order.get("flags", {}).get("L", [])]


def test_another_session_naming_a_held_reservation_takes_none_of_its_units(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    # Given a shopper's checkout holding one shoe, and a paid session of some other key
    # on the account that names the shopper's reservation and another cart
    env, http, _ = shop
    real = paid_checkout(env, http, {SKU: 1})
    other = {
        **real,
        "id": "cs_test_not_the_checkout",
        "payment_intent": "pi_not_the_checkout",
        "client_reference_id": "c" * 32,
    }

    _, first = deliver(stripe_event("checkout.session.completed", other))
    _, second = deliver(stripe_event("checkout.session.completed", real))

    # Then the other session is recorded for a person to settle, without the hold's unit
    # and without the other cart; the shopper's own payment then sells the held unit
    assert (first["outcome"], second["outcome"]) == ("recorded", "recorded")
    by_session = {order["session_id"]["S"]: order for order in orders(env)}
    assert _flags(by_session["cs_test_not_the_checkout"]) == ["session_mismatch"]
    assert by_session["cs_test_not_the_checkout"]["cart_id"]["S"] != "c" * 32
    assert _flags(by_session[real["id"]]) == []
    assert env.stock(SKU) == (2, 0, 1)


@pytest.mark.parametrize(
    "event_type", ["checkout.session.expired", "checkout.session.async_payment_failed"]
)
def test_another_session_ending_unpaid_leaves_the_checkouts_units_held(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader], event_type: str
) -> None:
    # Given a shopper's checkout holding one shoe, and another key's session naming its
    # reservation, which expires (or whose payment fails)
    env, http, _ = shop
    real = paid_checkout(env, http, {SKU: 1})
    other = {**real, "id": "cs_test_not_the_checkout", "status": "expired"}
    other["payment_status"] = "unpaid"

    _, ended = deliver(stripe_event(event_type, other))

    # Then the unit stays held for the shopper's own session, which then sells it
    assert ended["outcome"] == "not_ours"
    assert env.stock(SKU) == (2, 1, 0)
    _, paid = deliver(stripe_event("checkout.session.completed", real))
    assert paid["outcome"] == "recorded"
    assert env.stock(SKU) == (2, 0, 1)


def test_another_session_completed_unpaid_neither_extends_the_hold_nor_empties_the_cart(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    # Given a shopper's checkout holding one shoe, and another key's session naming its
    # reservation, completed with a payment still to settle
    env, http, _ = shop
    real = paid_checkout(env, http, {SKU: 1})
    (before,) = env.reservations()
    other = {**real, "id": "cs_test_not_the_checkout", "payment_status": "unpaid"}

    _, body = deliver(stripe_event("checkout.session.completed", other))

    # Then the hold keeps its half hour and the shopper's cart its line
    assert body["outcome"] == "not_ours"
    (after,) = env.reservations()
    assert after["expires_at"] == before["expires_at"]
    (cart,) = env.carts()
    assert SKU in json.dumps(cart)


def test_a_setup_session_naming_a_held_reservation_is_not_an_order(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, _ = shop
    real = paid_checkout(env, http, {SKU: 1})
    setup = {
        **real,
        "id": "cs_test_setup",
        "mode": "setup",
        "payment_status": "no_payment_required",
        "amount_total": None,
    }

    _, body = deliver(stripe_event("checkout.session.completed", setup))

    assert body["outcome"] == "not_ours"
    assert orders(env) == []
    assert env.stock(SKU) == (2, 1, 0)  # still held for the shopper's checkout


@pytest.mark.parametrize(
    ("changes", "flag"),
    [
        ({"currency": "jpy"}, "currency_mismatch:JPY"),
        ({"amount_subtotal": 1}, "amount_mismatch:1"),
    ],
)
def test_a_payment_in_another_currency_or_amount_than_reserved_is_flagged(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
    changes: dict[str, Any],
    flag: str,
) -> None:
    env, http, _ = shop
    session = {**paid_checkout(env, http, {SKU: 1}), **changes}

    _, body = deliver(stripe_event("checkout.session.completed", session))

    assert body["outcome"] == "recorded"
    [order] = orders(env)
    assert _flags(order) == [flag]
    assert env.stock(SKU) == (2, 0, 1)  # its own checkout: the hold is sold


def test_the_success_page_does_not_turn_another_integrations_session_into_an_order(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, _ = shop
    session_id = "cs_test_payment_link_1"
    http.sessions[session_id] = foreign_paid_session(id=session_id, payment_link="plink_1")
    from orders.app import handler

    request = load_event("apigw_order_status.json")
    request.update(
        rawPath=f"/api/orders/session/{session_id}",
        routeKey="GET /api/orders/session/{session_id}",
        pathParameters={"session_id": session_id},
        rawQueryString="",
    )
    request["requestContext"]["http"]["path"] = request["rawPath"]
    request.pop("queryStringParameters", None)

    response = handler(request, FakeLambdaContext())

    assert response["statusCode"] == 404
    assert json.loads(response["body"])["error"]["code"] == "order_not_found"
    assert "@" not in response["body"]  # the other integration's customer stays private
    assert orders(env) == []


def test_another_integrations_refund_with_an_order_id_leaves_our_order_alone(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, reader = shop
    our_paid_order(env, http)
    charge = refunded_charge("pi_other_app", 12000, 12000, metadata={"order_id": "1001"})
    charge["currency"] = "usd"

    _, body = deliver(stripe_event("charge.refunded", charge))

    assert body["outcome"] == "not_ours"
    [order] = orders(env)
    assert (order["status"]["S"], "refunded" in order) == ("paid", False)
    assert env.stock(SKU) == (2, 0, 1)
    assert subjects(env, reader) == ["Your order #1001 is confirmed — Northwind Outfitters"]


def test_a_full_refund_in_the_shoppers_currency_refunds_the_order_and_restocks(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    # Adaptive Pricing: the shopper paid 81.00 GBP for a 94.80 EUR order.
    env, http, _ = shop
    session = our_paid_order(env, http)
    charge = refunded_charge(session["payment_intent"], 8100, 8100, session["metadata"])
    charge["currency"] = "gbp"

    _, body = deliver(stripe_event("charge.refunded", charge))

    assert body["outcome"] == "recorded"
    [order] = orders(env)
    assert (order["status"]["S"], order["refunded"]["N"]) == ("refunded", "9480")
    assert env.stock(SKU) == (3, 0, 0)


def test_a_partial_refund_in_the_shoppers_currency_is_that_share_of_the_order(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    # 5,000 of 15,500 JPY back: the same share of 94.80 EUR, and the order stays paid.
    env, http, _ = shop
    session = our_paid_order(env, http)
    charge = refunded_charge(session["payment_intent"], 15500, 5000, session["metadata"])
    charge["currency"] = "jpy"

    deliver(stripe_event("charge.refunded", charge))

    [order] = orders(env)
    assert (order["status"]["S"], order["refunded"]["N"]) == ("paid", str(9480 * 5000 // 15500))
    assert env.stock(SKU) == (2, 0, 1)


def test_a_refund_delivered_before_its_order_is_retried_then_applied(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 1})
    refund = stripe_event(
        "charge.refunded",
        refunded_charge(session["payment_intent"], 9480, 9480, session["metadata"]),
    )

    early_status, early = deliver(refund)
    deliver(stripe_event("checkout.session.completed", session))
    retry_status, retry = deliver(refund)  # Stripe delivers a refused event again

    assert (early_status, early["error"]["code"]) == (409, "order_not_recorded_yet")
    assert (retry_status, retry["outcome"]) == (200, "recorded")
    [order] = orders(env)
    assert order["status"]["S"] == "refunded"
    assert env.stock(SKU) == (3, 0, 0)
    assert subjects(env, reader) == [
        "Your order #1001 is confirmed — Northwind Outfitters",
        "Your refund for order #1001 — Northwind Outfitters",
    ]


def test_an_event_in_another_api_release_is_refused_not_read_wrong(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    # An endpoint created without --api-version renders events in the account's default:
    # in 2020-08-27 the address is under `shipping`, which this shop does not read.
    env, http, _ = shop
    session = paid_checkout(env, http, {SKU: 1})
    address = session["collected_information"]["shipping_details"]["address"]
    old = copy.deepcopy(session)
    del old["collected_information"], old["shipping_cost"]
    old.update(shipping={"name": "Claire Martin", "address": address}, shipping_rate="shr_test_0")
    event = stripe_event("checkout.session.completed", old)
    event["api_version"] = "2020-08-27"

    status, body = deliver(event)

    assert (status, body["error"]["code"]) == (400, "invalid_payload")
    assert "2026-10-28.endive" in body["error"]["message"]
    assert "docs/deploy.md" in body["error"]["message"]
    assert orders(env) == []
    assert env.stock(SKU) == (2, 1, 0)  # still held for the payment's retried delivery


def test_an_event_of_a_later_version_of_the_same_release_is_read(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, _ = shop
    event = stripe_event("checkout.session.completed", paid_checkout(env, http, {SKU: 1}))
    event["api_version"] = "2026-11-25.endive"

    assert deliver(event)[1]["outcome"] == "recorded"
    assert len(orders(env)) == 1
