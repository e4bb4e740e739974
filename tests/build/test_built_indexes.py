"""The index outputs of a real build of the example shop, read back from dist/public/.

Sitemap completeness is checked against the pages the build actually wrote:
every HTML file is found by walking the output and classified by its own
robots meta, so a page the theme adds or marks noindex cannot drift from the
sitemap unnoticed.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
from lxml import etree
from shop.availability_feed import AVAILABILITY_FEED_KEY, render_availability_feed
from shop.snapshot_format import load_snapshot_file
from shop.stock import merchant_availability

from storefront.pipeline import build_site

ROOT = Path(__file__).resolve().parents[2]
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
}
G = "{http://base.google.com/ns/1.0}"
PRICE = re.compile(r"^\d+\.\d{2} [A-Z]{3}$")


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/public/ of the example shop in content/, built by the real pipeline."""
    out = tmp_path_factory.mktemp("example") / "dist"
    build_site(ROOT / "content", out)
    return out / "public"


@pytest.fixture(scope="module")
def base_url(public: Path) -> str:
    """The store's base URL, as the build wrote it into catalog.json."""
    snapshot = json.loads((public.parent / "catalog.json").read_text())
    return str(snapshot["store"]["base_url"]).rstrip("/")


def _pages_by_robots(public: Path) -> dict[str, str]:
    """Public path → robots meta of every HTML page in the output."""
    pages = {}
    for file in public.rglob("*.html"):
        tree = lxml.html.fromstring(file.read_bytes())
        robots = tree.xpath("//meta[@name='robots']/@content")
        assert len(robots) == 1, f"{file}: expected one robots meta, found {robots}"
        relative = file.relative_to(public).as_posix()
        pages["/" + relative.removesuffix("index.html")] = str(robots[0])
    return pages


def _sitemap_urls(public: Path) -> dict[str, etree._Element]:
    root = etree.parse(str(public / "sitemap.xml")).getroot()
    parts = [root]
    if etree.QName(root).localname == "sitemapindex":
        parts = [
            etree.parse(str(public / loc.split("/", 3)[3])).getroot()
            for loc in root.xpath("s:sitemap/s:loc/text()", namespaces=NS)
        ]
    return {
        url.findtext("s:loc", namespaces=NS): url
        for part in parts
        for url in part.findall("s:url", NS)
    }


def test_sitemap_lists_every_indexable_page_written_and_nothing_else(
    public: Path, base_url: str
) -> None:
    pages = _pages_by_robots(public)
    indexable = {path for path, robots in pages.items() if "noindex" not in robots}
    noindex = set(pages) - indexable

    listed = {loc.removeprefix(base_url) for loc in _sitemap_urls(public)}

    assert listed == indexable
    assert {"/cart/", "/search/", "/404.html", "/fr/cart/", "/checkout/success/"} <= noindex
    assert len(listed) > 100  # the example shop: home, categories, products, pages × 2 locales


def test_sitemap_alternates_are_reciprocal_and_match_each_pages_head(
    public: Path, base_url: str
) -> None:
    urls = _sitemap_urls(public)

    for loc, url in urls.items():
        alternates = {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)
        }
        assert loc in alternates.values()
        assert "x-default" in alternates
        for href in alternates.values():
            back = {
                link.get("hreflang"): link.get("href")
                for link in urls[href].findall("xhtml:link", NS)
            }
            assert back == alternates, (loc, href)
        path = loc.removeprefix(base_url)
        head = lxml.html.fromstring((public / (path.lstrip("/") + "index.html")).read_bytes())
        in_head = {
            link.get("hreflang"): link.get("href")
            for link in head.xpath("//head/link[@rel='alternate'][@hreflang]")
        }
        assert in_head == alternates, loc


def test_sitemap_images_exist_in_the_output(public: Path, base_url: str) -> None:
    images = {
        str(src)
        for url in _sitemap_urls(public).values()
        for src in url.xpath("image:image/image:loc/text()", namespaces=NS)
    }

    assert images
    for src in images:
        assert (public / src.removeprefix(base_url + "/")).is_file(), src


def test_robots_txt_names_the_sitemap_and_blocks_what_is_not_a_page(
    public: Path, base_url: str
) -> None:
    robots = (public / "robots.txt").read_text().splitlines()

    assert f"Sitemap: {base_url}/sitemap.xml" in robots
    disallowed = [line.removeprefix("Disallow: ") for line in robots if line.startswith("Disallow")]
    # The API, the dev tools, and the card fragments a paginated category's filters fetch.
    assert disallowed == ["/api/", "/_dev/", "/*/cards.html$"]
    # Every noindex page is crawlable, so crawlers can see its noindex (a page blocked here
    # could still be indexed from links, without its content): the cart, checkout and order
    # pages were disallowed before.
    noindex = [
        path for path, robots_meta in _pages_by_robots(public).items() if "noindex" in robots_meta
    ]
    assert {"/cart/", "/fr/cart/", "/checkout/success/", "/order/"} <= set(noindex)
    assert not [path for path in noindex if any(path.startswith(d) for d in disallowed)]


def test_the_build_leaves_the_live_availability_feed_to_its_function(public: Path) -> None:
    # functions/feed_availability writes it hourly; a built copy would carry stale stock.
    assert not (public / AVAILABILITY_FEED_KEY).exists()
    manifest = json.loads((public.parent / "manifest.json").read_text())
    assert AVAILABILITY_FEED_KEY not in manifest["files"]


@pytest.mark.parametrize("feed", ["feeds/products.xml", "fr/feeds/products.xml"])
def test_the_availability_feed_ids_are_the_merchant_feed_ids(public: Path, feed: str) -> None:
    # Merchant Center joins a supplemental feed to the primary one by g:id.
    snapshot = load_snapshot_file(public.parent / "catalog.json")
    units = {sku: entry.initial_stock for sku, entry in snapshot.skus.items()}
    supplemental = etree.fromstring(render_availability_feed("Shop", "https://x.test", units))
    primary = etree.parse(str(public / feed)).getroot()
    ids = [item.findtext(f"{G}id") for item in primary.iterfind("channel/item")]
    assert sorted(ids) == [item.findtext(f"{G}id") for item in supplemental.iter("item")]
    for item in primary.iterfind("channel/item"):
        sku = item.findtext(f"{G}id")
        assert sku is not None
        # With no sale yet, the live feed says what the build's feed says.
        assert item.findtext(f"{G}availability") == merchant_availability(units[sku])


@pytest.mark.parametrize("feed", ["feeds/products.xml", "fr/feeds/products.xml"])
def test_every_merchant_feed_item_has_the_required_fields(
    public: Path, base_url: str, feed: str
) -> None:
    snapshot = json.loads((public.parent / "catalog.json").read_text())
    items = etree.parse(str(public / feed)).getroot().findall("channel/item")

    assert {item.findtext(f"{G}id") for item in items} == set(snapshot["skus"])
    for item in items:
        sku = item.findtext(f"{G}id")
        for field in (
            "title",
            "description",
            "link",
            "image_link",
            "availability",
            "price",
            "brand",
            "condition",
        ):
            assert item.findtext(f"{G}{field}"), (sku, field)
        assert PRICE.match(item.findtext(f"{G}price") or ""), sku
        sale = item.findtext(f"{G}sale_price")
        assert sale is None or PRICE.match(sale), sku
        assert item.findtext(f"{G}availability") in {"in_stock", "out_of_stock"}
        has_id = item.find(f"{G}gtin") is not None or item.find(f"{G}mpn") is not None
        assert has_id != (item.findtext(f"{G}identifier_exists") == "no"), sku
        assert item.findall(f"{G}shipping"), sku
        link = item.findtext(f"{G}link") or ""
        page = link.removeprefix(base_url).split("?")[0].lstrip("/") + "index.html"
        assert (public / page).is_file(), link
        # The feed's price is the price the checkout charges (the snapshot's).
        charged = snapshot["skus"][sku]["price"]["amount"]
        shown = sale or item.findtext(f"{G}price") or ""
        assert Decimal(shown.split()[0]) * 100 == charged, sku


def test_search_bundle_and_vocabularies_are_written_for_every_locale(public: Path) -> None:
    entry = json.loads((public / "pagefind/pagefind-entry.json").read_text())
    snapshot = json.loads((public.parent / "catalog.json").read_text())
    products = {sku["product"] for sku in snapshot["skus"].values()}
    pages = list((public / "pages").iterdir())  # one folder per content page

    assert (public / "pagefind/pagefind.js").is_file()
    for locale in snapshot["store"]["locales"]:
        assert entry["languages"][locale]["page_count"] == len(products) + len(pages)
        vocabulary = json.loads((public / f"search/vocabulary.{locale}.json").read_text())
        assert len(vocabulary["words"]) > 50
    words = json.loads((public / "search/vocabulary.en.json").read_text())["words"]
    assert {"trail", "shoe", "jacket"} <= set(words)  # the typo examples can be corrected
