"""The PaymentGateway on Stripe: the official SDK's `StripeClient`, one pinned API version.

Every call carries an idempotency key derived from our own ids, so a retried
checkout or refund never creates a second session or refund. `api_base`
(`STRIPE_API_BASE`) points the client at any Stripe-compatible server
(stripe-mock, a recording proxy). SDK errors are wrapped in PaymentGatewayError.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import stripe

from shop.checkout import CheckoutSessionNotFoundError, CreatedSession, PaymentGatewayError
from shop.stripe_version import STRIPE_API_VERSION


def _plain(obj: Any) -> dict[str, Any]:
    """A StripeObject as plain dicts and lists (recursively)."""
    return cast(dict[str, Any], obj.to_dict()) if hasattr(obj, "to_dict") else dict(obj)


# Seconds to connect and to wait for an answer, per attempt, and attempts after the
# first. The SDK's defaults (80 s, and no limit at all with urllib, which it uses when
# `requests` is missing) outlast the checkout function's 29 s: Lambda would then kill it
# after units were reserved and before they are released, and the shopper would get API
# Gateway's bare error. Bounded, a slow Stripe is a clean 503 and the units go back.
CONNECT_TIMEOUT, READ_TIMEOUT = 2.0, 4.0
NETWORK_RETRIES = 1
# The longest one call can take: every attempt timing out, and the SDK's first retry
# delay (0.5 s) between them.
WORST_CALL_SECONDS = (NETWORK_RETRIES + 1) * (CONNECT_TIMEOUT + READ_TIMEOUT) + 0.5


class StripeGateway:
    """Creates Checkout Sessions and refunds through Stripe's API."""

    def __init__(
        self,
        secret_key: str,
        *,
        api_base: str | None = None,
        http_client: stripe.HTTPClient | None = None,
        max_network_retries: int = NETWORK_RETRIES,
    ) -> None:
        base_addresses: dict[str, str] = {}
        if api_base:
            base_addresses["api"] = api_base.rstrip("/")
        self.client = stripe.StripeClient(
            secret_key,
            stripe_version=STRIPE_API_VERSION,
            base_addresses=cast(Any, base_addresses),
            http_client=http_client
            or stripe.RequestsClient(timeout=(CONNECT_TIMEOUT, READ_TIMEOUT)),
            max_network_retries=max_network_retries,
        )

    def create_checkout_session(
        self, params: Mapping[str, Any], idempotency_key: str
    ) -> CreatedSession:
        """Create a Checkout Session; the key makes a retry return the same session."""
        try:
            session = self.client.v1.checkout.sessions.create(
                params=cast(Any, dict(params)), options={"idempotency_key": idempotency_key}
            )
        except stripe.StripeError as exc:
            raise PaymentGatewayError("create checkout session", _describe(exc)) from exc
        data = _plain(session)
        rates = tuple(
            str(option.get("shipping_rate") or "") for option in data.get("shipping_options") or []
        )
        return CreatedSession(
            session_id=str(data["id"]),
            url=str(data["url"]),
            expires_at=int(data.get("expires_at") or 0),
            shipping_rate_ids=rates,
        )

    def retrieve_checkout_session(self, session_id: str) -> Mapping[str, Any]:
        """The session as Stripe has it now (for the success page)."""
        try:
            session = self.client.v1.checkout.sessions.retrieve(session_id)
        except stripe.InvalidRequestError as exc:
            if exc.http_status == 404:  # a made-up or foreign id, not an outage
                raise CheckoutSessionNotFoundError(session_id) from exc
            raise PaymentGatewayError("retrieve checkout session", _describe(exc)) from exc
        except stripe.StripeError as exc:
            raise PaymentGatewayError("retrieve checkout session", _describe(exc)) from exc
        return _plain(session)

    def expire_checkout_session(self, session_id: str) -> bool:
        """Expire an open session (Stripe then sends `checkout.session.expired`).

        Stripe expires only open sessions: on its refusal, the session's status says
        whether it expired already (True) or was paid meanwhile (False).
        """
        try:
            self.client.v1.checkout.sessions.expire(session_id)
        except stripe.InvalidRequestError as exc:
            status = self.retrieve_checkout_session(session_id).get("status")
            if status in ("expired", "complete"):
                return bool(status == "expired")
            raise PaymentGatewayError("expire checkout session", _describe(exc)) from exc
        except stripe.StripeError as exc:
            raise PaymentGatewayError("expire checkout session", _describe(exc)) from exc
        return True

    def payment_intent_status(self, payment_intent: str) -> str:
        """The PaymentIntent's status now (the sweeper's question about a delayed payment)."""
        try:
            intent = self.client.v1.payment_intents.retrieve(payment_intent)
        except stripe.StripeError as exc:
            raise PaymentGatewayError("retrieve payment intent", _describe(exc)) from exc
        return str(_plain(intent).get("status") or "")

    def refund_payment(self, payment_intent: str, idempotency_key: str) -> str:
        """Refund a PaymentIntent in full; Stripe then sends `charge.refunded`."""
        try:
            result = self.client.v1.refunds.create(
                params={"payment_intent": payment_intent},
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as exc:
            raise PaymentGatewayError("refund payment", _describe(exc)) from exc
        return str(result.id)


def _describe(exc: stripe.StripeError) -> str:
    code = getattr(exc, "code", None) or type(exc).__name__
    return f"{code}: {exc.user_message or str(exc)}"
