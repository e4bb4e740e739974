"""The French storefront end to end once: browse, cart, pay, French email and order page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Shop, save_screenshots
from tests.e2e.journey import add_to_cart, expect_cart_count, wait_for_email
from tests.e2e.shop_data import variant_products

pytestmark = pytest.mark.e2e


def test_french_shopper_buys_and_reads_everything_in_french(page: Page, shop: Shop) -> None:
    snapshot = shop.snapshot()
    assert "fr" in snapshot["store"]["locales"]
    pick = variant_products(snapshot)[-1]
    entry = snapshot["skus"][pick.sku]
    french_url, french_title = entry["urls"]["fr"], entry["titles"]["fr"]

    # The French home page links French categories and products
    page.goto("/fr/")
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^fr"))
    assert page.locator('a[href^="/fr/categories/"]').count() > 0
    save_screenshots(page, "fr-home")

    # Product page in French; add to cart
    page.goto(french_url)
    expect(page.locator("h1")).to_have_text(french_title)
    add_to_cart(page, pick.sku)
    expect_cart_count(page, 1)

    # French cart page, checkout, pay
    page.locator("[data-cart-link]").first.click()
    expect(page).to_have_url(re.compile(r"/fr/cart/$"))
    expect(page.locator(f'[data-line-sku="{pick.sku}"]').first).to_contain_text(french_title)
    save_screenshots(page, "fr-cart")
    page.locator("[data-checkout]").click()
    expect(page).to_have_url(re.compile(r"/_dev/checkout/cs_"))
    page.fill('input[name="email"]', "claire.fr@example.org")
    page.get_by_role("button", name=re.compile("^Pay")).click()

    # Back on the French success page; the email is French, and so is its link
    expect(page).to_have_url(re.compile(r"/fr/checkout/success/"))
    save_screenshots(page, "fr-success")
    email = wait_for_email(shop, "claire.fr@example.org", "")
    assert french_title in email["text"]
    link = re.search(r"https?://[^/\s]+(/fr/order/\?o=[^&\s]+&t=\S+)", email["text"])
    assert link, email["text"]
    page.goto(link.group(1))
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^fr"))
    expect(page.locator("[data-order-root]")).to_contain_text(french_title)
    # French punctuation: a space before the colon
    expect(page.locator(".order-status")).to_have_text("Statut : Payée")

    # The language switcher keeps the order's link: the English page shows the same order
    page.locator('.languages a[hreflang="en"]').click()
    expect(page).to_have_url(re.compile(r"/order/\?o=[^&]+&t=\S+$"))
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^en"))
    expect(page.locator(".order-status")).to_have_text("Status: Paid")
