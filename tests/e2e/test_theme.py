"""The theme's own behaviour in a real browser: variant picker, mobile menu, language, keyboard."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, Shop, save_screenshots
from tests.e2e.journey import choose_variant

pytestmark = pytest.mark.e2e


def _product_with_two_prices(
    snapshot: dict[str, Any],
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A product URL and two of its in-stock variants that cost different amounts."""
    by_product: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in snapshot["skus"].values():
        if entry["initial_stock"] > 0:
            by_product[entry["product"]].append(entry)
    for entries in by_product.values():
        prices = {e["price"]["amount"]: e for e in entries}
        if len(prices) >= 2:
            first, second = list(prices.values())[:2]
            return str(first["urls"]["en"]), first, second
    pytest.fail("the example shop has no product whose variants differ in price")


def test_choosing_a_variant_updates_price_sku_and_address(page: Page, shop: Shop) -> None:
    url, first, second = _product_with_two_prices(shop.snapshot())
    page.goto(url)
    price = page.locator("[data-price-box] [data-price]")
    choose_variant(page, first["sku"])
    before = price.inner_text()
    choose_variant(page, second["sku"])

    expect(price).not_to_have_text(before)
    form = page.locator("form[data-add-to-cart]")
    radio = form.locator(f'input[name="sku"][value="{second["sku"]}"]')
    expect(radio).to_be_checked()
    expect(price).to_have_text(radio.get_attribute("data-price") or "")
    expect(form.locator("[data-stock]")).to_have_attribute("data-sku", second["sku"])
    expect(page).to_have_url(re.compile(rf"\?sku={second['sku']}$"))
    save_screenshots(page, "theme-variant")


def test_a_variant_address_preselects_that_variant(page: Page, shop: Shop) -> None:
    url, _, second = _product_with_two_prices(shop.snapshot())
    page.goto(f"{url}?sku={second['sku']}")
    expect(page.locator("[data-sku-label]")).to_have_text(second["sku"])
    expect(page.locator(f'input[name="sku"][value="{second["sku"]}"]')).to_be_checked()


def test_language_switcher_opens_the_same_product_in_french(page: Page, shop: Shop) -> None:
    url, _, _ = _product_with_two_prices(shop.snapshot())
    page.goto(url)
    page.locator('nav.languages a[hreflang="fr"]').click()
    expect(page).to_have_url(re.compile(rf"/fr{re.escape(url)}$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("[data-add-button]")).to_have_text("Ajouter au panier")


def test_phone_menu_opens_subcategories_and_closes_with_escape(page: Page) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/")
    toggle = page.locator("[data-nav-toggle]")
    submenu_link = page.locator("#site-menu .submenu a").first
    expect(toggle).to_be_visible()
    expect(submenu_link).to_be_hidden()

    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(submenu_link).to_be_visible()
    # The button comes after the list in the page: focus moves into the menu it opened,
    # or the next Tab would land past it, on the page below.
    expect(page.locator("#site-menu a").first).to_be_focused()
    save_screenshots(page, "theme-phone-menu")

    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(submenu_link).to_be_hidden()


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_choosing_a_colour_brings_its_photo_into_view(page: Page, shop: Shop) -> None:
    # Given a product page with one variant shown by the first photo, another by the second
    urls = sorted({entry["urls"]["en"] for entry in shop.snapshot()["skus"].values()})
    for url in urls:
        page.goto(url)
        first = page.locator('input[name="sku"][data-image="1"]')
        second = page.locator('input[name="sku"][data-image="2"]')
        if first.count() and second.count():
            break
    else:
        pytest.fail("no product in the example shop has variants shown by different photos")
    track = page.locator(".gallery-track")
    choose_variant(page, first.first.get_attribute("value") or "")
    page.wait_for_function("() => document.querySelector('.gallery-track').scrollLeft === 0")
    # When the shopper picks the other variant
    choose_variant(page, second.first.get_attribute("value") or "")
    # Then the gallery scrolls to the second photo and marks its thumbnail
    page.wait_for_function("() => document.querySelector('.gallery-track').scrollLeft > 0")
    assert track.evaluate("t => t.scrollLeft") > 0
    expect(page.locator(".gallery-thumbs a").nth(1)).to_have_attribute("aria-current", "true")


def _first_frame_after_thumbnail_click(page: Page) -> list[float]:
    """Click the second thumbnail; the track's scrollLeft on the next frame, and its target."""
    return list(
        page.evaluate(
            """() => new Promise(done => {
                 const track = document.querySelector('.gallery-track');
                 document.querySelectorAll('.gallery-thumbs a')[1].click();
                 requestAnimationFrame(() => done([track.scrollLeft, track.clientWidth]));
               })"""
        )
    )


def test_the_gallery_moves_at_once_for_shoppers_who_ask_for_reduced_motion(
    page: Page, shop: Shop
) -> None:
    # The script asked for a smooth scroll, which the stylesheet's reduced-motion rule
    # cannot override: 20 frames of sliding photos for a shopper who asked for none.
    page.emulate_media(reduced_motion="reduce")
    for url in sorted({e["urls"]["en"] for e in shop.snapshot()["skus"].values()}):
        page.goto(url)
        if page.locator(".gallery-thumbs a").count() > 1:
            break
    else:
        pytest.fail("no product in the example shop has two photos")

    left, target = _first_frame_after_thumbnail_click(page)

    assert left == target
    page.emulate_media(reduced_motion="no-preference")
    page.reload()
    moving, target = _first_frame_after_thumbnail_click(page)
    assert moving < target  # smooth for everyone else
    page.wait_for_function(
        f"() => document.querySelector('.gallery-track').scrollLeft === {target}"
    )
