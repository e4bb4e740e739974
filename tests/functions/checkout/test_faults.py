"""Checkout when DynamoDB or Stripe fail: a clear 503, no units left held, a retry that is safe."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from tests.functions.faults import (
    STRIPE_429,
    STRIPE_500,
    FlakyStripeHttp,
    current_dynamodb_client,
    fail_aws,
    stripe_timeout,
)
from tests.functions.payments import (
    PaymentEnv,
    checkout,
    put_cart,
)

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")

SHOE = "TRS-42-BLK"


@pytest.fixture
def stripe_http(payment_env: PaymentEnv) -> FlakyStripeHttp:
    """The real Stripe adapter, retrying twice like production, over a scripted HTTP layer."""
    from shop.adapters.stripe_gateway import StripeGateway
    from shop.payment_setup import install_gateway

    payment_env.set_stock(SHOE, 3)
    put_cart(payment_env, {SHOE: 2})
    http = FlakyStripeHttp()
    install_gateway(StripeGateway("sk_test_123", http_client=http, max_network_retries=2))
    return http


def session_creates(http: FlakyStripeHttp) -> list[Any]:
    return [r for r in http.requests if r.url.endswith("/v1/checkout/sessions")]


def statuses(env: PaymentEnv) -> list[str]:
    return sorted(item["status"]["S"] for item in env.reservations())


@pytest.mark.parametrize(
    ("error", "codes"),
    [
        ({"Code": "ProvisionedThroughputExceededException", "Message": "throttled"}, None),
        ({"Code": "ThrottlingException", "Message": "Rate of requests exceeds"}, None),
        (
            {"Code": "TransactionCanceledException", "Message": "cancelled [None, Throttling]"},
            ["None", "ThrottlingError"],
        ),
        ({"Code": "InternalServerError", "Message": "Internal server error"}, None),
    ],
    ids=["provisioned-throughput", "throttling", "transaction-throttled", "internal-error"],
)
def test_dynamodb_failing_the_reservation_is_503_with_nothing_held_and_no_session(
    payment_env: PaymentEnv,
    stripe_http: FlakyStripeHttp,
    error: dict[str, str],
    codes: list[str] | None,
) -> None:
    client = current_dynamodb_client()
    with fail_aws(client, "TransactWriteItems", error=error, cancellation_codes=codes) as f:
        status, body = checkout()

    assert f.failed == 1
    assert (status, body["error"]["code"]) == (503, "service_unavailable")
    assert "try again" in body["error"]["message"]
    assert payment_env.stock(SHOE) == (3, 0, 0)
    assert payment_env.reservations() == []
    assert session_creates(stripe_http) == []

    # The shopper tries again once DynamoDB recovers: one hold, one session.
    status, body = checkout()
    assert status == 200, body
    assert payment_env.stock(SHOE) == (1, 2, 0)


@pytest.mark.parametrize(
    "failure",
    [STRIPE_500, STRIPE_429, stripe_timeout()],
    ids=["api-error-500", "rate-limited-429", "timeout"],
)
def test_stripe_failing_session_creation_releases_the_units_and_answers_503(
    payment_env: PaymentEnv, stripe_http: FlakyStripeHttp, failure: Any
) -> None:
    stripe_http.script = [failure] * 3  # the first try and both SDK retries

    status, body = checkout()

    assert (status, body["error"]["code"]) == (503, "payment_unavailable")
    assert "try again" in body["error"]["message"]
    assert payment_env.stock(SHOE) == (3, 0, 0)
    assert statuses(payment_env) == ["released"]
    attempts = session_creates(stripe_http)
    # 429 without Stripe-Should-Retry is not retried by the SDK; 500 and timeouts are.
    assert len(attempts) == (1 if failure == STRIPE_429 else 3)
    assert len({r.headers["Idempotency-Key"] for r in attempts}) == 1


def test_stripe_refusing_the_shops_key_is_logged_as_an_error_with_stripes_words(
    payment_env: PaymentEnv, stripe_http: FlakyStripeHttp, caplog: pytest.LogCaptureFixture
) -> None:
    # A publishable key pasted where the secret key goes: the operator must see why
    message = "Invalid API Key provided: pk_test_***************123"
    refused = (401, {"error": {"type": "invalid_request_error", "message": message}})
    stripe_http.script = [refused]

    with caplog.at_level(logging.INFO):
        status, body = checkout()

    assert (status, body["error"]["code"]) == (503, "payment_unavailable")
    assert message not in json.dumps(body)  # the shopper gets the generic message
    [logged] = [r for r in caplog.records if "checkout request" in r.getMessage()]
    assert logged.levelno == logging.ERROR
    assert message in logged.getMessage() + str(logged.exc_info[1] if logged.exc_info else "")


def test_a_stripe_blip_is_retried_with_the_same_idempotency_key_and_holds_once(
    payment_env: PaymentEnv, stripe_http: FlakyStripeHttp
) -> None:
    stripe_http.script = [stripe_timeout(), STRIPE_500]

    status, body = checkout()

    assert status == 200, body
    attempts = session_creates(stripe_http)
    assert len(attempts) == 3
    keys = {r.headers["Idempotency-Key"] for r in attempts}
    [reservation] = payment_env.reservations()
    assert keys == {"checkout-session-" + reservation["reservation_id"]["S"]}
    assert len(stripe_http.sessions) == 1
    assert payment_env.stock(SHOE) == (1, 2, 0)
    assert reservation["session_id"]["S"] == body["session_id"]


def test_a_failed_checkout_then_a_retry_holds_the_units_once(
    payment_env: PaymentEnv, stripe_http: FlakyStripeHttp
) -> None:
    stripe_http.script = [STRIPE_500] * 3
    assert checkout()[0] == 503

    status, body = checkout()

    assert status == 200, body
    assert payment_env.stock(SHOE) == (1, 2, 0)
    assert statuses(payment_env) == ["held", "released"]


def test_recording_the_session_failing_releases_the_units_and_answers_503(
    payment_env: PaymentEnv, stripe_http: FlakyStripeHttp
) -> None:
    client = current_dynamodb_client()
    with fail_aws(client, "UpdateItem") as fault:
        status, body = checkout()

    assert fault.failed == 1
    assert (status, body["error"]["code"]) == (503, "service_unavailable")
    assert payment_env.stock(SHOE) == (3, 0, 0)
    assert statuses(payment_env) == ["released"]


def test_counting_the_hold_allowance_failing_holds_nothing_and_answers_503(
    payment_env: PaymentEnv, stripe_http: FlakyStripeHttp
) -> None:
    client = current_dynamodb_client()
    # The first transaction counts the shopper's units on hold; the second would hold them.
    with fail_aws(client, "TransactWriteItems") as fault:
        status, body = checkout()

    assert fault.failed == 1
    assert (status, body["error"]["code"]) == (503, "service_unavailable")
    assert payment_env.stock(SHOE) == (3, 0, 0)
    assert statuses(payment_env) == []
    assert stripe_http.requests == []
    assert payment_env.hold_counts() == {}
