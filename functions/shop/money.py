"""Money as an integer count of minor units plus an ISO 4217 currency; never a float."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

# Minor-unit exponents that differ from the usual 2, as Stripe's API counts them
# (https://docs.stripe.com/currencies): amounts go to Checkout as they are, so the
# shop counts alike. Kept small on purpose: the functions must not import Babel at
# cold start. Where Stripe parts from ISO 4217 and from how prices are shown (ISK is
# two-decimal to Stripe, whole krónur everywhere else), the build refuses the
# currency (storefront/validate_settings.py), so no price shown differs from the charge.
_EXPONENTS: dict[str, int] = {
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "MGA": 0,
    "PYG": 0,
    "RWF": 0,
    "UGX": 0,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    "BHD": 3,
    "JOD": 3,
    "KWD": 3,
    "OMR": 3,
    "TND": 3,
}
# Stripe takes three-decimal amounts to the nearest ten only (its payment partners
# cannot charge 0.001): a price must end in 0 there.
_STEP_OF_THREE_DECIMALS = 10
_CURRENCY = re.compile(r"^[A-Z]{3}$")
# A plain decimal as an editor writes it: digits, optionally a dot and digits.
_DECIMAL = re.compile(
    r"^\d+(\.\d+)?$", re.ASCII
)  # 0-9 only, as written in files and sent by Stripe
# The most a Stripe payment may be in most currencies (999,999.99 EUR): a price above
# it could never be charged, and is far more likely a typo than a real price.
MAX_PRICE_MINOR = 99_999_999


class MoneyError(ValueError):
    """A value that cannot be read as money; the message says what was expected."""


def currency_exponent(currency: str) -> int:
    """Number of decimal places of a currency's minor unit (EUR → 2, JPY → 0)."""
    check_currency(currency)
    return _EXPONENTS.get(currency, 2)


def check_currency(currency: str) -> str:
    """Return the currency if it looks like an ISO 4217 code, else raise MoneyError."""
    if not isinstance(currency, str) or not _CURRENCY.match(currency):
        raise MoneyError(f'expected an ISO 4217 currency code like EUR, got "{currency}"')
    return currency


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in minor units (cents for EUR) of one currency."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise MoneyError(f"expected an integer amount of minor units, got {self.amount!r}")
        check_currency(self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """No money in the given currency."""
        return cls(0, currency)

    def _same_currency(self, other: Money) -> None:
        if self.currency != other.currency:
            raise MoneyError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, quantity: int) -> Money:
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise MoneyError(f"can only multiply money by an integer, got {quantity!r}")
        return Money(self.amount * quantity, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount <= other.amount

    def to_decimal(self) -> Decimal:
        """The amount in major units, exactly (for display and feeds)."""
        return Decimal(self.amount).scaleb(-currency_exponent(self.currency))

    def to_decimal_string(self) -> str:
        """The amount as a plain decimal string with the currency's places, e.g. "89.90"."""
        places = currency_exponent(self.currency)
        return f"{self.to_decimal():.{places}f}"

    def to_json(self) -> dict[str, Any]:
        """The wire form used by the snapshot and the API: {"amount": 8990, "currency": "EUR"}."""
        return {"amount": self.amount, "currency": self.currency}

    @classmethod
    def from_json(cls, data: Any) -> Money:
        """Read the wire form; raise MoneyError on anything else."""
        if not isinstance(data, dict) or set(data) != {"amount", "currency"}:
            raise MoneyError(f'expected {{"amount": <int>, "currency": "EUR"}}, got {data!r}')
        return cls(data["amount"], data["currency"])


def parse_money(value: object, currency: str) -> Money:
    """Parse an editor's price ("89.90", 89.9 as YAML wrote it, or 89) exactly, without float.

    YAML floats are rejected by the loader before they get here (it keeps the
    scalar's source text), so only strings and ints arrive.
    """
    places = currency_exponent(currency)
    if isinstance(value, bool):
        raise MoneyError(f"expected a decimal like 89.90, got {value!r}")
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise MoneyError(f"expected a decimal like 89.90, got {value!r}")
    if not _DECIMAL.match(text):
        raise MoneyError(f'expected a decimal like 89.90, got "{value}"')
    try:
        exact = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex already excludes this
        raise MoneyError(f'expected a decimal like 89.90, got "{value}"') from exc
    with localcontext() as exactly:
        exactly.prec = len(text) + places  # enough digits: the default 28 would round
        minor = exact.scaleb(places)
    if minor != minor.to_integral_value():
        raise MoneyError(f'expected at most {places} decimal places for {currency}, got "{value}"')
    if places == 3 and minor % _STEP_OF_THREE_DECIMALS:
        raise MoneyError(
            f"expected a last decimal of 0 for {currency} (Stripe charges it to the nearest "
            f'0.010), got "{value}"'
        )
    if minor > MAX_PRICE_MINOR:
        most = Decimal(MAX_PRICE_MINOR).scaleb(-places)
        raise MoneyError(
            f'expected at most {most} {currency} (the most a Stripe payment can be), got "{value}"'
        )
    return Money(int(minor), currency)
