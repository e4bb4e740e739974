"""The one free-delivery rule, shared by the checkout and the build's structured data and feeds."""

from __future__ import annotations

from typing import Any

from shop.catalog import ShippingInfo
from shop.money import Money
from shop.shipping_rates import shipping_price

from tests.functions.shop.factories import eur, make_snapshot


def _option(option_id: str, price: int, free_over: int | None = None) -> dict[str, Any]:
    return {
        "id": option_id,
        "kind": "pickup" if option_id == "pickup" else "delivery",
        "names": {"en": option_id},
        "price": eur(price),
        "min_days": 1,
        "max_days": 2,
        "free_over": eur(free_over) if free_over is not None else None,
    }


def _shipping(*options: dict[str, Any], threshold: int | None = 7500) -> ShippingInfo:
    data = {"countries": ["FR"], "free_threshold": eur(threshold) if threshold else None}
    return make_snapshot(shipping={**data, "options": list(options)}).shipping


def test_shop_wide_threshold_frees_only_the_first_delivery_option_from_the_threshold() -> None:
    shipping = _shipping(_option("pickup", 0), _option("standard", 490), _option("express", 1290))
    pickup, standard, express = shipping.options
    assert shipping_price(standard, Money(7499, "EUR"), shipping) == Money(490, "EUR")
    assert shipping_price(standard, Money(7500, "EUR"), shipping) == Money(0, "EUR")
    assert shipping_price(express, Money(99999, "EUR"), shipping) == Money(1290, "EUR")
    assert shipping_price(pickup, Money(7500, "EUR"), shipping) == Money(0, "EUR")


def test_an_options_own_threshold_wins_over_the_shop_wide_one() -> None:
    shipping = _shipping(_option("standard", 490, free_over=10000), _option("express", 1290, 5000))
    standard, express = shipping.options
    assert shipping_price(standard, Money(7500, "EUR"), shipping) == Money(490, "EUR")
    assert shipping_price(standard, Money(10000, "EUR"), shipping) == Money(0, "EUR")
    assert shipping_price(express, Money(5000, "EUR"), shipping) == Money(0, "EUR")


def test_without_any_threshold_delivery_is_never_free() -> None:
    shipping = _shipping(_option("standard", 490), threshold=None)
    assert shipping_price(shipping.options[0], Money(10**9, "EUR"), shipping) == Money(490, "EUR")
