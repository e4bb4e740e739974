"""GET /api/orders/{id}?t=…: the order status page; and the success page's session lookup."""

from __future__ import annotations

import json
from typing import Any

import pytest
from shop.fulfilment import change_status
from shop.orders import OrderStatus, Tracking

from tests.functions.payments import (
    CART_ID,
    FakeLambdaContext,
    PaymentEnv,
    RecordingStripeHttp,
    checkout,
    deliver,
    dynamo_fulfilment,
    install_stripe,
    load_event,
    paid_checkout,
    put_cart,
    stripe_event,
)

SKU = "TRS-42-BLK"


def get(
    path: str, query: dict[str, str] | None = None, cart_id: str | None = CART_ID
) -> tuple[int, dict[str, Any]]:
    """Run the orders function on a GET, from the browser holding cart `cart_id`."""
    from orders.app import handler, orders_context

    orders_context.cache_clear()
    request = load_event("apigw_order_status.json")
    request["cookies"] = [f"cart_id={cart_id}"] if cart_id else []
    request["rawPath"] = request["requestContext"]["http"]["path"] = path
    request["queryStringParameters"] = query or {}
    request["rawQueryString"] = "&".join(f"{k}={v}" for k, v in (query or {}).items())
    result = handler(request, FakeLambdaContext())
    return int(result["statusCode"]), json.loads(result["body"])


@pytest.fixture
def shop(payment_env: PaymentEnv) -> tuple[PaymentEnv, RecordingStripeHttp]:
    payment_env.set_stock(SKU, 3)
    http = RecordingStripeHttp()
    install_stripe(http)
    return payment_env, http


def test_status_page_shows_the_order_history_and_tracking_with_the_right_token(
    shop: tuple[PaymentEnv, RecordingStripeHttp],
) -> None:
    env, http = shop
    deliver(stripe_event("checkout.session.completed", paid_checkout(env, http, {SKU: 1})))
    [order_item] = env.order_items("ORDER#", "ORDER")
    token = order_item["access_token"]["S"]
    change_status(
        dynamo_fulfilment(env), "1001", OrderStatus.SHIPPED, Tracking("Colissimo", "6A123")
    )

    status, body = get("/api/orders/1001", {"t": token})

    assert status == 200
    order = body["order"]
    assert (order["number"], order["status"]) == ("#1001", "shipped")
    assert [h["status"] for h in order["history"]] == ["paid", "shipped"]
    assert order["tracking"] == {"carrier": "Colissimo", "number": "6A123"}
    assert order["lines"][0]["sku"] == SKU
    assert order["total"] == {"amount": 9480, "currency": "EUR"}
    assert order["shipping"]["estimate"] is not None
    assert "flags" not in order
    assert "access_token" not in json.dumps(body)


@pytest.mark.parametrize(
    "query", [{}, {"t": "wrong-token-wrong-token"}, {"t": ""}], ids=["none", "wrong", "empty"]
)
def test_wrong_or_missing_token_answers_404_like_a_missing_order(
    shop: tuple[PaymentEnv, RecordingStripeHttp], query: dict[str, str]
) -> None:
    env, http = shop
    deliver(stripe_event("checkout.session.completed", paid_checkout(env, http, {SKU: 1})))

    status, body = get("/api/orders/1001", query)
    missing_status, missing = get("/api/orders/9999", query)

    assert (status, body["error"]["code"]) == (404, "order_not_found")
    assert (missing_status, missing["error"]["code"]) == (404, "order_not_found")


def test_success_page_records_the_order_when_the_webhook_is_late_and_then_agrees_with_it(
    shop: tuple[PaymentEnv, RecordingStripeHttp],
) -> None:
    env, http = shop
    session = paid_checkout(env, http, {SKU: 1})
    http.sessions[session["id"]] = session  # Stripe now reports the session as paid

    status, body = get(f"/api/orders/session/{session['id']}")

    assert status == 200
    assert body["status"] == "recorded"
    assert body["order"]["status"] == "paid"
    token = body["token"]
    assert env.stock(SKU) == (2, 0, 1)

    # The webhook arriving afterwards finds the order and changes nothing.
    webhook_status, webhook = deliver(stripe_event("checkout.session.completed", session))
    assert (webhook_status, webhook["outcome"]) == (200, "already_done")
    assert len(env.order_items("ORDER#", "ORDER")) == 1
    again_status, again = get(f"/api/orders/session/{session['id']}")
    assert (again_status, again["token"]) == (200, token)


def test_a_flagged_order_the_success_page_records_is_counted_for_the_alarm(
    shop: tuple[PaymentEnv, RecordingStripeHttp], capsys: pytest.CaptureFixture[str]
) -> None:
    # Paid after its hold went back on sale: recorded with paid_after_release. The
    # orders function published no metrics, so this leg of the alarm could never fire.
    env, http = shop
    session = paid_checkout(env, http, {SKU: 1})
    http.sessions[session["id"]] = session
    reservations = dynamo_fulfilment(env).reservations
    [held] = env.reservations()
    hold = reservations.get(held["reservation_id"]["S"])
    assert hold is not None
    assert reservations.release(hold)
    capsys.readouterr()

    status, _body = get(f"/api/orders/session/{session['id']}")

    assert status == 200
    lines = capsys.readouterr().out.splitlines()
    published = [json.loads(line) for line in lines if '"_aws"' in line]  # EMF, as Lambda logs it
    [counted] = [m for m in published if "OrderNeedsAttention" in m]
    assert counted["OrderNeedsAttention"] in (1, [1])
    [directive] = counted["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "Storefront"


@pytest.mark.parametrize("cart_id", [None, "f" * 32])
def test_success_page_shows_the_order_only_to_the_browser_that_checked_out(
    shop: tuple[PaymentEnv, RecordingStripeHttp], cart_id: str | None
) -> None:
    # A session id travels in shared success links, logs and browser history: without
    # the cart cookie it still records a late order, but shows no name, address or token.
    env, http = shop
    session = paid_checkout(env, http, {SKU: 1})
    http.sessions[session["id"]] = session

    status, body = get(f"/api/orders/session/{session['id']}", cart_id=cart_id)

    assert (status, body["error"]["code"]) == (404, "order_not_found")
    assert "@" not in json.dumps(body)
    assert len(env.order_items("ORDER#", "ORDER")) == 1


def test_to_a_stranger_every_session_lookup_is_the_same_404_naming_no_order(
    shop: tuple[PaymentEnv, RecordingStripeHttp],
) -> None:
    # A session id travels in shared links and logs; order numbers count the shop's sales
    env, http = shop
    paid = paid_checkout(env, http, {SKU: 1})
    http.sessions[paid["id"]] = paid
    put_cart(env, {SKU: 1}, cart_id="e" * 32)
    unpaid = http.sessions[checkout(cart_id="e" * 32)[1]["session_id"]]  # open, unpaid
    made_up = "cs_test_" + "0" * 24  # Stripe answers 404

    answers = [
        get(f"/api/orders/session/{session_id}", cart_id="f" * 32)
        for session_id in (paid["id"], unpaid["id"])
    ]
    answers.append(get(f"/api/orders/session/{made_up}", cart_id="f" * 32))

    for (status, body), session_id in zip(
        answers, (paid["id"], unpaid["id"], made_up), strict=True
    ):
        assert status == 404
        assert body == {
            "error": {
                "code": "order_not_found",
                "message": f'order "{session_id[:20]}": no such order for this link',
            }
        }
    assert len(env.order_items("ORDER#", "ORDER")) == 1  # the paid one recorded all the same


def test_success_page_for_an_unpaid_session_answers_202_without_an_order(
    shop: tuple[PaymentEnv, RecordingStripeHttp],
) -> None:
    env, http = shop
    session = paid_checkout(env, http, {SKU: 1})  # Stripe still has it open and unpaid

    status, body = get(f"/api/orders/session/{session['id']}")

    assert (status, body["order"]) == (202, None)
    assert env.order_items("ORDER#", "ORDER") == []
    assert env.stock(SKU) == (2, 1, 0)
