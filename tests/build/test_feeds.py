"""Merchant Center RSS feed and Atom feed of new products: fields, formats, locales."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from lxml import etree

from storefront.feeds import build_feeds
from storefront.model import Option
from tests.build.index_factories import (
    eur,
    make_catalog,
    make_categories,
    make_image,
    make_product,
    make_text,
    make_variant,
    storm_jacket,
    trail_shoe,
)

G = "http://base.google.com/ns/1.0"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
BASE = "https://shop.example.com"
PRICE = re.compile(r"^\d+\.\d{2} EUR$")


def _feeds() -> dict[str, etree._Element]:
    return {f.path: etree.fromstring(f.data) for f in build_feeds(make_catalog())}


def _items(feed: etree._Element) -> dict[str, dict[str, list[str]]]:
    """Items by g:id, each as {field: [values]} (shipping blocks flattened as one string)."""
    items: dict[str, dict[str, list[str]]] = {}
    for item in feed.iterfind("channel/item"):
        fields: dict[str, list[str]] = {}
        for child in item:
            name = etree.QName(child).localname
            if name == "shipping":
                value = "|".join(f"{etree.QName(c).localname}={c.text}" for c in child)
            else:
                value = child.text or ""
            fields.setdefault(name, []).append(value)
        items[fields["id"][0]] = fields
    return items


def test_one_merchant_feed_and_one_atom_feed_per_locale() -> None:
    assert set(_feeds()) == {
        "feeds/products.xml",
        "feeds/new.atom",
        "fr/feeds/products.xml",
        "fr/feeds/new.atom",
    }


def test_merchant_feed_is_rss_2_with_the_google_namespace_and_one_item_per_variant() -> None:
    feed = _feeds()["feeds/products.xml"]

    assert feed.tag == "rss"
    assert feed.get("version") == "2.0"
    assert feed.nsmap["g"] == G
    assert feed.findtext("channel/link") == BASE + "/"
    assert set(_items(feed)) == {"RTS-42-BLK", "RTS-43-BLK", "SSJ-1"}


def test_every_item_has_every_required_field_once_in_the_right_format() -> None:
    for item in _items(_feeds()["feeds/products.xml"]).values():
        for name in ("id", "title", "description", "link", "image_link", "availability"):
            assert len(item[name]) == 1, (item["id"], name)
        for name in ("price", "brand", "condition"):
            assert len(item[name]) == 1, (item["id"], name)
        assert item["availability"][0] in {"in_stock", "out_of_stock"}
        assert PRICE.match(item["price"][0]), item["price"]
        assert item["condition"] == ["new"]
        assert item["link"][0].startswith(BASE + "/products/")
        assert item["image_link"][0].startswith(BASE + "/images/")
        assert len(item["title"][0]) <= 150
        assert item["shipping"], item["id"]


def test_variant_item_carries_options_group_identifiers_and_sale() -> None:
    items = _items(_feeds()["feeds/products.xml"])
    on_sale, regular = items["RTS-42-BLK"], items["RTS-43-BLK"]

    assert on_sale["title"] == ["Ridge Trail Shoe – 42 / Black"]
    assert on_sale["description"] == ["A light, grippy trail shoe."]
    assert on_sale["link"] == [BASE + "/products/trail-shoe/?sku=RTS-42-BLK"]
    assert on_sale["image_link"] == [BASE + "/images/trail-shoe-1.jpg"]
    assert on_sale["additional_image_link"] == [BASE + "/images/trail-shoe-2.jpg"]
    assert on_sale["item_group_id"] == regular["item_group_id"] == ["trail-shoe"]
    assert on_sale["size"] == ["42"]
    assert on_sale["color"] == ["Black"]
    assert on_sale["product_type"] == ["Footwear > Trail running"]
    # Regular price in g:price, the discounted one in g:sale_price, with the sale window.
    assert on_sale["price"] == ["149.00 EUR"]
    assert on_sale["sale_price"] == ["119.00 EUR"]
    assert on_sale["sale_price_effective_date"] == ["2026-03-02T00:00:00Z/2026-12-31T23:59:59Z"]
    assert on_sale["availability"] == ["in_stock"]
    assert on_sale["gtin"] == ["3760123456789"]
    assert "identifier_exists" not in on_sale
    assert regular["price"] == ["129.00 EUR"]
    assert "sale_price" not in regular
    assert "sale_price_effective_date" not in regular
    assert regular["availability"] == ["out_of_stock"]  # stock 0
    assert regular["mpn"] == ["NW-RTS-43"]
    assert "identifier_exists" not in regular


def test_a_discount_that_rounds_to_no_percent_is_no_sale_in_the_feed_as_on_the_page() -> None:
    # 49.00 against 49.20 is 0.4 % off: the page shows no sale, so the feed says none
    catalog = make_catalog()
    products = tuple(
        replace(p, variants=(replace(p.variants[0], price=eur(4900), compare_at=eur(4920)),))
        if p.slug == "storm-jacket"
        else p
        for p in catalog.products
    )
    feeds = build_feeds(replace(catalog, products=products))
    [feed] = [etree.fromstring(f.data) for f in feeds if f.path == "feeds/products.xml"]

    item = _items(feed)["SSJ-1"]
    assert item["price"] == ["49.00 EUR"]
    assert "sale_price" not in item


def test_colour_variant_item_shows_its_own_photo_first() -> None:
    # Given a shoe in two colours whose second photo is named after the Moss colour
    colour = Option("color", {"en": "Colour"}, ("Black", "Moss"))
    shoe = make_product(
        slug="shoe",
        options=(colour,),
        variants=(
            make_variant(sku="S-BLK", options={"color": "Black"}),
            make_variant(sku="S-MOS", options={"color": "Moss"}),
        ),
        images=(make_image("images/shoe-side.jpg"), make_image("images/shoe-moss.jpg")),
    )
    feeds = build_feeds(make_catalog(products=(shoe,)))
    items = _items(next(etree.fromstring(f.data) for f in feeds if f.path == "feeds/products.xml"))
    # Then the Moss item leads with the Moss photo; Black, named by no photo, with the
    # first, and without the Moss photo: Google wants each variant's own pictures
    assert items["S-MOS"]["image_link"] == [BASE + "/images/shoe-moss.jpg"]
    assert items["S-MOS"]["additional_image_link"] == [BASE + "/images/shoe-side.jpg"]
    assert items["S-BLK"]["image_link"] == [BASE + "/images/shoe-side.jpg"]
    assert "additional_image_link" not in items["S-BLK"]


def test_a_photo_naming_another_colour_too_is_not_a_variants_own_when_one_names_it_alone() -> None:
    # "Teal with black drawcord" names black: the black bag showed the teal photo.
    colour = Option("color", {"en": "Colour"}, ("Teal", "Black"))
    bag = make_product(
        slug="bag",
        options=(colour,),
        variants=(
            make_variant(sku="B-TEL", options={"color": "Teal"}),
            make_variant(sku="B-BLK", options={"color": "Black"}),
        ),
        images=(
            make_image("images/bag-teal-with-black-drawcord.jpg"),
            make_image("images/bag-black.jpg"),
        ),
    )
    feeds = build_feeds(make_catalog(products=(bag,)))
    items = _items(next(etree.fromstring(f.data) for f in feeds if f.path == "feeds/products.xml"))
    assert items["B-BLK"]["image_link"] == [BASE + "/images/bag-black.jpg"]
    assert items["B-TEL"]["image_link"] == [BASE + "/images/bag-teal-with-black-drawcord.jpg"]


def test_a_colour_variant_item_leaves_out_the_photos_of_the_other_colours() -> None:
    # Given a tee in three colours, one photo each, and a photo of the fabric
    colour = Option("color", {"en": "Colour"}, ("Charcoal", "Sage", "Rust"))
    tee = make_product(
        slug="tee",
        options=(colour,),
        variants=tuple(
            make_variant(sku=f"T-{c[:3].upper()}", options={"color": c})
            for c in ("Charcoal", "Sage", "Rust")
        ),
        images=tuple(
            make_image(f"images/tee-{name}.jpg") for name in ("charcoal", "sage", "rust", "fabric")
        ),
    )
    feeds = build_feeds(make_catalog(products=(tee,)))
    items = _items(next(etree.fromstring(f.data) for f in feeds if f.path == "feeds/products.xml"))

    # Then the rust item shows the rust photo and the fabric, not the charcoal or sage tee
    assert items["T-RUS"]["image_link"] == [BASE + "/images/tee-rust.jpg"]
    assert items["T-RUS"]["additional_image_link"] == [BASE + "/images/tee-fabric.jpg"]
    assert items["T-CHA"]["additional_image_link"] == [BASE + "/images/tee-fabric.jpg"]


def test_items_carry_googles_category_gender_and_age_group_from_category_or_product() -> None:
    # Merchant Center refuses clothing and shoes without a gender and an age group.
    footwear, trail, clothing, jackets = make_categories()
    shoes = "Apparel & Accessories > Shoes"
    categories = (
        replace(footwear, google_category=shoes, gender="unisex", age_group="adult"),
        replace(trail, google_category=shoes, gender="unisex", age_group="adult"),
        clothing,
        jackets,
    )
    shoe = replace(trail_shoe(), gender="female")
    catalog = make_catalog(categories=categories, products=(shoe, storm_jacket()))
    feed = etree.fromstring(next(iter(build_feeds(catalog))).data)
    items = _items(feed)

    shoe_item = items[shoe.variants[0].sku]
    assert shoe_item["google_product_category"] == ["Apparel & Accessories > Shoes"]
    assert (shoe_item["gender"], shoe_item["age_group"]) == (["female"], ["adult"])
    jacket = items["SSJ-1"]
    assert not {"google_product_category", "gender", "age_group"} & set(jacket)


def test_single_variant_product_has_no_group_and_says_it_has_no_identifiers() -> None:
    jacket = _items(_feeds()["feeds/products.xml"])["SSJ-1"]

    assert "item_group_id" not in jacket
    assert jacket["link"] == [BASE + "/products/storm-jacket/"]
    assert jacket["title"] == ["Storm Shell Jacket"]
    assert jacket["identifier_exists"] == ["no"]
    assert "gtin" not in jacket
    assert "mpn" not in jacket
    assert "additional_image_link" not in jacket


def test_shipping_lists_each_country_and_delivery_option_with_its_price_for_the_item() -> None:
    catalog = make_catalog()
    catalog = replace(catalog, shipping=replace(catalog.shipping, handling_days=(1, 2)))
    feed = next(f for f in build_feeds(catalog) if f.path == "feeds/products.xml")
    items = _items(etree.fromstring(feed.data))

    # 119.00 is under the 120.00 free-delivery threshold; 129.00 and 249.00 are over it.
    assert sorted(items["RTS-42-BLK"]["shipping"]) == sorted(
        f"country={country}|service={service}|price={price}|min_transit_time={lo}"
        f"|max_transit_time={hi}"
        for country in ("FR", "DE")
        for service, price, lo, hi in (
            ("Standard delivery", "4.90 EUR", 2, 4),
            ("Express", "12.90 EUR", 1, 1),
        )
    )
    assert "service=Standard delivery|price=0.00 EUR" in items["SSJ-1"]["shipping"][0]
    assert not any("Pick up" in s for s in items["SSJ-1"]["shipping"])  # pickup is not shipping
    # Handling (the shop's, once per item) and transit (the option's) apart, as Google asks.
    for item in items.values():
        assert (item["min_handling_time"], item["max_handling_time"]) == (["1"], ["2"])


def test_shop_wide_free_threshold_makes_standard_delivery_free_as_at_the_checkout() -> None:
    # Given a 120.00 shop-wide threshold and no per-option one: the checkout makes the
    # first delivery option free from 120.00 and leaves express at its price
    catalog = make_catalog()
    standard, express, pickup = catalog.shipping.options
    shipping = replace(
        catalog.shipping, options=(replace(standard, free_over=None), express, pickup)
    )
    feeds = build_feeds(replace(catalog, shipping=shipping))
    items = _items(next(etree.fromstring(f.data) for f in feeds if f.path == "feeds/products.xml"))
    # Then 129.00 ships free by standard delivery, and 119.00 does not
    assert "service=Standard delivery|price=0.00 EUR" in items["RTS-43-BLK"]["shipping"][0]
    assert "service=Express|price=12.90 EUR" in items["RTS-43-BLK"]["shipping"][1]
    assert "service=Standard delivery|price=4.90 EUR" in items["RTS-42-BLK"]["shipping"][0]


def test_french_feed_uses_french_text_urls_and_shipping_names_with_fallbacks() -> None:
    feed = _feeds()["fr/feeds/products.xml"]
    items = _items(feed)

    assert feed.findtext("channel/language") == "fr"
    assert feed.findtext("channel/link") == BASE + "/fr/"
    # Option values in the feed's language where the product translates them
    assert items["RTS-42-BLK"]["title"] == ["Chaussure de trail Ridge – 42 / Noir"]
    assert items["RTS-42-BLK"]["color"] == ["Noir"]
    assert _items(_feeds()["feeds/products.xml"])["RTS-42-BLK"]["color"] == ["Black"]
    assert items["RTS-42-BLK"]["link"] == [BASE + "/fr/products/trail-shoe/?sku=RTS-42-BLK"]
    assert items["RTS-42-BLK"]["product_type"] == ["Chaussures > Trail"]
    assert "service=Livraison standard" in items["RTS-42-BLK"]["shipping"][0]
    # The jacket has no French text: English text stands in, never an empty title.
    assert items["SSJ-1"]["title"] == ["Storm Shell Jacket"]


def test_a_product_without_a_translation_is_left_out_of_that_languages_feed() -> None:
    # Given the jacket has no French file: its French page repeats English (noindex)
    catalog = make_catalog()
    products = tuple(
        replace(p, untranslated=frozenset({"fr"})) if p.slug == "storm-jacket" else p
        for p in catalog.products
    )
    feeds = {
        f.path: etree.fromstring(f.data) for f in build_feeds(replace(catalog, products=products))
    }

    # Then Merchant Center gets it in English only, never as a French item in English
    assert "SSJ-1" in _items(feeds["feeds/products.xml"])
    assert "SSJ-1" not in _items(feeds["fr/feeds/products.xml"])
    assert "RTS-42-BLK" in _items(feeds["fr/feeds/products.xml"])


def test_a_sale_without_end_date_has_no_effective_date() -> None:
    product = make_product(variants=(make_variant(price=eur(5000), compare_at=eur(6000)),))
    catalog = make_catalog(products=(product,))

    (feed,) = [f for f in build_feeds(catalog) if f.path == "feeds/products.xml"]
    item = _items(etree.fromstring(feed.data))["SKU-1"]

    assert item["price"] == ["60.00 EUR"]
    assert item["sale_price"] == ["50.00 EUR"]
    assert "sale_price_effective_date" not in item


def test_long_titles_are_clipped_to_merchant_center_limit() -> None:
    product = make_product(texts={"en": make_text("T" * 200)})
    catalog = make_catalog(products=(product,))

    (feed,) = [f for f in build_feeds(catalog) if f.path == "feeds/products.xml"]
    title = _items(etree.fromstring(feed.data))["SKU-1"]["title"][0]

    assert len(title) == 150
    assert title.endswith("…")


def test_text_with_markup_characters_is_escaped() -> None:
    text = make_text("Socks <3 & co", 'Fits "all" <feet>')
    catalog = make_catalog(products=(make_product(texts={"en": text}),))

    (feed,) = [f for f in build_feeds(catalog) if f.path == "feeds/products.xml"]
    item = _items(etree.fromstring(feed.data))["SKU-1"]

    assert item["title"] == ["Socks <3 & co"]
    assert item["description"] == ['Fits "all" <feet>']


def test_atom_feed_lists_newest_products_first_with_content_dates() -> None:
    feed = _feeds()["feeds/new.atom"]

    entries = feed.findall("a:entry", ATOM)
    assert [e.findtext("a:title", namespaces=ATOM) for e in entries] == [
        "Storm Shell Jacket",  # published 2026-05-01
        "Ridge Trail Shoe",  # published 2026-03-02
    ]
    assert feed.findtext("a:updated", namespaces=ATOM) == "2026-10-14T00:00:00Z"
    assert feed.findtext("a:author/a:name", namespaces=ATOM) == "Northwind Outfitters"
    assert feed.findtext("a:id", namespaces=ATOM) == BASE + "/feeds/new.atom"
    jacket = entries[0]
    assert jacket.findtext("a:id", namespaces=ATOM) == BASE + "/products/storm-jacket/"
    assert jacket.find("a:link", ATOM).get("href") == BASE + "/products/storm-jacket/"
    assert jacket.findtext("a:published", namespaces=ATOM) == "2026-05-01T00:00:00Z"
    assert jacket.findtext("a:updated", namespaces=ATOM) == "2026-06-20T00:00:00Z"
    content = jacket.findtext("a:content", namespaces=ATOM)
    assert content is not None
    assert BASE + "/images/storm-jacket.jpg" in content
    assert "€249.00" in content


def test_french_atom_feed_links_french_pages_and_formats_prices_for_france() -> None:
    feed = _feeds()["fr/feeds/new.atom"]

    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    shoe = feed.findall("a:entry", ATOM)[1]
    assert shoe.findtext("a:title", namespaces=ATOM) == "Chaussure de trail Ridge"
    assert shoe.findtext("a:id", namespaces=ATOM) == BASE + "/fr/products/trail-shoe/"
    content = shoe.findtext("a:content", namespaces=ATOM)
    assert content is not None
    # 119,00 € – 129,00 € with French separators (Babel puts a no-break space before €).
    assert "119,00\xa0€ – 129,00\xa0€" in content


def test_atom_feed_keeps_only_the_newest_products() -> None:
    products = tuple(
        make_product(slug=f"p{n:02d}", published=date(2026, 1, 1 + n), updated=date(2026, 2, 1))
        for n in range(25)
    )
    catalog = make_catalog(products=(*products, storm_jacket()))

    (atom,) = [f for f in build_feeds(catalog) if f.path == "feeds/new.atom"]
    ids = [
        e.findtext("a:id", namespaces=ATOM)
        for e in etree.fromstring(atom.data).findall("a:entry", ATOM)
    ]

    assert len(ids) == 20
    assert ids[0] == BASE + "/products/storm-jacket/"
    assert ids[1] == BASE + "/products/p24/"


def test_a_product_without_a_translation_is_left_out_of_that_locales_atom_feed() -> None:
    # Given the jacket has no French file: its French page repeats the English (noindex)
    catalog = make_catalog(products=(replace(storm_jacket(), untranslated=frozenset({"fr"})),))

    atoms = {
        f.path: etree.fromstring(f.data) for f in build_feeds(catalog) if f.path.endswith(".atom")
    }

    def titles(path: str) -> list[str | None]:
        return [
            e.findtext("a:title", namespaces=ATOM) for e in atoms[path].findall("a:entry", ATOM)
        ]

    assert titles("feeds/new.atom") == ["Storm Shell Jacket"]
    assert titles("fr/feeds/new.atom") == []


def test_a_long_title_is_shortened_before_the_variant_label_not_over_it() -> None:
    # Cut at the end, a 148-character title gave every variant the same feed title.
    shoe = trail_shoe()
    long_title = "Resoleable " * 13 + "Trail Shoe"
    texts = {locale: replace(text, title=long_title) for locale, text in shoe.texts.items()}
    catalog = make_catalog(products=(replace(shoe, texts=texts),))

    feed = {f.path: etree.fromstring(f.data) for f in build_feeds(catalog)}["feeds/products.xml"]
    titles = [item["title"][0] for item in _items(feed).values()]

    assert len(titles) == len(shoe.variants) > 1
    assert len(set(titles)) == len(titles)
    assert all(len(title) <= 150 for title in titles)
    assert all(title.split(" – ")[0].endswith("…") for title in titles)


def test_every_photo_of_another_colour_is_left_out_not_only_its_first() -> None:
    colour = Option("color", {"en": "Colour"}, ("Charcoal", "Rust"))
    tee = make_product(
        slug="tee",
        options=(colour,),
        variants=(
            make_variant(sku="T-CHA", options={"color": "Charcoal"}),
            make_variant(sku="T-RUS", options={"color": "Rust"}),
        ),
        images=tuple(
            make_image(f"images/tee-{name}.jpg")
            for name in ("charcoal", "rust", "charcoal-back", "rust-back", "fabric")
        ),
    )
    feeds = build_feeds(make_catalog(products=(tee,)))
    items = _items(next(etree.fromstring(f.data) for f in feeds if f.path == "feeds/products.xml"))

    assert items["T-RUS"]["additional_image_link"] == [
        BASE + "/images/tee-rust-back.jpg",
        BASE + "/images/tee-fabric.jpg",
    ]
