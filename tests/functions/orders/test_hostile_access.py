"""Someone else's order: without its own token every lookup is a 404 that reveals nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote

import pytest

from tests.functions.orders.test_orders_api import SKU, get, shop
from tests.functions.payments import (
    PaymentEnv,
    RecordingStripeHttp,
    deliver,
    paid_checkout,
    put_cart,
    stripe_event,
)

__all__ = ["shop"]

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")


def two_orders(env: PaymentEnv, http: RecordingStripeHttp) -> dict[str, str]:
    """Orders 1001 and 1002 by different shoppers; returns order id -> its token."""
    deliver(stripe_event("checkout.session.completed", paid_checkout(env, http, {SKU: 1})))
    put_cart(env, {SKU: 1}, cart_id="f" * 32)
    second = paid_checkout(env, http, {SKU: 1}, email="other@example.net")
    deliver(stripe_event("checkout.session.completed", second))
    return {
        item["order_id"]["S"]: item["access_token"]["S"]
        for item in env.order_items("ORDER#", "ORDER")
    }


def assert_nothing_revealed(status: int, body: dict[str, object], order_id: str) -> None:
    # No such route (an id the router cannot match) or no such order: the same 404 either way.
    code = body["error"]["code"]  # type: ignore[index]
    assert (status, code in {"order_not_found", "not_found"}) == (404, True), body
    text = json.dumps(body)
    for secret in ("example.org", "example.net", "Claire", "rue Royale", SKU, "paid"):
        assert secret not in text, text


def test_another_shoppers_order_with_my_token_is_404_not_403(
    shop: tuple[PaymentEnv, RecordingStripeHttp],
) -> None:
    env, http = shop
    tokens = two_orders(env, http)
    assert sorted(tokens) == ["1001", "1002"]

    status, body = get("/api/orders/1002", {"t": tokens["1001"]})

    assert_nothing_revealed(status, body, "1002")
    own_status, own = get("/api/orders/1002", {"t": tokens["1002"]})
    assert (own_status, own["order"]["number"]) == (200, "#1002")


@pytest.mark.parametrize(
    "change",
    [lambda t: t[:4], lambda t: t[:-1], lambda t: t + "x", lambda t: t.upper(), lambda t: ""],
    ids=["first four", "one short", "one more", "other case", "empty"],
)
def test_a_token_that_is_nearly_the_real_one_is_404(
    shop: tuple[PaymentEnv, RecordingStripeHttp], change: Callable[[str], str]
) -> None:
    # The whole token, compared in constant time: not a prefix, not case-blind.
    env, http = shop
    tokens = two_orders(env, http)
    near = change(tokens["1001"])
    assert near != tokens["1001"]

    status, body = get("/api/orders/1001", {"t": near})

    assert_nothing_revealed(status, body, "1001")


@pytest.mark.parametrize(
    "token",
    ["é" * 22, "\u0000", "\u202e" + "a" * 21, "' OR 1=1 --", "a" * 5000],
    ids=["non-ascii", "nul", "rtl", "injection", "long"],
)
def test_odd_tokens_are_404_never_a_crash(
    shop: tuple[PaymentEnv, RecordingStripeHttp], token: str
) -> None:
    env, http = shop
    two_orders(env, http)

    status, body = get("/api/orders/1001", {"t": token})

    assert_nothing_revealed(status, body, "1001")


@pytest.mark.parametrize(
    "order_id",
    [
        "１００１",
        "\u0661\u0660\u0660\u0661",
        "1001\u200b",
        "1001%00",
        "-1",
        "1" * 40,
        "ORDER%231001",
    ],
    ids=["fullwidth", "arabic-indic", "zero-width", "nul", "negative", "long", "key-injection"],
)
def test_odd_order_ids_are_404(shop: tuple[PaymentEnv, RecordingStripeHttp], order_id: str) -> None:
    env, http = shop
    tokens = two_orders(env, http)

    for path in ("/api/orders/" + order_id, "/api/orders/" + quote(order_id, safe="%")):
        status, body = get(path, {"t": tokens["1001"]})
        assert_nothing_revealed(status, body, order_id)


@pytest.mark.parametrize("session_id", ["cs_%00", "cs_..%2Fv1", "cs_a-b", "cs_", "cs_\u00e9"])
def test_odd_session_ids_are_refused_before_stripe_is_asked(
    shop: tuple[PaymentEnv, RecordingStripeHttp], session_id: str
) -> None:
    _, http = shop

    status, body = get("/api/orders/session/" + session_id)

    assert (status, body["error"]["code"]) == (422, "invalid_request"), body
    assert http.requests == []
