"""Wire the local Stripe Checkout stand-in (storefront/local_stripe) into the dev server.

Three connections: the functions use it as their PaymentGateway (installed in
`shop.payment_setup`, again after every cold start), its hosted page answers
under /_dev/checkout/, and the events it signs go to the real webhook handler
through the same API Gateway translation a request from Stripe would take.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from storefront.devserver.http import Request, Response

# Sends a request through the dev server's own routing and returns the response.
Dispatch = Callable[[Request], Response]

WEBHOOK_PATH = "/api/stripe/webhook"
_STRIPE_USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"


def _module() -> Any:
    return importlib.import_module("storefront.local_stripe.standin")


def stand_in_available() -> bool:
    """True when the stand-in package is present."""
    try:
        _module()
    except ModuleNotFoundError:
        return False
    return True


class StandIn:
    """The stand-in for one run of the shop, with its sessions kept across rebuilds."""

    def __init__(self, site_url: str, webhook_secret: str, dispatch: Dispatch) -> None:
        module = _module()
        self.prefix: str = module.PATH_PREFIX
        self.dispatch = dispatch
        self.gateway = module.CheckoutStandIn(
            site_url=site_url, webhook_secret=webhook_secret, deliver=self.deliver
        )

    def deliver(self, payload: bytes, signature: str) -> int:
        """POST a signed event to the webhook function, as Stripe does; returns its status."""
        request = Request(
            method="POST",
            target=WEBHOOK_PATH,
            headers=(
                ("Host", "localhost"),
                ("Content-Type", "application/json; charset=utf-8"),
                ("Stripe-Signature", signature),
                ("User-Agent", _STRIPE_USER_AGENT),
            ),
            body=payload,
            source_ip="127.0.0.1",
        )
        return self.dispatch(request).status

    def install(self) -> None:
        """Make the functions' PaymentGateway this stand-in (on start and after cold starts)."""
        importlib.import_module("shop.payment_setup").install_gateway(self.gateway)

    def handle(self, request: Request) -> Response:
        """Serve the hosted checkout page under /_dev/checkout/."""
        form: dict[str, str] = {}
        if request.method == "POST":
            form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        status, headers, body = self.gateway.handle(
            request.method, request.path, request.query, form
        )
        return Response(status, list(headers), body)
