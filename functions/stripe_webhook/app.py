"""Stripe webhook handler: POST /api/stripe/webhook.

Verifies `Stripe-Signature` on the raw body (API Gateway may base64 it) with a
5-minute timestamp tolerance; anything unverifiable gets 400 and writes
nothing. Verified events go to `shop.stripe_event_handling.handle_event`; unknown types
get 200 and no action. Server-side failures answer 5xx so Stripe retries.
"""

from __future__ import annotations

import base64
import binascii
import functools
import time
from dataclasses import replace
from typing import Any

from aws_lambda_powertools.event_handler import Response
from shop.catalog_source import get_catalog
from shop.config import get_config
from shop.fulfilment import Fulfilment
from shop.fulfilment_setup import dynamodb_fulfilment
from shop.http_errors import error_body
from shop.http_responses import json_response
from shop.lambda_app import HttpFunction
from shop.payment_setup import webhook_secret
from shop.stripe_event_handling import handle_event
from shop.webhook_events import (
    WebhookPayloadError,
    WebhookSecretMismatchError,
    WebhookSignatureError,
    parse_event,
    verify_signature,
)

# Server-side failures answer 5xx (shop.lambda_app), so Stripe delivers the event again later.
# Stripe calls from its servers: the signature, not an Origin, is what vouches for a request,
# so the shared cross-origin refusal stays off here.
function = HttpFunction("webhook", refuses_cross_origin=False)
app = function.app
logger = function.logger


@functools.cache
def fulfilment_context() -> Fulfilment:
    """Collaborators built once per container."""
    return dynamodb_fulfilment(get_config())


@functools.cache
def signing_secret() -> str:
    """The webhook signing secret, read once per container."""
    return webhook_secret(get_config())


def raw_body(event: dict[str, Any]) -> bytes:
    """The exact bytes Stripe signed, undoing API Gateway's base64 if it applied it."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            return b""
    # surrogatepass: a lone surrogate cannot be what Stripe signed; the signature check
    # then refuses it (a 400), where a strict encode would raise (a 500).
    return str(body).encode("utf-8", "surrogatepass")


@app.post("/api/stripe/webhook")
def receive_event() -> Response[str]:
    """Verify, parse and act on one Stripe event."""
    event = app.current_event
    payload = raw_body(event.raw_event)
    header = event.headers.get("stripe-signature") or event.headers.get("Stripe-Signature")
    try:
        verify_signature(payload, header, signing_secret(), int(time.time()))
        stripe_event = parse_event(payload)
    except WebhookSecretMismatchError as exc:
        # Well formed and current, signed with another secret: what every genuine
        # delivery looks like after a secret rotation gone wrong. The alarm's case.
        logger.warning("webhook signature refused", extra={"reason": str(exc)})
        function.count("WebhookRejected")
        return json_response(400, error_body("invalid_signature", str(exc)))
    except WebhookSignatureError as exc:
        # Not shaped like Stripe's (no header, junk, a stale timestamp): a scanner or a
        # stray request. Counted apart, so junk cannot fire, or bury, the alarm above.
        logger.info("unsigned webhook request refused", extra={"reason": str(exc)})
        function.count("WebhookUnsigned")
        return json_response(400, error_body("invalid_signature", str(exc)))
    except WebhookPayloadError as exc:
        logger.warning("webhook payload refused", extra={"reason": str(exc)})
        function.count("WebhookRejected")
        return json_response(400, error_body("invalid_payload", str(exc)))
    outcome = handle_event(replace(fulfilment_context(), catalog=get_catalog()), stripe_event)
    logger.info(
        "stripe event handled",
        extra={
            "event_id": stripe_event.event_id,
            "type": type(stripe_event).__name__,
            "outcome": str(outcome),
        },
    )
    function.count(f"Webhook_{outcome}")
    return json_response(200, {"received": True, "outcome": str(outcome)})


handler = function.lambda_handler()
