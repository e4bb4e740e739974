"""The webhook function: signatures, idempotency, event order, async payments and refunds.

Every test checks the end state a merchant and a shopper see: the order's
status, the stock counts, and the emails that actually left (moto's SES).
Events are Stripe's published fixture objects with our values filled in,
signed with Stripe's real scheme.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.functions.payments import (
    SECRET,
    PaymentEnv,
    RecordingStripeHttp,
    StreamReader,
    deliver,
    load_event,
    paid_checkout,
    refunded_charge,
    run_email_function,
    stripe_event,
)
from tests.functions.stripe_webhook.conftest import SKU, orders, subjects


def test_paid_completion_records_the_order_sells_the_units_and_sends_one_confirmation(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 2}, amount_subtotal=17980, amount_shipping=0)
    assert env.stock(SKU) == (1, 2, 0)

    status, body = deliver(stripe_event("checkout.session.completed", session))

    assert (status, body["outcome"]) == (200, "recorded")
    assert env.stock(SKU) == (1, 0, 2)
    [order] = orders(env)
    assert order["status"]["S"] == "paid"
    assert order["number"]["N"] == "1001"
    assert order["email"]["S"] == "claire@example.org"
    assert order["total"]["N"] == "17980"
    assert order["shipping"]["M"]["option_id"]["S"] == "standard"
    assert order["address"]["M"]["city"]["S"] == "Annecy"
    assert len(order["access_token"]["S"]) >= 22
    [reservation] = env.reservations()
    assert reservation["status"]["S"] == "committed"
    assert subjects(env, reader) == ["Your order #1001 is confirmed — Northwind Outfitters"]
    [cart] = env.carts()
    assert cart["items"]["L"] == []  # the bought lines left the shopper's cart
    assert "checkout" not in cart  # and the checkout done with


def test_a_pickup_order_records_and_tells_where_to_collect_it(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 1}, shipping_rate="shr_test_2", amount_shipping=0)
    assert deliver(stripe_event("checkout.session.completed", session))[0] == 200

    [order] = orders(env)
    shipping = order["shipping"]["M"]
    assert shipping["option_id"]["S"] == "pickup"
    assert [line["S"] for line in shipping["address"]["L"]] == [
        "12 rue des Alpes", "74000 Annecy", "France",
    ]  # fmt: skip
    subjects(env, reader)
    [email] = env.sent_emails()
    [text] = [
        part.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]
        for part in email.walk()
        if part.get_content_type() == "text/plain"
    ]
    assert "Collect your order at:\n  12 rue des Alpes\n  74000 Annecy\n  France" in text
    assert "Shipping to" not in text  # the shopper's own address is not where it goes


@pytest.mark.parametrize(
    ("signing", "why"),
    [
        ({"secret": "whsec_someone_else"}, "wrong secret"),
        ({"signature": "t=1795340000"}, "no v1 signature"),
        ({"signature": ""}, "missing header"),
        ({"signature": "v1=abc,garbage"}, "no timestamp"),
    ],
)
def test_badly_signed_delivery_is_refused_with_400_and_writes_nothing(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
    signing: dict[str, Any],
    why: str,
) -> None:
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 1})

    status, body = deliver(stripe_event("checkout.session.completed", session), **signing)

    assert status == 400, why
    assert body["error"]["code"] == "invalid_signature"
    assert orders(env) == []
    assert env.stock(SKU) == (2, 1, 0)
    assert subjects(env, reader) == []


def test_body_changed_after_signing_is_refused(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, _ = shop
    session = paid_checkout(env, http, {SKU: 1})
    genuine = json.dumps(stripe_event("checkout.session.completed", session)).encode()
    from shop.webhook_events import sign_payload

    signature = sign_payload(genuine, SECRET, int(time.time()))
    tampered = genuine.replace(b'"paid"', b'"paid" ', 1)

    status, body = deliver(tampered, signature=signature)

    assert (status, body["error"]["code"]) == (400, "invalid_signature")
    assert orders(env) == []


def _counted(printed: str) -> set[str]:
    """The metric names the function published (EMF lines, as Lambda logs them)."""
    published = [json.loads(line) for line in printed.splitlines() if '"_aws"' in line]
    return {
        m["Name"] for p in published for d in p["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]
    }


def test_an_unsigned_request_is_refused_without_firing_the_wrong_secret_alarm(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader], capsys: pytest.CaptureFixture[str]
) -> None:
    # Anyone can POST to the endpoint: scanners' unsigned requests counted as refused
    # events fired the alarm meant for a wrong signing secret, and buried a real one.
    env, http, _ = shop
    session = paid_checkout(env, http, {SKU: 1})
    event = stripe_event("checkout.session.completed", session)
    capsys.readouterr()

    now = int(time.time())
    refused = []
    for signature in ("", "v1=junk", f"t={now},v1=junk", f"t={now - 3600},v1={'0' * 64}"):
        refused.append((deliver(event, signature=signature)[0], _counted(capsys.readouterr().out)))
    forged = deliver(event, signature=f"t={now},v1={'0' * 64}")
    forged_metrics = _counted(capsys.readouterr().out)

    assert [status for status, _ in refused] == [400] * 4
    assert forged[0] == 400
    for _, metrics in refused:  # no header, junk, a stale timestamp: not Stripe's shape
        assert "WebhookUnsigned" in metrics
        assert "WebhookRejected" not in metrics
    assert "WebhookRejected" in forged_metrics  # signed with another secret: the alarm's case
    assert orders(env) == []


def test_stale_timestamp_is_refused_even_with_a_valid_signature(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, _ = shop
    session = paid_checkout(env, http, {SKU: 1})

    status, body = deliver(
        stripe_event("checkout.session.completed", session), timestamp=int(time.time()) - 301
    )

    assert status == 400
    assert "timestamp" in body["error"]["message"]
    assert orders(env) == []
    assert env.stock(SKU) == (2, 1, 0)


def test_base64_body_from_api_gateway_is_verified_on_the_decoded_bytes(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, _ = shop
    session = paid_checkout(env, http, {SKU: 1})

    status, body = deliver(stripe_event("checkout.session.completed", session), base64_body=True)

    assert (status, body["outcome"]) == (200, "recorded")
    assert env.stock(SKU) == (2, 0, 1)


def test_signed_body_that_is_not_an_event_is_refused_with_400(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, _, _ = shop
    status, body = deliver(b"{not json")
    assert (status, body["error"]["code"]) == (400, "invalid_payload")
    assert orders(env) == []


def test_same_event_delivered_five_times_records_one_order_and_sends_one_email(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 1})
    event = stripe_event("checkout.session.completed", session)

    outcomes = [deliver(event) for _ in range(5)]

    assert [status for status, _ in outcomes] == [200] * 5
    assert [body["outcome"] for _, body in outcomes] == ["recorded"] + ["already_done"] * 4
    assert len(orders(env)) == 1
    assert env.stock(SKU) == (2, 0, 1)
    assert len(subjects(env, reader)) == 1
    # The stream delivering the outbox record again sends nothing more.
    reader.position = 0
    assert len(subjects(env, reader)) == 1


def test_expired_after_completed_changes_nothing(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 1})
    deliver(stripe_event("checkout.session.completed", session))

    status, body = deliver(
        stripe_event("checkout.session.expired", {**session, "status": "expired"})
    )

    assert (status, body["outcome"]) == (200, "already_done")
    assert env.stock(SKU) == (2, 0, 1)
    assert [o["status"]["S"] for o in orders(env)] == ["paid"]
    assert len(subjects(env, reader)) == 1


def test_an_expired_hold_whose_stock_row_was_seeded_again_is_released_and_says_so(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    # Given a checkout's hold, then its SKU's row seeded again (it counts no hold now)
    env, http, _ = shop
    session = paid_checkout(env, http, {SKU: 1})
    env.set_stock(SKU, 5)

    status, body = deliver(
        stripe_event("checkout.session.expired", {**session, "status": "expired"})
    )

    # Then the hold is released without touching that row, and the outcome (logged and
    # counted as Webhook_released_uncounted) tells the operator to check its counts
    assert (status, body["outcome"]) == (200, "released_uncounted")
    assert env.stock(SKU) == (5, 0, 0)
    [reservation] = env.reservations()
    assert reservation["status"]["S"] == "released"
    assert reservation["uncounted_skus"] == {"L": [{"S": SKU}]}


def test_expired_before_completed_still_records_the_paid_order_and_sells_again(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 1})
    deliver(stripe_event("checkout.session.expired", {**session, "status": "expired"}))
    assert env.stock(SKU) == (3, 0, 0)

    status, body = deliver(stripe_event("checkout.session.completed", session))

    assert (status, body["outcome"]) == (200, "recorded")
    assert env.stock(SKU) == (2, 0, 1)
    [order] = orders(env)
    assert order["status"]["S"] == "paid"
    assert [f["S"] for f in order["flags"]["L"]] == ["paid_after_release"]
    assert len(subjects(env, reader)) == 1


def test_paid_after_expiry_when_sold_out_records_the_order_and_flags_the_short_sku(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 2})
    deliver(stripe_event("checkout.session.expired", {**session, "status": "expired"}))
    env.set_stock(SKU, 1)  # meanwhile someone else bought the released units

    status, body = deliver(stripe_event("checkout.session.completed", session))

    assert (status, body["outcome"]) == (200, "recorded")
    [order] = orders(env)
    flags = [f["S"] for f in order["flags"]["L"]]
    assert flags == ["paid_after_release", f"stock_short:{SKU}"]
    assert env.stock(SKU) == (1, 0, 0)  # never negative, nothing sold twice
    assert len(subjects(env, reader)) == 1


@pytest.mark.parametrize(
    ("restored", "after", "flags"),
    [
        (3, (2, 0, 1), [f"reserved_stock_drift:{SKU}"]),
        (0, (0, 0, 0), [f"reserved_stock_drift:{SKU}", f"stock_short:{SKU}"]),
    ],
)
def test_a_payment_whose_hold_the_stock_row_no_longer_counts_is_recorded(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
    restored: int,
    after: tuple[int, int, int],
    flags: list[str],
) -> None:
    # Given a hold, then its stock row restored from a backup (or seeded again)
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 1})
    env.set_stock(SKU, restored)  # nothing counted as reserved any more

    status, body = deliver(stripe_event("checkout.session.completed", session))

    # Then the paid order is recorded (it failed on every delivery, the payment taken)
    assert (status, body["outcome"]) == (200, "recorded")
    [order] = orders(env)
    assert [f["S"] for f in order["flags"]["L"]] == flags
    assert env.stock(SKU) == after  # sold from what is available, never negative
    assert env.reservations()[0]["status"]["S"] == "committed"
    assert len(subjects(env, reader)) == 1


def test_only_the_lines_whose_stock_row_drifted_are_sold_from_available(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    # Given a hold of a shoe and two socks, then only the shoe's row seeded again
    env, http, _ = shop
    env.set_stock("SOCK-M", 2)
    session = paid_checkout(env, http, {SKU: 1, "SOCK-M": 2})
    assert env.stock("SOCK-M") == (0, 2, 0)
    env.set_stock(SKU, 3)

    status, body = deliver(stripe_event("checkout.session.completed", session))

    # Then the socks are committed from their hold (not taken a second time from
    # `available`, nor left reserved for nobody), the shoe from what is available
    assert (status, body["outcome"]) == (200, "recorded")
    [order] = orders(env)
    assert [f["S"] for f in order["flags"]["L"]] == [f"reserved_stock_drift:{SKU}"]
    assert env.stock(SKU) == (2, 0, 1)
    assert env.stock("SOCK-M") == (0, 0, 2)
    assert env.reservations()[0]["status"]["S"] == "committed"


def test_async_payment_waits_then_succeeds_with_one_order_and_one_email(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 1}, payment_status="unpaid")
    held_until = int(env.reservations()[0]["expires_at"]["N"])

    status, body = deliver(stripe_event("checkout.session.completed", session))

    assert (status, body["outcome"]) == (200, "awaiting_payment")
    assert orders(env) == []
    assert env.stock(SKU) == (2, 1, 0)
    assert int(env.reservations()[0]["expires_at"]["N"]) > held_until + 86400
    assert subjects(env, reader) == []
    # Bought, if not yet paid: left in the cart, a second checkout could be paid too
    [cart] = env.carts()
    assert cart["items"]["L"] == []
    # Nor is its hold the cart's any more: the cart would count its units as the shopper's.
    assert "checkout" not in cart

    succeeded = {**session, "payment_status": "paid"}
    status, body = deliver(stripe_event("checkout.session.async_payment_succeeded", succeeded))

    assert (status, body["outcome"]) == (200, "recorded")
    assert [o["status"]["S"] for o in orders(env)] == ["paid"]
    assert env.stock(SKU) == (2, 0, 1)
    assert len(subjects(env, reader)) == 1


def test_async_success_arriving_before_the_unpaid_completion_ends_paid_once(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, reader = shop
    unpaid = paid_checkout(env, http, {SKU: 1}, payment_status="unpaid")
    succeeded = {**unpaid, "payment_status": "paid"}

    first = deliver(stripe_event("checkout.session.async_payment_succeeded", succeeded))
    late = deliver(stripe_event("checkout.session.completed", unpaid))

    assert (first[1]["outcome"], late[1]["outcome"]) == ("recorded", "already_done")
    assert [o["status"]["S"] for o in orders(env)] == ["paid"]
    assert env.stock(SKU) == (2, 0, 1)
    assert len(subjects(env, reader)) == 1


def test_async_payment_failure_releases_the_units_and_sends_nothing(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 1}, payment_status="unpaid")
    deliver(stripe_event("checkout.session.completed", session))

    status, body = deliver(stripe_event("checkout.session.async_payment_failed", session))

    assert (status, body["outcome"]) == (200, "released")
    assert orders(env) == []
    assert env.stock(SKU) == (3, 0, 0)
    assert env.reservations()[0]["status"]["S"] == "released"
    assert subjects(env, reader) == []


def test_a_late_completion_after_the_payment_failed_leaves_the_cart_as_it_is(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    # Stripe does not keep events in order: the failure first, then the unpaid completion,
    # which emptied the cart of a purchase that never happened.
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 1}, payment_status="unpaid")
    deliver(stripe_event("checkout.session.async_payment_failed", session))

    status, body = deliver(stripe_event("checkout.session.completed", session))

    assert (status, body["outcome"]) == (200, "already_done")
    [cart] = env.carts()
    assert [line["M"]["sku"]["S"] for line in cart["items"]["L"]] == [SKU]
    assert env.stock(SKU) == (3, 0, 0)
    assert env.reservations()[0]["status"]["S"] == "released"
    assert subjects(env, reader) == []


def test_full_refund_marks_refunded_restocks_and_sends_one_refund_email(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 1})
    deliver(stripe_event("checkout.session.completed", session))
    charge = refunded_charge(session["payment_intent"], amount=9480, refunded=9480)
    event = stripe_event("charge.refunded", charge)

    first = deliver(event)
    again = deliver(event)

    assert (first[1]["outcome"], again[1]["outcome"]) == ("recorded", "already_done")
    [order] = orders(env)
    assert order["status"]["S"] == "refunded"
    assert order["refunded"]["N"] == "9480"
    assert env.stock(SKU) == (3, 0, 0)
    assert subjects(env, reader) == [
        "Your order #1001 is confirmed — Northwind Outfitters",
        "Your refund for order #1001 — Northwind Outfitters",
    ]


def test_partial_refund_keeps_the_status_and_records_the_amount_without_restocking(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 1})
    deliver(stripe_event("checkout.session.completed", session))

    deliver(stripe_event("charge.refunded", refunded_charge(session["payment_intent"], 9480, 490)))

    [order] = orders(env)
    assert (order["status"]["S"], order["refunded"]["N"]) == ("paid", "490")
    assert env.stock(SKU) == (2, 0, 1)
    assert len(subjects(env, reader)) == 2


def test_the_same_partial_refund_told_twice_is_recorded_once(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    # Two events (different ids) carrying the same cumulative refunded amount: the
    # second tells nothing new, so it adds no history note and sends no second email.
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 1})
    deliver(stripe_event("checkout.session.completed", session))
    charge = refunded_charge(session["payment_intent"], 9480, 490)

    deliver(stripe_event("charge.refunded", charge))
    deliver(stripe_event("charge.refunded", charge))

    [order] = orders(env)
    assert order["refunded"]["N"] == "490"
    assert len(env.order_items("ORDER#1001", "HISTORY#")) == 2  # paid, then one refund note
    assert len(subjects(env, reader)) == 2  # the confirmation and one refund email


def test_each_refund_email_says_what_that_refund_gave_back(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    # Rendered from the order when sent, both emails said the running total (€30.00
    # twice), matching neither line of the shopper's bank statement.
    env, http, reader = shop
    session = paid_checkout(env, http, {SKU: 1})
    deliver(stripe_event("checkout.session.completed", session))
    intent = session["payment_intent"]

    deliver(stripe_event("charge.refunded", refunded_charge(intent, 9480, 1000)))
    deliver(stripe_event("charge.refunded", refunded_charge(intent, 9480, 3000)))

    run_email_function(reader)
    refunds = [m for m in env.sent_emails() if "refund" in str(m["Subject"]).lower()]
    texts = [
        part.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]
        for message in refunds
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    ]
    assert len(texts) == 2
    assert "€10.00" in texts[0]
    assert "€30.00" not in texts[0]
    assert "€20.00" in texts[1]


def test_unknown_event_type_is_acknowledged_without_any_action(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, _, _ = shop
    event = load_event("stripe_event.json")  # Stripe's own fixture: plan.created

    status, body = deliver(event)

    assert (status, body["outcome"]) == (200, "ignored")
    assert env.order_items("", "") == []


def test_refund_of_a_payment_the_shop_did_not_take_is_acknowledged_and_ignored(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    env, _, _ = shop
    charge = load_event("stripe_charge.json")  # Stripe's fixture charge, no payment intent

    status, body = deliver(stripe_event("charge.refunded", charge))

    assert (status, body["outcome"]) == (200, "not_ours")
    assert orders(env) == []
