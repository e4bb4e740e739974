"""Prices from YAML become exact integer minor units, never passing through float."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shop.money import Money, MoneyError, parse_money

from storefront.errors import ErrorList
from storefront.yaml_lines import parse_yaml


def _yaml_price(source: str) -> object:
    errors = ErrorList()
    ok, data = parse_yaml(f"price: {source}\n", Path("p.yaml"), "yaml", errors)
    assert ok
    assert isinstance(data, dict)
    return data["price"]


@given(units=st.integers(min_value=0, max_value=999_999), cents=st.integers(0, 99))
def test_any_unquoted_two_decimal_price_in_yaml_is_read_exactly(units: int, cents: int) -> None:
    # Floats like 0.29 or 999999.99 are not always representable in binary; the text is.
    value = _yaml_price(f"{units}.{cents:02d}")
    assert parse_money(value, "EUR") == Money(units * 100 + cents, "EUR")


@pytest.mark.parametrize(
    ("source", "amount"),
    [("89.90", 8990), ("89.9", 8990), ('"89.90"', 8990), ("89", 8900), ("0.29", 29), ("0", 0)],
)
def test_price_forms_editors_write_give_minor_units(source: str, amount: int) -> None:
    assert parse_money(_yaml_price(source), "EUR") == Money(amount, "EUR")


def test_a_float_object_is_refused_so_no_caller_can_sneak_one_in() -> None:
    with pytest.raises(MoneyError, match=r"expected a decimal like 89\.90"):
        parse_money(89.9, "EUR")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("89,9O", 'expected a decimal like 89.90, got "89,9O"'),
        ("12.905", 'expected at most 2 decimal places for EUR, got "12.905"'),
        ("-5.00", 'expected a decimal like 89.90, got "-5.00"'),
        ("1e3", 'expected a decimal like 89.90, got "1e3"'),
        (".inf", 'expected a decimal like 89.90, got ".inf"'),
        ("", 'expected a decimal like 89.90, got ""'),
        # Past Decimal's default 28 digits: rounded to 4900 before, never refused.
        (
            "49.000000000000000000000000000001",
            'expected at most 2 decimal places for EUR, got "49.000000000000000000000000000001"',
        ),
        (
            "1000000.00",
            'expected at most 999999.99 EUR (the most a Stripe payment can be), got "1000000.00"',
        ),
        (
            "123456789012345678901234567890.00",
            "expected at most 999999.99 EUR (the most a Stripe payment can be), "
            'got "123456789012345678901234567890.00"',
        ),
    ],
)
def test_unreadable_prices_say_what_was_expected(value: str, message: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_money(value, "EUR")
    assert str(caught.value) == message


def test_the_most_a_stripe_payment_can_be_is_a_valid_price() -> None:
    assert parse_money("999999.99", "EUR") == Money(99_999_999, "EUR")
    assert parse_money("99999999", "JPY") == Money(99_999_999, "JPY")
    with pytest.raises(MoneyError, match="at most 99999999 JPY"):
        parse_money("100000000", "JPY")


def test_currencies_with_other_minor_units_are_respected() -> None:
    assert parse_money("1500", "JPY") == Money(1500, "JPY")
    assert parse_money("1.250", "KWD") == Money(1250, "KWD")
    with pytest.raises(MoneyError, match="at most 0 decimal places for JPY"):
        parse_money("1500.5", "JPY")
    # As Stripe counts them: MGA is zero-decimal there (ISO 4217 says 2).
    assert parse_money("5000", "MGA") == Money(5000, "MGA")


def test_a_three_decimal_price_must_end_in_zero_as_stripe_charges_to_the_nearest_ten() -> None:
    # Sent as 12345, every checkout of it failed (Stripe wants the last digit 0).
    with pytest.raises(MoneyError, match=r'expected a last decimal of 0 for KWD .*"12.345"'):
        parse_money("12.345", "KWD")
    assert parse_money("12.34", "KWD") == Money(12340, "KWD")


def test_yaml_special_floats_stay_text_and_are_refused() -> None:
    assert _yaml_price(".nan") == ".nan"
    with pytest.raises(MoneyError):
        parse_money(_yaml_price(".nan"), "EUR")
