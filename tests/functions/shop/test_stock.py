"""Stock status from units available and the low-stock threshold."""

from __future__ import annotations

import pytest
from shop.stock import available_units, stock_status


@pytest.mark.parametrize(
    ("available", "status"),
    [
        (0, "out_of_stock"),
        (-1, "out_of_stock"),
        (1, "low_stock"),
        (3, "low_stock"),
        (4, "in_stock"),
    ],
)
def test_status_follows_the_threshold(available: int, status: str) -> None:
    assert stock_status(available, 3) == status


def test_live_counts_win_over_the_catalog_seed() -> None:
    assert available_units(["A"], {"A": 1}, {"A": 10}) == {"A": 1}


def test_unseeded_skus_fall_back_to_the_catalog_stock() -> None:
    assert available_units(["A", "B"], {}, {"A": 10}) == {"A": 10, "B": 0}
