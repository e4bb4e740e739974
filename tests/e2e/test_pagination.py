"""A paginated category in a real browser: pager links, and filters over the whole category.

The example shop's categories fit on one page, so this module serves a copy of its
content with `products_per_page: 2` (Footwear's six products: three pages) through
the real `build.py serve`, under production's Content-Security-Policy.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import lxml.html
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.devserver.serve_process import ROOT, run_serve
from tests.e2e.conftest import Shop

pytestmark = pytest.mark.e2e

CATEGORY = "/categories/footwear/"
PAGES = (CATEGORY, f"{CATEGORY}page/2/", f"{CATEGORY}page/3/")
VISIBLE = ".grid > li[data-product]:visible"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """The example shop with two products per category page (overrides the session shop)."""
    workdir = tmp_path_factory.mktemp("e2e-paged-shop")
    content = workdir / "content"
    shutil.copytree(ROOT / "content", content)
    catalog = content / "catalog.yaml"
    settings = catalog.read_text()
    assert "  low_stock_threshold: 3\n" in settings
    catalog.write_text(
        settings.replace(
            "  low_stock_threshold: 3\n", "  low_stock_threshold: 3\n  products_per_page: 2\n"
        )
    )
    out_dir = workdir / "dist"
    args = ("--content", str(content), "--site", str(ROOT / "site"), "--out", str(out_dir))
    with run_serve(*args, "--no-watch", cwd=workdir, timeout=240) as serve:
        yield Shop(serve.url, out_dir, serve)


def _visible(page: Page, attribute: str = "data-product") -> list[str]:
    values: list[str] = page.locator(VISIBLE).evaluate_all(
        f"cards => cards.map(card => card.getAttribute('{attribute}'))"
    )
    return values


def _served_cards(shop: Shop) -> dict[str, dict[str, str]]:
    """Footwear's cards as the three built pages list them: slug -> data-* attributes."""
    cards: dict[str, dict[str, str]] = {}
    for path in PAGES:
        html = lxml.html.fromstring(
            (shop.out_dir / "public" / path.strip("/") / "index.html").read_bytes()
        )
        for card in html.xpath("//ul[@class='grid']/li[@data-product]"):
            cards[card.get("data-product")] = dict(card.attrib)
    return cards


def _footwear(shop: Shop) -> set[str]:
    """Every Footwear product (trail running and hiking boots), from the content itself."""
    found = set()
    for source in (ROOT / "content" / "products").glob("*.md"):
        front_matter = source.read_text().split("---")[1]
        if re.search(r"^category: (trail-running|hiking-boots)$", front_matter, re.MULTILINE):
            found.add(source.stem)
    return found


def test_the_pager_walks_through_every_product_of_the_category(page: Page, shop: Shop) -> None:
    seen: list[str] = []
    page.goto(CATEGORY)
    for number, path in enumerate(PAGES, start=1):
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        expect(page.locator("[data-pager] [aria-current=page]")).to_have_text(str(number))
        expect(page.locator("#listing-count")).to_have_text("6 products")  # the whole category
        seen.extend(_visible(page))
        if number < len(PAGES):
            page.locator("[data-pager] a[rel=next]").click()

    assert len(seen) == len(set(seen)) == 6
    assert set(seen) == _footwear(shop) == set(_served_cards(shop))
    expect(page.locator("[data-pager] a[rel=next]")).to_have_count(0)
    page.locator("[data-pager] a[rel=prev]").click()
    expect(page).to_have_url(re.compile(re.escape(PAGES[1]) + "$"))


def test_filters_on_a_later_page_search_the_whole_category(page: Page, shop: Shop) -> None:
    page.goto(PAGES[2])
    own_cards = _visible(page)
    assert len(own_cards) == 2

    page.locator(".filters-panel summary").click()  # fetches the category's cards fragment
    page.select_option("select[name=sort]", "price-asc")

    expect(page.locator(VISIBLE)).to_have_count(6)
    prices = [int(p) for p in _visible(page, "data-price")]
    assert prices == sorted(prices)
    assert set(_visible(page)) == _footwear(shop)
    expect(page.locator("[data-pager]")).to_be_hidden()
    expect(page.locator("#listing-count")).to_have_text("6 products")
    expect(page).to_have_url(re.compile(r"/page/3/\?sort=price-asc$"))

    page.locator("input[name=flag][value=sale]").check()
    on_sale = {slug for slug, card in _served_cards(shop).items() if card["data-on-sale"] == "true"}
    assert 0 < len(on_sale) < 6
    expect(page.locator(VISIBLE)).to_have_count(len(on_sale))
    assert set(_visible(page)) == on_sale

    # Clearing the choice brings back this page as served: its own cards and the pager.
    page.locator("[data-filters-clear]").click()
    expect(page).to_have_url(re.compile(r"/page/3/$"))
    expect(page.locator("[data-pager]")).to_be_visible()
    expect(page.locator(VISIBLE)).to_have_count(2)
    assert _visible(page) == own_cards


def test_filters_that_could_not_load_offer_another_try(page: Page, shop: Shop) -> None:
    # Given a connection that drops the first request for the category's cards
    failures: list[str] = []

    def drop_first(route: Route) -> None:
        if not failures:
            failures.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r"/categories/footwear/cards\.html$"), drop_first)
    page.goto(PAGES[1])
    page.locator(".filters-panel summary").click()

    # Then the panel says so and offers to try again, which loads the filters
    status = page.locator(".filters-status")
    expect(status).to_contain_text("The filters could not load.")
    assert len(failures) == 1
    expect(page.locator("select[name=sort]")).to_have_count(0)
    status.get_by_role("button", name="Try again").click()
    expect(page.locator(".filters-status")).to_have_count(0)
    page.select_option("select[name=sort]", "price-asc")
    expect(page.locator(VISIBLE)).to_have_count(6)


def test_a_shared_filtered_link_to_a_paginated_category_applies_at_once(
    page: Page, shop: Shop
) -> None:
    page.goto(f"{CATEGORY}?sort=price-desc")

    expect(page.locator(".filters-panel")).to_have_attribute("open", "")
    expect(page.locator(VISIBLE)).to_have_count(6)
    prices = [int(p) for p in _visible(page, "data-price")]
    assert prices == sorted(prices, reverse=True)
    expect(page.locator("[data-pager]")).to_be_hidden()


def test_without_javascript_the_pages_still_link_to_each_other(browser_without_js: Page) -> None:
    page = browser_without_js
    page.goto(PAGES[1])

    assert len(_visible(page)) == 2
    page.locator("[data-pager] a[aria-label='Page 3']").click()
    expect(page).to_have_url(re.compile(re.escape(PAGES[2]) + "$"))
    assert len(_visible(page)) == 2
    expect(page.locator(".filters-panel")).to_have_count(0)


@pytest.fixture
def browser_without_js(browser: Browser, shop: Shop) -> Iterator[Page]:
    """A page in a profile with JavaScript turned off."""
    context = browser.new_context(base_url=shop.url, java_script_enabled=False)
    yield context.new_page()
    context.close()
