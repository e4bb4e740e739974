"""A local stand-in for Stripe Checkout, used by `python build.py serve` without Stripe keys.

Interface (framework-free; the dev server mounts it):

- `CheckoutStandIn(site_url, webhook_secret, deliver)` holds sessions in memory.
  It implements the PaymentGateway port (`create_checkout_session`,
  `retrieve_checkout_session`, `refund_payment`), so the real checkout and
  orders functions use it unchanged. A session's `url` is
  `<site>/_dev/checkout/<session_id>`.
- `CheckoutStandIn.handle(method, path, query, form) -> (status, headers, body)`
  serves that page: GET shows the lines, the shipping choice and the total
  with pay / decline / let-expire buttons (a plain form, no JavaScript);
  POST with `action=pay|decline|expire` does it (scripts can POST directly).
  `pay` completes the session exactly as Stripe shapes it and sends
  `checkout.session.completed`, then redirects (303) to the success URL with the
  session id; `expire` sends `checkout.session.expired` and redirects to the
  cancel URL; `decline` keeps the session open, as a declined card does.
- `deliver(payload: bytes, signature: str) -> int` is given by the server:
  every event is an `event` object signed with Stripe's scheme
  (`Stripe-Signature: t=…,v1=HMAC-SHA256(secret, f"{t}.{payload}")`) and posted
  to the real webhook handler; `http_deliver(url)` does that over HTTP.
- `install(stand_in)` makes it the functions' payment gateway in this process
  (through `LOCAL_PAYMENT_GATEWAY`, which survives the dev server's cold starts);
  `handle_standin_request(...)` answers with the installed stand-in.
- `dev_mounts(site_url)` does all of the above for `storefront.devserver`:
  returns `{"/_dev/checkout/": handler}` for its `DevApp.mounts`.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from storefront.local_stripe.standin import PATH_PREFIX, CheckoutStandIn, Deliver, PageResponse

GATEWAY_ENV = "LOCAL_PAYMENT_GATEWAY"
GATEWAY_REF = "storefront.local_stripe:installed_gateway"

_current: list[CheckoutStandIn] = []

__all__ = [
    "PATH_PREFIX",
    "CheckoutStandIn",
    "dev_mounts",
    "handle_standin_request",
    "http_deliver",
    "install",
    "installed_gateway",
]


def install(stand_in: CheckoutStandIn) -> None:
    """Make `stand_in` the payment gateway of the functions running in this process."""
    _current[:] = [stand_in]
    os.environ[GATEWAY_ENV] = GATEWAY_REF


def installed_gateway() -> CheckoutStandIn:
    """The installed stand-in (what `shop.payment_setup` loads through LOCAL_PAYMENT_GATEWAY)."""
    if not _current:
        raise LookupError("no local Checkout stand-in is installed in this process")
    return _current[0]


def handle_standin_request(
    method: str, path: str, query: str, form: Mapping[str, str]
) -> PageResponse:
    """Answer a request for the installed stand-in's page."""
    return installed_gateway().handle(method, path, query, form)


def http_deliver(webhook_url: str, timeout: float = 30.0) -> Deliver:
    """A `deliver` that POSTs signed events to the webhook URL like Stripe does."""
    if not webhook_url.startswith(("http://", "https://")):
        raise ValueError(f"webhook URL: expected http(s)://…, got {webhook_url!r}")

    def deliver(payload: bytes, signature: str) -> int:
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            webhook_url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Stripe-Signature": signature,
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks) local stand-in",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    return deliver


def dev_mounts(site_url: str) -> dict[str, Callable[[Any], Any]]:
    """The dev server's mount for the stand-in, installed as the functions' gateway."""
    from storefront.devserver.http import Response

    stand_in = CheckoutStandIn(
        site_url=site_url,
        webhook_secret=os.environ["STRIPE_WEBHOOK_SECRET"],
        deliver=http_deliver(f"{site_url}/api/stripe/webhook"),
    )
    install(stand_in)

    def handle(request: Any) -> Any:
        form: dict[str, str] = {}
        if request.method == "POST":
            form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        status, headers, body = stand_in.handle(request.method, request.path, request.query, form)
        return Response(status, headers, body)

    return {PATH_PREFIX: handle}
