"""Every rendered page says the right things to search engines: head tags and JSON-LD."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from storefront.seo import DESCRIPTION_MAX, TITLE_MAX, clip, page_description, page_title
from tests.build.catalog_factory import eur, make_catalog, make_mug
from tests.build.rendered_site import RenderedSite, file_for, graph_nodes, json_ld, render

BASE = "https://shop.example.com"
NOINDEX = ("/search/", "/cart/", "/checkout/success/", "/checkout/cancel/", "/order/")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> RenderedSite:
    return render(make_catalog(tmp_path_factory.mktemp("content")))


def _head(site: RenderedSite, path: str, xpath: str) -> list[str]:
    return [str(v) for v in site.page(path).xpath(xpath)]


def _public_paths(site: RenderedSite) -> list[str]:
    return ["/" + p.removesuffix("index.html") for p in site.html_paths()]


def _indexable(site: RenderedSite) -> list[str]:
    return [
        p
        for p in _public_paths(site)
        if _head(site, p, '//meta[@name="robots"]/@content') == ["index, follow"]
    ]


def _node(nodes: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [n for n in nodes if n.get("@type") == kind]
    assert len(found) == 1, f"expected one {kind} node, got {len(found)}"
    return found[0]


def test_titles_are_unique_per_locale_and_short_enough_on_indexable_pages(
    site: RenderedSite,
) -> None:
    # An untranslated name may repeat across locales; hreflang tells engines they are twins.
    indexable = _indexable(site)
    french = [p for p in indexable if p.startswith("/fr/")]
    for locale, paths in (("en", [p for p in indexable if p not in french]), ("fr", french)):
        titles = [_head(site, p, "//title/text()")[0] for p in paths]
        assert [t for t, n in Counter(titles).items() if n > 1] == [], locale
        assert all(0 < len(t) <= TITLE_MAX for t in titles), titles


def test_every_page_has_a_description_within_the_limit(site: RenderedSite) -> None:
    for path in _public_paths(site):
        description = _head(site, path, '//meta[@name="description"]/@content')
        assert len(description) == 1, path
        assert 50 <= len(description[0]) <= DESCRIPTION_MAX, (path, description[0])


def test_product_without_summary_gets_a_description_from_the_catalog(site: RenderedSite) -> None:
    description = _head(site, "/products/camp-mug/", '//meta[@name="description"]/@content')[0]
    assert description.startswith("Enamel Camp Mug by Northwind, €14.50 at Northwind Outfitters.")


def test_shop_pages_without_search_value_are_noindex(site: RenderedSite) -> None:
    for route in NOINDEX:
        for path in (route, "/fr" + route):
            assert _head(site, path, '//meta[@name="robots"]/@content') == ["noindex, follow"]
    assert _head(site, "/404.html", '//meta[@name="robots"]/@content') == ["noindex, follow"]
    assert _head(site, "/404.html", '//link[@rel="canonical"]/@href') == []
    # Served for every missing path: it names no address of its own (it named the home page)
    assert _head(site, "/404.html", '//meta[@property="og:url"]/@content') == []


def test_content_pages_are_indexable(site: RenderedSite) -> None:
    for path in ("/", "/fr/", "/categories/footwear/", "/products/camp-mug/", "/pages/legal/"):
        assert path in _indexable(site)


def test_canonical_is_the_absolute_url_of_the_page_itself(site: RenderedSite) -> None:
    for path in _public_paths(site):
        if path == "/404.html":
            continue
        assert _head(site, path, '//link[@rel="canonical"]/@href') == [BASE + path]
        assert _head(site, path, '//meta[@property="og:url"]/@content') == [BASE + path]


def test_hreflang_alternates_include_self_and_x_default_and_are_reciprocal(
    site: RenderedSite,
) -> None:
    for path in _public_paths(site):
        links = site.page(path).xpath('//link[@rel="alternate"][@hreflang]')
        if path not in _indexable(site):
            assert links == [], path  # cart, search, order, 404: no alternates to offer
            continue
        alternates = {str(link.get("hreflang")): str(link.get("href")) for link in links}
        assert set(alternates) == {"en", "fr", "x-default"}, path
        assert BASE + path in alternates.values(), path
        assert alternates["x-default"] == alternates["en"]
        for target in alternates.values():
            other = target.removeprefix(BASE)
            assert site.serves(other), (path, target)
            back = site.page(other).xpath('//link[@rel="alternate"][@hreflang]/@href')
            assert set(back) == set(alternates.values()), (path, other)


def test_html_lang_and_og_locale_follow_the_page_locale(site: RenderedSite) -> None:
    assert _head(site, "/fr/pages/legal/", "/html/@lang") == ["fr"]
    assert _head(site, "/fr/pages/legal/", '//meta[@property="og:locale"]/@content') == ["fr_FR"]
    assert _head(site, "/pages/legal/", '//meta[@property="og:locale"]/@content') == ["en_US"]


def test_product_page_has_open_graph_and_twitter_cards(site: RenderedSite) -> None:
    path = "/products/trail-shoe/"
    assert _head(site, path, '//meta[@property="og:type"]/@content') == ["product"]
    assert _head(site, path, '//meta[@property="og:title"]/@content') == [
        "Ridge Trail Shoe | Northwind Outfitters"
    ]
    assert _head(site, path, '//meta[@property="og:image"]/@content') == [
        BASE + "/images/shoe-1.jpg"
    ]
    assert _head(site, path, '//meta[@name="twitter:card"]/@content') == ["summary_large_image"]
    assert _head(site, path, '//meta[@property="og:image:width"]/@content') == ["8"]
    assert _head(site, path, '//meta[@property="og:image:alt"]/@content') == ["Shoe, side view"]


def test_category_share_image_comes_from_its_subcategories(site: RenderedSite) -> None:
    # Camping holds no product itself; its subcategory Camp kitchen holds the mug.
    assert _head(site, "/categories/camping/", '//meta[@property="og:image"]/@content') == [
        BASE + "/images/mug.jpg"
    ]


def test_product_group_has_variants_with_offers_for_merchant_listings(site: RenderedSite) -> None:
    nodes = graph_nodes(site.page("/products/trail-shoe/"))
    group = _node(nodes, "ProductGroup")
    assert group["productGroupID"] == "trail-shoe"
    assert group["variesBy"] == ["https://schema.org/size", "https://schema.org/color"]
    assert group["brand"] == {"@type": "Brand", "name": "Northwind"}
    assert group["image"] == [BASE + "/images/shoe-1.jpg", BASE + "/images/shoe-2.jpg"]
    variants = {v["sku"]: v for v in group["hasVariant"]}
    assert set(variants) == {"RTS-40-BLA", "RTS-40-MOS", "RTS-41-BLA", "RTS-41-MOS"}
    moss = variants["RTS-41-MOS"]
    assert (moss["size"], moss["color"]) == ("41", "Moss")
    offer = moss["offers"]
    assert offer["price"] == "119.00"
    assert offer["priceCurrency"] == "EUR"
    assert offer["availability"] == "https://schema.org/OutOfStock"
    assert offer["itemCondition"] == "https://schema.org/NewCondition"
    assert offer["url"] == BASE + "/products/trail-shoe/?sku=RTS-41-MOS"
    assert offer["priceValidUntil"] == "2026-12-31"
    assert offer["priceSpecification"]["priceType"] == "https://schema.org/StrikethroughPrice"
    assert offer["priceSpecification"]["price"] == "149.00"
    assert variants["RTS-40-BLA"]["gtin"] == "3760123456789"
    assert variants["RTS-40-BLA"]["offers"]["availability"] == "https://schema.org/InStock"


def test_the_models_part_number_names_the_product_group_not_its_variants(
    tmp_path: Path,
) -> None:
    # Given a shoe whose model has a part number, and one variant with its own
    catalog = make_catalog(tmp_path)
    shoe = next(p for p in catalog.products if p.slug == "trail-shoe")
    variants = tuple(
        replace(v, mpn="NW-RTS-40-BLA") if v.sku == "RTS-40-BLA" else v for v in shoe.variants
    )
    shoe = replace(shoe, mpn="NW-RTS", variants=variants)
    products = tuple(shoe if p.slug == "trail-shoe" else p for p in catalog.products)
    # When its page is rendered
    site = render(replace(catalog, products=products))
    # Then the group carries the model's, and each variant only its own
    group = _node(graph_nodes(site.page("/products/trail-shoe/")), "ProductGroup")
    assert group["mpn"] == "NW-RTS"
    assert {v["sku"]: v.get("mpn") for v in group["hasVariant"]} == {
        "RTS-40-BLA": "NW-RTS-40-BLA",
        "RTS-40-MOS": None,
        "RTS-41-BLA": None,
        "RTS-41-MOS": None,
    }


def test_colour_variants_show_the_photo_of_their_colour(tmp_path: Path) -> None:
    # Given a shoe whose second photo's alt text names the Moss colour
    catalog = make_catalog(tmp_path)
    shoe = next(p for p in catalog.products if p.slug == "trail-shoe")
    side, sole = shoe.images
    images = (side, replace(sole, alts={"en": "Shoe in moss, sole"}))
    products = tuple(
        replace(p, images=images) if p.slug == "trail-shoe" else p for p in catalog.products
    )
    # When its page is rendered
    site = render(replace(catalog, products=products))
    # Then Moss variants show that photo, and Black ones (no photo names them) the first
    group = _node(graph_nodes(site.page("/products/trail-shoe/")), "ProductGroup")
    assert {v["sku"]: v["image"] for v in group["hasVariant"]} == {
        "RTS-40-BLA": BASE + "/images/shoe-1.jpg",
        "RTS-41-BLA": BASE + "/images/shoe-1.jpg",
        "RTS-40-MOS": BASE + "/images/shoe-2.jpg",
        "RTS-41-MOS": BASE + "/images/shoe-2.jpg",
    }


def test_offers_reference_shipping_and_returns_defined_once_in_the_page(
    site: RenderedSite,
) -> None:
    nodes = graph_nodes(site.page("/products/trail-shoe/"))
    organization = _node(nodes, "OnlineStore")
    policy = organization["hasMerchantReturnPolicy"]
    assert policy["merchantReturnDays"] == 30
    assert policy["returnFees"] == "https://schema.org/FreeReturn"
    assert policy["applicableCountry"] == ["FR", "BE"]
    assert policy["returnPolicyCountry"] == "FR"  # returns go to the shop, in France
    shipping_ids = {n["@id"] for n in nodes if n.get("@type") == "OfferShippingDetails"}
    # Every shoe costs over the 75.00 threshold: free standard delivery; pickup is not shipping.
    assert shipping_ids == {BASE + "/#shipping-standard-free"}
    for variant in _node(nodes, "ProductGroup")["hasVariant"]:
        offer = variant["offers"]
        assert offer["hasMerchantReturnPolicy"] == {"@id": policy["@id"]}
        assert {ref["@id"] for ref in offer["shippingDetails"]} == shipping_ids
        assert offer["seller"] == {"@id": organization["@id"]}


def _shipping_rates(page: lxml.html.HtmlElement) -> dict[str, dict[str, str]]:
    """Each offer's shipping rates by SKU, as {node @id: rate value}."""
    nodes = graph_nodes(page)
    rates = {
        n["@id"]: n["shippingRate"]["value"]
        for n in nodes
        if n.get("@type") == "OfferShippingDetails"
    }
    products = [n for n in nodes if n.get("@type") in ("Product", "ProductGroup")]
    offers = [v for p in products for v in p.get("hasVariant", [p])]
    return {
        o["sku"]: {ref["@id"]: rates[ref["@id"]] for ref in o["offers"]["shippingDetails"]}
        for o in offers
    }


def test_offer_shipping_rate_is_what_the_checkout_charges_for_one_unit(tmp_path: Path) -> None:
    # Given the shop-wide 75.00 threshold with no per-option one (it applies to the first
    # delivery option, as in the checkout), and a shoe whose Moss colour costs 70.00
    catalog = make_catalog(tmp_path)
    standard, pickup = catalog.shipping.options
    express = replace(standard, id="express", price=eur("12.90"), free_over=None)
    shipping = replace(
        catalog.shipping, options=(replace(standard, free_over=None), express, pickup)
    )
    shoe = next(p for p in catalog.products if p.slug == "trail-shoe")
    variants = tuple(
        replace(v, price=eur("70.00")) if v.options["color"] == "Moss" else v for v in shoe.variants
    )
    products = tuple(
        replace(p, variants=variants) if p.slug == "trail-shoe" else p for p in catalog.products
    )
    # When the product pages are rendered
    site = render(replace(catalog, shipping=shipping, products=products))
    # Then an offer at or over the threshold ships free by standard delivery, one under it
    # pays 4.90, and express is never free
    shoe_rates = _shipping_rates(site.page("/products/trail-shoe/"))
    assert shoe_rates["RTS-40-BLA"] == {
        BASE + "/#shipping-standard-free": "0.00",
        BASE + "/#shipping-express": "12.90",
    }
    assert shoe_rates["RTS-40-MOS"] == {
        BASE + "/#shipping-standard": "4.90",
        BASE + "/#shipping-express": "12.90",
    }
    assert _shipping_rates(site.page("/fr/products/camp-mug/"))["MUG-350"] == {
        BASE + "/#shipping-standard": "4.90",
        BASE + "/#shipping-express": "12.90",
    }


def test_reviews_give_aggregate_rating_and_review_items(site: RenderedSite) -> None:
    group = _node(graph_nodes(site.page("/products/trail-shoe/")), "ProductGroup")
    assert group["aggregateRating"]["ratingValue"] == "4.5"
    assert group["aggregateRating"]["reviewCount"] == 2
    assert [r["author"]["name"] for r in group["review"]] == ["Claire M.", "Tom <b>"]
    assert group["review"][0]["reviewRating"]["ratingValue"] == 5


def test_a_review_without_a_title_has_no_empty_name(tmp_path: Path) -> None:
    catalog = make_catalog(tmp_path)
    shoe = next(p for p in catalog.products if p.slug == "trail-shoe")
    untitled = replace(shoe, reviews=(replace(shoe.reviews[0], title=""), *shoe.reviews[1:]))
    catalog = replace(
        catalog, products=tuple(untitled if p is shoe else p for p in catalog.products)
    )
    group = _node(graph_nodes(render(catalog).page("/products/trail-shoe/")), "ProductGroup")
    assert "name" not in group["review"][0]
    assert group["review"][1]["name"] == "Comfy"


def test_the_home_page_points_feed_readers_at_its_locales_new_products_feed(
    site: RenderedSite,
) -> None:
    feed = '//head/link[@rel="alternate"][@type="application/atom+xml"]/@href'
    assert _head(site, "/", feed) == ["/feeds/new.atom"]
    assert _head(site, "/fr/", feed) == ["/fr/feeds/new.atom"]
    assert _head(site, "/products/trail-shoe/", feed) == []  # the home page's alone


def test_single_sku_product_is_a_product_with_one_offer(site: RenderedSite) -> None:
    nodes = graph_nodes(site.page("/fr/products/camp-mug/"))
    product = _node(nodes, "Product")
    assert (product["sku"], product["mpn"]) == ("MUG-350", "NW-MUG")
    assert product["offers"]["price"] == "14.50"
    assert product["offers"]["url"] == BASE + "/fr/products/camp-mug/"
    assert "priceValidUntil" not in product["offers"]
    assert "aggregateRating" not in product


def test_breadcrumb_list_on_product_and_category_pages(site: RenderedSite) -> None:
    crumbs = _node(graph_nodes(site.page("/fr/products/trail-shoe/")), "BreadcrumbList")
    items = crumbs["itemListElement"]
    assert [i["position"] for i in items] == [1, 2, 3, 4]
    assert [i["name"] for i in items] == [
        "Accueil",
        "Chaussures",
        "Trail",
        "Chaussure de trail Ridge",
    ]
    assert items[1]["item"] == BASE + "/fr/categories/footwear/"
    category = _node(graph_nodes(site.page("/categories/trail-running/")), "BreadcrumbList")
    assert [i["name"] for i in category["itemListElement"]] == ["Home", "Footwear", "Trail running"]


def test_home_page_has_organization_and_website_with_search_action(site: RenderedSite) -> None:
    nodes = graph_nodes(site.page("/fr/"))
    organization = _node(nodes, "OnlineStore")
    assert organization["name"] == "Northwind Outfitters"
    assert organization["vatID"] == "FR12345678901"
    action = _node(nodes, "WebSite")["potentialAction"]
    assert action["target"]["urlTemplate"] == BASE + "/fr/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"


def test_the_shops_address_gives_its_postcode_and_town_when_the_editor_does(
    tmp_path: Path,
) -> None:
    catalog = make_catalog(tmp_path)
    contact = replace(
        catalog.store.contact,
        address_lines=("12 rue des Alpes", "74000 Annecy"),
        country="FR",
        postal_code="74000",
        locality="Annecy",
    )
    catalog = replace(catalog, store=replace(catalog.store, contact=contact))
    address = _node(graph_nodes(render(catalog).page("/")), "OnlineStore")["address"]
    assert address == {
        "@type": "PostalAddress",
        "streetAddress": "12 rue des Alpes",
        "postalCode": "74000",
        "addressLocality": "Annecy",
        "addressCountry": "FR",
    }


def test_json_ld_cannot_close_its_script_element(tmp_path: Path) -> None:
    # Given a product whose title tries to end the JSON-LD <script> early
    catalog = make_catalog(tmp_path)
    mug = make_mug(tmp_path)
    text = replace(mug.texts["en"], title="Mug</script><script>alert(1)</script>")
    catalog = replace(catalog, products=(replace(mug, texts={"en": text}),))
    # When it is rendered
    page = render(catalog).page("/products/camp-mug/")
    # Then the JSON-LD still parses and no script element was injected
    assert _node(graph_nodes(page), "Product")["name"] == text.title
    assert not [s for s in page.xpath("//script") if (s.text or "").startswith("alert")]
    assert len(json_ld(page)) == 1


def test_clip_cuts_at_a_word_boundary_with_an_ellipsis() -> None:
    assert clip("one two three", 9) == "one two…"
    assert clip("  short   text ", 50) == "short text"


def test_page_title_drops_the_store_name_when_too_long() -> None:
    assert page_title("Tent", "Northwind") == "Tent | Northwind"
    long_name = "An extremely long product name that goes on and on about the tent"
    assert page_title(long_name, "Northwind").endswith("…")
    assert len(page_title(long_name, "Northwind")) <= TITLE_MAX


def test_page_description_tops_up_short_text_with_the_fallback() -> None:
    assert page_description(
        ["Short.", "A longer fallback sentence that describes the page well."]
    ) == ("Short. A longer fallback sentence that describes the page well.")
    assert page_description(["", "Only fallback"]) == "Only fallback."


def test_a_top_up_adds_whole_sentences_only_never_a_clipped_one() -> None:
    # "…Free standard delivery from…" ended 25 category descriptions mid-phrase.
    own = "Light, grippy shoes for fast days on rough paths."
    fallback = (
        "Shop Trail running at Northwind Outfitters: 12 products. "
        "Free standard delivery from €75.00 in France, Belgium, Germany, the Netherlands, "
        "Luxembourg, Spain, Italy and Austria, returns within 30 days."
    )
    description = page_description([own, fallback])
    assert description == f"{own} Shop Trail running at Northwind Outfitters: 12 products."
    assert not description.endswith("…")


def test_file_for_maps_directories_to_index_files() -> None:
    assert file_for("/fr/cart/?x=1#top") == "fr/cart/index.html"
    assert file_for("/404.html") == "404.html"


def test_page_title_without_a_store_name_is_the_name_alone() -> None:
    assert page_title("Northwind Outfitters", "") == "Northwind Outfitters"


def test_home_title_keeps_the_tagline_only_while_it_fits(site: RenderedSite) -> None:
    assert _head(site, "/", "//title/text()") == [
        "Northwind Outfitters – Gear for long days outside"
    ]
    assert _head(site, "/fr/", "//title/text()") == [
        "Northwind Outfitters – L’équipement des longues journées"
    ]


def test_content_pages_describe_their_breadcrumbs(site: RenderedSite) -> None:
    crumbs = _node(graph_nodes(site.page("/fr/pages/legal/")), "BreadcrumbList")
    assert [i["name"] for i in crumbs["itemListElement"]] == ["Accueil", "legal (fr)"]
    assert crumbs["itemListElement"][0]["item"] == BASE + "/fr/"


def test_delivery_time_gives_handling_and_transit_apart_and_the_page_their_sum(
    tmp_path: Path,
) -> None:
    # Given a shop that ships within 1-2 business days, and standard delivery's 2-4 in transit
    catalog = make_catalog(tmp_path)
    catalog = replace(catalog, shipping=replace(catalog.shipping, handling_days=(1, 2)))

    page = render(catalog).page("/products/trail-shoe/")

    # Then Google reads each part, and the shopper the whole wait
    [details] = [n for n in graph_nodes(page) if n.get("@type") == "OfferShippingDetails"]
    handling, transit = (
        details["deliveryTime"]["handlingTime"],
        details["deliveryTime"]["transitTime"],
    )
    assert (handling["minValue"], handling["maxValue"], handling["unitCode"]) == (1, 2, "DAY")
    assert (transit["minValue"], transit["maxValue"]) == (2, 4)
    promises = [li.text_content() for li in page.xpath("//section[@class='reassurance']//li")]
    assert "Standard: 3–6 business days, €4.90" in promises
    assert "Pickup: 1–3 business days, Free" in promises


def test_a_home_title_whose_tagline_does_not_fit_keeps_its_first_words() -> None:
    # The example shop's French tagline made its home title the shop's name alone.
    from storefront.page_meta import _home_title

    name = "Northwind Outfitters"
    tagline = "Du matériel pour les longues journées dehors, au pied des Alpes"

    assert _home_title(name, tagline) == "Northwind Outfitters – Du matériel pour les longues…"
    assert len(_home_title(name, tagline)) <= 60
    assert _home_title(name, "Gear for long days outside, from the Alps") == (
        "Northwind Outfitters – Gear for long days outside"  # its first clause fits
    )
    assert _home_title("N" * 55, tagline) == "N" * 55  # no room for words: the name alone
