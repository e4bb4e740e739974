"""What a shopper does on the product page, in Playwright steps shared by the journeys."""

from __future__ import annotations

import json
import time
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Shop


def choose_variant(page: Page, sku: str) -> None:
    """Pick the variant through the controls the shopper sees (single picker or option groups)."""
    form = page.locator("form[data-add-to-cart]")
    radio = form.locator(f'input[name="sku"][value="{sku}"]')
    if radio.count() == 0:
        return  # a single-SKU product: nothing to choose
    if form.locator("[data-variant-picker]").is_visible():
        form.locator(f'label[for="variant-{sku}"]').click()
    else:
        options: dict[str, str] = json.loads(radio.get_attribute("data-options") or "{}")
        for name, value in options.items():
            # The label the shopper clicks, found by its input's value: its text is the
            # value in the page's language ("Noir" on French pages).
            group = form.locator(f'[data-option-group="{name}"]')
            control = group.locator(f'input[value="{value}"]').get_attribute("id")
            group.locator(f'label[for="{control}"]').click()
    expect(form.locator("[data-sku-label]")).to_have_text(sku)


def add_to_cart(page: Page, sku: str, quantity: int = 1) -> None:
    """Choose the variant, set the quantity and press "Add to cart"."""
    choose_variant(page, sku)
    form = page.locator("form[data-add-to-cart]")
    form.locator('input[name="quantity"]').fill(str(quantity))
    form.locator("[data-add-button]").click()


def expect_cart_count(page: Page, count: int) -> None:
    """The header counter shows `count` items."""
    expect(page.locator("[data-cart-count]").first).to_have_text(str(count))


def wait_for_email(shop: Shop, to: str, subject_part: str, timeout: float = 30.0) -> dict[str, Any]:
    """The first outbox email to `to` whose subject contains `subject_part`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for email in shop.outbox():
            if to in email["to"] and subject_part in email["subject"]:
                return email
        time.sleep(0.25)
    raise AssertionError(f"no email to {to} about {subject_part!r}; outbox: {shop.outbox()}")
