"""Fixtures for the stock handler tests."""

from tests.functions.shop.api import api_env

__all__ = ["api_env"]
