"""Amounts in two currencies never combine: adding euros to dollars is a bug, not a total."""

from __future__ import annotations

import operator
from collections.abc import Callable

import pytest
from shop.money import Money, MoneyError


@pytest.mark.parametrize(
    "combine", [operator.add, operator.sub, operator.lt, operator.le, operator.gt, operator.ge]
)
def test_amounts_in_two_currencies_cannot_be_combined(
    combine: Callable[[Money, Money], object],
) -> None:
    with pytest.raises(MoneyError):
        combine(Money(100, "EUR"), Money(100, "USD"))
