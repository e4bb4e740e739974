"""The route table every mount point reads."""

from __future__ import annotations

import importlib

import pytest
from shop.routes import API_ROUTES, handler_module_for


@pytest.mark.parametrize(
    ("path", "module"),
    [
        ("/api/cart", "cart.app"),
        ("/api/cart/items/TRS-42-BLK", "cart.app"),
        ("/api/stock", "stock.app"),
        ("/api/stripe/webhook", "stripe_webhook.app"),
        ("/api/cartoon", None),
        ("/products/x/", None),
    ],
)
def test_paths_map_to_their_handler_module(path: str, module: str | None) -> None:
    assert handler_module_for(path) == module


@pytest.mark.parametrize("module", ["cart.app", "stock.app"])
def test_this_issues_handlers_exist_and_expose_handler(module: str) -> None:
    assert module in dict((m, p) for p, m in API_ROUTES)
    assert callable(importlib.import_module(module).handler)
