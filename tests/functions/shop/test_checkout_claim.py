"""One cart, one live checkout: of two checkouts started at once, one claims the cart.

Pure domain objects (in-memory stores and a fake gateway): the claim is a
compare-and-set on the cart's `checkout`, checked without emulators. The DynamoDB
side (a second tab while Stripe is slow) is in tests/functions/checkout.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime

import pytest
from shop.cart import Cart, CartLine
from shop.checkout import CheckoutStartingError, PaymentGatewayError
from shop.checkout_flow import CheckoutContext, start_checkout
from shop.fake_payments import FakePaymentGateway
from shop.in_memory import InMemoryCartStore, InMemoryInventory
from shop.in_memory_orders import InMemoryReservations
from shop.ports import CartChange

from tests.functions.shop.factories import make_snapshot

SKU = "TRS-42-BLK"
OTHER_CHECKOUT = "res_" + "f" * 32


class RacedCarts(InMemoryCartStore):
    """Carts where another checkout claims the cart just before this one writes."""

    def __init__(self) -> None:
        super().__init__()
        self.raced = False

    def update(self, cart_id: str | None, change: CartChange, now: datetime) -> Cart:
        if not self.raced and cart_id is not None:
            self.raced = True
            super().update(cart_id, lambda cart: replace(cart, checkout=OTHER_CHECKOUT), now)
        return super().update(cart_id, change, now)


def test_a_checkout_that_loses_the_claim_gives_its_units_back_and_opens_no_session() -> None:
    now = int(time.time())
    carts = RacedCarts()
    cart = carts.update(None, lambda c: replace(c, items=(CartLine(SKU, 2),)), datetime.now())
    carts.raced = False
    inventory = InMemoryInventory({SKU: 5})
    reservations = InMemoryReservations(inventory)
    gateway = FakePaymentGateway()
    ctx = CheckoutContext(carts, reservations, gateway, make_snapshot(), "https://shop.example.com")

    with pytest.raises(CheckoutStartingError, match="another checkout of it is starting"):
        start_checkout(ctx, cart.cart_id, None, now)

    assert inventory.get_available([SKU]) == {SKU: 5}
    assert [r.status.value for r in reservations.reservations.values()] == ["released"]
    assert gateway.sessions == {}
    assert carts.carts[cart.cart_id].checkout == OTHER_CHECKOUT


def test_no_session_is_started_when_closing_the_previous_one_left_no_time_for_it() -> None:
    # Closing the previous checkout may take three slow Stripe calls: a create started
    # after them was stopped by Lambda's timeout, its units held until the sweeper's clock.
    now = int(time.time())
    carts = InMemoryCartStore()
    cart = carts.update(None, lambda c: replace(c, items=(CartLine(SKU, 2),)), datetime.now())
    inventory = InMemoryInventory({SKU: 5})
    reservations = InMemoryReservations(inventory)
    gateway = FakePaymentGateway()
    ctx = CheckoutContext(carts, reservations, gateway, make_snapshot(), "https://shop.example.com")
    first = start_checkout(ctx, cart.cart_id, None, now)
    assert inventory.get_available([SKU]) == {SKU: 3}

    late = replace(ctx, time_for_payment_call=lambda: False)
    with pytest.raises(PaymentGatewayError, match="no time left after closing the previous"):
        start_checkout(late, cart.cart_id, None, now + 60)

    # The previous checkout is closed and its units back; nothing new is held or opened.
    assert gateway.sessions[first.session_id]["status"] == "expired"
    assert inventory.get_available([SKU]) == {SKU: 5}
    assert [r.status.value for r in reservations.reservations.values()] == ["released"]
    assert len(gateway.sessions) == 1
    # And trying again (time to spare) opens the new one.
    again = start_checkout(ctx, cart.cart_id, None, now + 61)
    assert again.session_id != first.session_id
    assert inventory.get_available([SKU]) == {SKU: 3}
