"""A payment gateway for domain tests without Stripe: it keeps the contracts of
shop.adapters.stripe_gateway (idempotent sessions and refunds, expiring a paid session
refused) and can fail as Stripe being down would."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shop.checkout import CreatedSession, PaymentGatewayError


@dataclass
class FakePaymentGateway:
    """Stripe Checkout as the domain sees it: idempotent sessions, refunds, injectable failure."""

    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_key: dict[str, CreatedSession] = field(default_factory=dict)
    refunds: dict[str, str] = field(default_factory=dict)
    fail_next: int = 0  # the next N calls fail as Stripe being down would

    def _maybe_fail(self, operation: str) -> None:
        if self.fail_next > 0:
            self.fail_next -= 1
            raise PaymentGatewayError(operation, "api_error: Stripe is unavailable")

    def create_checkout_session(
        self, params: Mapping[str, Any], idempotency_key: str
    ) -> CreatedSession:
        """A session per idempotency key: a retry returns the first one."""
        self._maybe_fail("create checkout session")
        if idempotency_key in self.by_key:
            return self.by_key[idempotency_key]
        session_id = "cs_test_" + secrets.token_hex(12)
        rates = tuple(f"shr_{index}" for index, _ in enumerate(params.get("shipping_options", [])))
        created = CreatedSession(
            session_id, f"https://checkout.example/{session_id}", int(params["expires_at"]), rates
        )
        self.sessions[session_id] = dict(params)
        self.by_key[idempotency_key] = created
        return created

    def retrieve_checkout_session(self, session_id: str) -> Mapping[str, Any]:
        """The parameters the session was created with."""
        self._maybe_fail("retrieve checkout session")
        return {"id": session_id, **self.sessions[session_id]}

    def expire_checkout_session(self, session_id: str) -> bool:
        """Expire an open session; False once it was paid (`paid` marks it so)."""
        self._maybe_fail("expire checkout session")
        session = self.sessions[session_id]
        if session.get("status") == "complete":
            return False
        session["status"] = "expired"
        return True

    def payment_intent_status(self, payment_intent: str) -> str:
        """`succeeded` once a session with this PaymentIntent was paid, else `processing`."""
        self._maybe_fail("retrieve payment intent")
        paid = any(
            s.get("payment_intent") == payment_intent and s.get("payment_status") == "paid"
            for s in self.sessions.values()
        )
        return "succeeded" if paid else "processing"

    def refund_payment(self, payment_intent: str, idempotency_key: str) -> str:
        """One refund per idempotency key."""
        self._maybe_fail("refund payment")
        return self.refunds.setdefault(idempotency_key, "re_" + secrets.token_hex(8))
