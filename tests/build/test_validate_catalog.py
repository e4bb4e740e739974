"""Validation of a whole content tree into the typed Catalog, and the errors it reports."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from lxml import html as lxml_html
from shop.money import Money

from storefront.errors import ContentErrors
from storefront.model import PRODUCT_TEXT_FIELDS
from storefront.pipeline import check_content
from tests.build.content_fixtures import MINIMAL


def _tree(tmp_path: Path, edits: dict[str, tuple[str, str]] | None = None) -> Path:
    """A copy of the minimal shop with `file: (old, new)` text replacements applied."""
    root = tmp_path / "content"
    shutil.copytree(MINIMAL, root)
    for relative, (old, new) in (edits or {}).items():
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{relative} has no {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def _errors(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> list[str]:
    root = _tree(tmp_path, edits)
    with pytest.raises(ContentErrors) as caught:
        check_content(root)
    prefix = root.as_posix() + "/"
    return [str(e).removeprefix(prefix) for e in caught.value]


def test_minimal_shop_becomes_a_catalog_with_exact_money() -> None:
    catalog = check_content(MINIMAL)
    shoe, sock = catalog.products
    assert [v.price for v in shoe.variants] == [Money(12900, "EUR"), Money(11990, "EUR")]
    assert [v.compare_at for v in shoe.variants] == [Money(14900, "EUR")] * 2
    assert sock.variants[0].price == Money(1290, "EUR")  # written unquoted: 12.90
    assert catalog.shipping.free_threshold == Money(7500, "EUR")
    assert catalog.shipping.options[1].price == Money(0, "EUR")


def test_a_product_knows_the_locales_it_has_no_translation_for() -> None:
    shoe, sock = check_content(MINIMAL).products  # trail-shoe.fr.md exists, no wool-sock.fr.md
    assert shoe.untranslated == frozenset()
    assert sock.untranslated == frozenset({"fr"})
    assert sock.text("fr", "en").title == sock.text("en", "en").title  # shown in English


def test_the_low_stock_threshold_is_three_units_unless_set(tmp_path: Path) -> None:
    unset = _tree(tmp_path / "unset", {"catalog.yaml": ("  low_stock_threshold: 3\n", "")})
    five = _tree(
        tmp_path / "five", {"catalog.yaml": ("low_stock_threshold: 3", "low_stock_threshold: 5")}
    )

    assert check_content(unset).store.low_stock_threshold == 3
    assert check_content(five).store.low_stock_threshold == 5


def test_a_products_mpn_names_its_model_not_each_variant(tmp_path: Path) -> None:
    # Shared by every size and colour, it made them duplicates to Google, which wants the
    # most specific part number per item: a variant gives its own, or has none, and the
    # product keeps the model's (its ProductGroup's, storefront/structured_data.py).
    edits = {
        "products/trail-shoe.md": ("brand: Northwind", "brand: Northwind\nmpn: NW-RTS"),
        "products/wool-sock.md": ("sku: MWS-01", "sku: MWS-01\nmpn: NW-MWS-01"),
    }
    shoe, sock = check_content(_tree(tmp_path, edits)).products
    assert [v.mpn for v in shoe.variants] == [None, None]
    assert [v.mpn for v in sock.variants] == ["NW-MWS-01"]
    assert (shoe.mpn, sock.mpn) == ("NW-RTS", "NW-MWS-01")


def test_categories_come_in_tree_order_with_their_parent() -> None:
    catalog = check_content(MINIMAL)
    assert [(c.slug, c.parent, c.position) for c in catalog.categories] == [
        ("footwear", None, 0),
        ("trail-running", "footwear", 0),
        ("socks", None, 1),
    ]
    assert catalog.categories[1].names == {"en": "Trail running", "fr": "Trail"}


def test_merchant_center_audience_is_inherited_down_the_tree_and_overridden_per_product(
    tmp_path: Path,
) -> None:
    edits = {
        "catalog.yaml": (
            "    name: {en: Footwear, fr: Chaussures}\n",
            "    name: {en: Footwear, fr: Chaussures}\n"
            "    google_category: Apparel & Accessories > Shoes\n"
            "    gender: unisex\n    age_group: adult\n",
        ),
        "products/trail-shoe.md": ("brand: Northwind", "brand: Northwind\ngender: female"),
    }
    catalog = check_content(_tree(tmp_path, edits))

    trail = catalog.categories[1]
    assert (trail.slug, trail.google_category, trail.gender, trail.age_group) == (
        "trail-running",
        "Apparel & Accessories > Shoes",
        "unisex",
        "adult",
    )
    assert catalog.categories[2].gender == ""  # socks: another branch, none given
    assert (catalog.products[0].gender, catalog.products[0].age_group) == ("female", "")


def test_a_gender_or_age_group_merchant_center_does_not_know_is_an_error(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        {
            "catalog.yaml": (
                "    name: {en: Footwear, fr: Chaussures}\n",
                "    name: {en: Footwear, fr: Chaussures}\n    gender: Women\n",
            ),
            "products/trail-shoe.md": ("brand: Northwind", "brand: Northwind\nage_group: adults"),
        },
    )
    assert errors == [
        'catalog.yaml:23: categories[0].gender: expected one of female, male, unisex, got "Women"',
        "products/trail-shoe.md:6: age_group: expected one of adult, kids, toddler, infant, "
        'newborn, got "adults" (did you mean "adult"?)',
    ]


def test_a_barcode_given_to_two_items_is_an_error_at_the_second(tmp_path: Path) -> None:
    # To Google two items with one GTIN are one product; a GTIN-12 is the GTIN-13 with a 0.
    errors = _errors(
        tmp_path,
        {
            "products/trail-shoe.md": (
                '    options: {size: "41", color: Black}\n',
                '    options: {size: "41", color: Black}\n    gtin: "03760123456784"\n',
            )
        },
    )
    root = (tmp_path / "content").as_posix() + "/"
    assert [error.replace(root, "") for error in errors] == [
        'products/wool-sock.md:11: gtin: duplicate GTIN "3760123456784" (barcode), already '
        "given at products/trail-shoe.md:22; expected each item's own barcode"
    ]


def test_the_same_photo_twice_in_one_product_is_an_error(tmp_path: Path) -> None:
    edits = {
        "products/trail-shoe.md": (
            "    alt: Ridge Trail Shoe, side view\n",
            "    alt: Ridge Trail Shoe, side view\n"
            "  - src: images/trail-shoe-1.png\n    alt: Ridge Trail Shoe in moss\n",
        )
    }
    assert _errors(tmp_path, edits) == [
        "products/trail-shoe.md:12: images[1].src: expected each image once, already given as "
        "images[0]"
    ]


@pytest.mark.parametrize("price", ["0", '"0.00"'])
def test_a_price_of_nothing_is_an_error_not_a_free_item(tmp_path: Path, price: str) -> None:
    errors = _errors(tmp_path, {"products/wool-sock.md": ("price: 12.90", f"price: {price}")})
    assert len(errors) == 1
    assert errors[0].startswith("products/wool-sock.md:5: price: expected a price above 0, got ")


def test_an_invisible_character_in_a_price_is_spelled_out(tmp_path: Path) -> None:
    errors = _errors(tmp_path, {"products/wool-sock.md": ("price: 12.90", 'price: "12.90\u200b"')})
    assert errors == [
        'products/wool-sock.md:5: price: expected a decimal like 89.90, got "12.90\\u200b"'
    ]


def test_translated_alt_texts_may_name_their_image_so_a_reorder_keeps_them_right(
    tmp_path: Path,
) -> None:
    # By position, reordering the English images put "teal" on the black photo.
    edits = {
        "products/trail-shoe.md": (
            "    alt: Ridge Trail Shoe, side view\n",
            "    alt: Ridge Trail Shoe, side view\n"
            "  - src: images/wool-sock-1.png\n    alt: Ridge Trail Shoe, sole\n",
        ),
        "products/trail-shoe.fr.md": (
            'image_alts: ["Chaussure Ridge, vue de côté"]',
            'image_alts:\n  images/wool-sock-1.png: "Chaussure Ridge, semelle"',
        ),
    }
    shoe = check_content(_tree(tmp_path, edits)).products[0]
    assert [image.alts["fr"] for image in shoe.images] == [
        "Ridge Trail Shoe, side view",  # not translated: the default text
        "Chaussure Ridge, semelle",
    ]


def test_an_alt_text_for_an_image_the_product_does_not_have_is_an_error(tmp_path: Path) -> None:
    edits = {
        "products/trail-shoe.fr.md": (
            'image_alts: ["Chaussure Ridge, vue de côté"]',
            'image_alts:\n  images/trail-shoe-2.png: "Chaussure Ridge, semelle"',
        ),
    }
    errors = _errors(tmp_path, edits)
    assert errors == [
        "products/trail-shoe.fr.md:5: image_alts.images/trail-shoe-2.png: unknown image (its "
        'src); did you mean "images/trail-shoe-1.png"?'
    ]


def test_a_category_written_by_its_name_suggests_its_slug(tmp_path: Path) -> None:
    edits = {"products/trail-shoe.md": ("category: trail-running", "category: Trail running")}
    assert _errors(tmp_path, edits) == [
        'products/trail-shoe.md:4: category: expected a category slug, got "Trail running"; '
        'did you mean "trail-running"?'
    ]


def test_a_sale_price_field_says_how_a_sale_is_written(tmp_path: Path) -> None:
    edits = {"products/wool-sock.md": ("price: 12.90", "price: 12.90\nsale_price: 9.90")}
    assert _errors(tmp_path, edits) == [
        "products/wool-sock.md:6: sale_price: unknown field; a sale is written as price (what "
        "the shopper pays now) with compare_at (the regular price) above it"
    ]


def test_translated_fields_override_and_the_rest_falls_back_to_the_default_locale() -> None:
    shoe = check_content(MINIMAL).products[0]
    fr = shoe.text("fr", "en")
    assert fr.title == "Chaussure de trail Ridge"
    assert fr.features == ("Semelle Vibram",)
    assert fr.specs == (("Weight", "285 g"),)  # not translated: falls back
    assert shoe.images[0].alts == {
        "en": "Ridge Trail Shoe, side view",
        "fr": "Chaussure Ridge, vue de côté",
    }
    assert [o.labels for o in shoe.options] == [
        {"en": "Size", "fr": "Pointure"},
        {"en": "Colour", "fr": "Couleur"},
    ]


def _hrefs(body_html: str) -> list[str | None]:
    return [a.get("href") for a in lxml_html.fragment_fromstring(body_html, "div").iter("a")]


def test_translated_option_values_are_shown_and_untranslated_ones_stay_as_written() -> None:
    size, color = check_content(MINIMAL).products[0].options
    assert color.value_label("Moss", "fr") == "Mousse"
    assert color.value_label("Moss", "en") == "Moss"
    assert size.value_label("42", "fr") == "42"


def test_a_translation_of_an_undeclared_option_value_is_an_error(tmp_path: Path) -> None:
    edit = ("Moss: Mousse", "Mos: Mousse")
    assert _errors(tmp_path, {"products/trail-shoe.fr.md": edit}) == [
        'products/trail-shoe.fr.md:6: option_values.color.Mos: unknown value; did you mean "Moss"?'
    ]


def test_an_untranslated_body_is_rendered_with_links_in_the_readers_locale(
    tmp_path: Path,
) -> None:
    # wool-sock has no French file: its French page shows the English body, French links.
    edit = (
        "Knitted in France",
        "Wear it with the [Ridge](/products/trail-shoe/). Knitted in France",
    )
    sock = check_content(_tree(tmp_path, {"products/wool-sock.md": edit})).products[1]
    assert _hrefs(sock.texts["en"].body_html) == ["/products/trail-shoe/"]
    assert _hrefs(sock.texts["fr"].body_html) == ["/fr/products/trail-shoe/"]
    assert sock.texts["fr"].title == sock.texts["en"].title


def test_the_fields_a_translation_leaves_out_are_marked_as_the_default_locales() -> None:
    # Pages give those fields the default locale's lang (product.html).
    shoe, sock = check_content(MINIMAL).products
    assert shoe.texts["en"].fallback_fields == ()
    assert shoe.texts["fr"].fallback_fields == ("specs",)  # its French file gives no specs
    assert sock.texts["fr"].fallback_fields == PRODUCT_TEXT_FIELDS  # it has no French file


def test_a_translated_body_replaces_the_default_one() -> None:
    catalog = check_content(MINIMAL)
    shoe, about = catalog.products[0], catalog.pages[0]
    assert _hrefs(shoe.texts["en"].body_html) == ["/products/wool-sock/", "/pages/about/"]
    assert _hrefs(shoe.texts["fr"].body_html) == ["/fr/products/wool-sock/"]
    assert _hrefs(about.texts["fr"].body_html) == ["/fr/products/trail-shoe/"]
    assert about.texts["fr"].title == "À propos"


def test_product_defaults_brand_to_the_store_and_updated_to_published() -> None:
    shoe, sock = check_content(MINIMAL).products
    assert shoe.brand == "Northwind"
    assert sock.brand == "Minimal Outfitters"
    assert shoe.updated == shoe.published == date(2026, 3, 2)
    assert sock.updated == date(2026, 2, 1)
    assert (shoe.images[0].width, shoe.images[0].height) == (64, 48)


def test_on_sale_follows_compare_at_above_price() -> None:
    shoe, sock = check_content(MINIMAL).products
    assert shoe.on_sale
    assert not sock.on_sale


def test_a_typo_in_a_field_name_suggests_the_right_one(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"products/wool-sock.md": ("summary:", "sumary:")}) == [
        "products/wool-sock.md:2: summary: required field is missing; expected text",
        'products/wool-sock.md:3: sumary: unknown field; did you mean "summary"?',
    ]


def test_an_invalid_gtin_check_digit_is_an_error(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"products/wool-sock.md": ("3760123456784", "3760123456789")}) == [
        "products/wool-sock.md:11: gtin: expected a GTIN with a valid check digit, "
        'got "3760123456789"'
    ]


def test_two_variants_with_the_same_options_are_an_error(tmp_path: Path) -> None:
    edit = ('options: {size: "42", color: Moss}', 'options: {size: "41", color: Black}')
    assert _errors(tmp_path, {"products/trail-shoe.md": edit}) == [
        "products/trail-shoe.md:24: variants[1].options: same options as variants[0] (41, Black)"
    ]


def test_an_option_value_no_variant_has_is_an_error(tmp_path: Path) -> None:
    # The picker would offer a size that can never be bought.
    edit = ('values: ["41", "42"]', 'values: ["41", "42", "43", "44"]')
    assert _errors(tmp_path, {"products/trail-shoe.md": edit}) == [
        "products/trail-shoe.md:15: options[0].values: expected every value to be some "
        'variant\'s size; no variant has "43", "44" (add a variant or remove the value)'
    ]


def test_a_price_needs_a_currency_whose_minor_unit_fits(tmp_path: Path) -> None:
    errors = _errors(tmp_path, {"catalog.yaml": ("currency: EUR", "currency: JPY")})
    assert "products/trail-shoe.md:25: variants[1].price: expected at most 0 decimal places " \
        'for JPY, got "119.90"' in errors  # fmt: skip


@pytest.mark.parametrize(
    ("currency", "charged", "shown"),
    [("ISK", 2, 0), ("RSD", 2, 0), ("IQD", 2, 0)],
)
def test_a_currency_stripe_charges_otherwise_than_it_is_shown_is_refused(
    tmp_path: Path, currency: str, charged: int, shown: int
) -> None:
    # ISK: Stripe counts hundredths, shoppers see whole krónur: "5000" was charged 50.
    errors = _errors(tmp_path, {"catalog.yaml": ("currency: EUR", f"currency: {currency}")})
    assert errors == [
        f"catalog.yaml:5: store.currency: expected a currency whose prices are shown as "
        f'Stripe charges them; "{currency}" is charged with {charged} decimals but shown with '
        f"{shown}, so a price shown would not be the amount charged (EUR, USD, GBP, CHF, JPY "
        "and most others agree)"
    ]


def test_free_delivery_promised_by_pages_must_be_what_checkout_charges(
    tmp_path: Path,
) -> None:
    # With free_over 100.00 on the first delivery option, an 89.90 cart was called
    # "free delivery" by the banner and the cart, and charged 4.90 at checkout.
    edit = ('free_over: "75.00"', 'free_over: "100.00"')
    assert _errors(tmp_path, {"catalog.yaml": edit}) == [
        "catalog.yaml:39: shipping.options[0].free_over: expected 75.00 like free_threshold, "
        "or no free_over (the first delivery option is free from free_threshold); got 100.00: "
        "pages would promise free delivery from 75.00 and checkout charge it below 100.00"
    ]


def test_the_default_locale_must_come_first(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"catalog.yaml": ("locales: [en, fr]", "locales: [fr, en]")}) == [
        'catalog.yaml:7: store.locales: expected the default locale "en" first, got fr, en'
    ]


def test_a_name_map_without_the_default_locale_is_an_error(tmp_path: Path) -> None:
    edit = ("name: {en: Socks, fr: Chaussettes}", "name: {fr: Chaussettes}")
    assert _errors(tmp_path, {"catalog.yaml": edit}) == [
        "catalog.yaml:28: categories[1].name.en: required field is missing; expected text"
    ]


def test_paid_returns_need_a_fee(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"catalog.yaml": ("free: true", "free: false")}) == [
        "catalog.yaml:47: returns.fee: required field is missing; expected a decimal like "
        '89.90 (quotes optional: "89.90")'
    ]


def test_a_return_window_of_no_days_is_an_error(tmp_path: Path) -> None:
    # It would promise "free returns within 0 days" on every page.
    assert _errors(tmp_path, {"catalog.yaml": ("days: 30", "days: 0")}) == [
        "catalog.yaml:47: returns.days: expected a whole number from 1 to 3650, got 0"
    ]


def test_a_product_with_options_but_a_single_sku_is_an_error(tmp_path: Path) -> None:
    edit = ("tags: [merino, socks]", "options:\n  - name: size\n    values: [S, M]")
    assert _errors(tmp_path, {"products/wool-sock.md": edit}) == [
        "products/wool-sock.md:2: variants: required field is missing: options are declared, "
        "so list the variants"
    ]


def test_a_review_rating_outside_one_to_five_is_an_error(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"products/trail-shoe.md": ("rating: 5", "rating: 6")}) == [
        "products/trail-shoe.md:34: reviews[0].rating: expected a whole number from 1 to 5, got 6"
    ]


def test_a_file_name_that_is_not_a_slug_is_an_error(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    (root / "pages" / "about.md").rename(root / "pages" / "about us.md")
    (root / "pages" / "about.fr.md").unlink()
    with pytest.raises(ContentErrors) as caught:
        check_content(root)
    messages = [(e.path.name, e.field) for e in caught.value]
    assert ("about us.md", "slug") in messages


def test_a_yaml_syntax_error_does_not_hide_errors_in_other_files(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        {
            "products/wool-sock.md": ("tags: [merino, socks]", "tags: [merino, socks"),
            "products/trail-shoe.md": ('price: "129.00"', 'price: "129,00"'),
        },
    )
    assert [e.split(": ", 2)[:2] for e in errors] == [
        ["products/trail-shoe.md:6", "price"],
        ["products/wool-sock.md:16", "front matter"],
    ]


def test_a_broken_product_file_does_not_make_its_translation_look_orphaned(
    tmp_path: Path,
) -> None:
    edit = ("title: Ridge Trail Shoe", "title: [Ridge")
    errors = _errors(tmp_path, {"products/trail-shoe.md": edit})
    assert len(errors) == 1
    assert errors[0].startswith("products/trail-shoe.md:")


def test_shipping_days_must_be_a_min_max_pair(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"catalog.yaml": ("days: [2, 4]", "days: [4, 2]")}) == [
        "catalog.yaml:38: shipping.options[0].days: expected [min, max] business days like "
        "[2, 4], got [4, 2]"
    ]


def test_absurdly_large_prices_and_stock_are_refused_not_crashing_the_build(
    tmp_path: Path,
) -> None:
    # A 30-digit price passed `check` and then crashed `build` in the page's number
    # formatting; a 43-digit stock went into catalog.json, past DynamoDB's 38 digits.
    price = ('price: "129.00"', 'price: "123456789012345678901234567890.00"')
    assert _errors(tmp_path / "price", {"products/trail-shoe.md": price}) == [
        "products/trail-shoe.md:6: price: expected at most 999999.99 EUR (the most a Stripe "
        'payment can be), got "123456789012345678901234567890.00"',
    ]
    stock = ("    stock: 4", "    stock: 1234567890123456789012345678901234567890123")
    assert _errors(tmp_path / "stock", {"products/trail-shoe.md": stock}) == [
        "products/trail-shoe.md:22: variants[0].stock: expected a whole number from 0 to "
        "999999999, got 1234567890123456789012345678901234567890123",
    ]


@pytest.mark.parametrize(
    "url", ["https://example.com/shop/", "http://minimal.example.com", "minimal.example.com"]
)
def test_base_url_is_an_https_host_without_a_path(tmp_path: Path, url: str) -> None:
    # Pages link root-relative (/cart/): under a path, canonicals and links would part.
    edit = ("base_url: https://minimal.example.com", f"base_url: {url}")
    assert _errors(tmp_path, {"catalog.yaml": edit}) == [
        "catalog.yaml:4: store.base_url: expected the shop's https:// address, no path, like "
        f'https://shop.example.com, got "{url}"'
    ]


def test_base_url_may_end_with_a_slash_or_name_a_port(tmp_path: Path) -> None:
    for url in ("https://minimal.example.com/", "https://shop.example.com:8443"):
        edit = ("base_url: https://minimal.example.com", f"base_url: {url}")
        assert check_content(_tree(tmp_path / url[-4:], {"catalog.yaml": edit})).store.base_url


def test_a_was_price_at_or_below_the_price_is_an_error_not_a_silent_no_sale(
    tmp_path: Path,
) -> None:
    # Swapped prices showed 139.00 with no sale at all, and check said valid.
    swapped = ("price: 12.90", "price: 12.90\ncompare_at: 10.90")
    assert _errors(tmp_path / "single", {"products/wool-sock.md": swapped}) == [
        'products/wool-sock.md:6: compare_at: expected a "was" price above the price (12.90), '
        "got 10.90; remove compare_at when the product is not on sale"
    ]
    # The product's default compare_at, 149.00, under a variant priced 159.00
    pricier = ("    price: 119.90", "    price: 159.00")
    assert _errors(tmp_path / "variant", {"products/trail-shoe.md": pricier}) == [
        'products/trail-shoe.md:7: compare_at: expected a "was" price above the price of '
        "variants[1] (159.00), got 149.00; remove compare_at when the product is not on sale"
    ]
    # A variant's own compare_at, equal to its price
    own = ("    price: 119.90", "    price: 119.90\n    compare_at: 119.90")
    assert _errors(tmp_path / "own", {"products/trail-shoe.md": own}) == [
        'products/trail-shoe.md:26: variants[1].compare_at: expected a "was" price above the '
        "price (119.90), got 119.90; remove compare_at when the product is not on sale"
    ]


def test_sale_ends_without_a_sale_is_an_error(tmp_path: Path) -> None:
    edit = ("price: 12.90", "price: 12.90\nsale_ends: 2027-01-31")
    assert _errors(tmp_path, {"products/wool-sock.md": edit}) == [
        "products/wool-sock.md:6: sale_ends: expected a product on sale (a compare_at above "
        "its price): there is no sale to end"
    ]


def test_a_mistyped_locale_is_one_error_on_its_line_not_one_per_translation(
    tmp_path: Path,
) -> None:
    # It made every French name and .fr.md file an error of its own (96 in the example
    # shop), reported at the store's line rather than the list's.
    edit = ("locales: [en, fr]", "locales: [en, FR_fr]")
    assert _errors(tmp_path, {"catalog.yaml": edit}) == [
        'catalog.yaml:7: store.locales[1]: expected a language code like en, got "FR_fr"'
    ]


def test_an_unreadable_catalog_yaml_is_one_error_not_one_per_translation(
    tmp_path: Path,
) -> None:
    # The locales are then unknown: every .fr.md file read as "fr is not a store locale".
    edit = ("locales: [en, fr]", "locales: [en, fr")
    [error] = _errors(tmp_path, {"catalog.yaml": edit})
    assert error.startswith("catalog.yaml:8: yaml: expected valid YAML, could not parse it")


def test_bad_shipping_days_are_quoted_as_the_editor_wrote_them(tmp_path: Path) -> None:
    # Not Python's repr (['a', True]): the editor wrote YAML.
    assert _errors(tmp_path, {"catalog.yaml": ("days: [2, 4]", "days: [two, true, 'x: y']")}) == [
        "catalog.yaml:38: shipping.options[0].days: expected [min, max] business days like "
        "[2, 4], got [two, true, 'x: y']"
    ]


def test_handling_days_must_be_a_min_max_pair_and_default_to_none(tmp_path: Path) -> None:
    assert check_content(MINIMAL).shipping.handling_days == (0, 0)
    bad = ('  free_threshold: "75.00"', '  free_threshold: "75.00"\n  handling_days: [1]')
    assert _errors(tmp_path, {"catalog.yaml": bad}) == [
        "catalog.yaml:33: shipping.handling_days: expected [min, max] business days like "
        "[0, 1], got [1]"
    ]


def test_an_unknown_catalog_section_is_reported(tmp_path: Path) -> None:
    assert _errors(tmp_path, {"catalog.yaml": ("returns:", "return:")}) == [
        "catalog.yaml:2: returns: required field is missing; expected a mapping of fields "
        "(key: value)",
        'catalog.yaml:46: return: unknown section; did you mean "returns"?',
    ]


def test_a_page_translation_needs_its_page_and_may_not_change_the_date(tmp_path: Path) -> None:
    root = _tree(
        tmp_path, {"pages/about.fr.md": ("title: À propos", "title: À propos\nupdated: 2026-01-01")}
    )
    (root / "pages" / "faq.fr.md").write_text("---\ntitle: FAQ\n---\nQuestions.\n", "utf-8")
    with pytest.raises(ContentErrors) as caught:
        check_content(root)
    prefix = root.as_posix() + "/"
    assert [str(e).removeprefix(prefix) for e in caught.value] == [
        "pages/about.fr.md:3: updated: only text fields can be translated (title, description "
        f"and the body); updated comes from {prefix}pages/about.md",
        'pages/faq.fr.md:1: slug: translation of an unknown page "faq"; expected pages/faq.md '
        "to exist",
    ]


def test_a_currency_code_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    # It would reach Stripe and the Merchant feeds as is.
    assert _errors(tmp_path, {"catalog.yaml": ("currency: EUR", "currency: UDS")}) == [
        'catalog.yaml:5: store.currency: expected an ISO 4217 currency code like EUR, "UDS" is none'
    ]


def test_a_country_code_that_does_not_exist_is_an_error_with_a_hint(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        {"catalog.yaml": ("countries: [FR, BE]", "countries: [FR, UK, QQ]")},
    )
    assert errors == [
        'catalog.yaml:31: shipping.countries[1]: expected an ISO country code like FR, "UK" is '
        'none; did you mean "GB"?',
        'catalog.yaml:31: shipping.countries[2]: expected an ISO country code like FR, "QQ" is '
        "none",
    ]
    assert _errors(tmp_path / "b", {"catalog.yaml": ("country: FR", "country: ZZ")}) == [
        'catalog.yaml:14: store.contact.country: expected an ISO country code like FR, "ZZ" is none'
    ]


def test_a_related_product_listed_twice_is_an_error(tmp_path: Path) -> None:
    edit = ("related: [wool-sock]", "related: [wool-sock, wool-sock]")
    assert _errors(tmp_path, {"products/trail-shoe.md": edit}) == [
        'products/trail-shoe.md:31: related[1]: "wool-sock" is listed twice; expected each once'
    ]


def test_an_image_from_another_site_in_a_body_is_an_error(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    product = root / "products/trail-shoe.md"
    product.write_text(
        product.read_text(encoding="utf-8") + "\n![pic](https://evil.example/x.png)\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentErrors) as caught:
        check_content(root)
    [error] = [str(e).removeprefix(root.as_posix() + "/") for e in caught.value]
    assert error.startswith("products/trail-shoe.md:")
    assert error.endswith(
        ': body: image "https://evil.example/x.png" is on another site; expected one from the '
        "content's images/ folder, like /images/trail-shoe-1.jpg"
    )


def test_a_wrong_default_locale_is_one_error_not_one_per_translation(tmp_path: Path) -> None:
    # The locales list still says what the editor meant: translations are checked against it.
    errors = _errors(tmp_path, {"catalog.yaml": ("default_locale: en", "default_locale: EN")})
    assert errors == [
        'catalog.yaml:6: store.default_locale: expected a language code like en or fr-CA, got "EN"'
    ]


def test_a_store_locale_without_interface_strings_is_a_content_error(tmp_path: Path) -> None:
    from storefront.pipeline import DEFAULT_SITE_DIR
    from storefront.ui_strings import theme_locale_errors

    catalog = check_content(_tree(tmp_path, {"catalog.yaml": ("[en, fr]", "[en, fr, de]")}))
    [error] = theme_locale_errors(DEFAULT_SITE_DIR / "i18n", catalog)
    assert (error.path.name, error.field) == ("catalog.yaml", "store.locales")
    assert error.message.startswith('the theme has no interface strings for "de"; expected ')
    assert error.message.endswith(
        "site/i18n/de.yaml (a translated copy of en.yaml), or remove the locale"
    )


def test_a_store_locale_whose_interface_strings_lack_keys_is_a_content_error(
    tmp_path: Path,
) -> None:
    # Given a new locale whose strings file was started but not finished
    import shutil

    from storefront.pipeline import DEFAULT_SITE_DIR
    from storefront.ui_strings import theme_locale_errors

    i18n = tmp_path / "i18n"
    shutil.copytree(DEFAULT_SITE_DIR / "i18n", i18n)
    (i18n / "de.yaml").write_text("ui:\n  home: Startseite\njs:\n  added: Hinzugefügt\n")
    catalog = check_content(_tree(tmp_path, {"catalog.yaml": ("[en, fr]", "[en, fr, de]")}))

    # Then `check` says so, as the build would, against the file to finish
    [error] = theme_locale_errors(i18n, catalog)
    assert (error.path, error.field) == (i18n / "de.yaml", "ui")
    assert error.message.startswith("expected the same keys as en.yaml; missing: ")


def test_a_file_with_another_error_still_reports_the_sku_it_shares(tmp_path: Path) -> None:
    # Fixing the stock must not bring the duplicate SKU to light only then
    errors = _errors(
        tmp_path,
        {"products/wool-sock.md": ("sku: MWS-01\nstock: 40", "sku: RTS-41-BLK\nstock: many")},
    )

    assert any(e.startswith("products/wool-sock.md:7: stock:") for e in errors), errors
    assert any(
        e.startswith('products/wool-sock.md:6: sku: duplicate SKU "RTS-41-BLK"') for e in errors
    ), errors


def test_a_dash_line_inside_the_front_matter_is_an_error_not_fields_shown_as_text(
    tmp_path: Path,
) -> None:
    # A `---` pasted among the fields ends the front matter there: what follows it
    # became text on the page and its values were lost, with no error.
    errors = _errors(
        tmp_path,
        {
            "products/trail-shoe.md": ("specs:", "---\nspecs:"),
            "products/trail-shoe.fr.md": ("features:", "...\nfeatures:"),
            "pages/about.md": ("updated:", "---\n\nupdated:"),
        },
    )

    assert [e for e in errors if "front matter ended" in e] == [
        f"{file}:{line}: {field}: looks like a field, but the front matter ended at line "
        f"{end}; expected every field before the front matter's closing --- (a --- or ... "
        f"line inside it ends it: remove the one at line {end})"
        for file, line, field, end in (
            ("pages/about.md", 6, "updated", 4),
            ("products/trail-shoe.fr.md", 8, "features", 7),
            ("products/trail-shoe.md", 28, "specs", 27),
        )
    ]


def test_a_body_that_starts_like_a_field_of_no_kind_is_text(tmp_path: Path) -> None:
    # "note:" is no field of a page: the body may start with it (as may any Markdown).
    root = _tree(tmp_path, {"pages/about.md": ("01\n---\n", "01\n---\nnote: made in Annecy.\n\n")})
    assert check_content(root).pages


def test_spec_values_must_be_text_and_every_bad_row_is_reported(tmp_path: Path) -> None:
    # true, a list or a mapping were shown as Python writes them (True, ['S', 'M'])
    errors = _errors(
        tmp_path,
        {
            "products/trail-shoe.md": (
                "  - [Weight, 285 g]",
                "  - [Weight, 285 g]\n  - [Waterproof, true]\n  - [Sizes, [S, M]]\n"
                "  - [Drop, 6]\n  - [Since, 2024-05-01]\n  - [Stamp, 2026-01-01T10:00:00]",
            )
        },
    )

    expected = "expected a [label, value] pair of texts like [Weight, 285 g], got"
    assert [e.split(": ", 1)[0] for e in errors] == [
        "products/trail-shoe.md:29",
        "products/trail-shoe.md:30",
        "products/trail-shoe.md:33",
    ]
    assert all(f"{expected} " in e for e in errors)
    assert errors[0].startswith("products/trail-shoe.md:29: specs[1]: ")


def test_spec_numbers_and_dates_are_shown_as_written(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "products/trail-shoe.md": (
                "  - [Weight, 285 g]",
                "  - [Drop, 6]\n  - [Since, 2024-05-01]",
            )
        },
    )
    (shoe,) = [p for p in check_content(root).products if p.slug == "trail-shoe"]
    assert shoe.texts["en"].specs == (("Drop", "6"), ("Since", "2024-05-01"))


def test_a_gtin_at_the_top_of_a_product_with_variants_is_an_error_not_dropped(
    tmp_path: Path,
) -> None:
    errors = _errors(
        tmp_path, {"products/trail-shoe.md": ("brand:", 'gtin: "3760312400017"\nbrand:')}
    )

    assert errors == [
        "products/trail-shoe.md:5: gtin: expected a gtin on each variant (each has its own "
        "barcode), not here"
    ]


def test_a_shipping_country_listed_twice_is_an_error(tmp_path: Path) -> None:
    errors = _errors(tmp_path, {"catalog.yaml": ("countries: [FR, BE]", "countries: [FR, BE, FR]")})

    assert errors == [
        "catalog.yaml:31: shipping.countries[2]: expected each country once, got FR again"
    ]


def test_a_quoted_date_is_the_same_date_and_an_impossible_one_an_error(tmp_path: Path) -> None:
    # The JSON Schemas allow "2026-03-02" in quotes, so an editor's IDE shows no error.
    root = _tree(
        tmp_path, {"products/trail-shoe.md": ("published: 2026-03-02", 'published: "2026-03-02"')}
    )
    (shoe,) = [p for p in check_content(root).products if p.slug == "trail-shoe"]
    assert shoe.published == date(2026, 3, 2)

    errors = _errors(
        tmp_path / "bad",
        {"products/trail-shoe.md": ("published: 2026-03-02", 'published: "2026-02-30"')},
    )
    assert errors == [
        'products/trail-shoe.md:8: published: expected a date like 2026-03-02, got "2026-02-30"'
    ]


def test_invisible_characters_are_spelled_out_in_messages(tmp_path: Path) -> None:
    # A no-break space after a key, a zero-width space in a SKU: pasted from a web page,
    # each looked right in the message ("price", "RTS-41-BLK").
    errors = _errors(
        tmp_path,
        {
            "products/wool-sock.md": ("summary:", "summary\u00a0:"),
            "products/trail-shoe.md": ("sku: RTS-41-BLK", "sku: RTS-41-BLK\u200b"),
        },
    )

    assert any('unknown field "summary\\u00a0"; did you mean "summary"?' in e for e in errors)
    assert any('got "RTS-41-BLK\\u200b"' in e for e in errors)


def test_a_was_price_below_the_price_every_variant_inherits_is_one_error(tmp_path: Path) -> None:
    # Checked per variant, it was one identical line per variant (sixteen for sixteen).
    root = _tree(tmp_path, {"products/trail-shoe.md": ("compare_at: 149.00", "compare_at: 125.00")})
    shoe = root / "products" / "trail-shoe.md"
    shoe.write_text(shoe.read_text(encoding="utf-8").replace("    price: 119.90\n", ""))

    with pytest.raises(ContentErrors) as caught:
        check_content(root)

    assert [str(e).removeprefix(root.as_posix() + "/") for e in caught.value] == [
        'products/trail-shoe.md:7: compare_at: expected a "was" price above the price '
        "(129.00), got 125.00; remove compare_at when the product is not on sale"
    ]


def test_two_option_values_that_read_alike_are_an_error(tmp_path: Path) -> None:
    # Two buttons no shopper can tell apart: in French, or by case alone.
    french = _errors(
        tmp_path / "fr",
        {"products/trail-shoe.fr.md": ("{Black: Noir, Moss: Mousse}", "{Black: Noir, Moss: noir}")},
    )
    cased = _errors(
        tmp_path / "case", {"products/trail-shoe.md": ("[Black, Moss]", "[Black, black]")}
    )

    assert french == [
        "products/trail-shoe.fr.md:6: option_values.color: expected Black and Moss to read "
        'differently, both read "noir"'
    ]
    assert ["options[1].values", "expected each value once, got Black, black"] in [
        e.split(": ", 2)[1:] for e in cased
    ]


def test_an_unknown_related_product_or_a_mis_cased_image_says_what_was_meant(
    tmp_path: Path,
) -> None:
    root = _tree(
        tmp_path, {"products/trail-shoe.md": ("images/trail-shoe-1.png", "images/Trail-Shoe-1.PNG")}
    )
    sock = root / "products" / "wool-sock.md"
    sock.write_text(
        sock.read_text(encoding="utf-8").replace("---\n", "---\nrelated: [trail-sho]\n", 1)
    )

    with pytest.raises(ContentErrors) as caught:
        check_content(root)

    messages = [e.message for e in caught.value]
    assert any(m.endswith('(did you mean "trail-shoe"?)') for m in messages)
    assert any(
        m.endswith("(found images/trail-shoe-1.png: names are case-sensitive)") for m in messages
    )


def test_a_was_price_too_close_to_the_price_to_show_a_sale_is_an_error(tmp_path: Path) -> None:
    # 0.4 % rounds to 0 %: no sale on the page or in the feed, while the editor meant one.
    errors = _errors(
        tmp_path, {"products/trail-shoe.md": ("compare_at: 149.00", "compare_at: 129.50")}
    )

    assert errors[0] == (
        'products/trail-shoe.md:7: compare_at: expected a "was" price of at least 129.65 for '
        "the price (129.00), got 129.50: a smaller discount rounds to 0 % and shows no sale"
    )
    root = _tree(
        tmp_path / "ok", {"products/trail-shoe.md": ("compare_at: 149.00", "compare_at: 129.65")}
    )
    (shoe,) = [p for p in check_content(root).products if p.slug == "trail-shoe"]
    assert shoe.variants[0].on_sale  # 0.5 % rounds to 1 %


def test_a_control_character_in_a_body_is_an_error_on_its_line(tmp_path: Path) -> None:
    errors = _errors(tmp_path, {"pages/about.md": ("small shop", "small\x07 shop")})

    assert errors == [
        "pages/about.md:6: body: expected text without control characters, found U+0007; "
        "delete it (it is invisible in most editors)"
    ]


def test_a_file_with_a_bad_field_still_has_its_related_products_and_links_checked(
    tmp_path: Path,
) -> None:
    # Checked only once the file validated, they came to light one fix after another.
    root = _tree(tmp_path, {"products/wool-sock.md": ("---\n", "---\nrelated: [nope]\n")})
    sock = root / "products" / "wool-sock.md"
    text = sock.read_text(encoding="utf-8").replace("price: 12.90", 'price: "12,90"')
    sock.write_text(text + "\nSee [the socks](/products/nope-socks/).\n", encoding="utf-8")

    with pytest.raises(ContentErrors) as caught:
        check_content(root)

    fields = sorted(e.field for e in caught.value)
    assert "price" in fields
    assert "related[0]" in fields
    assert any("nope-socks" in e.message for e in caught.value)


def test_a_link_written_as_the_shops_own_address_is_an_error_naming_its_site_path(
    tmp_path: Path,
) -> None:
    # Neither checked (a page that does not exist passed) nor kept in the reader's language.
    errors = _errors(
        tmp_path,
        {
            "pages/about.md": (
                "small shop in Annecy.",
                "small shop in Annecy. [Returns](https://minimal.example.com/pages/nope/#fees), "
                "[Stripe](https://stripe.com/docs).",
            )
        },
    )

    assert errors == [
        'pages/about.md:6: body: link "https://minimal.example.com/pages/nope/#fees" is the '
        'shop\'s own address; expected its site path "/pages/nope/#fees" (checked at build '
        "time, and kept in the reader's language)"
    ]


def test_a_negative_price_written_without_quotes_is_quoted_back(tmp_path: Path) -> None:
    # It read "got a number", as if any number were wrong.
    errors = _errors(tmp_path, {"products/wool-sock.md": ("price: 12.90", "price: -5")})

    assert errors == ["products/wool-sock.md:5: price: expected a decimal like 89.90, got -5"]


def test_a_pickup_option_is_collected_at_its_own_address_else_the_shops(tmp_path: Path) -> None:
    def pickup_address(root: Path) -> tuple[str, ...]:
        [option] = [o for o in check_content(root).shipping.options if o.kind == "pickup"]
        return option.address

    assert pickup_address(_tree(tmp_path / "a")) == ("1 rue du Lac", "74000 Annecy", "France")
    own = ("days: [0, 1]\n", 'days: [0, 1]\n      address: ["Quai 3", "74000 Annecy"]\n')
    assert pickup_address(_tree(tmp_path / "b", {"catalog.yaml": own})) == (
        "Quai 3",
        "74000 Annecy",
    )
    standard = next(o for o in check_content(_tree(tmp_path / "c")).shipping.options)
    assert standard.address == ()


def test_a_pickup_option_with_nowhere_to_collect_it_is_an_error(tmp_path: Path) -> None:
    no_shop_address = ('    address: ["1 rue du Lac", "74000 Annecy", "France"]\n', "")
    assert _errors(tmp_path, {"catalog.yaml": no_shop_address}) == [
        "catalog.yaml:39: shipping.options[1].address: expected where pickup orders are "
        'collected, like ["12 rue des Alpes", "74000 Annecy"] (or store.contact.address, '
        "used when absent)"
    ]


def test_a_delivery_option_with_an_address_is_an_error(tmp_path: Path) -> None:
    edit = ("days: [2, 4]\n", 'days: [2, 4]\n      address: ["Quai 3"]\n')
    assert _errors(tmp_path, {"catalog.yaml": edit}) == [
        "catalog.yaml:39: shipping.options[0].address: expected no address on a delivery "
        "option (pickup only)"
    ]


def test_a_field_written_without_a_value_is_named_on_its_own_line(tmp_path: Path) -> None:
    # `price:` left empty read as no price: every variant's line was blamed instead.
    errors = _errors(tmp_path, {"products/trail-shoe.md": ('price: "129.00"', "price:")})
    assert errors[0] == (
        "products/trail-shoe.md:6: price: written without a value; delete the line or give a "
        'decimal like 89.90 (quotes optional: "89.90")'
    )


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('gtin: "3760123456784"', 'gtin: "３７６０１２３４５６７８４"', "gtin"),  # full-width
        ("price: 12.90", 'price: "١٢.٩٠"', "price"),  # Arabic-Indic digits
        ("published: 2026-01-15", 'published: "２０２６-01-15"', "published"),
    ],
    ids=["gtin", "price", "date"],
)
def test_digits_other_than_0_to_9_are_refused(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    # Pasted from a spreadsheet: Google refuses such a barcode, and no reader expects them.
    [error] = _errors(tmp_path, {"products/wool-sock.md": (old, new)})
    assert "products/wool-sock.md:" in error
    assert f": {field}: " in error


def test_a_slug_longer_than_a_folder_name_should_be_is_refused(tmp_path: Path) -> None:
    # 300 characters passed the check, then failed the build in the middle (no such file name).
    long = "a" * 81
    errors = _errors(tmp_path, {"catalog.yaml": ("slug: socks", f"slug: {long}")})
    assert any(": categories" in e and "at most 80" in e for e in errors), errors
