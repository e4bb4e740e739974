"""axe-core finds no serious or critical accessibility violation on the key pages."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Shop, save_screenshots
from tests.e2e.shop_data import variant_products

pytestmark = pytest.mark.e2e

BLOCKING = ("serious", "critical")


def blocking_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    make_axe: Any = Axe  # the package ships no type hints
    axe = make_axe()
    results: dict[str, Any] = axe.run(page).response
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in results["violations"]
        if v.get("impact") in BLOCKING
    ]


def first_category_url(page: Page) -> str:
    page.goto("/")
    href = page.locator('a[href^="/categories/"]').first.get_attribute("href")
    assert href, "the home page links no category"
    return href


@pytest.mark.parametrize("kind", ["home", "category", "product", "cart", "not-found"])
def test_key_page_has_no_serious_accessibility_violation(page: Page, shop: Shop, kind: str) -> None:
    if kind == "category":
        url = first_category_url(page)
    elif kind == "product":
        url = variant_products(shop.snapshot())[0].url
    else:
        # A missing French path gets the one 404 page, which speaks both languages.
        url = {"home": "/", "cart": "/cart/", "not-found": "/fr/no-such-page/"}[kind]
    page.goto(url)
    expect(page.locator("h1").first).to_be_visible()
    page.wait_for_load_state("networkidle")  # scripts have rendered what they render
    save_screenshots(page, f"a11y-{kind}")
    assert blocking_violations(page) == []
