"""POST /api/checkout counts each connection's units on hold in the carts table (moto).

Fresh carts cost nothing, so without the allowance one client could hold every unit
by checking out carts until the shelves read empty. The rules are tested purely in
tests/functions/shop/test_hold_allowance.py; here, the DynamoDB count and the answer.
"""

from __future__ import annotations

import json
import time
from types import SimpleNamespace
from typing import Any

import pytest

from tests.functions.payments import (
    FakeLambdaContext,
    PaymentEnv,
    RecordingStripeHttp,
    install_stripe,
    load_event,
    put_cart,
)

SKU = "TRS-42-BLK"
ORIGIN_SECRET = "3f1d2c4b-5a69-4e7f-8a1b-2c3d4e5f6a7b"


# The middle of a half hour: a test that crossed a window's end would see a fresh allowance.
NOW = int(time.time()) // 1800 * 1800 + 900


@pytest.fixture
def stripe_http(payment_env: PaymentEnv, monkeypatch: pytest.MonkeyPatch) -> RecordingStripeHttp:
    """200 units in stock, an allowance of 12 units per connection, CloudFront's secret set."""
    import checkout.app

    monkeypatch.setenv("CART_MAX_QUANTITY", "12")
    monkeypatch.setenv("HOLD_UNITS_PER_VIEWER", "12")
    monkeypatch.setenv("CLOUDFRONT_ORIGIN_SECRET", ORIGIN_SECRET)
    monkeypatch.setattr(checkout.app, "time", SimpleNamespace(time=lambda: NOW))
    payment_env.set_stock(SKU, 200)
    http = RecordingStripeHttp()
    install_stripe(http)
    return http


def checkout_from(
    env: PaymentEnv, quantity: int, cart_number: int, headers: dict[str, str], source_ip: str
) -> dict[str, Any]:
    """Check out a fresh cart of `quantity` units; the handler's raw answer."""
    from checkout.app import handler

    cart_id = put_cart(env, {SKU: quantity}, cart_id=f"{cart_number:032x}")
    request = load_event("apigw_checkout.json")
    request["cookies"] = [f"cart_id={cart_id}"]
    request["headers"].update(headers)
    request["requestContext"]["http"]["sourceIp"] = source_ip
    return dict(handler(request, FakeLambdaContext()))


def through_cloudfront(viewer: str) -> dict[str, str]:
    return {"x-origin-verify": ORIGIN_SECRET, "cloudfront-viewer-address": f"{viewer}:51234"}


EDGE = "130.176.212.15"  # a CloudFront edge server, shared by every shopper near it


def test_one_viewer_is_refused_past_the_allowance_with_429_and_retry_after(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    viewer = through_cloudfront("198.51.100.23")
    for cart in range(1, 4):
        answer = checkout_from(payment_env, 4, cart, viewer, EDGE)
        assert answer["statusCode"] == 200, answer["body"]

    refused = checkout_from(payment_env, 1, 4, viewer, EDGE)

    assert refused["statusCode"] == 429
    assert json.loads(refused["body"])["error"]["code"] == "too_many_holds"
    assert refused["headers"]["Retry-After"] == str(15 * 60)  # the half hour's end
    assert payment_env.stock(SKU) == (188, 12, 0)  # the fourth cart holds nothing
    assert len(stripe_http.requests) == 3
    # One count, in the carts table, forgotten by TTL when its half hour ends.
    [(key, held)] = payment_env.hold_counts().items()
    assert (key.split("@")[0], held) == ("198.51.100.23", 12)
    [item] = [i for i in payment_env.items(payment_env.tables["CARTS_TABLE"]) if "held_units" in i]
    assert int(item["expires_at"]["N"]) == int(key.split("@")[1]) + 30 * 60 == NOW + 15 * 60


def test_shoppers_behind_the_same_edge_server_have_their_own_allowance(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    first = checkout_from(payment_env, 12, 1, through_cloudfront("198.51.100.23"), EDGE)
    second = checkout_from(payment_env, 12, 2, through_cloudfront("203.0.113.99"), EDGE)

    assert (first["statusCode"], second["statusCode"]) == (200, 200)
    assert sorted(k.split("@")[0] for k in payment_env.hold_counts()) == [
        "198.51.100.23",
        "203.0.113.99",
    ]


def test_a_forged_viewer_address_sent_straight_to_the_api_is_ignored(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    # Rotating the header without CloudFront's secret does not give fresh allowances.
    statuses = [
        checkout_from(
            payment_env,
            6,
            cart,
            {"x-origin-verify": "guess", "cloudfront-viewer-address": f"192.0.2.{cart}:1"},
            "198.51.100.23",
        )["statusCode"]
        for cart in range(1, 4)
    ]

    assert statuses == [200, 200, 429]
    assert payment_env.stock(SKU) == (188, 12, 0)
    assert {k.split("@")[0] for k in payment_env.hold_counts()} == {"198.51.100.23"}


def test_a_checkout_refused_for_stock_gives_its_count_back(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    payment_env.set_stock(SKU, 2)
    viewer = through_cloudfront("198.51.100.23")

    short = checkout_from(payment_env, 5, 1, viewer, EDGE)
    fits = checkout_from(payment_env, 2, 2, viewer, EDGE)

    assert (short["statusCode"], fits["statusCode"]) == (409, 200)
    assert list(payment_env.hold_counts().values()) == [2]


def test_an_ipv6_viewer_is_counted_for_its_64_and_its_48_in_one_transaction(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    answer = checkout_from(payment_env, 5, 1, through_cloudfront("2001:db8:5:7::1"), EDGE)

    assert answer["statusCode"] == 200, answer["body"]
    window = NOW - 900
    assert payment_env.hold_counts() == {
        f"2001:db8:5:7::/64@{window}": 5,
        f"2001:db8:5::/48@{window}": 5,
    }


def test_giving_back_never_takes_a_count_below_zero(payment_env: PaymentEnv) -> None:
    from shop.adapters.dynamodb_hold_ledger import DynamoHoldLedger

    ledger = DynamoHoldLedger(payment_env.dynamodb, payment_env.tables["CARTS_TABLE"])
    assert ledger.take([("a@0", 10)], 3, forget_at=1800)
    ledger.give_back(["a@0", "gone@0"], 5)  # more than was counted; a count TTL removed

    assert payment_env.hold_counts() == {"a@0": 3}
    ledger.give_back(["a@0"], 3)
    assert payment_env.hold_counts() == {"a@0": 0}
