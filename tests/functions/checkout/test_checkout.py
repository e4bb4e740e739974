"""POST /api/checkout: reservation first, then a Stripe session with the exact parameters."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any

import pytest
from shop.stripe_version import STRIPE_API_VERSION

from tests.functions.payments import (
    CART_ID,
    SITE,
    FakeLambdaContext,
    PaymentEnv,
    RecordingStripeHttp,
    checkout,
    install_stripe,
    load_event,
    put_cart,
)

SHOE, SOCK = "TRS-42-BLK", "SOCK-M"


@pytest.fixture
def stripe_http(payment_env: PaymentEnv) -> RecordingStripeHttp:
    """Stock for two SKUs and the Stripe adapter over a recording HTTP layer."""
    payment_env.set_stock(SHOE, 3)
    payment_env.set_stock(SOCK, 40)
    http = RecordingStripeHttp()
    install_stripe(http)
    return http


def test_checkout_sends_stripe_the_exact_session_parameters(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    put_cart(payment_env, {SHOE: 1, SOCK: 2})

    status, body = checkout()

    assert status == 200
    [request] = stripe_http.requests
    [reservation] = payment_env.reservations()
    reservation_id = reservation["reservation_id"]["S"]
    assert request.method == "post"
    assert request.url == "https://api.stripe.com/v1/checkout/sessions"
    assert request.headers["Idempotency-Key"] == f"checkout-session-{reservation_id}"
    assert request.headers["Stripe-Version"] == STRIPE_API_VERSION
    form = request.form()
    shoe = "line_items[0][price_data]"
    assert {k: v for k, v in form.items() if k.startswith("line_items[0]")} == {
        "line_items[0][quantity]": "1",
        f"{shoe}[currency]": "eur",
        f"{shoe}[unit_amount]": "8990",
        f"{shoe}[tax_behavior]": "inclusive",
        f"{shoe}[product_data][name]": "Ridge Trail Shoe — 42 / Black",
        f"{shoe}[product_data][metadata][sku]": SHOE,
        f"{shoe}[product_data][images][0]": f"{SITE}/images/trail-shoe-1.jpg",
    }
    assert form["line_items[1][quantity]"] == "2"
    assert form["line_items[1][price_data][unit_amount]"] == "1450"
    standard = "shipping_options[0][shipping_rate_data]"
    assert form[f"{standard}[fixed_amount][amount]"] == "0"  # 118.90 € ≥ 75 €: free
    assert form[f"{standard}[display_name]"] == "Standard delivery"
    assert form[f"{standard}[delivery_estimate][minimum][unit]"] == "business_day"
    assert form[f"{standard}[delivery_estimate][minimum][value]"] == "2"
    assert form[f"{standard}[delivery_estimate][maximum][value]"] == "4"
    assert form[f"{standard}[metadata][option_id]"] == "standard"
    assert form["shipping_options[1][shipping_rate_data][fixed_amount][amount]"] == "1290"
    pickup = "shipping_options[2][shipping_rate_data]"
    assert form[f"{pickup}[fixed_amount][amount]"] == "0"
    assert f"{pickup}[delivery_estimate][minimum][value]" not in form  # same day
    assert form[f"{pickup}[delivery_estimate][maximum][value]"] == "1"
    assert [form[f"shipping_address_collection[allowed_countries][{i}]"] for i in range(3)] == [
        "FR",
        "DE",
        "BE",
    ]
    assert form["mode"] == "payment"
    assert form["allow_promotion_codes"] == "true"
    assert form["client_reference_id"] == CART_ID
    assert form["metadata[reservation_id]"] == reservation_id
    assert form["metadata[cart_id]"] == CART_ID
    assert form["payment_intent_data[metadata][reservation_id]"] == reservation_id
    assert form["locale"] == "en"
    assert form["expires_at"] == reservation["expires_at"]["N"]
    assert form["success_url"] == f"{SITE}/checkout/success/?session_id={{CHECKOUT_SESSION_ID}}"
    assert form["cancel_url"] == f"{SITE}/checkout/cancel/"
    assert body["url"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    assert reservation["session_id"]["S"] == body["session_id"]
    assert reservation["shipping_rates"]["M"]["shr_test_2"]["S"] == "pickup"


def test_checkout_below_the_threshold_charges_standard_delivery_and_speaks_french(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    put_cart(payment_env, {SOCK: 2})  # 29.00 € < 75 €

    status, _ = checkout(locale="fr")

    assert status == 200
    form = stripe_http.requests[0].form()
    standard = "shipping_options[0][shipping_rate_data]"
    assert form[f"{standard}[fixed_amount][amount]"] == "490"
    assert form[f"{standard}[display_name]"] == "Livraison standard"
    assert form["shipping_options[2][shipping_rate_data][display_name]"] == "Retrait en magasin"
    assert form["line_items[0][price_data][product_data][name]"] == (
        "Merino Running Sock (FR) — 42 / Noir"
    )
    assert form["locale"] == "fr"
    assert form["metadata[locale]"] == "fr"
    assert form["success_url"].startswith(f"{SITE}/fr/checkout/success/")
    assert form["cancel_url"] == f"{SITE}/fr/checkout/cancel/"


def test_stripe_api_base_sends_the_same_request_to_another_server(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    # Imported now: the handler must see this gateway in its own copy of the modules
    # (the local server's tests drop the functions' modules from sys.modules).
    from shop.adapters.stripe_gateway import StripeGateway
    from shop.payment_setup import install_gateway

    elsewhere = RecordingStripeHttp()
    install_gateway(
        StripeGateway("sk_test_123", api_base="http://localhost:12111/", http_client=elsewhere)
    )
    put_cart(payment_env, {SHOE: 1})

    status, _ = checkout()

    assert status == 200
    assert stripe_http.requests == []
    assert elsewhere.requests[0].url == "http://localhost:12111/v1/checkout/sessions"


def test_stripe_failure_releases_the_reservation_and_answers_503(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    stripe_http.fail_with = (500, {"error": {"type": "api_error", "message": "Stripe is down"}})
    put_cart(payment_env, {SHOE: 2})

    status, body = checkout()

    assert (status, body["error"]["code"]) == (503, "payment_unavailable")
    assert payment_env.stock(SHOE) == (3, 0, 0)
    [reservation] = payment_env.reservations()
    assert reservation["status"]["S"] == "released"


def test_short_stock_answers_409_naming_every_short_sku_and_holds_nothing(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    payment_env.set_stock(SOCK, 1)
    put_cart(payment_env, {SHOE: 5, SOCK: 2})

    status, body = checkout()

    assert (status, body["error"]["code"]) == (409, "out_of_stock")
    message = body["error"]["message"]
    assert f'"{SHOE}": only 3 available, requested 5' in message
    assert f'"{SOCK}": only 1 available, requested 2' in message
    assert payment_env.stock(SHOE) == (3, 0, 0)
    assert payment_env.stock(SOCK) == (1, 0, 0)
    assert payment_env.reservations() == []
    assert stripe_http.requests == []


def test_checkout_without_a_cart_answers_422_empty_cart(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    status, body = checkout(cart_id=None)
    assert (status, body["error"]["code"]) == (422, "empty_cart")
    assert stripe_http.requests == []


def test_checkout_with_an_unpublished_locale_answers_422(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    put_cart(payment_env, {SHOE: 1})
    status, body = checkout(locale="xx")
    assert (status, body["error"]["code"]) == (422, "unsupported_locale")
    assert payment_env.reservations() == []


def test_a_checkout_posted_from_another_site_reserves_nothing_and_calls_no_stripe(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    from checkout.app import handler

    put_cart(payment_env, {SHOE: 1})
    request = load_event("apigw_checkout.json")
    request["cookies"] = [f"cart_id={CART_ID}"]
    request["headers"].update(
        {"origin": "https://evil.example", "host": "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"}
    )

    result = handler(request, FakeLambdaContext())

    assert result["statusCode"] == 400
    assert json.loads(result["body"])["error"]["code"] == "cross_origin_request"
    assert payment_env.reservations() == []
    assert payment_env.stock(SHOE) == (3, 0, 0)
    assert stripe_http.requests == []
    assert checkout()[0] == 200  # the recorded event: from the shop's own page


def _statuses(env: PaymentEnv) -> dict[str, str]:
    """Session id -> status of every reservation."""
    return {r["session_id"]["S"]: r["status"]["S"] for r in env.reservations() if "session_id" in r}


def test_checking_out_again_expires_the_previous_session_and_holds_the_units_once(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    # Given a shopper who opened Stripe's page for the whole stock, then came back
    put_cart(payment_env, {SHOE: 3})
    first_status, first = checkout()
    assert first_status == 200

    # When they check out again (back from the payment page, or a second tab)
    status, second = checkout()

    # Then the first session can no longer be paid, its units went back, and the new
    # checkout holds the cart's units once (before: 409, their own hold was in the way)
    assert status == 200
    assert stripe_http.sessions[first["session_id"]]["status"] == "expired"
    expire = [r for r in stripe_http.requests if r.url.endswith("/expire")]
    assert [r.url.rsplit("/", 2)[1] for r in expire] == [first["session_id"]]
    assert _statuses(payment_env) == {
        first["session_id"]: "released",
        second["session_id"]: "held",
    }
    assert payment_env.stock(SHOE) == (0, 3, 0)


def test_a_checkout_left_without_time_to_open_its_session_asks_to_try_again(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a previous checkout, and Stripe so slow that closing it used most of the time
    put_cart(payment_env, {SHOE: 3})
    first_status, first = checkout()
    assert first_status == 200
    monkeypatch.setattr(FakeLambdaContext, "remaining_ms", 12_000)

    # When the shopper checks out again
    status, body = checkout()

    # Then no session is started that Lambda would stop halfway: a clean "try again",
    # the previous session closed and nothing held
    assert (status, body["error"]["code"]) == (503, "payment_unavailable")
    assert stripe_http.sessions[first["session_id"]]["status"] == "expired"
    assert len(stripe_http.sessions) == 1
    assert payment_env.stock(SHOE) == (3, 0, 0)


class _SlowStripe(RecordingStripeHttp):
    """Stripe, while it creates the first session, receives the same cart's second checkout."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.meanwhile: list[tuple[int, dict[str, Any]]] = []

    def request(
        self, method: str, url: str, headers: Any, post_data: Any = None, *, _usage: Any = None
    ) -> tuple[str, int, dict[str, str]]:
        if method == "post" and url.endswith("/v1/checkout/sessions") and not self.meanwhile:
            self.meanwhile.append((0, {}))  # the second tab's checkout starts now
            self.meanwhile[0] = checkout()
        return super().request(method, url, headers, post_data, _usage=_usage)


def test_a_second_checkout_while_the_first_is_being_created_is_refused_not_held_twice(
    payment_env: PaymentEnv,
) -> None:
    # Given Stripe still creating the first tab's session when the second tab checks out
    payment_env.set_stock(SHOE, 3)
    http = _SlowStripe()
    install_stripe(http)
    put_cart(payment_env, {SHOE: 1})

    status, first = checkout()

    # Then the second is refused (try again) before holding anything: one session, one hold
    [(second_status, second)] = http.meanwhile
    assert (second_status, second["error"]["code"]) == (409, "concurrent_update")
    assert status == 200
    assert [s["status"] for s in http.sessions.values()] == ["open"]
    assert [r["status"]["S"] for r in payment_env.reservations()] == ["held"]
    assert payment_env.stock(SHOE) == (2, 1, 0)
    # and checking out again later closes the first session: the cart names it
    assert checkout()[0] == 200
    assert http.sessions[first["session_id"]]["status"] == "expired"
    assert payment_env.stock(SHOE) == (2, 1, 0)


def test_a_checkout_that_died_before_stripe_answered_does_not_block_the_next(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    from shop.adapters.dynamo_wire import to_item
    from shop.reservations import ReservationLine, new_reservation

    from tests.functions.sweeper.test_sweeper import _reservations

    # A hold without a session, two minutes old, named by the cart (its request was killed)
    dead = new_reservation(CART_ID, [ReservationLine(SHOE, 1)], int(time.time()) - 120)
    _reservations(payment_env).reserve(dead)
    put_cart(payment_env, {SHOE: 1})
    payment_env.dynamodb.update_item(
        TableName=payment_env.tables["CARTS_TABLE"],
        Key={"cart_id": {"S": CART_ID}},
        UpdateExpression="SET checkout = :r",
        ExpressionAttributeValues={":r": to_item({"r": dead.reservation_id})["r"]},
    )

    assert checkout()[0] == 200
    assert payment_env.stock(SHOE) == (1, 2, 0)  # the dead hold is the sweeper's, by the clock


def test_a_failed_checkout_leaves_the_cart_naming_the_previous_one(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    put_cart(payment_env, {SHOE: 1})
    _, first = checkout()
    stripe_http.fail_with = (500, {"error": {"type": "api_error", "message": "Stripe is down"}})
    assert checkout()[0] == 503

    stripe_http.fail_with = None
    assert checkout()[0] == 200

    # The first session, perhaps still open in a tab, was closed by the third checkout
    assert stripe_http.sessions[first["session_id"]]["status"] == "expired"
    assert payment_env.stock(SHOE) == (2, 1, 0)


def test_a_previous_session_paid_meanwhile_is_left_for_fulfilment_to_commit(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    put_cart(payment_env, {SHOE: 1})
    _, first = checkout()
    stripe_http.sessions[first["session_id"]]["status"] = "complete"  # paid in another tab

    status, second = checkout()

    # Stripe refuses to expire a paid session: its units stay held for its order
    assert status == 200
    assert _statuses(payment_env) == {first["session_id"]: "held", second["session_id"]: "held"}
    assert payment_env.stock(SHOE) == (1, 2, 0)


def test_when_stripe_cannot_expire_the_previous_session_its_units_stay_held(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    put_cart(payment_env, {SHOE: 1})
    _, first = checkout()
    stripe_http.fail_with = (500, {"error": {"type": "api_error", "message": "Stripe is down"}})

    status, body = checkout()

    # It might still be paid, so nothing of it is given back; the new attempt holds nothing
    assert (status, body["error"]["code"]) == (503, "payment_unavailable")
    statuses = [r["status"]["S"] for r in payment_env.reservations()]
    assert sorted(statuses) == ["held", "released"]
    assert _statuses(payment_env) == {first["session_id"]: "held"}
    assert payment_env.stock(SHOE) == (2, 1, 0)


def test_a_warm_checkout_charges_the_price_of_the_snapshot_deployed_since(
    payment_env: PaymentEnv,
    stripe_http: RecordingStripeHttp,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The container's first checkout loads the snapshot; then a deploy lowers the price.
    import os
    from pathlib import Path

    import shop.catalog_source

    now = [1000.0]
    monkeypatch.setattr(shop.catalog_source, "recheck_clock", lambda: now[0])
    put_cart(payment_env, {SHOE: 1})
    assert checkout()[0] == 200
    path = Path(os.environ["CATALOG_PATH"])
    data = json.loads(path.read_text(encoding="utf-8"))
    data["skus"][SHOE]["price"]["amount"] = 7990
    path.write_text(json.dumps(data), encoding="utf-8")
    os.utime(path, ns=(1, 1))
    now[0] += shop.catalog_source.CATALOG_RECHECK_SECONDS

    put_cart(payment_env, {SHOE: 1}, cart_id="f" * 32)
    assert checkout(cart_id="f" * 32)[0] == 200

    assert stripe_http.requests[-1].form()["line_items[0][price_data][unit_amount]"] == "7990"


def test_a_checkout_refused_while_another_starts_does_not_show_the_cart_id(
    payment_env: PaymentEnv,
) -> None:
    # Given a first checkout of this cart still being created (held, no session yet):
    # what a second tab or a double click meets for up to a minute
    from datetime import UTC, datetime

    from shop.adapters.dynamodb_carts import DynamoDBCartStore
    from shop.adapters.dynamodb_reservations import DynamoReservations
    from shop.reservations import ReservationLine, new_reservation

    payment_env.set_stock(SHOE, 5)
    install_stripe(RecordingStripeHttp())
    put_cart(payment_env, {SHOE: 1})
    tables = payment_env.tables
    reservations = DynamoReservations(
        payment_env.dynamodb, tables["RESERVATIONS_TABLE"], tables["INVENTORY_TABLE"]
    )
    held = new_reservation(CART_ID, [ReservationLine(SHOE, 1, 8990)], int(time.time()))
    reservations.reserve(held)
    DynamoDBCartStore(payment_env.dynamodb, tables["CARTS_TABLE"]).update(
        CART_ID, lambda cart: replace(cart, checkout=held.reservation_id), datetime.now(UTC)
    )

    status, body = checkout()

    # Then the refusal says so without the cart id: it is the HttpOnly cookie's secret,
    # and the JSON body is readable by every script on the page
    assert status == 409
    assert body["error"]["code"] == "concurrent_update"
    assert CART_ID not in json.dumps(body)
