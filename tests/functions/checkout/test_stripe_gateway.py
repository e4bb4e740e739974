"""The Stripe adapter through the real SDK, its HTTP layer recorded: requests and errors."""

from __future__ import annotations

import pytest
import stripe
from shop.adapters.stripe_gateway import StripeGateway
from shop.checkout import PaymentGatewayError
from shop.stripe_version import STRIPE_API_VERSION

from tests.functions.payments import RecordingStripeHttp, checkout_session_response


def test_refund_posts_the_payment_intent_with_the_idempotency_key() -> None:
    http = RecordingStripeHttp()
    gateway = StripeGateway("sk_test_123", http_client=http, max_network_retries=0)

    refund_id = gateway.refund_payment("pi_123", "refund-order-1042")

    [request] = http.requests
    assert refund_id.startswith("re_")
    assert (request.method, request.url) == ("post", "https://api.stripe.com/v1/refunds")
    assert request.form() == {"payment_intent": "pi_123"}
    assert request.headers["Idempotency-Key"] == "refund-order-1042"
    assert request.headers["Stripe-Version"] == STRIPE_API_VERSION
    assert request.headers["Authorization"] == "Bearer sk_test_123"


def test_retrieve_returns_the_session_as_plain_data() -> None:
    http = RecordingStripeHttp()
    session = checkout_session_response({"metadata[reservation_id]": "res_1"})
    http.sessions[session["id"]] = session
    gateway = StripeGateway("sk_test_123", http_client=http, max_network_retries=0)

    found = gateway.retrieve_checkout_session(session["id"])

    assert http.requests[0].url == f"https://api.stripe.com/v1/checkout/sessions/{session['id']}"
    assert type(found) is dict
    assert found["metadata"] == {"reservation_id": "res_1"}
    assert found["customer_details"]["email"] == "example@example.com"


@pytest.mark.parametrize(
    ("status", "error", "expected"),
    [
        (
            400,
            {
                "type": "invalid_request_error",
                "code": "parameter_invalid_integer",
                "message": "Invalid integer",
            },
            "parameter_invalid_integer",
        ),
        (
            401,
            {"type": "invalid_request_error", "message": "Invalid API Key provided"},
            "AuthenticationError",
        ),
        (500, {"type": "api_error", "message": "Something went wrong"}, "APIError"),
    ],
)
def test_stripe_errors_are_wrapped_with_what_failed(
    status: int, error: dict[str, str], expected: str
) -> None:
    http = RecordingStripeHttp(fail_with=(status, {"error": error}))
    gateway = StripeGateway("sk_test_123", http_client=http, max_network_retries=0)

    with pytest.raises(PaymentGatewayError) as caught:
        gateway.create_checkout_session({"mode": "payment"}, "checkout-session-res_1")

    assert caught.value.operation == "create checkout session"
    assert expected in caught.value.detail
    assert caught.value.__cause__ is not None


@pytest.mark.parametrize(
    ("status_before", "expected"), [("open", True), ("expired", True), ("complete", False)]
)
def test_expire_says_whether_the_session_can_no_longer_be_paid(
    status_before: str, expected: bool
) -> None:
    http = RecordingStripeHttp()
    session = checkout_session_response({})
    session["status"] = status_before
    http.sessions[session["id"]] = session
    gateway = StripeGateway("sk_test_123", http_client=http, max_network_retries=0)

    assert gateway.expire_checkout_session(session["id"]) is expected

    first = http.requests[0]
    assert (first.method, first.url) == (
        "post",
        f"https://api.stripe.com/v1/checkout/sessions/{session['id']}/expire",
    )
    # Stripe expires only open sessions; on its refusal the session's status is read.
    assert len(http.requests) == (1 if status_before == "open" else 2)


def test_expire_failing_at_stripe_is_a_gateway_error() -> None:
    http = RecordingStripeHttp()
    http.fail_with = (500, {"error": {"type": "api_error", "message": "Something went wrong"}})
    gateway = StripeGateway("sk_test_123", http_client=http, max_network_retries=0)

    with pytest.raises(PaymentGatewayError, match="expire checkout session"):
        gateway.expire_checkout_session("cs_test_123")


def test_every_stripe_call_is_bounded_well_inside_the_checkout_functions_timeout() -> None:
    # The SDK's own default waits 80 s (urllib: for ever); Lambda would kill the checkout
    # between reserving the units and releasing them.
    from shop.adapters import stripe_gateway

    gateway = StripeGateway("sk_test_123")
    client = gateway.client._requestor._client  # the SDK's HTTP client
    assert isinstance(client, stripe.RequestsClient)
    timeout = client._timeout
    assert timeout == (stripe_gateway.CONNECT_TIMEOUT, stripe_gateway.READ_TIMEOUT)
    per_call = (1 + stripe_gateway.NETWORK_RETRIES) * sum(timeout) + 1  # + backoff
    assert 2 * per_call < 29  # expire + create, under infra's checkout Timeout
