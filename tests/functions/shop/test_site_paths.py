"""Where each locale's pages live: the default locale at the root, the others under /<locale>."""

from __future__ import annotations

from shop.site_paths import CART_PAGE, ORDER_PAGE, locale_of_page, locale_prefix, localized_path


def test_the_default_locale_has_no_prefix_and_the_others_their_code() -> None:
    assert locale_prefix("en", "en") == ""
    assert locale_prefix("fr", "en") == "/fr"
    assert locale_prefix("pt_BR", "en") == "/pt_BR"


def test_a_fixed_page_in_each_locale() -> None:
    assert localized_path(CART_PAGE, "en", "en") == "/cart/"
    assert localized_path(CART_PAGE, "fr", "en") == "/fr/cart/"
    assert localized_path(ORDER_PAGE, "en", "fr") == "/en/order/"


def test_the_locale_of_the_page_a_form_was_posted_from() -> None:
    locales = ("en", "fr")
    assert locale_of_page("https://shop.example.com/fr/products/x/", locales) == "fr"
    assert locale_of_page("https://shop.example.com/products/x/", locales) is None
    assert locale_of_page("https://shop.example.com/de/products/x/", locales) is None
    assert locale_of_page("https://shop.example.com/frog/", locales) is None
    assert locale_of_page("http://[", locales) is None  # not a URL
    assert locale_of_page("", locales) is None
