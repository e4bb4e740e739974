"""Quantity rules of the cart domain: per line, per cart, stock, save for later."""

from __future__ import annotations

import pytest
from shop.cart import (
    Cart,
    CartLine,
    add_item,
    move_to_cart,
    needs_ttl_refresh,
    new_cart,
    remove_item,
    remove_saved,
    save_for_later,
    set_quantity,
    stamp,
)
from shop.config import CartLimits
from shop.errors import CartLimitError, NotInCartError, OutOfStockError, QuantityError

from tests.functions.shop.factories import NOW

LIMITS = CartLimits(max_line_quantity=5, max_cart_quantity=8, max_lines=3, max_saved=2)
PLENTY = 100


def cart_with(*lines: tuple[str, int], saved: tuple[tuple[str, int], ...] = ()) -> Cart:
    return Cart(
        cart_id="a" * 32,
        items=tuple(CartLine(s, q) for s, q in lines),
        saved=tuple(CartLine(s, q) for s, q in saved),
    )


def test_add_item_appends_a_new_line() -> None:
    cart = add_item(cart_with(), "A", 2, LIMITS, PLENTY)
    assert cart.items == (CartLine("A", 2),)


def test_add_item_merges_with_the_existing_line_keeping_order() -> None:
    cart = add_item(cart_with(("A", 1), ("B", 1)), "A", 2, LIMITS, PLENTY)
    assert cart.items == (CartLine("A", 3), CartLine("B", 1))


@pytest.mark.parametrize("existing", [(), (("A", 3),)], ids=["empty cart", "line in the cart"])
@pytest.mark.parametrize("quantity", [0, -1, 6])
def test_add_item_rejects_a_quantity_outside_one_to_the_line_maximum(
    quantity: int, existing: tuple[tuple[str, int], ...]
) -> None:
    # With the line in the cart, -1 would otherwise lower it (3 + -1 passes the line check).
    with pytest.raises(QuantityError) as caught:
        add_item(cart_with(*existing), "A", quantity, LIMITS, PLENTY)
    assert (caught.value.minimum, caught.value.maximum, caught.value.quantity) == (1, 5, quantity)


def test_add_item_rejects_a_merge_that_passes_the_line_maximum() -> None:
    with pytest.raises(QuantityError) as caught:
        add_item(cart_with(("A", 4)), "A", 2, LIMITS, PLENTY)
    assert caught.value.quantity == 6


def test_add_item_rejects_more_than_available_with_the_facts() -> None:
    with pytest.raises(OutOfStockError) as caught:
        add_item(cart_with(("A", 1)), "A", 2, LIMITS, available=2)
    assert (caught.value.sku, caught.value.requested, caught.value.available) == ("A", 3, 2)


def test_add_item_rejects_a_sold_out_sku() -> None:
    with pytest.raises(OutOfStockError):
        add_item(cart_with(), "A", 1, LIMITS, available=0)


def test_add_item_accepts_a_cart_of_exactly_the_unit_maximum() -> None:
    cart = add_item(cart_with(("A", 5), ("B", 2)), "C", 1, LIMITS, PLENTY)
    assert cart.item_count == LIMITS.max_cart_quantity == 8


def test_add_item_rejects_passing_the_cart_unit_maximum() -> None:
    with pytest.raises(CartLimitError) as caught:
        add_item(cart_with(("A", 5), ("B", 3)), "C", 1, LIMITS, PLENTY)
    assert (caught.value.what, caught.value.requested, caught.value.maximum) == ("units", 9, 8)


def test_add_item_rejects_passing_the_distinct_line_maximum() -> None:
    with pytest.raises(CartLimitError) as caught:
        add_item(cart_with(("A", 1), ("B", 1), ("C", 1)), "D", 1, LIMITS, PLENTY)
    assert caught.value.what == "lines"


def test_set_quantity_replaces_the_line_quantity() -> None:
    assert set_quantity(cart_with(("A", 1)), "A", 4, LIMITS, PLENTY).items == (CartLine("A", 4),)


def test_set_quantity_zero_removes_the_line() -> None:
    assert set_quantity(cart_with(("A", 1), ("B", 2)), "A", 0, LIMITS, PLENTY).items == (
        CartLine("B", 2),
    )


def test_set_quantity_on_a_line_not_in_the_cart_is_refused() -> None:
    with pytest.raises(NotInCartError):
        set_quantity(cart_with(), "A", 1, LIMITS, PLENTY)


def test_set_quantity_above_the_line_maximum_is_refused() -> None:
    with pytest.raises(QuantityError):
        set_quantity(cart_with(("A", 1)), "A", 6, LIMITS, PLENTY)


def test_set_quantity_may_lower_a_line_even_below_stock_drop() -> None:
    # Stock fell to 1 after the shopper put 4 in the cart: going to 3 must still work.
    assert set_quantity(cart_with(("A", 4)), "A", 3, LIMITS, available=1).items == (
        CartLine("A", 3),
    )


def test_set_quantity_may_keep_a_line_as_it_is_after_a_stock_drop() -> None:
    # Stock fell to 1 after the shopper put 4 in the cart: re-sending 4 is no raise.
    assert set_quantity(cart_with(("A", 4)), "A", 4, LIMITS, available=1).items == (
        CartLine("A", 4),
    )


def test_set_quantity_raising_above_stock_is_refused() -> None:
    with pytest.raises(OutOfStockError):
        set_quantity(cart_with(("A", 1)), "A", 3, LIMITS, available=2)


def test_remove_item_of_an_absent_line_changes_nothing() -> None:
    cart = cart_with(("A", 1))
    assert remove_item(cart, "B") == cart


def test_save_for_later_moves_the_line_to_saved() -> None:
    cart = save_for_later(cart_with(("A", 2), ("B", 1)), "A", LIMITS)
    assert cart.items == (CartLine("B", 1),)
    assert cart.saved == (CartLine("A", 2),)
    assert cart.item_count == 1


def test_save_for_later_merges_with_a_saved_line_up_to_the_line_maximum() -> None:
    cart = save_for_later(cart_with(("A", 4), saved=(("A", 3),)), "A", LIMITS)
    assert cart.saved == (CartLine("A", 5),)


def test_save_for_later_refuses_a_line_not_in_the_cart() -> None:
    with pytest.raises(NotInCartError) as caught:
        save_for_later(cart_with(), "A", LIMITS)
    assert caught.value.where == "cart"


def test_save_for_later_refuses_passing_the_saved_maximum() -> None:
    with pytest.raises(CartLimitError) as caught:
        save_for_later(cart_with(("C", 1), saved=(("A", 1), ("B", 1))), "C", LIMITS)
    assert caught.value.what == "saved lines"


def test_move_to_cart_moves_the_saved_line_back() -> None:
    cart = move_to_cart(cart_with(saved=(("A", 2),)), "A", LIMITS, PLENTY)
    assert cart.items == (CartLine("A", 2),)
    assert cart.saved == ()


def test_move_to_cart_checks_stock() -> None:
    with pytest.raises(OutOfStockError):
        move_to_cart(cart_with(saved=(("A", 2),)), "A", LIMITS, available=1)


def test_move_to_cart_refuses_a_line_that_is_not_saved() -> None:
    with pytest.raises(NotInCartError) as caught:
        move_to_cart(cart_with(("A", 1)), "A", LIMITS, PLENTY)
    assert caught.value.where == "saved"


def test_remove_saved_forgets_the_saved_line() -> None:
    assert remove_saved(cart_with(saved=(("A", 1),)), "A").saved == ()


def test_stamp_bumps_the_version_and_sets_a_30_day_expiry() -> None:
    cart = stamp(new_cart("a" * 32, NOW), NOW)
    assert cart.version == 1
    assert cart.expires_at == int(NOW.timestamp()) + 30 * 24 * 3600


def test_expired_cart_is_recognised() -> None:
    cart = stamp(new_cart("a" * 32, NOW), NOW)
    later = NOW.replace(month=12, day=23)
    assert cart.is_expired(later)
    assert not cart.is_expired(NOW)


def test_ttl_refresh_is_needed_only_after_a_day() -> None:
    cart = stamp(new_cart("a" * 32, NOW), NOW)
    assert not needs_ttl_refresh(cart, NOW.replace(hour=20))
    assert needs_ttl_refresh(cart, NOW.replace(day=23, hour=10))
