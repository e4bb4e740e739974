"""A made-up Checkout Session id is the client's mistake: 404, never an outage (503) or a crash."""

from __future__ import annotations

import pytest
from shop.adapters.stripe_gateway import StripeGateway
from shop.checkout import CheckoutSessionNotFoundError, PaymentGatewayError
from shop.http_errors import http_error_for

from tests.functions.payments import RecordingStripeHttp

STRIPE_404 = {
    "error": {
        "code": "resource_missing",
        "message": "No such checkout.session: 'cs_test_made_up'",
        "param": "session",
        "type": "invalid_request_error",
    }
}


def test_stripes_404_for_a_session_is_a_not_found_answered_404() -> None:
    http = RecordingStripeHttp(fail_with=(404, STRIPE_404))
    gateway = StripeGateway("sk_test_123", http_client=http, max_network_retries=0)
    with pytest.raises(CheckoutSessionNotFoundError) as raised:
        gateway.retrieve_checkout_session("cs_test_made_up")
    error = http_error_for(raised.value)
    assert (error.status, error.code) == (404, "order_not_found")


def test_a_stripe_outage_on_retrieve_is_still_503() -> None:
    outage = {"error": {"message": "Stripe is down", "type": "api_error"}}
    http = RecordingStripeHttp(fail_with=(500, outage))
    gateway = StripeGateway("sk_test_123", http_client=http, max_network_retries=0)
    with pytest.raises(PaymentGatewayError) as raised:
        gateway.retrieve_checkout_session("cs_test_1")
    assert not isinstance(raised.value, CheckoutSessionNotFoundError)
    assert http_error_for(raised.value).status == 503
