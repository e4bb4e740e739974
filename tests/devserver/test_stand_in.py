"""The Checkout stand-in is wired to the webhook route, the functions' gateway, /_dev/checkout/."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest

from storefront.devserver.http import Request, Response
from storefront.devserver.stand_in import WEBHOOK_PATH, StandIn

PARAMS: dict[str, Any] = {
    "mode": "payment",
    "currency": "eur",
    "locale": "en",
    "client_reference_id": "res_1",
    "customer_email": None,
    "success_url": "http://localhost:8000/checkout/success/?session_id={CHECKOUT_SESSION_ID}",
    "cancel_url": "http://localhost:8000/cart/",
    "expires_at": 4102444800,
    "metadata": {"reservation_id": "res_1", "cart_id": "c" * 32, "locale": "en"},
    "line_items": [
        {
            "quantity": 1,
            "price_data": {
                "currency": "eur",
                "unit_amount": 2500,
                "product_data": {"name": "Tee", "metadata": {"sku": "TEE-M"}},
            },
        }
    ],
    "shipping_address_collection": {"allowed_countries": ["FR"]},
    "shipping_options": [
        {
            "shipping_rate_data": {
                "type": "fixed_amount",
                "display_name": "Standard",
                "fixed_amount": {"amount": 490, "currency": "eur"},
                "metadata": {"option_id": "standard"},
            }
        }
    ],
}


class Recorder:
    """Stands in for the dev server's routing: records requests, answers 200."""

    def __init__(self) -> None:
        self.requests: list[Request] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        return Response(200, [], b"{}")


@pytest.fixture
def wired() -> tuple[StandIn, Recorder]:
    recorder = Recorder()
    return StandIn("http://localhost:8000", "whsec_test_secret", recorder), recorder


def test_paying_posts_a_signed_completed_event_to_the_webhook_route(
    wired: tuple[StandIn, Recorder],
) -> None:
    stand_in, recorder = wired
    created = stand_in.gateway.create_checkout_session(PARAMS, "idem-1")
    page = stand_in.handle(Request("GET", f"{stand_in.prefix}{created.session_id}"))
    assert page.status == 200
    assert b"Tee" in page.body

    form = (
        b"action=pay&email=claire%40example.org&name=Claire&line1=1+rue"
        b"&postal_code=74000&city=Annecy&country=FR"
    )
    paid = stand_in.handle(Request("POST", f"{stand_in.prefix}{created.session_id}", body=form))

    assert paid.status == 303
    assert paid.header("location") == (
        f"http://localhost:8000/checkout/success/?session_id={created.session_id}"
    )
    [delivery] = recorder.requests
    assert (delivery.method, delivery.path) == ("POST", WEBHOOK_PATH)
    assert (delivery.header("stripe-signature") or "").startswith("t=")
    event = json.loads(delivery.body)
    assert event["type"] == "checkout.session.completed"
    assert event["data"]["object"]["customer_details"]["email"] == "claire@example.org"


def test_install_makes_it_the_functions_payment_gateway(
    wired: tuple[StandIn, Recorder],
) -> None:
    stand_in, _ = wired
    payment_setup = importlib.import_module("shop.payment_setup")
    stand_in.install()
    try:
        assert payment_setup.payment_gateway(None) is stand_in.gateway
    finally:
        payment_setup.install_gateway(None)
