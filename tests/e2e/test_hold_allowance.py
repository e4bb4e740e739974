"""A connection past its allowance of units on hold is told so on the cart page, in Chromium.

The session's build served a second time, by `serve --no-build` with carts of at most
3 units and an allowance of 3 units per connection (CART_MAX_QUANTITY,
HOLD_UNITS_PER_VIEWER), so the shop the other tests share keeps the defaults. Every
browser here is 127.0.0.1: one connection.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.devserver.serve_process import ROOT, run_serve
from tests.e2e.conftest import DESKTOP, Shop
from tests.e2e.shop_data import single_sku_product

pytestmark = pytest.mark.e2e

ALLOWANCE = 3


@pytest.fixture(scope="module")
def tight_shop(shop: Shop, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """The session's build, served again with an allowance of 3 units per connection."""
    workdir = tmp_path_factory.mktemp("tight-shop")
    args = ("--content", str(ROOT / "content"), "--site", str(ROOT / "site"))
    with run_serve(
        *args,
        "--out",
        str(shop.out_dir),
        "--no-build",
        "--no-watch",
        cwd=workdir,
        environment={"CART_MAX_QUANTITY": str(ALLOWANCE), "HOLD_UNITS_PER_VIEWER": str(ALLOWANCE)},
    ) as serve:
        yield Shop(serve.url, shop.out_dir, serve)


def shopper(browser: Browser, shop: Shop) -> Page:
    """A new shopper (fresh cookies, so a fresh cart) on the shop's home page."""
    context = browser.new_context(base_url=shop.url, viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/")
    return page


def test_fresh_carts_past_the_allowance_hold_nothing_and_the_cart_page_says_why(
    browser: Browser, tight_shop: Shop
) -> None:
    pick = single_sku_product(tight_shop.snapshot())
    # Both checkouts in one half hour: a new one starts the count afresh.
    to_window_end = 1800 - int(time.time()) % 1800
    if to_window_end < 60:
        time.sleep(to_window_end + 1)

    # A first cart of 2 units goes to payment: 2 of the connection's 3 units held
    first = shopper(browser, tight_shop)
    added = first.request.post("/api/cart/items", data={"sku": pick.sku, "quantity": 2})
    assert added.ok, added.text()
    first.goto("/cart/")
    first.locator("[data-checkout]").click()
    first.wait_for_url("**/_dev/checkout/**")
    stock = first.request.get(f"/api/stock?sku={pick.sku}").json()["skus"][pick.sku]

    # A second, fresh cart of 2 units from the same connection is refused
    second = shopper(browser, tight_shop)
    added = second.request.post("/api/cart/items", data={"sku": pick.sku, "quantity": 2})
    assert added.ok, added.text()
    second.goto("/cart/")
    second.locator("[data-checkout]").click()

    alert = second.locator(".cart-error")
    expect(alert).to_contain_text("Too many checkouts have been started from your connection")
    assert second.url.endswith("/cart/")
    refused = second.request.post("/api/checkout", data={})
    assert refused.status == 429
    assert refused.json()["error"]["code"] == "too_many_holds"
    assert 0 < int(refused.headers["retry-after"]) <= 30 * 60
    # Nothing more was held: the stock the first checkout left is still on sale
    after = second.request.get(f"/api/stock?sku={pick.sku}").json()["skus"][pick.sku]
    assert after == stock
