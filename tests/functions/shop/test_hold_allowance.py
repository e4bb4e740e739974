"""Each connection may put at most so many units on hold per half hour (denial of inventory).

Pure domain objects: in-memory stores, ledger and a fake gateway. The DynamoDB
ledger and the HTTP answer (429 with Retry-After) are in tests/functions/checkout.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from shop.cart import CartLine
from shop.checkout_flow import CheckoutContext, start_checkout
from shop.fake_payments import FakePaymentGateway
from shop.hold_allowance import HoldAllowance, HoldAllowanceSpentError, viewer_key
from shop.in_memory import InMemoryCartStore, InMemoryHoldLedger, InMemoryInventory
from shop.in_memory_orders import InMemoryReservations
from shop.reservations import StockShortError
from shop.viewer_address import viewer_address

from tests.functions.shop.factories import make_snapshot

SKU = "TRS-42-BLK"
# 2026-12-07 22:40:00 UTC: 10 minutes into the half hour that started at 22:30.
NOW = int(datetime(2026, 12, 7, 22, 40, tzinfo=UTC).timestamp())
ATTACKER = "198.51.100.23"


class Shop:
    """A shop with one SKU in stock and an allowance of `units` per connection."""

    def __init__(self, stock: int = 100, units: int = 10) -> None:
        self.carts = InMemoryCartStore()
        self.inventory = InMemoryInventory({SKU: stock})
        self.reservations = InMemoryReservations(self.inventory)
        self.gateway = FakePaymentGateway()
        self.holds = InMemoryHoldLedger()
        self.ctx = CheckoutContext(
            self.carts,
            self.reservations,
            self.gateway,
            make_snapshot(),
            "https://shop.example.com",
            holds=self.holds,
            allowance=HoldAllowance(units=units),
        )

    def new_cart(self, quantity: int) -> str:
        """A fresh cart (free for anyone to make) holding `quantity` units of SKU."""
        cart = self.carts.update(
            None, lambda c: replace(c, items=(CartLine(SKU, quantity),)), datetime.now(UTC)
        )
        return cart.cart_id

    def available(self) -> int:
        return self.inventory.get_available([SKU])[SKU]


def test_fresh_carts_from_one_address_stop_holding_stock_at_the_allowance() -> None:
    shop = Shop(stock=100, units=10)
    for _ in range(3):
        start_checkout(shop.ctx, shop.new_cart(3), None, NOW, ATTACKER)
    assert shop.available() == 91

    with pytest.raises(HoldAllowanceSpentError) as refused:
        start_checkout(shop.ctx, shop.new_cart(3), None, NOW, ATTACKER)

    assert shop.available() == 91  # the fourth cart holds nothing
    assert len(shop.gateway.sessions) == 3
    assert refused.value.retry_after == 20 * 60  # the half hour ends at 23:00
    assert "at most 10 units on hold per 30 minutes" in refused.value.message
    assert "try again in 20 minutes" in refused.value.message
    # The last unit of the allowance is still there for a cart of one.
    start_checkout(shop.ctx, shop.new_cart(1), None, NOW, ATTACKER)
    assert shop.available() == 90


def test_other_shoppers_and_the_next_half_hour_have_their_own_allowance() -> None:
    shop = Shop(stock=100, units=10)
    start_checkout(shop.ctx, shop.new_cart(10), None, NOW, ATTACKER)

    start_checkout(shop.ctx, shop.new_cart(10), None, NOW, "203.0.113.7")
    start_checkout(shop.ctx, shop.new_cart(10), None, NOW + 20 * 60, ATTACKER)

    assert shop.available() == 70


def test_checking_the_same_cart_out_again_counts_again() -> None:
    # Each new checkout renews the hold: counted, or one cart could hold stock forever.
    shop = Shop(stock=100, units=10)
    cart = shop.new_cart(4)
    start_checkout(shop.ctx, cart, None, NOW, ATTACKER)
    start_checkout(shop.ctx, cart, None, NOW + 60, ATTACKER)

    with pytest.raises(HoldAllowanceSpentError):
        start_checkout(shop.ctx, cart, None, NOW + 120, ATTACKER)

    # Refused before the previous checkout was closed: that one can still be paid.
    [live] = [s for s in shop.gateway.sessions.values() if s.get("status") != "expired"]
    assert len(shop.gateway.sessions) == 2
    assert shop.carts.carts[cart].checkout == live["metadata"]["reservation_id"]
    assert shop.available() == 96


def test_a_checkout_that_holds_nothing_does_not_count() -> None:
    shop = Shop(stock=2, units=10)
    for _ in range(5):
        with pytest.raises(StockShortError):
            start_checkout(shop.ctx, shop.new_cart(3), None, NOW, ATTACKER)

    start_checkout(shop.ctx, shop.new_cart(2), None, NOW, ATTACKER)
    assert shop.holds.counts == {f"{ATTACKER}@{NOW - 10 * 60}": 2}


def test_every_address_of_one_ipv6_64_shares_an_allowance() -> None:
    shop = Shop(stock=100, units=10)
    start_checkout(shop.ctx, shop.new_cart(6), None, NOW, "2001:db8:5:7::1")

    with pytest.raises(HoldAllowanceSpentError):
        start_checkout(shop.ctx, shop.new_cart(6), None, NOW, "2001:db8:5:7:a1b2:c3d4:e5f6:1")
    start_checkout(shop.ctx, shop.new_cart(6), None, NOW, "2001:db8:5:8::1")


def test_no_address_or_no_cap_counts_nothing() -> None:
    shop = Shop(stock=100, units=10)
    start_checkout(shop.ctx, shop.new_cart(10), None, NOW, None)
    start_checkout(shop.ctx, shop.new_cart(10), None, NOW, "not an address")
    uncapped = replace(shop.ctx, allowance=HoldAllowance(units=0))
    start_checkout(uncapped, shop.new_cart(10), None, NOW, ATTACKER)

    assert shop.available() == 70
    assert shop.holds.counts == {}


def test_a_cart_larger_than_the_allowance_is_refused_outright() -> None:
    shop = Shop(stock=100, units=10)
    with pytest.raises(HoldAllowanceSpentError, match="this checkout's 11 would go past that"):
        start_checkout(shop.ctx, shop.new_cart(11), None, NOW, ATTACKER)
    assert shop.available() == 100


@pytest.mark.parametrize(
    ("address", "viewer"),
    [
        ("198.51.100.23", "198.51.100.23"),
        (" 198.51.100.23 ", "198.51.100.23"),
        ("::ffff:198.51.100.23", "198.51.100.23"),
        ("2001:db8:5:7:a1b2:c3d4:e5f6:1", "2001:db8:5:7::/64"),
        ("2001:DB8:5:7::9", "2001:db8:5:7::/64"),
        ("", None),
        ("198.51.100.300", None),
        ("localhost", None),
    ],
)
def test_viewer_key_is_the_ipv4_address_or_the_ipv6_64(address: str, viewer: str | None) -> None:
    assert viewer_key(address) == viewer


SECRET = "2b7c7d0e-6f3a-4a53-9d1e-0c2f5e8a9b10"


@pytest.mark.parametrize(
    ("headers", "address"),
    [
        # Through CloudFront: the viewer CloudFront names, not its edge server.
        (
            {"x-origin-verify": SECRET, "cloudfront-viewer-address": "198.51.100.23:46532"},
            "198.51.100.23",
        ),
        (
            {"x-origin-verify": SECRET, "cloudfront-viewer-address": "2001:db8::1:46532"},
            "2001:db8::1",
        ),
        # Through CloudFront, but the header is not forwarded: nobody to count.
        ({"x-origin-verify": SECRET}, None),
        ({"x-origin-verify": SECRET, "cloudfront-viewer-address": "junk"}, None),
        # Straight to the API: a forged viewer address is ignored, the caller counts.
        ({"cloudfront-viewer-address": "192.0.2.1:1"}, "130.176.212.15"),
        (
            {"x-origin-verify": "guess", "cloudfront-viewer-address": "192.0.2.1:1"},
            "130.176.212.15",
        ),
    ],
)
def test_the_viewer_address_is_cloudfronts_only_on_requests_carrying_its_secret(
    headers: dict[str, str], address: str | None
) -> None:
    assert viewer_address(headers, "130.176.212.15", SECRET) == address


def test_without_a_configured_secret_the_source_ip_is_the_viewer() -> None:
    # The local shop: nothing in front of the functions.
    headers = {"x-origin-verify": "x", "cloudfront-viewer-address": "192.0.2.1:1"}
    assert viewer_address(headers, "127.0.0.1", None) == "127.0.0.1"
