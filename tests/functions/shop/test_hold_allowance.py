"""Each connection may put at most so many units on hold per half hour (denial of inventory).

Pure domain objects: in-memory stores, ledger and a fake gateway. The DynamoDB
ledger and the HTTP answer (429 with Retry-After) are in tests/functions/checkout.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from shop.cart import CartLine
from shop.checkout import PaymentGatewayError
from shop.checkout_flow import CheckoutContext, start_checkout
from shop.fake_payments import FakePaymentGateway
from shop.hold_allowance import HoldAllowance, HoldAllowanceSpentError, viewer_scopes
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


def test_checking_the_same_cart_out_again_counts_only_what_it_adds() -> None:
    # Back from Stripe's page, the shopper checks out again: the first hold is given back.
    shop = Shop(stock=100, units=10)
    cart = shop.new_cart(4)
    for minute in range(5):
        start_checkout(shop.ctx, cart, None, NOW + 60 * minute, ATTACKER)
    assert shop.available() == 96
    assert shop.holds.counts == {f"{ATTACKER}@{NOW - 10 * 60}": 4}


def test_renewing_a_hold_in_the_next_half_hour_counts_again() -> None:
    # Else one cart, checked out again every half hour, would hold its stock forever.
    shop = Shop(stock=100, units=10)
    cart = shop.new_cart(4)
    for half_hour in range(3):
        start_checkout(shop.ctx, cart, None, NOW + 1800 * half_hour, ATTACKER)
    assert sorted(shop.holds.counts.values()) == [4, 4, 4]

    # The last half hour's 4 units and a new cart's 6 fill its allowance.
    start_checkout(shop.ctx, shop.new_cart(6), None, NOW + 3600, ATTACKER)
    with pytest.raises(HoldAllowanceSpentError):
        start_checkout(shop.ctx, shop.new_cart(1), None, NOW + 3600, ATTACKER)
    assert shop.available() == 100 - 4 - 6


def test_a_refused_checkout_leaves_the_carts_previous_checkout_payable() -> None:
    shop = Shop(stock=100, units=10)
    cart = shop.new_cart(4)
    first = start_checkout(shop.ctx, cart, None, NOW, ATTACKER)
    start_checkout(shop.ctx, shop.new_cart(6), None, NOW, ATTACKER)
    shop.carts.update(cart, lambda c: replace(c, items=(CartLine(SKU, 5),)), datetime.now(UTC))

    with pytest.raises(HoldAllowanceSpentError, match="this checkout's 1 would go past"):
        start_checkout(shop.ctx, cart, None, NOW + 60, ATTACKER)

    assert shop.gateway.sessions[first.session_id].get("status") != "expired"
    assert shop.carts.carts[cart].checkout == first_reservation(shop, first.session_id)
    assert shop.available() == 90


def first_reservation(shop: Shop, session_id: str) -> str:
    return str(shop.gateway.sessions[session_id]["metadata"]["reservation_id"])


def test_a_checkout_that_holds_nothing_does_not_count() -> None:
    shop = Shop(stock=2, units=10)
    for _ in range(5):
        with pytest.raises(StockShortError):
            start_checkout(shop.ctx, shop.new_cart(3), None, NOW, ATTACKER)

    start_checkout(shop.ctx, shop.new_cart(2), None, NOW, ATTACKER)
    assert shop.holds.counts == {f"{ATTACKER}@{NOW - 10 * 60}": 2}


def test_a_checkout_stripe_refuses_gives_its_count_back() -> None:
    shop = Shop(stock=100, units=10)
    shop.gateway.fail_next = 5
    for _ in range(5):
        with pytest.raises(PaymentGatewayError):
            start_checkout(shop.ctx, shop.new_cart(4), None, NOW, ATTACKER)

    assert shop.available() == 100
    assert set(shop.holds.counts.values()) == {0}


def test_every_address_of_one_ipv6_64_shares_an_allowance() -> None:
    shop = Shop(stock=100, units=10)
    start_checkout(shop.ctx, shop.new_cart(6), None, NOW, "2001:db8:5:7::1")

    with pytest.raises(HoldAllowanceSpentError):
        start_checkout(shop.ctx, shop.new_cart(6), None, NOW, "2001:db8:5:7:a1b2:c3d4:e5f6:1")
    start_checkout(shop.ctx, shop.new_cart(6), None, NOW, "2001:db8:5:8::1")


def test_the_64s_of_one_48_share_five_allowances() -> None:
    # A tunnel broker hands out a /48 for free: 65,536 /64s, not 65,536 allowances.
    shop = Shop(stock=200, units=10)
    for subnet in range(5):
        start_checkout(shop.ctx, shop.new_cart(10), None, NOW, f"2001:db8:5:{subnet}::1")

    with pytest.raises(HoldAllowanceSpentError):
        start_checkout(shop.ctx, shop.new_cart(1), None, NOW, "2001:db8:5:ffff::1")
    start_checkout(shop.ctx, shop.new_cart(10), None, NOW, "2001:db8:6::1")
    assert shop.available() == 140


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
    ("address", "scopes"),
    [
        ("198.51.100.23", ("198.51.100.23",)),
        (" 198.51.100.23 ", ("198.51.100.23",)),
        # IPv4 carried in IPv6 is the IPv4 address: mapped, 6to4, Teredo (its client).
        ("::ffff:198.51.100.23", ("198.51.100.23",)),
        ("2002:c633:6417:1::5", ("198.51.100.23",)),
        ("2001:0:4136:e378:8000:63bf:39cc:9be8", ("198.51.100.23",)),
        ("2001:db8:5:7:a1b2:c3d4:e5f6:1", ("2001:db8:5:7::/64", "2001:db8:5::/48")),
        ("2001:DB8:5:7::9", ("2001:db8:5:7::/64", "2001:db8:5::/48")),
        ("", ()),
        ("198.51.100.300", ()),
        ("localhost", ()),
    ],
)
def test_a_viewer_is_its_ipv4_address_or_its_ipv6_64_and_48(
    address: str, scopes: tuple[str, ...]
) -> None:
    assert viewer_scopes(address) == scopes


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
