"""The webhook on the running local shop: bad signatures get 400, signed junk never a 5xx."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shop.webhook_events import sign_payload

from tests.fuzz.conftest import FuzzShop

pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)
event_types = st.sampled_from(
    [
        "checkout.session.completed",
        "checkout.session.expired",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "charge.refunded",
        "customer.created",
    ]
) | st.text(max_size=30)
# Stripe-shaped events with junk where the shop reads its facts, and plain junk.
events = st.one_of(
    st.fixed_dictionaries(
        {"id": st.text(max_size=20), "type": event_types, "data": json_values},
    ),
    st.fixed_dictionaries(
        {
            "id": st.just("evt_fuzz"),
            "type": event_types,
            "data": st.fixed_dictionaries(
                {"object": st.dictionaries(st.text(max_size=12), json_values)}
            ),
        }
    ),
    json_values,
)


def post_webhook(shop: FuzzShop, body: bytes, signature: str) -> tuple[int, Any]:
    """POST to the webhook as Stripe would; returns (status, parsed JSON body)."""
    request = urllib.request.Request(  # noqa: S310 - the local shop
        shop.url + "/api/stripe/webhook",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Stripe-Signature": signature},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


@FUZZ
@given(event=events, forged=st.sampled_from(["whsec_wrong", ""]), skew=st.integers(-3600, 3600))
def test_a_badly_signed_event_is_refused_with_400(
    fuzz_shop: FuzzShop, event: Any, forged: str, skew: int
) -> None:
    body = json.dumps(event).encode()
    now = int(time.time())
    # A wrong secret, or the right one outside the 5-minute tolerance, or no signature.
    if forged:
        signature = sign_payload(body, forged, now)
    elif abs(skew) > 300:
        signature = sign_payload(body, fuzz_shop.webhook_secret, now + skew)
    else:
        signature = "t=0,v1=00"
    status, answer = post_webhook(fuzz_shop, body, signature)
    assert (status, answer["error"]["code"]) == (400, "invalid_signature")


@FUZZ
@given(event=events)
def test_a_correctly_signed_junk_event_never_gets_a_5xx(fuzz_shop: FuzzShop, event: Any) -> None:
    body = json.dumps(event).encode()
    status, answer = post_webhook(
        fuzz_shop, body, sign_payload(body, fuzz_shop.webhook_secret, int(time.time()))
    )
    assert status in (200, 400), answer
    if status == 400:
        assert answer["error"]["code"] == "invalid_payload"
    else:
        assert answer["received"] is True
