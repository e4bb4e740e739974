"""The webhook is not under the API's cross-origin refusal: Stripe's signature vouches for it."""

from __future__ import annotations

import json

import pytest

from tests.functions.payments import (
    FakeLambdaContext,
    PaymentEnv,
    RecordingStripeHttp,
    install_stripe,
    paid_checkout,
    stripe_event,
    webhook_request,
)

SKU = "TRS-42-BLK"


@pytest.mark.parametrize("origin", [None, "https://evil.example", "null"])
def test_a_signed_delivery_is_handled_whatever_its_origin(
    payment_env: PaymentEnv, origin: str | None
) -> None:
    from stripe_webhook.app import handler

    payment_env.set_stock(SKU, 3)
    http = RecordingStripeHttp()
    install_stripe(http)
    session = paid_checkout(payment_env, http, {SKU: 1})
    request = webhook_request(stripe_event("checkout.session.completed", session))
    request["headers"]["host"] = "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"
    if origin is not None:
        request["headers"]["origin"] = origin

    result = handler(request, FakeLambdaContext())

    assert result["statusCode"] == 200, result["body"]
    assert json.loads(result["body"])["outcome"] == "recorded"
    assert payment_env.stock(SKU) == (2, 0, 1)
