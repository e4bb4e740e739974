"""Fixtures: the emulated account (see tests/functions/payments.py)."""

from tests.functions.payments import payment_env

__all__ = ["payment_env"]
