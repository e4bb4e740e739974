"""Stripe webhook payloads: signature verification and parsing into typed records.

The signature is checked here with the standard library (HMAC-SHA256 over
`"{t}.{raw body}"`, Stripe's `v1` scheme) so the webhook function does not
import the stripe SDK at cold start. Only the fields fulfilment needs are read,
and missing optional fields (Stripe adds and nulls fields freely) are tolerated.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shop.orders import Address
from shop.stripe_version import STRIPE_API_VERSION, readable_event_version

DEFAULT_TOLERANCE_SECONDS = 300

SESSION_EVENT_TYPES = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
    }
)
CHARGE_REFUNDED = "charge.refunded"


class WebhookSignatureError(ValueError):
    """The request is not a genuine, recent Stripe delivery; the message says why."""


class WebhookSecretMismatchError(WebhookSignatureError):
    """A well-formed, current Stripe signature made with another secret than ours.

    What a rotated or mistyped endpoint secret looks like (every genuine delivery
    refused), unlike junk headers anyone can send, which are plain WebhookSignatureErrors.
    """


class WebhookPayloadError(ValueError):
    """The body is signed but is not a Stripe event we can read; the message says where."""


_HEX_SIGNATURE = re.compile(r"[0-9a-f]{64}")  # a v1 signature: HMAC-SHA256 in hex


def sign_payload(payload: bytes, secret: str, timestamp: int) -> str:
    """The `Stripe-Signature` header value Stripe would send for this body at this time."""
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(
    payload: bytes,
    header: str | None,
    secret: str,
    now: int,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> None:
    """Raise WebhookSignatureError unless `header` signs `payload` with `secret` recently."""
    if not secret:
        raise WebhookSignatureError("no webhook secret is configured (STRIPE_WEBHOOK_SECRET)")
    if not header:
        raise WebhookSignatureError("missing Stripe-Signature header")
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise WebhookSignatureError(
                    f"Stripe-Signature: t: expected epoch seconds, got {value!r}"
                ) from None
        elif key == "v1":
            signatures.append(value)
    if timestamp is None:
        raise WebhookSignatureError("Stripe-Signature: expected t=<timestamp>, found none")
    if not signatures:
        raise WebhookSignatureError("Stripe-Signature: expected a v1=<signature>, found none")
    expected = sign_payload(payload, secret, timestamp).split("v1=", 1)[1]
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (a TypeError,
    # so a 500), and anyone may send any header.
    wanted = expected.encode("ascii")
    given = [c.encode("utf-8", "surrogatepass") for c in signatures]
    matched = any(hmac.compare_digest(wanted, candidate) for candidate in given)
    if abs(now - timestamp) > tolerance:
        raise WebhookSignatureError(
            f"Stripe-Signature: timestamp {timestamp} is {now - timestamp}s from now; "
            f"expected within {tolerance}s"
        )
    if not matched:
        message = "Stripe-Signature: no v1 signature matches the body"
        if any(_HEX_SIGNATURE.fullmatch(candidate) for candidate in signatures):
            raise WebhookSecretMismatchError(message)
        raise WebhookSignatureError(message)


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """The parts of a `checkout.session` object that fulfilment uses."""

    session_id: str
    status: str  # open | complete | expired
    payment_status: str  # paid | unpaid | no_payment_required
    payment_intent: str | None
    client_reference_id: str | None
    metadata: Mapping[str, str]
    currency: str  # upper case ISO 4217
    amount_subtotal: int
    amount_total: int
    amount_discount: int
    amount_tax: int
    amount_shipping: int
    shipping_rate: str | None
    email: str
    address: Address
    locale: str | None
    expires_at: int | None
    mode: str = "payment"  # payment | setup | subscription: the shop creates payment only

    @property
    def reservation_id(self) -> str | None:
        """Our reservation, carried in the session's metadata."""
        return self.metadata.get("reservation_id")


@dataclass(frozen=True, slots=True)
class SessionEvent:
    """A `checkout.session.*` event."""

    event_id: str
    type: str
    created: int
    session: SessionInfo


@dataclass(frozen=True, slots=True)
class ChargeRefundedEvent:
    """A `charge.refunded` event (full or partial refund)."""

    event_id: str
    created: int
    charge_id: str
    payment_intent: str | None
    currency: str
    amount: int
    amount_refunded: int
    refunded: bool  # Stripe's own word that the whole charge is refunded
    metadata: Mapping[str, str] = field(default_factory=dict)

    @property
    def reservation_id(self) -> str | None:
        """Our reservation, copied onto the charge from the PaymentIntent's metadata."""
        return self.metadata.get("reservation_id")


@dataclass(frozen=True, slots=True)
class OtherEvent:
    """Any event type the shop does not act on."""

    event_id: str
    type: str


StripeEvent = SessionEvent | ChargeRefundedEvent | OtherEvent


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# Far above any amount Stripe takes (8 to 12 digits of minor units), far below the 38
# digits a DynamoDB number holds: past it, an event is refused before anything is written.
MAX_AMOUNT = 10**15


def _amount(field: str, value: Any) -> int:
    """An amount in minor units (null or absent: 0); WebhookPayloadError if out of range."""
    amount = _int(value)
    if not 0 <= amount < MAX_AMOUNT:
        raise WebhookPayloadError(
            f"{field}: expected an amount in minor units from 0 to {MAX_AMOUNT - 1}, got {amount}"
        )
    return amount


def _currency(value: Any) -> str:
    """An ISO 4217 code in upper case ("" when absent); WebhookPayloadError if malformed."""
    code = _str(value).upper()
    if code and not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise WebhookPayloadError(
            f'data.object.currency: expected a three-letter ISO 4217 code like "eur", '
            f"got {_str(value)[:20]!r}"
        )
    return code


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _id(value: Any) -> str | None:
    """An id field Stripe sends either as a string or, when expanded, as an object."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


def _address(name: str, raw: Any) -> Address:
    data = _dict(raw)
    return Address(
        name=name,
        line1=_str(data.get("line1")),
        line2=_str(data.get("line2")),
        postal_code=_str(data.get("postal_code")),
        city=_str(data.get("city")),
        state=_str(data.get("state")),
        country=_str(data.get("country")),
    )


def parse_session(obj: Mapping[str, Any]) -> SessionInfo:
    """Read a `checkout.session` object (as in events or from the API)."""
    session_id = obj.get("id")
    if not isinstance(session_id, str) or not session_id:
        raise WebhookPayloadError("data.object.id: expected a checkout session id")
    customer = _dict(obj.get("customer_details"))
    # Newer API versions put the shipping address under collected_information;
    # older ones under shipping_details. Fall back to the billing address.
    shipping = _dict(_dict(obj.get("collected_information")).get("shipping_details")) or _dict(
        obj.get("shipping_details")
    )
    if shipping:
        address = _address(_str(shipping.get("name")), shipping.get("address"))
    else:
        address = _address(_str(customer.get("name")), customer.get("address"))
    totals = _dict(obj.get("total_details"))
    shipping_cost = _dict(obj.get("shipping_cost"))
    metadata = {str(k): str(v) for k, v in _dict(obj.get("metadata")).items()}
    expires = obj.get("expires_at")
    return SessionInfo(
        session_id=session_id,
        status=_str(obj.get("status")),
        payment_status=_str(obj.get("payment_status")),
        payment_intent=_id(obj.get("payment_intent")),
        client_reference_id=obj.get("client_reference_id") or None,
        metadata=metadata,
        currency=_currency(obj.get("currency")),
        amount_subtotal=_amount("data.object.amount_subtotal", obj.get("amount_subtotal")),
        amount_total=_amount("data.object.amount_total", obj.get("amount_total")),
        amount_discount=_amount(
            "data.object.total_details.amount_discount", totals.get("amount_discount")
        ),
        amount_tax=_amount("data.object.total_details.amount_tax", totals.get("amount_tax")),
        amount_shipping=_amount(
            "data.object.total_details.amount_shipping",
            totals.get("amount_shipping") or shipping_cost.get("amount_total"),
        ),
        shipping_rate=_id(shipping_cost.get("shipping_rate")),
        email=_str(customer.get("email")) or _str(obj.get("customer_email")),
        address=address,
        locale=obj.get("locale") if isinstance(obj.get("locale"), str) else None,
        expires_at=expires if isinstance(expires, int) else None,
        mode=_str(obj.get("mode")) or "payment",
    )


def parse_event(payload: bytes) -> StripeEvent:
    """Read a Stripe event body into the record fulfilment acts on."""
    try:
        event = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WebhookPayloadError(f"body: expected a JSON Stripe event ({exc})") from exc
    except RecursionError as exc:
        raise WebhookPayloadError("body: expected a JSON Stripe event (nested too deeply)") from exc
    if not isinstance(event, dict) or event.get("object") != "event":
        raise WebhookPayloadError('body: expected an object with "object": "event"')
    event_id, event_type = event.get("id"), event.get("type")
    if not isinstance(event_id, str) or not isinstance(event_type, str):
        raise WebhookPayloadError("body: expected string fields id and type")
    version = event.get("api_version")
    if isinstance(version, str) and not readable_event_version(version):
        # Read in another release's shapes, an address or a shipping rate would silently
        # come out empty; refusing (400) makes Stripe retry and the endpoint's log show why.
        raise WebhookPayloadError(
            f"api_version: this event is in Stripe API version {version}, and the shop reads "
            f"{STRIPE_API_VERSION}; set the webhook endpoint's API version to "
            f"{STRIPE_API_VERSION} (docs/deploy.md, step 6)"
        )
    obj = _dict(_dict(event.get("data")).get("object"))
    created = _int(event.get("created"))
    if event_type in SESSION_EVENT_TYPES:
        return SessionEvent(event_id, event_type, created, parse_session(obj))
    if event_type == CHARGE_REFUNDED:
        charge_id = obj.get("id")
        if not isinstance(charge_id, str):
            raise WebhookPayloadError("data.object.id: expected a charge id")
        return ChargeRefundedEvent(
            event_id=event_id,
            created=created,
            charge_id=charge_id,
            payment_intent=_id(obj.get("payment_intent")),
            currency=_currency(obj.get("currency")),
            amount=_amount("data.object.amount", obj.get("amount")),
            amount_refunded=_amount("data.object.amount_refunded", obj.get("amount_refunded")),
            refunded=obj.get("refunded") is True,
            metadata={str(k): str(v) for k, v in _dict(obj.get("metadata")).items()},
        )
    return OtherEvent(event_id, event_type)
