"""The end of a sale: one rule for the build's pages and the functions' prices."""

from __future__ import annotations

from datetime import date

from shop.money import Money
from shop.sale_price import regular_price, sale_is_over


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def test_a_sale_is_on_through_its_last_day_and_over_the_day_after() -> None:
    last_day = date(2026, 12, 31)
    assert not sale_is_over(last_day, date(2026, 12, 31))
    assert sale_is_over(last_day, date(2027, 1, 1))
    assert not sale_is_over(None, date(2099, 1, 1))  # no end date: on until edited


def test_the_regular_price_is_the_was_price_when_above_the_sale_price() -> None:
    assert regular_price(eur(8990), eur(11990)) == eur(11990)
    assert regular_price(eur(8990), None) == eur(8990)
    assert regular_price(eur(8990), eur(8990)) == eur(8990)  # never below the price charged
