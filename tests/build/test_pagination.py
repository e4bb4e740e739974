"""Long category listings split into pages: routes, pager, SEO, sitemap and the cards fragment."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import lxml.html
import pytest

from storefront.model import Catalog, Image
from storefront.pagination import page_route, pager, split_pages
from storefront.plan_pages import plan_pages
from storefront.sitemap import build_sitemaps
from storefront.ui_strings import load_ui_strings
from tests.build.catalog_factory import make_catalog, make_mug, make_store, write_image
from tests.build.rendered_site import SITE_DIR, render

MUGS = 23
PER_PAGE = 5  # pages of 5, 5, 5, 5 and 3
BASE = "https://shop.example.com"


def _mugs_shop(content_dir: Path, per_page: int = PER_PAGE) -> Catalog:
    """The small shop with MUGS more mugs in its camp kitchen, each published on its own day."""
    mugs = tuple(
        make_mug(
            content_dir,
            slug=f"mug-{i:02d}",
            variants=(replace(make_mug(content_dir).variants[0], sku=f"MUG-{i:02d}"),),
            published=date(2025, 1, 1 + i),
            updated=date(2025, 2, 1 + i),
        )
        for i in range(MUGS)
    )
    return make_catalog(content_dir, products=mugs, store=make_store(products_per_page=per_page))


def _slugs(page: lxml.html.HtmlElement) -> list[str]:
    return [str(card.get("data-product")) for card in page.xpath("//ul[@class='grid']/li")]


def test_split_keeps_every_item_once_in_order() -> None:
    items = list(range(23))

    pages = split_pages(items, 5)

    assert [len(p) for p in pages] == [5, 5, 5, 5, 3]
    assert [i for p in pages for i in p] == items
    assert split_pages([], 5) == [[]]
    assert len(split_pages(items[:10], 5)) == 2
    with pytest.raises(ValueError, match="products per page: expected at least 1, got 0"):
        split_pages(items, 0)


def test_the_first_page_keeps_the_category_route_and_later_pages_go_under_page() -> None:
    assert page_route("/categories/mugs/", 1) == "/categories/mugs/"
    assert page_route("/categories/mugs/", 3) == "/categories/mugs/page/3/"
    with pytest.raises(ValueError, match="page number: expected at least 1, got 0"):
        page_route("/categories/mugs/", 0)


def test_the_pager_links_the_ends_and_the_pages_near_the_current_one_with_gaps() -> None:
    middle = pager("/c/", 6, 12)

    assert [link.number for link in middle.links] == [1, 0, 4, 5, 6, 7, 8, 0, 12]  # 0: a gap
    assert [link.number for link in middle.links if link.current] == [6]
    assert (middle.previous, middle.next) == ("/c/page/5/", "/c/page/7/")
    first = pager("/c/", 1, 3)
    assert first.previous is None
    assert first.next == "/c/page/2/"
    assert [link.route for link in first.links] == ["/c/", "/c/page/2/", "/c/page/3/"]
    assert pager("/c/", 3, 3).next is None


def test_each_page_shows_its_share_of_the_listing_newest_first(tmp_path: Path) -> None:
    catalog = _mugs_shop(tmp_path)
    planned = plan_pages(catalog, load_ui_strings(SITE_DIR / "i18n", catalog.store.locales))
    kitchen = [
        p for p in planned if p.locale == "en" and p.route.startswith("/categories/camp-kitchen/")
    ]

    listing = [p for p in kitchen if p.kind == "category"]
    assert [p.route for p in listing] == [
        "/categories/camp-kitchen/",
        *(f"/categories/camp-kitchen/page/{n}/" for n in range(2, 6)),
    ]
    newest = sorted((p for p in catalog.products if p.category == "camp-kitchen"),
                    key=lambda p: (p.published, p.slug), reverse=True)  # fmt: skip
    assert [s for p in listing for s in p.shows] == [p.slug for p in newest]
    # The cards fragment shows every product of the category, for the filters.
    (fragment,) = [p for p in kitchen if p.kind == "category_cards"]
    assert fragment.output == "categories/camp-kitchen/cards.html"
    assert fragment.shows == tuple(p.slug for p in newest)


def test_a_listing_that_fits_one_page_has_no_pager_and_no_fragment(tmp_path: Path) -> None:
    site = render(_mugs_shop(tmp_path, per_page=100))

    page = site.page("/categories/camp-kitchen/")

    assert len(_slugs(page)) == MUGS
    assert not page.xpath("//nav[@data-pager]")
    assert page.xpath("//section[@data-listing]")[0].get("data-cards") is None
    assert not [path for path in site.files if path.endswith("cards.html")]


def test_later_pages_are_canonical_to_themselves_and_say_their_number(tmp_path: Path) -> None:
    site = render(_mugs_shop(tmp_path))

    first = site.page("/categories/camp-kitchen/")
    second = site.page("/fr/categories/camp-kitchen/page/2/")

    assert first.xpath("//link[@rel='canonical']/@href") == [f"{BASE}/categories/camp-kitchen/"]
    assert first.findtext(".//title") == "Camp kitchen | Northwind Outfitters"
    assert second.xpath("//link[@rel='canonical']/@href") == [
        f"{BASE}/fr/categories/camp-kitchen/page/2/"
    ]
    assert second.findtext(".//title") == "Cuisine – Page 2 sur 5 | Northwind Outfitters"
    hreflang = dict(zip(second.xpath("//link[@hreflang]/@hreflang"),
                        second.xpath("//link[@hreflang]/@href"), strict=True))  # fmt: skip
    assert hreflang["en"] == f"{BASE}/categories/camp-kitchen/page/2/"
    assert second.xpath("//meta[@name='robots']/@content") in ([], ["index, follow"])
    # The heading counts the whole category, not the page.
    assert second.findtext(".//h2[@id='listing-count']") == f"{MUGS} produits"
    # Each page's description is its own (one repeated reads as duplicate pages)
    descriptions = {
        site.page(f"/fr/categories/camp-kitchen/{'' if n == 1 else f'page/{n}/'}").xpath(
            "//meta[@name='description']/@content"
        )[0]
        for n in range(1, 6)
    }
    assert len(descriptions) == 5
    assert any(d.startswith("Cuisine – Page 2 sur 5.") for d in descriptions)


def test_the_pager_is_plain_links_to_the_neighbours_and_the_pages(tmp_path: Path) -> None:
    site = render(_mugs_shop(tmp_path))

    pager_nav = site.page("/categories/camp-kitchen/page/2/").xpath("//nav[@data-pager]")[0]

    links = {a.get("href"): a for a in pager_nav.iter("a")}
    assert pager_nav.xpath("./p/text()") == ["Page 2 of 5"]
    assert pager_nav.xpath(".//a[@rel='prev']/@href") == ["/categories/camp-kitchen/"]
    assert pager_nav.xpath(".//a[@rel='next']/@href") == ["/categories/camp-kitchen/page/3/"]
    assert pager_nav.xpath(".//a[@aria-current='page']/text()") == ["2"]
    assert set(links) == {f"/categories/camp-kitchen/{p}" for p in
                          ("", "page/2/", "page/3/", "page/4/", "page/5/")}  # fmt: skip
    assert all(site.serves(href) for href in links)


def test_the_pages_together_list_the_category_once_and_the_fragment_all_of_it(
    tmp_path: Path,
) -> None:
    site = render(_mugs_shop(tmp_path))
    routes = ["/categories/camp-kitchen/"] + [
        f"/categories/camp-kitchen/page/{n}/" for n in range(2, 6)
    ]

    on_pages = [slug for route in routes for slug in _slugs(site.page(route))]
    section = site.page(routes[0]).xpath("//section[@data-listing]")[0]
    fragment = site.page(section.get("data-cards"))

    assert len(on_pages) == len(set(on_pages)) == MUGS
    assert _slugs(fragment) == on_pages
    # Each card carries what the filters read.
    for card in fragment.xpath("//li"):
        assert card.get("data-price")
        assert card.get("data-facets") is not None
    assert site.page("/fr/categories/camp-kitchen/").xpath("//section/@data-cards") == [
        "/fr/categories/camp-kitchen/cards.html"
    ]


def test_the_sitemap_lists_every_page_of_a_listing_with_its_own_lastmod(tmp_path: Path) -> None:
    catalog = _mugs_shop(tmp_path)

    sitemap = b"".join(f.data for f in build_sitemaps(catalog) if f.path == "sitemap.xml").decode()

    for n in range(2, 6):
        assert f"<loc>{BASE}/categories/camp-kitchen/page/{n}/</loc>" in sitemap
    assert f"{BASE}/categories/camp-kitchen/page/6/" not in sitemap
    assert "cards.html" not in sitemap
    # The last page holds the three oldest mugs: its lastmod is theirs, not the category's.
    last = sitemap.split(f"<loc>{BASE}/categories/camp-kitchen/page/5/</loc>")[1]
    assert last.split("<lastmod>")[1].startswith("2025-02-03<")  # mug-02's, the newest of 00–02
    first = sitemap.split(f"<loc>{BASE}/categories/camp-kitchen/</loc>")[1]
    assert not first.split("<lastmod>")[1].startswith("2025-02-03<")


def test_a_newly_published_product_dates_every_page_its_arrival_shifted(tmp_path: Path) -> None:
    # Given the listing, then a new mug published on 2025-03-01: first, all cards move on
    catalog = _mugs_shop(tmp_path)
    newcomer = replace(
        catalog.products[0],
        slug="mug-new",
        published=date(2025, 3, 1),
        updated=date(2025, 3, 1),
        variants=(replace(catalog.products[0].variants[0], sku="MUG-NEW"),),
    )
    grown = replace(catalog, products=(*catalog.products, newcomer))

    sitemap = b"".join(f.data for f in build_sitemaps(grown) if f.path == "sitemap.xml").decode()

    # Then every page of the listing is dated by that day (each shows other cards now)
    for n in range(1, 6):
        path = page_route("/categories/camp-kitchen/", n)
        entry = sitemap.split(f"<loc>{BASE}{path}</loc>")[1]
        assert entry.split("<lastmod>")[1].startswith("2025-03-01<"), path


def test_each_page_shares_an_image_of_a_product_it_shows(tmp_path: Path) -> None:
    """The social image comes from the page's own products, so it follows their edits."""
    catalog = _mugs_shop(tmp_path)
    mugs = []
    for i, mug in enumerate(catalog.products):
        image = Image(f"images/mug-{i:02d}.jpg", {"en": "Enamel mug"}, 8, 8)
        write_image(tmp_path, image.src, (8, 8))
        mugs.append(replace(mug, images=(image,), featured=mug.slug == "mug-03"))
    site = render(replace(catalog, products=tuple(mugs)))

    for number in range(1, 6):
        page = site.page(page_route("/categories/camp-kitchen/", number))
        shown = set(_slugs(page))
        [image] = page.xpath("//meta[@property='og:image']/@content")
        # mug-NN.jpg (or one of its variants) belongs to mug-NN.
        owner = "mug-" + image.split("/mug-")[1][:2]
        assert owner in shown, (number, image, shown)
        if "mug-03" in shown:
            assert owner == "mug-03"  # the featured one, wherever it stands on its page
