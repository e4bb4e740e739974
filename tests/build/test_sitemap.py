"""sitemap.xml and robots.txt: indexable pages only, content dates, hreflang, images, splits."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

import lxml.html
from lxml import etree

from storefront.model import Catalog, Category, Review
from storefront.output import OutputFile
from storefront.pipeline import build_site
from storefront.render import render_site
from storefront.robots import build_robots
from storefront.sitemap import build_sitemaps
from tests.build.catalog_factory import make_catalog as make_rendered_catalog
from tests.build.index_factories import make_catalog, make_product, make_store

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
}
BASE = "https://shop.example.com"


def _files(outputs: list[OutputFile]) -> dict[str, etree._Element]:
    return {f.path: etree.fromstring(f.data) for f in outputs}


def _urls(root: etree._Element) -> dict[str, etree._Element]:
    return {u.findtext("s:loc", namespaces=NS): u for u in root.findall("s:url", NS)}


def test_sitemap_lists_home_categories_products_and_pages_in_every_locale() -> None:
    urls = _urls(_files(list(build_sitemaps(make_catalog())))["sitemap.xml"])

    expected_routes = [
        "/",
        "/categories/footwear/",
        "/categories/trail-running/",
        "/categories/clothing/",
        "/categories/jackets/",
        "/products/storm-jacket/",
        "/products/trail-shoe/",
        "/pages/shipping/",
    ]
    expected = {BASE + r for r in expected_routes} | {BASE + "/fr" + r for r in expected_routes}
    assert set(urls) == expected


def test_sitemap_never_lists_private_or_noindex_pages() -> None:
    urls = _urls(_files(list(build_sitemaps(make_catalog())))["sitemap.xml"])

    for loc in urls:
        path = loc.removeprefix(BASE)
        assert not any(
            part in path for part in ("/cart/", "/checkout/", "/order/", "/search/", "404")
        ), loc


def test_lastmod_comes_from_content_dates_not_the_build_clock() -> None:
    urls = _urls(_files(list(build_sitemaps(make_catalog())))["sitemap.xml"])

    def lastmod(route: str) -> str | None:
        text: str | None = urls[BASE + route].findtext("s:lastmod", namespaces=NS)
        return text

    assert lastmod("/products/trail-shoe/") == "2026-10-14"  # its `updated`
    assert lastmod("/fr/products/storm-jacket/") == "2026-06-20"
    assert lastmod("/pages/shipping/") == "2026-09-01"
    # A category is as new as its newest product, including those of subcategories.
    assert lastmod("/categories/jackets/") == "2026-06-20"
    assert lastmod("/categories/footwear/") == "2026-10-14"
    # The home page is as new as the newest content of the whole shop.
    assert lastmod("/") == "2026-10-14"


def test_a_review_newer_than_updated_dates_the_product_and_what_lists_it() -> None:
    # Given a jacket updated on 2026-06-20 and reviewed since, on a date its page shows
    catalog = make_catalog()
    reviews = (
        Review("Ana", 5, date(2026, 11, 3), "Dry", "Kept me dry."),
        Review("Bo", 4, date(2026, 7, 1), "Warm", "Warm enough."),
    )
    products = tuple(
        replace(p, reviews=reviews) if p.slug == "storm-jacket" else p for p in catalog.products
    )
    urls = _urls(_files(list(build_sitemaps(replace(catalog, products=products))))["sitemap.xml"])

    def lastmod(route: str) -> str | None:
        text: str | None = urls[BASE + route].findtext("s:lastmod", namespaces=NS)
        return text

    # Then its page, its categories and the home page are dated by the newest review
    assert lastmod("/products/storm-jacket/") == "2026-11-03"
    assert lastmod("/fr/products/storm-jacket/") == "2026-11-03"
    assert lastmod("/categories/jackets/") == "2026-11-03"
    assert lastmod("/categories/clothing/") == "2026-11-03"
    assert lastmod("/") == "2026-11-03"
    # and a review older than `updated` changes nothing
    assert lastmod("/products/trail-shoe/") == "2026-10-14"


def test_an_unchanged_catalog_gives_a_byte_identical_sitemap() -> None:
    first = list(build_sitemaps(make_catalog()))
    second = list(build_sitemaps(make_catalog()))

    assert first == second


def test_every_url_declares_reciprocal_hreflang_alternates_with_x_default() -> None:
    urls = _urls(_files(list(build_sitemaps(make_catalog())))["sitemap.xml"])

    for loc, url in urls.items():
        links = {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link", NS)
            if link.get("rel") == "alternate"
        }
        assert set(links) == {"en", "fr", "x-default"}, loc
        assert loc in links.values(), f"{loc} does not list itself among its alternates"
        assert links["x-default"] == links["en"]
        for href in links.values():
            # Reciprocity: each alternate exists in the sitemap and points back with the same set.
            assert href in urls, f"{loc} names {href}, which the sitemap does not list"
            back = {
                link.get("hreflang"): link.get("href")
                for link in urls[href].findall("xhtml:link", NS)
            }
            assert back == links, f"{href} does not point back to {loc} with the same alternates"


def test_single_locale_shop_declares_no_alternates() -> None:
    catalog = make_catalog(store=make_store(locales=("en",)))

    root = _files(list(build_sitemaps(catalog)))["sitemap.xml"]

    assert root.findall("s:url/xhtml:link", NS) == []
    assert len(root.findall("s:url", NS)) == 8


def test_product_urls_carry_every_product_image_as_absolute_url() -> None:
    urls = _urls(_files(list(build_sitemaps(make_catalog())))["sitemap.xml"])

    for route in ("/products/trail-shoe/", "/fr/products/trail-shoe/"):
        images = urls[BASE + route].findall("image:image/image:loc", NS)
        assert [i.text for i in images] == [
            BASE + "/images/trail-shoe-1.jpg",
            BASE + "/images/trail-shoe-2.jpg",
        ]
    assert urls[BASE + "/categories/footwear/"].findall("image:image", NS) == []


def test_past_the_url_limit_the_sitemap_becomes_an_index_of_parts() -> None:
    # Given 16 URLs and a limit of 5 per file
    outputs = list(build_sitemaps(make_catalog(), max_urls=5))
    files = _files(outputs)

    # Then sitemap.xml is an index naming 4 parts, which together hold all 16 URLs
    index = files["sitemap.xml"]
    assert etree.QName(index).localname == "sitemapindex"
    part_locs = [s.findtext("s:loc", namespaces=NS) for s in index.findall("s:sitemap", NS)]
    # At the root: a sitemap may list only URLs under its own folder (sitemaps.org)
    assert part_locs == [f"{BASE}/sitemap-{n}.xml" for n in range(1, 5)]
    all_urls: list[str] = []
    for loc in part_locs:
        assert loc is not None
        part = files[loc.removeprefix(BASE + "/")]
        part_urls = list(_urls(part))
        assert 1 <= len(part_urls) <= 5
        all_urls += part_urls
    assert len(all_urls) == len(set(all_urls)) == 16
    whole = _urls(_files(list(build_sitemaps(make_catalog())))["sitemap.xml"])
    assert set(all_urls) == set(whole)


def test_each_index_entry_has_the_newest_lastmod_of_its_part() -> None:
    files = _files(list(build_sitemaps(make_catalog(), max_urls=5)))

    for entry in files["sitemap.xml"].findall("s:sitemap", NS):
        loc = entry.findtext("s:loc", namespaces=NS)
        assert loc is not None
        part = files[loc.removeprefix(BASE + "/")]
        dates = [u.findtext("s:lastmod", namespaces=NS) for u in part.findall("s:url", NS)]
        assert entry.findtext("s:lastmod", namespaces=NS) == max(d for d in dates if d)


def test_sitemap_splits_by_size_as_well_as_by_count() -> None:
    outputs = list(build_sitemaps(make_catalog(), max_bytes=3000))

    parts = [f for f in outputs if f.path.startswith("sitemap-")]
    assert len(parts) > 1
    assert all(len(p.data) <= 3000 for p in parts)


def test_a_category_without_products_is_left_out_and_its_parent_dated_by_its_own() -> None:
    catalog = make_catalog(products=(make_product(category="trail-running"),))

    urls = _urls(_files(list(build_sitemaps(catalog)))["sitemap.xml"])

    assert BASE + "/categories/jackets/" not in urls
    assert BASE + "/categories/clothing/" not in urls  # its only child is empty too
    assert urls[BASE + "/categories/footwear/"].findtext("s:lastmod", namespaces=NS) == "2026-01-01"


def test_urls_with_special_characters_are_escaped() -> None:
    catalog = make_catalog(store=replace(make_store(), base_url="https://shop.example.com/a&b"))

    root = _files(list(build_sitemaps(catalog)))["sitemap.xml"]  # parses: well-formed

    assert root.findtext("s:url/s:loc", namespaces=NS) == "https://shop.example.com/a&b/"


def test_robots_disallows_only_what_is_not_a_page_and_names_the_sitemap() -> None:
    (robots,) = build_robots(make_catalog())
    lines = robots.data.decode().splitlines()

    assert robots.path == "robots.txt"
    assert lines[0] == "User-agent: *"
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow")}
    # The cart, checkout and order pages used to be disallowed too; they are `noindex`, and a
    # crawler only obeys a noindex it may fetch, so they stay crawlable in every locale.
    # Nor are the card fragments of paginated categories pages.
    assert disallowed == {"/api/", "/_dev/", "/*/cards.html$"}
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    # Pages that must stay crawlable are not blocked.
    assert not any(
        path.startswith(blocked)
        for blocked in disallowed
        for path in ("/", "/products/", "/search/", "/cart/", "/fr/checkout/success/", "/order/")
    )


def test_lastmod_dates_are_iso_dates() -> None:
    root = _files(list(build_sitemaps(make_catalog())))["sitemap.xml"]

    for text in root.xpath("//s:lastmod/text()", namespaces=NS):
        date.fromisoformat(str(text))
    by_lastmod: dict[str, int] = defaultdict(int)
    for text in root.xpath("//s:lastmod/text()", namespaces=NS):
        by_lastmod[str(text)] += 1
    assert len(by_lastmod) > 1  # dates differ per page, not one build-wide stamp


SITE_DIR = Path(__file__).resolve().parents[2] / "site"


def _rendered_pages(catalog: Catalog) -> dict[str, lxml.html.HtmlElement]:
    """Every HTML page the theme renders for the catalog, by public path."""
    pages = {}
    for file in render_site(catalog, SITE_DIR):
        if file.path.endswith(".html"):
            path = "/" + file.path.removesuffix("index.html")
            pages[path] = lxml.html.fromstring(file.data)
    return pages


def _robots(page: lxml.html.HtmlElement) -> str:
    (content,) = page.xpath("//meta[@name='robots']/@content")
    return str(content)


def test_sitemap_lists_exactly_the_indexable_pages_the_render_produced(tmp_path: Path) -> None:
    # Given the pages rendered for a catalog, each with its robots meta
    catalog = make_rendered_catalog(tmp_path)
    pages = _rendered_pages(catalog)
    indexable = {path for path, page in pages.items() if "noindex" not in _robots(page)}
    assert len(indexable) < len(pages)  # the theme does render noindex pages (cart, 404…)

    # When the sitemap is built from the same catalog
    urls = _urls(_files(list(build_sitemaps(catalog)))["sitemap.xml"])

    # Then it lists every indexable page and nothing else
    base = catalog.store.base_url
    assert {loc.removeprefix(base) for loc in urls} == indexable


def test_an_empty_category_asks_not_to_be_indexed_and_is_not_in_the_sitemap(
    tmp_path: Path,
) -> None:
    # "No products here yet" in every language: a soft 404 for a search engine.
    catalog = make_rendered_catalog(tmp_path)
    locales = catalog.store.locales
    empty = Category("coming-soon", None, {locale: "Soon" for locale in locales}, {}, 99)
    catalog = replace(catalog, categories=(*catalog.categories, empty))
    pages = _rendered_pages(catalog)
    urls = _urls(_files(list(build_sitemaps(catalog)))["sitemap.xml"])

    assert _robots(pages["/categories/coming-soon/"]) == "noindex, follow"
    assert not [loc for loc in urls if "coming-soon" in loc]
    assert _robots(pages["/categories/footwear/"]) == "index, follow"


def test_a_product_without_a_translation_is_offered_in_its_own_language_only(
    tmp_path: Path,
) -> None:
    # Its French page repeats the English text under a French interface: to a search
    # engine, a duplicate in the wrong language, so it is neither indexed nor announced.
    catalog = make_rendered_catalog(tmp_path)
    first = catalog.products[0]
    products = (replace(first, untranslated=frozenset({"fr"})), *catalog.products[1:])
    catalog = replace(catalog, products=products)
    pages = _rendered_pages(catalog)
    urls = _urls(_files(list(build_sitemaps(catalog)))["sitemap.xml"])
    route = f"/products/{first.slug}/"

    assert _robots(pages["/fr" + route]) == "noindex, follow"
    assert _robots(pages[route]) == "index, follow"
    assert BASE + "/fr" + route not in urls
    in_page = pages[route].xpath("//head/link[@rel='alternate'][@hreflang]/@hreflang")
    in_sitemap = [link.get("hreflang") for link in urls[BASE + route].findall("xhtml:link", NS)]
    assert "fr" not in in_page
    assert "fr" not in in_sitemap
    # Its other pages, and other products, are offered in French as before
    other = f"/products/{catalog.products[1].slug}/"
    assert BASE + "/fr" + other in urls


def test_a_content_page_without_a_translation_is_offered_in_its_own_language_only(
    tmp_path: Path,
) -> None:
    # Given the legal notice has no French file (its French page repeats the English)
    catalog = make_rendered_catalog(tmp_path)
    pages_of_shop = tuple(
        replace(
            page,
            texts={"en": page.texts["en"], "fr": page.texts["en"]},
            untranslated=frozenset({"fr"}),
        )
        if page.slug == "legal"
        else page
        for page in catalog.pages
    )
    catalog = replace(catalog, pages=pages_of_shop)
    pages = _rendered_pages(catalog)
    urls = _urls(_files(list(build_sitemaps(catalog)))["sitemap.xml"])

    # Then, as an untranslated product, it is not indexed nor announced in French
    assert _robots(pages["/fr/pages/legal/"]) == "noindex, follow"
    assert _robots(pages["/pages/legal/"]) == "index, follow"
    assert BASE + "/fr/pages/legal/" not in urls
    in_page = pages["/pages/legal/"].xpath("//head/link[@rel='alternate'][@hreflang]/@hreflang")
    assert "fr" not in in_page
    assert BASE + "/fr/pages/shipping/" in urls  # translated pages as before


def test_sitemap_agrees_with_each_pages_canonical_and_hreflang_links(tmp_path: Path) -> None:
    catalog = make_rendered_catalog(tmp_path)
    pages = _rendered_pages(catalog)
    urls = _urls(_files(list(build_sitemaps(catalog)))["sitemap.xml"])

    for loc, url in urls.items():
        page = pages[loc.removeprefix(catalog.store.base_url)]
        assert page.xpath("//link[@rel='canonical']/@href") == [loc]
        in_page = {
            link.get("hreflang"): link.get("href")
            for link in page.xpath("//head/link[@rel='alternate'][@hreflang]")
        }
        in_sitemap = {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)
        }
        assert in_page == in_sitemap, loc


def test_hreflang_uses_bcp47_tags_for_regional_locales() -> None:
    catalog = make_catalog(store=make_store(locales=("en", "fr_CA")))

    urls = _urls(_files(list(build_sitemaps(catalog)))["sitemap.xml"])

    links = urls[BASE + "/fr_CA/products/trail-shoe/"].findall("xhtml:link", NS)
    assert {link.get("hreflang") for link in links} == {"en", "fr-CA", "x-default"}


def test_a_content_page_whose_translation_file_is_missing_is_not_offered_in_french(
    content: Path, tmp_path: Path
) -> None:
    # Given the example shop without about.fr.md (as an editor who has not translated it)
    (content / "pages" / "about.fr.md").unlink()

    # When it is built
    build_site(content, tmp_path / "dist", image_cache=None)

    # Then the French about page repeats the English text, asks not to be indexed, and
    # neither the sitemap nor the English page's hreflang links announce it
    public = tmp_path / "dist" / "public"
    french = lxml.html.fromstring((public / "fr" / "pages" / "about" / "index.html").read_bytes())
    english = lxml.html.fromstring((public / "pages" / "about" / "index.html").read_bytes())
    assert _robots(french) == "noindex, follow"
    assert _robots(english) == "index, follow"
    assert "fr" not in english.xpath("//head/link[@rel='alternate'][@hreflang]/@hreflang")
    urls = _urls(etree.fromstring((public / "sitemap.xml").read_bytes()))
    assert BASE + "/pages/about/" in urls
    assert BASE + "/fr/pages/about/" not in urls
    assert BASE + "/fr/pages/shipping/" in urls  # a translated page as before
