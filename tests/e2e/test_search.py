"""The search page in a real browser: results as you type, typo correction, suggestions, no-JS."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from storefront import product_buckets
from storefront.model import Catalog, Category, Image, Product, ProductText
from storefront.output import OutputFile
from storefront.render import render_site
from storefront.search_index import build_search_index
from tests.build.catalog_factory import make_catalog, make_product, write_image

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = ROOT / "site"


def _jacket(content_dir: Path, slug: str, title: str, summary: str) -> Product:
    text = ProductText(title, summary, "<p>Windproof and light.</p>", (), ())
    image = Image(f"images/{slug}.jpg", {"en": title}, 8, 6)
    write_image(content_dir, image.src)
    shoe = make_product(content_dir)
    return replace(
        shoe,
        slug=slug,
        category="jackets",
        texts={"en": text},
        images=(image,),
        options=(),
        variants=(replace(shoe.variants[0], sku=slug.upper(), options={}),),
        related=(),
        tags=("jacket",),
    )


def _search_catalog(content_dir: Path) -> Catalog:
    """The small rendering shop plus a Clothing > Jackets branch with two jackets."""
    catalog = make_catalog(content_dir)
    categories = (
        *catalog.categories,
        Category("clothing", None, {"en": "Clothing", "fr": "Vêtements"}, {}, 2),
        Category("jackets", "clothing", {"en": "Jackets", "fr": "Vestes"}, {}, 0),
    )
    jackets = (
        _jacket(content_dir, "storm-jacket", "Storm Shell Jacket", "A waterproof shell."),
        _jacket(content_dir, "wind-jacket", "Col Wind Jacket", "A windproof layer."),
    )
    return replace(catalog, categories=categories, products=(*catalog.products, *jackets))


def _write(files: Iterator[OutputFile], root: Path) -> None:
    for file in files:
        target = root / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.data)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module", params=[500, 1], ids=["one bundle", "a shard per product"])
def site_url(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[str]:
    """The rendered site with its search index, served over HTTP on a free local port.

    Once as a small shop has it (one Pagefind bundle per language), once with the index
    cut into shards as a large shop's is (search.js merges them), so every search test
    checks both.
    """
    content_dir = tmp_path_factory.mktemp("content")
    public = tmp_path_factory.mktemp("public")
    catalog = _search_catalog(content_dir)
    _write(render_site(catalog, SITE_DIR), public)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(product_buckets, "PRODUCTS_PER_BUCKET", request.param)
        _write(build_search_index(catalog), public)
    if request.param == 1:
        assert len(list(public.glob("pagefind/shards/*/pagefind-entry.json"))) >= 2
    handler = functools.partial(_QuietHandler, directory=str(public))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def fresh_page(browser: Browser) -> Iterator[Page]:
    """A fresh page (no shop server needed) that fails the test on any script error."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def _result_titles(page: Page) -> list[str]:
    return page.locator("[data-search-result] .search-result-title").all_inner_texts()


def test_results_appear_as_the_shopper_types(fresh_page: Page, site_url: str) -> None:
    fresh_page.goto(site_url + "/search/")

    fresh_page.locator("[data-search-input]").press_sequentially("ridge", delay=30)

    expect(fresh_page).to_have_url(re.compile(r"/search/\?q=ridge$"))  # the query is in the address
    expect(fresh_page.locator("[data-search-result]")).to_have_count(1)
    assert _result_titles(fresh_page) == ["Ridge Trail Shoe"]
    result = fresh_page.locator("[data-search-result] a").first
    assert result.get_attribute("href") == "/products/trail-shoe/"


def test_trial_shoes_finds_the_trail_shoe_and_says_what_it_searched(
    fresh_page: Page, site_url: str
) -> None:
    fresh_page.goto(site_url + "/search/?q=trial+shoe")

    expect(fresh_page.locator("[data-search-result]")).to_have_count(1)
    assert _result_titles(fresh_page) == ["Ridge Trail Shoe"]
    status = fresh_page.locator(".search-status")
    expect(status).to_have_attribute("data-corrected", "trail shoe")
    expect(status).to_contain_text("Showing results for “trail shoe”")


def test_jaket_finds_the_jackets(fresh_page: Page, site_url: str) -> None:
    fresh_page.goto(site_url + "/search/")

    fresh_page.locator("[data-search-input]").fill("jaket")

    expect(fresh_page.locator("[data-search-result]")).to_have_count(2)
    assert sorted(_result_titles(fresh_page)) == ["Col Wind Jacket", "Storm Shell Jacket"]
    expect(fresh_page.locator(".search-status")).to_have_attribute("data-corrected", "jacket")


def test_a_correct_query_is_not_corrected(fresh_page: Page, site_url: str) -> None:
    fresh_page.goto(site_url + "/search/?q=jacket")

    expect(fresh_page.locator("[data-search-result]")).to_have_count(2)
    expect(fresh_page.locator(".search-status")).not_to_have_attribute("data-corrected", "jacket")
    expect(fresh_page.locator(".search-status")).to_have_text("2 results")


def test_suggestions_complete_the_word_being_typed_and_link_categories(
    fresh_page: Page, site_url: str
) -> None:
    fresh_page.goto(site_url + "/search/")

    fresh_page.locator("[data-search-input]").fill("jack")

    suggestion = fresh_page.locator("[data-search-suggestions] [data-suggestion='jacket']")
    expect(suggestion).to_be_visible()
    category = fresh_page.locator("[data-search-suggestions] a[href='/categories/jackets/']")
    expect(category).to_have_text("Jackets")
    suggestion.click()
    expect(fresh_page.locator("[data-search-input]")).to_have_value("jacket")
    expect(fresh_page.locator("[data-search-result]")).to_have_count(2)


def test_nothing_found_says_so_and_offers_the_categories(fresh_page: Page, site_url: str) -> None:
    fresh_page.goto(site_url + "/search/?q=xylophone")

    expect(fresh_page.locator(".search-status")).to_have_text("No products match “xylophone”.")
    expect(
        fresh_page.locator("[data-search-results] a[href='/categories/footwear/']")
    ).to_be_visible()


def test_french_search_page_finds_french_titles(fresh_page: Page, site_url: str) -> None:
    fresh_page.goto(site_url + "/fr/search/?q=chausure")  # one letter missing

    expect(fresh_page.locator("[data-search-result]")).to_have_count(1)
    assert _result_titles(fresh_page) == ["Chaussure de trail Ridge"]
    link = fresh_page.locator("[data-search-result] a").first
    assert link.get_attribute("href") == "/fr/products/trail-shoe/"
    expect(fresh_page.locator(".search-status")).to_contain_text("Résultats pour « chaussure »")


def test_without_javascript_the_page_offers_category_links(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    page.goto(site_url + "/search/?q=jacket")

    assert page.locator("[data-search-result]").count() == 0
    assert page.locator("main a[href='/categories/footwear/']").count() >= 1
    context.close()


@pytest.mark.parametrize(
    ("query", "corrected", "expected_word"),
    [
        ("trial shoes", "trail shoes", "Trail Shoe"),
        ("jaket", "jacket", "Jacket"),
        # Pagefind answers it with loose matches (every product in size M), not none
        ("merrino", "merino", "Merino"),
    ],
)
def test_example_shop_forgives_the_issues_typos(
    page: Page, query: str, corrected: str, expected_word: str
) -> None:
    # `page` is the shared harness's: the example shop served by `build.py serve`.
    page.goto(f"/search/?q={query}")

    status = page.locator(".search-status")
    expect(status).to_have_attribute("data-corrected", corrected, timeout=15_000)
    titles = _result_titles(page)
    assert titles, query
    assert expected_word in titles[0], titles


def test_results_past_the_first_page_load_on_demand(page: Page) -> None:
    page.goto("/search/?q=northwind")  # the house brand: most example products

    expect(page.locator("[data-search-result]")).to_have_count(24)
    status = page.locator(".search-status").inner_text()
    total = int(re.sub(r"\D", "", status))
    assert total > 24, status
    page.locator("[data-search-more]").click()

    expect(page.locator("[data-search-result]")).to_have_count(total)
    expect(page.locator("[data-search-more]")).to_have_count(0)


def test_content_pages_are_found_too(fresh_page: Page, site_url: str) -> None:
    fresh_page.goto(site_url + "/search/?q=returns")

    link = fresh_page.locator("[data-search-result] a[href='/pages/returns/']")
    expect(link).to_have_text("Returns")
    assert fresh_page.locator("[data-search-result] img").count() == 0  # pages have no image


CORRECTION_CASES = [
    ("trial shoes", "trail shoes"),  # transposition counts as one edit
    ("jaket", "jacket"),  # a missing letter
    ("jackets", None),  # a plural of a known word is not a typo
    ("jack", None),  # the word being typed may be a prefix
    ("vetements", "vêtements"),  # accents are not typos, the shop's spelling wins
    ("stomr jaket", "storm jacket"),  # every word is corrected
    ("sotrm", "storm"),
    ("ab", None),  # two letters: too short to guess
    ("42 blak", "42 black"),  # numbers are left alone
    ("jxxxet", None),  # three edits: too far
    ("xylophone", None),
]


@pytest.mark.parametrize(("query", "expected"), CORRECTION_CASES)
def test_typo_correction_in_the_browser(
    fresh_page: Page, site_url: str, query: str, expected: str | None
) -> None:
    fresh_page.goto(site_url + "/search/")
    vocabulary = ["trail", "shoe", "shoes", "jacket", "storm", "black", "vêtements"]

    corrected = fresh_page.evaluate(
        "([q, v]) => window.Storefront.spelling.correctQuery(q, v, null)", [query, vocabulary]
    )

    assert corrected == expected


def test_ties_go_to_the_more_frequent_word(fresh_page: Page, site_url: str) -> None:
    fresh_page.goto(site_url + "/search/")

    # "tent" and "test" are both one edit from "tsnt"; the vocabulary lists "tent" first.
    corrected = fresh_page.evaluate(
        "() => window.Storefront.spelling.correctQuery('tsnt', ['tent', 'test'], null)"
    )

    assert corrected == "tent"


def test_a_french_typo_with_loose_matches_is_corrected(page: Page) -> None:
    # Pagefind answered "chausette" with sleeping bags: the shop's word is "chaussettes"
    page.goto("/fr/search/?q=chausette")

    status = page.locator(".search-status")
    expect(status).to_have_attribute("data-corrected", re.compile("^chaussette"), timeout=15_000)
    assert "haussette" in _result_titles(page)[0].lower()
