"""The rendered pages have the structure shoppers and the page scripts rely on."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.build.catalog_factory import make_catalog
from tests.build.rendered_site import RenderedSite, render


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> RenderedSite:
    return render(make_catalog(tmp_path_factory.mktemp("content")))


def _texts(elements: list[object]) -> list[str]:
    return [" ".join(e.text_content().split()) for e in elements]  # type: ignore[attr-defined]


def test_every_product_has_one_page_per_locale(site: RenderedSite) -> None:
    products = [p for p in site.html_paths() if "/products/" in "/" + p]
    assert sorted(products) == [
        "fr/products/camp-mug/index.html",
        "fr/products/trail-shoe/index.html",
        "products/camp-mug/index.html",
        "products/trail-shoe/index.html",
    ]


def test_every_page_kind_is_rendered_in_both_locales(site: RenderedSite) -> None:
    for path in ("/", "/search/", "/cart/", "/checkout/success/", "/checkout/cancel/", "/order/"):
        assert site.serves(path), path
        assert site.serves("/fr" + path), "/fr" + path
    for path in ("/categories/footwear/", "/pages/returns/", "/404.html"):
        assert site.serves(path), path


def test_the_one_404_page_also_speaks_every_other_language_of_the_shop(
    site: RenderedSite,
) -> None:
    # The CDN answers every missing path, /fr/… included, with the same /404.html.
    page = site.page("/404.html")

    assert page.get("lang") == "en"
    [french] = page.xpath("//main//section[@lang]")
    assert french.get("lang") == "fr"
    assert _texts(french.xpath("./h2")) == ["Page introuvable"]
    assert "n’existe plus" in french.text_content()
    links = {a.text_content(): a.get("href") for a in french.iter("a")}
    assert links == {"Accueil": "/fr/", "Rechercher": "/fr/search/"}
    assert all(site.serves(href) for href in links.values())


def test_every_internal_link_and_resource_resolves_to_a_rendered_file(site: RenderedSite) -> None:
    broken = []
    for path in site.html_paths():
        page = site.page("/" + path)
        for element, attribute, target, _ in page.iterlinks():
            if element.tag == "form" or not target.startswith("/"):
                continue  # forms post to the API; absolute URLs are checked by the SEO tests
            if not site.serves(target):
                broken.append(f"{path}: <{element.tag} {attribute}={target}>")
    assert broken == []


def test_each_page_has_exactly_one_h1_and_the_landmarks(site: RenderedSite) -> None:
    for path in site.html_paths():
        page = site.page("/" + path)
        assert len(page.xpath("//h1")) == 1, path
        for landmark in ("header", "main", "footer"):
            assert len(page.xpath(f"/html/body/{landmark}")) == 1, (path, landmark)
        skip = page.xpath('//a[@class="skip-link"]/@href')
        assert skip == ["#main"], path
        assert page.xpath('//main[@id="main"]'), path


def test_every_image_has_alt_text_or_a_text_link_and_dimensions(site: RenderedSite) -> None:
    for path in site.html_paths():
        for img in site.page("/" + path).xpath("//img"):
            # An empty alt is only allowed on an image inside a link that has its own text.
            alt = img.get("alt")
            assert alt is not None, (path, img.get("src"))
            if not alt:
                assert img.xpath("ancestor::a")[0].text_content().strip(), (path, img.get("src"))
            assert int(img.get("width")) > 0, path
            assert int(img.get("height")) > 0, path


def test_every_form_field_has_a_label(site: RenderedSite) -> None:
    for path in site.html_paths():
        page = site.page("/" + path)
        labelled = set(page.xpath("//label/@for"))
        # Inputs in a hidden fieldset are driven by script, never by the shopper.
        for field in page.xpath('//input[not(@type="hidden")][not(ancestor::*[@hidden])]'):
            inside_label = field.xpath("ancestor::label")
            assert inside_label or field.get("id") in labelled, (path, field.get("name"))


def test_product_breadcrumbs_run_from_home_through_the_categories(site: RenderedSite) -> None:
    page = site.page("/products/trail-shoe/")
    crumbs = page.xpath('//nav[@class="breadcrumbs"]//li/a')
    assert _texts(crumbs) == ["Home", "Footwear", "Trail running", "Ridge Trail Shoe"]
    assert [a.get("href") for a in crumbs[:3]] == [
        "/",
        "/categories/footwear/",
        "/categories/trail-running/",
    ]
    assert crumbs[-1].get("aria-current") == "page"
    fr_crumbs = site.page("/fr/products/trail-shoe/").xpath('//nav[@class="breadcrumbs"]//li/a')
    assert [a.get("href") for a in fr_crumbs[:2]] == ["/fr/", "/fr/categories/footwear/"]


def test_variant_picker_has_one_radio_per_variant_with_price_and_options(
    site: RenderedSite,
) -> None:
    form = site.page("/products/trail-shoe/").xpath("//form[@data-add-to-cart]")[0]
    radios = form.xpath('.//input[@type="radio"][@name="sku"]')
    assert [r.get("value") for r in radios] == [
        "RTS-40-BLA",
        "RTS-40-MOS",
        "RTS-41-BLA",
        "RTS-41-MOS",
    ]
    assert [r.get("data-price") for r in radios] == ["€129.00", "€119.00", "€129.00", "€119.00"]
    assert {r.get("data-compare-at") for r in radios} == {"€149.00"}
    assert json.loads(radios[1].get("data-options")) == {"color": "Moss", "size": "40"}
    assert [r.get("value") for r in radios if r.get("checked") is not None] == ["RTS-40-BLA"]
    assert form.xpath('.//input[@name="quantity"][@type="number"]')
    # A submit button; the HTML minifier drops type="submit", the default for <button>.
    assert form.xpath('.//button[not(@type) or @type="submit"]')


def test_variant_prices_are_formatted_in_the_page_locale(site: RenderedSite) -> None:
    radios = site.page("/fr/products/trail-shoe/").xpath('//input[@name="sku"]')
    assert radios[0].get("data-price").replace("\u202f", " ").replace("\xa0", " ") == "129,00 €"


def test_product_page_exposes_the_stock_and_feedback_hooks(site: RenderedSite) -> None:
    page = site.page("/products/trail-shoe/")
    stock = page.xpath("//form[@data-add-to-cart]//*[@data-stock]")[0]
    assert stock.get("data-sku") == "RTS-40-BLA"
    assert stock.get("aria-live") == "polite"
    assert page.xpath("//form[@data-add-to-cart]//*[@data-cart-feedback][@role='status']")


def test_single_variant_product_carries_its_sku_in_a_hidden_input(site: RenderedSite) -> None:
    page = site.page("/products/camp-mug/")
    form = page.xpath("//form[@data-add-to-cart]")[0]
    assert form.xpath('.//input[@type="hidden"][@name="sku"]/@value') == ["MUG-350"]
    assert not form.xpath('.//input[@type="radio"]')
    stock = form.xpath(".//*[@data-stock]")[0]
    assert stock.text_content().strip() == "Out of stock"


def test_product_page_shows_specs_features_reviews_and_reassurance(site: RenderedSite) -> None:
    page = site.page("/products/trail-shoe/")
    rows = page.xpath('//table[@class="specs"]//tr')
    assert [(r.xpath("th")[0].text, r.xpath("td")[0].text) for r in rows] == [
        ("Weight", "285 g"),
        ("Drop", "6 mm"),
    ]
    assert _texts(page.xpath('//ul[@class="features"]/li')) == ["Vibram outsole", "Rock plate"]
    assert len(page.xpath('//section[@id="reviews"]//article')) == 2
    reassurance = " ".join(_texts(page.xpath('//section[@class="reassurance"]//li')))
    assert "Free standard delivery from €75.00" in reassurance
    assert "Free returns within 30 days" in reassurance


def test_review_text_is_escaped_not_interpreted(site: RenderedSite) -> None:
    page = site.page("/products/trail-shoe/")
    assert not page.xpath('//section[@id="reviews"]//b')
    assert "By Tom <b>, June 1, 2026" in _texts(page.xpath('//article[@class="review"]/p'))


def test_related_products_link_to_their_pages(site: RenderedSite) -> None:
    related = site.page("/products/trail-shoe/").xpath(
        '//section[.//h2[@id="related-heading"]]//a[@class="card-link"]/@href'
    )
    assert related == ["/products/camp-mug/"]


def test_category_page_lists_products_of_its_subcategories(site: RenderedSite) -> None:
    page = site.page("/categories/footwear/")
    cards = page.xpath('//section[@data-listing]//li[@class="card"]/@data-product')
    assert cards == ["trail-shoe"]
    chips = page.xpath('//nav[@class="chips"]//a/@href')
    assert chips == ["/categories/trail-running/"]


def test_home_page_shows_featured_sale_and_new_arrival_sections(site: RenderedSite) -> None:
    page = site.page("/")

    def section(heading_id: str) -> list[str]:
        return [
            str(slug)
            for slug in page.xpath(f'//section[.//h2[@id="{heading_id}"]]//li/@data-product')
        ]

    assert section("home-featured") == ["trail-shoe"]
    assert section("home-sale") == ["trail-shoe"]
    assert section("home-new") == ["trail-shoe", "camp-mug"]  # newest first


def test_header_has_category_menu_search_form_and_cart_counter(site: RenderedSite) -> None:
    page = site.page("/fr/products/camp-mug/")
    menu = page.xpath('//nav[@id="site-nav"]//a')
    assert [a.get("href") for a in menu][:2] == [
        "/fr/categories/footwear/",
        "/fr/categories/trail-running/",
    ]
    search = page.xpath('//header//form[@role="search"]')[0]
    assert search.get("action") == "/fr/search/"
    assert search.get("method", "get") == "get"  # the minifier drops the default method
    assert search.xpath('.//input[@name="q"]')
    cart = page.xpath("//header//a[@data-cart-link]")[0]
    assert cart.get("href") == "/fr/cart/"
    [count] = cart.xpath(".//*[@data-cart-count]")
    # Hidden until site.js knows the count: without JavaScript it would always say 0
    assert count.get("hidden") is not None


def test_language_switcher_keeps_the_shopper_on_the_same_page(site: RenderedSite) -> None:
    links = site.page("/products/trail-shoe/").xpath('//nav[@class="languages"]//a')
    assert [(a.get("hreflang"), a.get("href")) for a in links] == [
        ("en", "/products/trail-shoe/"),
        ("fr", "/fr/products/trail-shoe/"),
    ]
    assert [a.get("aria-current") for a in links] == ["true", None]


def test_untranslated_product_falls_back_to_the_default_locale_text(site: RenderedSite) -> None:
    page = site.page("/fr/products/camp-mug/")
    assert page.xpath("//h1")[0].text_content() == "Enamel Camp Mug"
    assert page.xpath("//html/@lang") == ["fr"]
    assert page.xpath("//button[@data-add-button]")[0].text_content() == "Ajouter au panier"


def test_untranslated_text_carries_the_default_locales_lang(site: RenderedSite) -> None:
    # The mug has no French text: its French page and cards say their words are English.
    mug = site.page("/fr/products/camp-mug/")
    assert mug.xpath("//h1/@lang") == ["en"]
    assert mug.xpath('//*[contains(@class, "product-story")]/div/@lang') == ["en"]
    card = site.page("/fr/").xpath('//li[@data-product="camp-mug"]//*[@class="card-title"]')[0]
    assert card.get("lang") == "en"
    # A translated product's own French text needs none (its related mug's card does),
    # and English pages none at all.
    shoe = site.page("/fr/products/trail-shoe/")
    assert [(e.tag, e.text_content()) for e in shoe.xpath("//main//*[@lang]")] == [
        ("h3", "Enamel Camp Mug")
    ]
    assert site.page("/products/camp-mug/").xpath("//main//*[@lang]") == []


def test_an_untranslated_content_page_says_its_words_are_the_default_locales(
    tmp_path: Path,
) -> None:
    # Given a legal page written in English only
    catalog = make_catalog(tmp_path)
    pages = tuple(
        replace(p, texts={"en": p.texts["en"]}) if p.slug == "legal" else p for p in catalog.pages
    )
    # When the shop is rendered
    site = render(replace(catalog, pages=pages))
    # Then its French page marks its title and body as English, and a translated one does not
    legal = site.page("/fr/pages/legal/")
    assert legal.xpath("//article/h1/@lang") == ["en"]
    assert legal.xpath("//article/div/@lang") == ["en"]
    assert site.page("/fr/pages/returns/").xpath("//article//*[@lang]") == []


def test_footer_shows_contact_details_legal_entity_and_legal_links(site: RenderedSite) -> None:
    footer = site.page("/").xpath("//footer")[0]
    assert footer.xpath('.//a[@href="mailto:hello@example.com"]')
    assert footer.xpath('.//a[@href="tel:+33123456789"]')
    assert "Northwind Outfitters SAS" in footer.text_content()
    assert "FR12345678901" in footer.text_content()
    assert footer.xpath('.//a[@href="/pages/legal/"]')


def test_cart_page_has_the_script_root_and_a_noscript_message(site: RenderedSite) -> None:
    page = site.page("/fr/cart/")
    root = page.xpath("//*[@data-cart-root]")[0]
    assert (root.get("data-locale"), root.get("data-currency")) == ("fr", "EUR")
    assert page.xpath("//noscript")


def test_client_strings_are_in_the_i18n_json_of_every_page(site: RenderedSite) -> None:
    # Each page carries the strings its scripts use: site.js's everywhere, the cart
    # page's own (cart.js) only on the cart page.
    for path in site.html_paths():
        script = site.page("/" + path).xpath('//script[@id="i18n"]')[0]
        config = json.loads(script.text)
        if path.endswith("cart/index.html"):  # its script formats money: the currency's decimals
            assert (config["currency"], config["exponent"]) == ("EUR", 2)
        if path.startswith(("products/", "fr/products/")):  # its script formats none
            assert "currency" not in config
            assert config["paths"] == {"cart": "/fr/cart/" if path.startswith("fr/") else "/cart/"}
        for key in ("adding", "added", "only_left", "out_of_stock", "cart_count"):
            assert key in config["strings"], (path, key)
        if path.endswith("cart/index.html"):
            for key in ("subtotal", "checkout", "save_for_later"):
                assert key in config["strings"], (path, key)
        if path.startswith(("products/", "fr/products/")) or path == "index.html":
            for key in ("subtotal", "checkout", "save_for_later"):
                assert key not in config["strings"], (path, key)
    fr = json.loads(site.page("/fr/").xpath('//script[@id="i18n"]')[0].text)
    assert fr["strings"]["added"] == "Ajouté au panier"
    assert fr["paths"]["cart"] == "/fr/cart/"


def test_scripts_are_hashed_assets_loaded_with_defer(site: RenderedSite) -> None:
    scripts = site.page("/products/trail-shoe/").xpath("//script[@src]")
    assert scripts
    for script in scripts:
        assert script.get("defer") is not None
        assert script.get("src").startswith("/assets/")


def test_stylesheet_is_inlined_so_pages_need_no_css_request(site: RenderedSite) -> None:
    page = site.page("/")
    assert not page.xpath('//link[@rel="stylesheet"]')
    assert ".card" in page.xpath("//head/style")[0].text


def test_each_page_kind_inlines_only_its_own_extra_styles(site: RenderedSite) -> None:
    def style(path: str) -> str:
        return str(site.page(path).xpath("//head/style")[0].text)

    assert ".hero" in style("/")
    assert ".variant-label" in style("/products/camp-mug/")
    category = style("/categories/footwear/")
    assert ".card" in category
    assert ".hero" not in category
    assert ".variant-label" not in category


def test_product_images_are_copied_under_images(site: RenderedSite) -> None:
    assert {"images/shoe-1.jpg", "images/shoe-2.jpg", "images/mug.jpg"} <= set(site.files)
    main = site.page("/products/trail-shoe/").xpath('//section[@class="gallery"]//img')[0]
    assert main.get("src") == "/images/shoe-1.jpg"
    assert main.get("fetchpriority") == "high"


def test_only_the_first_home_tile_image_is_fetched_with_high_priority(site: RenderedSite) -> None:
    # On a phone the first category tile is the largest paint of the home page.
    tiles = site.page("/").xpath('//li[@class="tile"]//img')
    assert len(tiles) >= 2
    assert tiles[0].get("fetchpriority") == "high"
    assert tiles[0].get("loading") is None  # a high-priority image is never lazy
    assert all(tile.get("fetchpriority") is None for tile in tiles[1:])


def test_two_option_products_get_one_radio_group_per_option(site: RenderedSite) -> None:
    form = site.page("/products/trail-shoe/").xpath("//form[@data-add-to-cart]")[0]
    groups = form.xpath(".//fieldset[@data-option-group]")
    assert [g.get("data-option-group") for g in groups] == ["size", "color"]
    assert [g.xpath("legend")[0].text for g in groups] == ["Size", "Colour"]
    assert [g.xpath(".//input/@value") for g in groups] == [["40", "41"], ["Black", "Moss"]]
    # The preselected variant (RTS-40-BLA) is what the groups show as chosen.
    assert [g.xpath(".//input[@checked]/@value") for g in groups] == [["40"], ["Black"]]
    # The SKU radios the cart reads stay in the form, driven by site.js.
    assert form.xpath(".//fieldset[@data-variant-picker]")[0].get("hidden") is not None


def test_facet_data_is_on_category_cards_only(site: RenderedSite) -> None:
    category_card = site.page("/categories/footwear/").xpath("//li[@class='card']")[0]
    assert category_card.get("data-price") == "11900"
    assert category_card.get("data-on-sale") == "true"
    home_card = site.page("/").xpath("//li[@class='card']")[0]
    assert home_card.get("data-price") is None


def test_variant_radios_point_at_the_photo_of_their_colour(tmp_path: Path) -> None:
    # Given a product whose second photo's alt text names the Moss colour
    catalog = make_catalog(tmp_path)
    shoe = next(p for p in catalog.products if p.slug == "trail-shoe")
    images = (
        replace(shoe.images[0], alts={"en": "Ridge in black, side view"}),
        replace(shoe.images[1], alts={"en": "Ridge in moss green, sole 40"}),
    )
    catalog = replace(catalog, products=(replace(shoe, images=images),))
    # When it is rendered
    radios = render(catalog).page("/fr/products/trail-shoe/").xpath('//input[@name="sku"]')
    # Then each variant names its colour's photo; sizes never match
    assert {r.get("value"): r.get("data-image") for r in radios} == {
        "RTS-40-BLA": "1",
        "RTS-40-MOS": "2",
        "RTS-41-BLA": "1",
        "RTS-41-MOS": "2",
    }
