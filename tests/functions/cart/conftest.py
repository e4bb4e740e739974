"""Fixtures for the cart handler tests."""

from tests.functions.shop.api import api_env

__all__ = ["api_env"]
