"""The stand-in's state and actions: sessions in memory, pay / decline / expire, signed events.

`CheckoutStandIn` is the PaymentGateway the functions use locally (it has
the port's methods) and the handler of the page Stripe would host.
Every event it sends is signed with Stripe's scheme and handed to `deliver`,
which the dev server wires to `POST /api/stripe/webhook`.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shop.checkout import CheckoutSessionNotFoundError, CreatedSession, PaymentGatewayError
from shop.webhook_events import sign_payload

from storefront.fields import EMAIL
from storefront.local_stripe import objects
from storefront.local_stripe.page import EXAMPLE_SHOPPER, render_page

PATH_PREFIX = "/_dev/checkout/"

# (raw JSON body, Stripe-Signature header) -> HTTP status the webhook answered
Deliver = Callable[[bytes, str], int]
# (status, headers, body): what the stand-in's page answers
PageResponse = tuple[int, list[tuple[str, str]], bytes]


@dataclass
class StoredSession:
    """A session and the parameters it was created with (for its page)."""

    session: dict[str, Any]
    params: dict[str, Any]
    deliveries: list[tuple[str, int]] = field(default_factory=list)  # (event type, status)
    # The payment's one charge (its id is stable across events) and its refund, once made.
    charge_id: str = field(default_factory=lambda: objects.new_id("ch"))
    refund_id: str | None = None


@dataclass
class CheckoutStandIn:
    """Stripe Checkout on this computer."""

    site_url: str
    webhook_secret: str
    deliver: Deliver
    clock: Callable[[], float] = time.time
    sessions: dict[str, StoredSession] = field(default_factory=dict)
    _by_key: dict[str, str] = field(default_factory=dict)
    _refunds: dict[str, str] = field(default_factory=dict)  # idempotency key -> refund id
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- the PaymentGateway port --------------------------------------------------------------

    def create_checkout_session(
        self, params: Mapping[str, Any], idempotency_key: str
    ) -> CreatedSession:
        """Create (or, for a repeated idempotency key, return) a session."""
        with self._lock:
            existing = self._by_key.get(idempotency_key)
            if existing is None:
                session_id = objects.new_id("cs_test", 48)
                url = f"{self.site_url}{PATH_PREFIX}{session_id}"
                session = objects.session_object(params, session_id, url, int(self.clock()))
                self.sessions[session_id] = StoredSession(session, copy.deepcopy(dict(params)))
                self._by_key[idempotency_key] = session_id
                existing = session_id
            session = self.sessions[existing].session
        return CreatedSession(
            session_id=session["id"],
            url=session["url"],
            expires_at=session["expires_at"],
            shipping_rate_ids=tuple(o["shipping_rate"] for o in session["shipping_options"]),
        )

    def retrieve_checkout_session(self, session_id: str) -> Mapping[str, Any]:
        """The session as it is now."""
        stored = self.sessions.get(session_id)
        if stored is None:
            # What the Stripe adapter raises for Stripe's 404 (a KeyError would be a 500).
            raise CheckoutSessionNotFoundError(session_id)
        self._expire_if_due(stored)
        return copy.deepcopy(stored.session)

    def expire_checkout_session(self, session_id: str) -> bool:
        """Expire an open session (sending `checkout.session.expired`); False if it was paid."""
        stored = self.sessions.get(session_id)
        if stored is None:
            raise CheckoutSessionNotFoundError(session_id)
        self.expire(stored)  # only an open session changes
        return bool(stored.session["status"] == "expired")

    def payment_intent_status(self, payment_intent: str) -> str:
        """`succeeded`: the stand-in's payments are instant (a PaymentIntent exists once paid)."""
        with self._lock:
            if not any(
                s.session.get("payment_intent") == payment_intent for s in self.sessions.values()
            ):
                raise PaymentGatewayError(
                    "retrieve payment intent",
                    f"resource_missing: No such payment_intent: '{payment_intent}'",
                )
        return "succeeded"

    def refund_payment(self, payment_intent: str, idempotency_key: str) -> str:
        """Refund a paid session in full and send `charge.refunded`, as Stripe does.

        A repeated idempotency key returns the first refund and sends nothing; a second
        refund of the same payment is refused (`charge_already_refunded`).
        """
        with self._lock:
            done = self._refunds.get(idempotency_key)
            if done is not None:
                return done
            stored = next(
                (
                    s
                    for s in self.sessions.values()
                    if s.session.get("payment_intent") == payment_intent
                ),
                None,
            )
            if stored is None:
                raise PaymentGatewayError(
                    "refund payment",
                    f"resource_missing: No such payment_intent: '{payment_intent}'",
                )
            if stored.refund_id is not None:
                raise PaymentGatewayError(
                    "refund payment",
                    f"charge_already_refunded: Charge {stored.charge_id} "
                    "has already been refunded.",
                )
            stored.refund_id = self._refunds[idempotency_key] = objects.new_id("re")
        metadata = stored.params.get("payment_intent_data", {}).get("metadata", {})
        charge = objects.refunded_charge(
            stored.session, stored.charge_id, metadata, int(self.clock())
        )
        self._send(stored, "charge.refunded", charge)
        return stored.refund_id

    # --- actions ------------------------------------------------------------------------------

    def _send(self, stored: StoredSession, event_type: str, obj: Mapping[str, Any]) -> int:
        event = objects.event_object(event_type, copy.deepcopy(dict(obj)), int(self.clock()))
        payload = json.dumps(event, indent=2).encode()
        status = self.deliver(
            payload, sign_payload(payload, self.webhook_secret, int(self.clock()))
        )
        stored.deliveries.append((event_type, status))
        return status

    def _expire_if_due(self, stored: StoredSession) -> None:
        session = stored.session
        if session["status"] == "open" and self.clock() >= session["expires_at"]:
            self.expire(stored)

    def expire(self, stored: StoredSession) -> None:
        """Expire an open session and send `checkout.session.expired`."""
        session = stored.session
        with self._lock:  # two requests at once: one event, as Stripe sends
            if session["status"] != "open":
                return
            session.update(status="expired", url=None)
        self._send(stored, "checkout.session.expired", session)

    def pay(self, stored: StoredSession, form: Mapping[str, str]) -> str | None:
        """Complete the session as paid and send `checkout.session.completed`; None if refused."""
        session = stored.session
        rates = [o["shipping_rate"] for o in session["shipping_options"]]
        rate = form.get("shipping_rate") or (rates[0] if rates else "")
        given = _shopper(session, form)
        address = {key: given[key] for key in ("line1", "postal_code", "city", "country")}
        # Checked and completed at once: two Pay clicks are one payment, as at Stripe.
        with self._lock:
            if session["status"] != "open" or (rates and rate not in rates):
                return None
            objects.complete_session(
                session,
                shipping_rate=rate,
                email=given["email"],
                name=given["name"],
                address=address,
            )
        self._send(stored, "checkout.session.completed", session)
        return str(session["success_url"]).replace("{CHECKOUT_SESSION_ID}", session["id"])

    # --- the hosted page ----------------------------------------------------------------------

    def handle(self, method: str, path: str, query: str, form: Mapping[str, str]) -> PageResponse:
        """Answer GET/POST /_dev/checkout/<session_id> (form field action=pay|decline|expire)."""
        del query  # the page takes everything from the path and the form
        session_id = path.removeprefix(PATH_PREFIX).strip("/")
        stored = self.sessions.get(session_id)
        if stored is None:
            return _html(404, render_page(None, {}, "This checkout session does not exist."))
        self._expire_if_due(stored)
        if method == "GET":
            return _html(200, render_page(stored.session, stored.params, None))
        if method != "POST":
            return 405, [("Allow", "GET, POST")], b""
        action = form.get("action", "")
        if action == "pay":
            problem = form_problem(stored.session, form)
            if problem is not None:  # Stripe's page, too, keeps the shopper on the form
                return _html(400, render_page(stored.session, stored.params, problem))
            target = self.pay(stored, form)
            if target is None:
                return _html(409, render_page(stored.session, stored.params, "Cannot pay."))
            return 303, [("Location", target), ("Cache-Control", "no-store")], b""
        if action == "decline":
            # A declined card leaves the session open, as on Stripe: the shopper may retry.
            message = "Your card was declined (test). Try again or go back to the shop."
            return _html(402, render_page(stored.session, stored.params, message))
        if action == "expire":
            self.expire(stored)
            target = str(stored.session.get("cancel_url") or self.site_url + "/")
            return 303, [("Location", target), ("Cache-Control", "no-store")], b""
        return _html(400, render_page(stored.session, stored.params, "Unknown action."))


def _allowed_countries(session: Mapping[str, Any]) -> list[str]:
    return list((session.get("shipping_address_collection") or {}).get("allowed_countries") or [])


def _shopper(session: Mapping[str, Any], form: Mapping[str, str]) -> dict[str, str]:
    """The contact and address fields posted, or the example shopper when none was."""
    keys = (*EXAMPLE_SHOPPER, "country")
    if not any(form.get(key, "").strip() for key in keys):
        countries = _allowed_countries(session)
        return {**EXAMPLE_SHOPPER, "country": countries[0] if countries else "FR"}
    return {key: form.get(key, "").strip() for key in keys}


def form_problem(session: Mapping[str, Any], form: Mapping[str, str]) -> str | None:
    """What Stripe's page would refuse in the posted contact and address; None if fine.

    Accepted as they were, a malformed email left the order with a confirmation SES
    refused, and a country outside `allowed_countries` a parcel the shop cannot send.
    """
    given = _shopper(session, form)
    if not EMAIL.match(given["email"]):
        return f'Enter a valid email address, like jo@example.org (got "{given["email"]}").'
    if not given["name"]:
        return "Enter the name to ship to."
    if not (given["line1"] and given["postal_code"] and given["city"]):
        return "Enter the whole shipping address: street, postal code and city."
    countries = _allowed_countries(session)
    if countries and given["country"] not in countries:
        return f'The shop ships to {", ".join(countries)} only (got "{given["country"]}").'
    return None


def _html(status: int, page: str) -> PageResponse:
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]
    return status, headers, page.encode()
