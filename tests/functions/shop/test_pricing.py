"""Pricing a cart from the snapshot: line totals, subtotal, item count, free-shipping progress."""

from __future__ import annotations

from shop.cart import Cart, CartLine
from shop.money import Money
from shop.pricing import cart_json, free_shipping_progress, price_cart

from tests.functions.shop.factories import make_snapshot

CATALOG = make_snapshot()


def cart_with(*lines: tuple[str, int], saved: tuple[tuple[str, int], ...] = ()) -> Cart:
    return Cart(
        cart_id="a" * 32,
        items=tuple(CartLine(s, q) for s, q in lines),
        saved=tuple(CartLine(s, q) for s, q in saved),
    )


def test_line_totals_and_subtotal_are_exact_minor_units() -> None:
    priced = price_cart(cart_with(("TRS-42-BLK", 2), ("SOCK-M", 3)), CATALOG, {})
    assert [line.line_total for line in priced.items] == [
        Money(17980, "EUR"),
        Money(4350, "EUR"),
    ]
    assert priced.subtotal == Money(22330, "EUR")
    assert priced.item_count == 5


def test_saved_lines_are_priced_but_not_counted_in_the_subtotal() -> None:
    priced = price_cart(cart_with(("SOCK-M", 1), saved=(("TRS-42-BLK", 1),)), CATALOG, {})
    assert priced.subtotal == Money(1450, "EUR")
    assert priced.item_count == 1
    assert priced.saved[0].line_total == Money(8990, "EUR")


def test_empty_cart_is_zero_in_the_store_currency() -> None:
    priced = price_cart(cart_with(), CATALOG, {})
    assert priced.subtotal == Money(0, "EUR")
    assert priced.free_shipping is not None
    assert priced.free_shipping.remaining == Money(7500, "EUR")


def test_free_shipping_remaining_is_threshold_minus_subtotal() -> None:
    progress = free_shipping_progress(Money(5000, "EUR"), Money(7500, "EUR"))
    assert progress is not None
    assert progress.remaining == Money(2500, "EUR")
    assert not progress.qualifies


def test_free_shipping_qualifies_exactly_at_the_threshold() -> None:
    progress = free_shipping_progress(Money(7500, "EUR"), Money(7500, "EUR"))
    assert progress is not None
    assert progress.qualifies
    assert progress.remaining == Money(0, "EUR")


def test_free_shipping_remaining_never_goes_negative() -> None:
    progress = free_shipping_progress(Money(9000, "EUR"), Money(7500, "EUR"))
    assert progress is not None
    assert progress.remaining == Money(0, "EUR")


def test_no_threshold_means_no_free_shipping_progress() -> None:
    assert free_shipping_progress(Money(9000, "EUR"), None) is None


def test_lines_whose_sku_left_the_catalog_are_reported_not_priced() -> None:
    priced = price_cart(cart_with(("GONE-1", 1), ("SOCK-M", 1)), CATALOG, {})
    assert [line.entry.sku for line in priced.items] == ["SOCK-M"]
    assert priced.unavailable == ("GONE-1",)


def test_lines_carry_live_availability_and_status() -> None:
    priced = price_cart(cart_with(("TRS-42-BLK", 1)), CATALOG, {"TRS-42-BLK": 2})
    assert (priced.items[0].available, priced.items[0].status) == (2, "low_stock")


def test_cart_json_is_localised_and_uses_money_objects() -> None:
    priced = price_cart(cart_with(("TRS-42-BLK", 1)), CATALOG, {"TRS-42-BLK": 9})
    body = cart_json(priced, "fr", "en")
    line = body["items"][0]
    assert line["title"] == "Ridge Trail Shoe (FR)"
    assert line["url"] == "/fr/products/trail-shoe/"
    assert line["variant_label"] == "42 / Noir"
    assert line["unit_price"] == {"amount": 8990, "currency": "EUR"}
    assert body["free_shipping"] == {
        "threshold": {"amount": 7500, "currency": "EUR"},
        "remaining": {"amount": 0, "currency": "EUR"},
        "qualifies": True,
    }


def test_a_negative_live_count_shows_as_none_left_in_the_cart() -> None:
    # A count driven below zero (a merchant's correction) must not read as "-2 left".
    from shop.stock import available_units

    priced = price_cart(cart_with(("SOCK-M", 1)), CATALOG, {"SOCK-M": -2})
    assert priced.items[0].available == 0
    assert available_units(["SOCK-M", "NEW-1"], {"SOCK-M": -2}, {"NEW-1": -1}) == {
        "SOCK-M": 0,
        "NEW-1": 0,
    }
