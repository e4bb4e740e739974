"""Cart actions on in-memory stores: identity rules, and that a refused change writes nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from shop.cart_actions import (
    CartContext,
    add_to_cart,
    change_quantity,
    forget_saved,
    move_to_cart,
    remove_from_cart,
    save_for_later,
    show_cart,
)
from shop.config import CartLimits
from shop.errors import (
    NotInCartError,
    OutOfStockError,
    QuantityError,
    ShopError,
    UnknownSkuError,
    UnsupportedLocaleError,
)
from shop.in_memory import InMemoryCartStore, InMemoryInventory
from shop.in_memory_orders import InMemoryReservations
from shop.reservations import ReservationLine, new_reservation

from tests.functions.shop.factories import NOW, make_snapshot


@pytest.fixture
def ctx() -> CartContext:
    inventory = InMemoryInventory({"TRS-42-BLK": 5, "SOCK-M": 40, "CAP-1": 2, "GAIT-0": 0})
    return CartContext(
        store=InMemoryCartStore(),
        inventory=inventory,
        catalog=make_snapshot(),
        limits=CartLimits(),
        clock=lambda: NOW,
        holds=InMemoryReservations(inventory),
    )


def writes(ctx: CartContext) -> int:
    assert isinstance(ctx.store, InMemoryCartStore)
    return ctx.store.writes


def test_first_add_creates_a_cart_and_asks_to_set_the_cookie(ctx: CartContext) -> None:
    outcome = add_to_cart(ctx, None, "TRS-42-BLK", 2, None)
    assert outcome.cookie == "set"
    assert outcome.cart is not None
    assert outcome.body["item_count"] == 2
    assert outcome.body["subtotal"] == {"amount": 17980, "currency": "EUR"}


def test_unknown_cookie_id_starts_a_new_cart_under_a_fresh_id(ctx: CartContext) -> None:
    planted = "f" * 32
    outcome = add_to_cart(ctx, planted, "SOCK-M", 1, None)
    assert outcome.cart is not None
    assert outcome.cart.cart_id != planted


def test_show_without_cookie_writes_nothing_and_sets_no_cookie(ctx: CartContext) -> None:
    outcome = show_cart(ctx, None, None)
    assert (outcome.cookie, outcome.body["items"], writes(ctx)) == ("keep", [], 0)


def test_show_with_a_stale_cookie_leaves_it_and_writes_nothing(ctx: CartContext) -> None:
    outcome = show_cart(ctx, "e" * 32, None)
    assert (outcome.cookie, outcome.body["items"], writes(ctx)) == ("keep", [], 0)


def test_show_returns_the_shoppers_cart(ctx: CartContext) -> None:
    cart_id = add_to_cart(ctx, None, "SOCK-M", 3, None).cart.cart_id  # type: ignore[union-attr]
    assert show_cart(ctx, cart_id, "fr").body["items"][0]["title"] == "Merino Running Sock (FR)"


def test_unsupported_locale_is_refused(ctx: CartContext) -> None:
    with pytest.raises(UnsupportedLocaleError):
        show_cart(ctx, None, "de")


@pytest.mark.parametrize(
    ("sku", "quantity", "error"),
    [
        ("NOPE-1", 1, UnknownSkuError),
        ("SOCK-M", 11, QuantityError),
        ("SOCK-M", 0, QuantityError),
        ("CAP-1", 3, OutOfStockError),
        ("GAIT-0", 1, OutOfStockError),
    ],
)
def test_refused_add_writes_nothing(
    ctx: CartContext, sku: str, quantity: int, error: type[ShopError]
) -> None:
    with pytest.raises(error):
        add_to_cart(ctx, None, sku, quantity, None)
    assert writes(ctx) == 0


def test_refused_change_leaves_the_stored_cart_as_it_was(ctx: CartContext) -> None:
    first = add_to_cart(ctx, None, "CAP-1", 1, None).cart
    assert first is not None
    with pytest.raises(OutOfStockError):
        change_quantity(ctx, first.cart_id, "CAP-1", 3, None)
    assert ctx.store.get(first.cart_id, NOW) == first
    assert writes(ctx) == 1


def test_change_quantity_needs_the_line(ctx: CartContext) -> None:
    cart_id = add_to_cart(ctx, None, "SOCK-M", 1, None).cart.cart_id  # type: ignore[union-attr]
    with pytest.raises(NotInCartError):
        change_quantity(ctx, cart_id, "CAP-1", 1, None)
    with pytest.raises(NotInCartError):
        change_quantity(ctx, None, "CAP-1", 1, None)


def test_change_quantity_zero_removes(ctx: CartContext) -> None:
    cart_id = add_to_cart(ctx, None, "SOCK-M", 1, None).cart.cart_id  # type: ignore[union-attr]
    assert change_quantity(ctx, cart_id, "SOCK-M", 0, None).body["items"] == []


def test_remove_of_an_absent_line_is_idempotent_and_writes_nothing(ctx: CartContext) -> None:
    cart_id = add_to_cart(ctx, None, "SOCK-M", 1, None).cart.cart_id  # type: ignore[union-attr]
    outcome = remove_from_cart(ctx, cart_id, "CAP-1", None)
    assert outcome.body["item_count"] == 1
    assert writes(ctx) == 1


def test_save_for_later_and_back(ctx: CartContext) -> None:
    cart_id = add_to_cart(ctx, None, "SOCK-M", 2, None).cart.cart_id  # type: ignore[union-attr]
    saved = save_for_later(ctx, cart_id, "SOCK-M", None).body
    assert (saved["item_count"], saved["saved"][0]["quantity"]) == (0, 2)
    back = move_to_cart(ctx, cart_id, "SOCK-M", None).body
    assert (back["item_count"], back["saved"]) == (2, [])


def test_a_sold_out_item_can_be_saved_but_not_moved_back(ctx: CartContext) -> None:
    cart_id = add_to_cart(ctx, None, "CAP-1", 2, None).cart.cart_id  # type: ignore[union-attr]
    save_for_later(ctx, cart_id, "CAP-1", None)
    ctx.inventory.set_available("CAP-1", 0, NOW)
    with pytest.raises(OutOfStockError):
        move_to_cart(ctx, cart_id, "CAP-1", None)
    assert forget_saved(ctx, cart_id, "CAP-1", None).body["saved"] == []


def test_a_sku_dropped_from_the_catalog_can_still_be_removed(ctx: CartContext) -> None:
    cart_id = add_to_cart(ctx, None, "SOCK-M", 1, None).cart.cart_id  # type: ignore[union-attr]
    data_catalog = make_snapshot(skus={})
    shrunk = replace(ctx, catalog=data_catalog)
    assert show_cart(shrunk, cart_id, None).body["unavailable"] == ["SOCK-M"]
    assert remove_from_cart(shrunk, cart_id, "SOCK-M", None).body["unavailable"] == []


def test_a_saved_sku_dropped_from_the_catalog_is_named_as_saved_so_it_can_be_removed(
    ctx: CartContext,
) -> None:
    cart_id = add_to_cart(ctx, None, "SOCK-M", 1, None).cart.cart_id  # type: ignore[union-attr]
    add_to_cart(ctx, cart_id, "CAP-1", 1, None)
    save_for_later(ctx, cart_id, "SOCK-M", None)
    shrunk = replace(ctx, catalog=make_snapshot(skus={}))

    shown = show_cart(shrunk, cart_id, None).body

    # The page removes it from the saved list (DELETE /api/cart/saved/{sku}), where it is
    assert (shown["unavailable"], shown["unavailable_saved"]) == (["CAP-1", "SOCK-M"], ["SOCK-M"])
    after = forget_saved(shrunk, cart_id, "SOCK-M", None).body
    assert (after["unavailable"], after["unavailable_saved"]) == (["CAP-1"], [])


def test_reading_a_day_old_cart_refreshes_its_ttl_and_cookie(ctx: CartContext) -> None:
    created = add_to_cart(ctx, None, "SOCK-M", 1, None).cart
    assert created is not None
    later = NOW + timedelta(days=2)
    aged = replace(ctx, clock=lambda: later)
    outcome = show_cart(aged, created.cart_id, None)
    assert outcome.cookie == "set"
    stored = ctx.store.get(created.cart_id, later)
    assert stored is not None
    assert stored.expires_at == int((later + timedelta(days=30)).timestamp())
    assert stored.version == created.version  # a read is not a change


def test_reading_a_fresh_cart_writes_nothing(ctx: CartContext) -> None:
    created = add_to_cart(ctx, None, "SOCK-M", 1, None).cart
    assert created is not None
    assert show_cart(ctx, created.cart_id, None).cookie == "keep"
    assert writes(ctx) == 1


def _checkout_holding(ctx: CartContext, cart_id: str, sku: str, quantity: int) -> str:
    """Hold `quantity` of `sku` for the cart's checkout, as starting one does."""
    assert isinstance(ctx.holds, InMemoryReservations)
    hold = new_reservation(cart_id, [ReservationLine(sku, quantity)], int(NOW.timestamp()))
    ctx.holds.reserve(hold)
    ctx.store.update(cart_id, lambda c: replace(c, checkout=hold.reservation_id), NOW)
    return hold.reservation_id


def test_back_from_checkout_the_units_the_cart_holds_count_as_its_own(ctx: CartContext) -> None:
    # 5 in stock, 3 in the cart and held for its checkout: 2 left for others.
    cart_id = add_to_cart(ctx, None, "TRS-42-BLK", 3, None).cart.cart_id  # type: ignore[union-attr]
    _checkout_holding(ctx, cart_id, "TRS-42-BLK", 3)

    shown = show_cart(ctx, cart_id, None).body
    raised = change_quantity(ctx, cart_id, "TRS-42-BLK", 5, None).body

    # Not "only 2 left": the next checkout gives the hold back before holding anew.
    assert shown["items"][0]["available"] == 5
    assert raised["item_count"] == 5
    with pytest.raises(OutOfStockError):
        change_quantity(ctx, cart_id, "TRS-42-BLK", 6, None)
    other = add_to_cart(ctx, None, "TRS-42-BLK", 1, None).body
    assert other["items"][0]["available"] == 2  # another shopper sees what is left


def test_a_hold_no_longer_held_or_another_carts_is_not_counted(ctx: CartContext) -> None:
    cart_id = add_to_cart(ctx, None, "TRS-42-BLK", 3, None).cart.cart_id  # type: ignore[union-attr]
    other_id = add_to_cart(ctx, None, "SOCK-M", 1, None).cart.cart_id  # type: ignore[union-attr]
    hold_id = _checkout_holding(ctx, other_id, "TRS-42-BLK", 3)
    # A cart naming a hold made for another cart (never, but not trusted either).
    ctx.store.update(cart_id, lambda c: replace(c, checkout=hold_id), NOW)
    assert show_cart(ctx, cart_id, None).body["items"][0]["available"] == 2

    assert isinstance(ctx.holds, InMemoryReservations)
    held = ctx.holds.get(hold_id)
    assert held is not None
    ctx.holds.release(held)
    assert show_cart(ctx, cart_id, None).body["items"][0]["available"] == 5  # released: back
