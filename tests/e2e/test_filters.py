"""Category filters and sort in a real browser, on the example shop served by `build.py serve`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Shop

pytestmark = pytest.mark.e2e

CATEGORY = "/categories/footwear/"
# Shown on screen, not merely without `hidden`: a class's `display` once beat the attribute.
VISIBLE = ".grid > li[data-product]:visible"


def _visible(page: Page, attribute: str) -> list[str]:
    values: list[str] = page.locator(VISIBLE).evaluate_all(
        f"cards => cards.map(card => card.getAttribute('{attribute}'))"
    )
    return values


def _products_with_option(shop: Shop, value: str) -> set[str]:
    """Slugs of products with a variant whose label has this option value (from the snapshot)."""
    skus = shop.snapshot()["skus"].values()
    return {sku["product"] for sku in skus if value in sku["variant_labels"]["en"].split(" / ")}


def test_checking_a_size_keeps_only_products_in_that_size(page: Page, shop: Shop) -> None:
    page.goto(CATEGORY)
    all_products = set(_visible(page, "data-product"))
    page.locator(".filters-panel summary").click()

    page.locator("input[name=size][value='37']").check()

    expect(page).to_have_url(re.compile(r"\?size=37$"))
    expected = all_products & _products_with_option(shop, "37")
    assert 0 < len(expected) < len(all_products)
    expect(page.locator(VISIBLE)).to_have_count(len(expected))
    assert set(_visible(page, "data-product")) == expected
    expect(page.locator("#listing-count")).to_have_text(f"{len(expected)} products")


def test_sorting_by_price_orders_the_cards_without_reloading(page: Page) -> None:
    page.goto(CATEGORY)
    page.evaluate("window.notReloaded = true")
    page.locator(".filters-panel summary").click()

    page.select_option("select[name=sort]", "price-asc")

    prices = [int(p) for p in _visible(page, "data-price")]
    assert prices == sorted(prices)
    page.select_option("select[name=sort]", "price-desc")
    prices = [int(p) for p in _visible(page, "data-price")]
    assert prices == sorted(prices, reverse=True)
    assert page.evaluate("window.notReloaded") is True
    expect(page).to_have_url(re.compile(r"\?sort=price-desc$"))


def test_the_url_query_restores_filters_and_sort_on_load(page: Page) -> None:
    page.goto(f"/fr{CATEGORY}?sort=price-asc&sale=1")

    expect(page.locator("input[name=flag][value=sale]")).to_be_checked()
    expect(page.locator("select[name=sort]")).to_have_value("price-asc")
    assert set(_visible(page, "data-on-sale")) == {"true"}
    prices = [int(p) for p in _visible(page, "data-price")]
    assert prices == sorted(prices)
    expect(page.locator("#listing-count")).to_contain_text("produit")


def test_price_range_is_read_in_the_currencys_major_units(page: Page) -> None:
    page.goto(f"{CATEGORY}?min=100&max=150")

    prices = [int(p) for p in _visible(page, "data-price")]
    assert prices
    assert all(10000 <= p <= 15000 for p in prices)


def test_no_match_says_so_and_clear_brings_every_product_back(page: Page) -> None:
    page.goto(CATEGORY)
    total = page.locator(VISIBLE).count()

    page.goto(f"{CATEGORY}?max=1")
    expect(page.locator("[data-filters-empty]")).to_be_visible()
    expect(page.locator(VISIBLE)).to_have_count(0)
    page.locator("[data-filters-clear]").click()

    expect(page.locator(VISIBLE)).to_have_count(total)
    expect(page.locator("[data-filters-empty]")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/categories/footwear/$"))


def test_without_javascript_the_plain_listing_shows_every_product(
    browser: Browser, shop: Shop
) -> None:
    context = browser.new_context(base_url=shop.url, java_script_enabled=False)
    page = context.new_page()

    page.goto(f"{CATEGORY}?size=37")

    assert page.locator("[data-filters]").count() == 0
    assert page.locator(VISIBLE).count() == page.locator(".grid > li[data-product]").count() > 1
    context.close()


def test_each_choice_shows_how_many_products_it_would_list(page: Page, shop: Shop) -> None:
    page.goto(CATEGORY)
    all_products = set(_visible(page, "data-product"))
    expected = len(all_products & _products_with_option(shop, "37"))

    size_37 = page.locator("label.filter-option", has=page.locator("input[name=size][value='37']"))

    expect(size_37.locator("[data-filter-count]")).to_have_text(f" ({expected})")
    on_sale = page.locator("label.filter-option", has=page.locator("input[value=sale]"))
    sale_count = len([v for v in _visible(page, "data-on-sale") if v == "true"])
    expect(on_sale.locator("[data-filter-count]")).to_have_text(f" ({sale_count})")


def test_a_choice_that_would_list_nothing_is_disabled(page: Page) -> None:
    page.goto(f"{CATEGORY}?size=37")

    # Every size-37 product is listed; a colour none of them comes in cannot be ticked.
    colours = page.locator("input[name=color]")
    disabled = [colours.nth(i) for i in range(colours.count()) if colours.nth(i).is_disabled()]
    assert disabled, "some colour has no size-37 product"
    for box in disabled:
        value = box.get_attribute("value")
        facets = page.locator(VISIBLE).evaluate_all(
            "cards => cards.map(card => JSON.parse(card.dataset.facets).color?.values ?? [])"
        )
        assert all(value not in colours_of_card for colours_of_card in facets)


def test_typing_a_price_then_clicking_a_card_opens_that_product(page: Page) -> None:
    # Given a price typed into the range, focus still in the input
    page.goto(CATEGORY)
    page.locator(".filters-panel summary").click()
    page.locator("input[name=max]").press_sequentially("150")
    expect(page).to_have_url(re.compile(r"\?max=150$"))
    card = page.locator(VISIBLE).last
    slug = card.get_attribute("data-product")

    # When the shopper clicks a card straight away (the input loses focus on mousedown)
    card.locator("a.card-link").click()

    # Then the click is not lost: the product page opens
    expect(page).to_have_url(re.compile(rf"/products/{slug}/$"))
    expect(page.locator("h1")).to_be_visible()


def test_a_typed_price_is_announced_once_the_typing_pauses_not_per_keystroke(page: Page) -> None:
    # The result count is a live region: "150" said "1", "15" and "150" results in turn.
    page.goto(CATEGORY)
    page.locator(".filters-panel summary").click()
    page.evaluate(
        """() => { window.countChanges = [];
             new MutationObserver(() => window.countChanges.push(
               document.querySelector('#listing-count').textContent))
               .observe(document.querySelector('#listing-count'),
                        { childList: true, characterData: true, subtree: true }); }"""
    )
    page.locator("input[name=max]").press_sequentially("150", delay=50)

    expect(page).to_have_url(re.compile(r"\?max=150$"))
    assert len(page.evaluate("window.countChanges")) == 1
