"""The site's fixed pages, and where each locale's pages live.

The build makes these pages (storefront/plan_pages.py) and the functions send
shoppers to them: Stripe's return URLs, the order email's link, the cart form's
answer. One list, so a page the functions link to cannot move without them.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlsplit

HOME_PAGE = "/"
SEARCH_PAGE = "/search/"
CART_PAGE = "/cart/"
CHECKOUT_SUCCESS_PAGE = "/checkout/success/"
CHECKOUT_CANCEL_PAGE = "/checkout/cancel/"
ORDER_PAGE = "/order/"  # the order status page: ?o=<order id>&t=<its token>


# The cart form's answer (the product page without JavaScript) is the cart page at an
# anchor the page says without JavaScript, and cart.js reads with it: `#added`, or
# `#refused-<code>` for each refusal code, whose words are the theme's ui string named here.
CART_ADDED_ANCHOR = "added"
CART_FORM_REFUSALS = {
    "out_of_stock": "form_refused_out_of_stock",
    "cross_origin_request": "form_refused_cross_site",
    "unknown_sku": "form_refused_unknown_sku",
    "quantity_out_of_bounds": "form_refused_quantity",
    "cart_limit_exceeded": "form_refused_cart_full",
    "invalid_request": "form_refused_invalid",
    "invalid_json": "form_refused_invalid",
    "body_too_large": "form_refused_invalid",
    "unsupported_locale": "form_refused_invalid",
    "concurrent_update": "form_refused_try_again",
    "service_unavailable": "form_refused_try_again",
    "internal_error": "form_refused_try_again",
}


def cart_refusal_anchor(code: str) -> str:
    """The cart page's anchor of a refused form post: its code's, else "try again"."""
    return f"refused-{code if code in CART_FORM_REFUSALS else 'internal_error'}"


def locale_prefix(locale: str, default_locale: str) -> str:
    """The URL prefix of a locale's pages: "" for the default locale, "/fr" otherwise."""
    return "" if locale == default_locale else f"/{locale}"


def localized_path(route: str, locale: str, default_locale: str) -> str:
    """A locale-less route (`/cart/`) in a locale's URL tree (`/fr/cart/`)."""
    return locale_prefix(locale, default_locale) + route


def locale_of_page(url: str, locales: Collection[str]) -> str | None:
    """The locale whose pages `url` is one of (`/fr/products/x/` → "fr"); None for the
    default locale's pages, another site's paths, or text that is not a URL."""
    try:
        first = urlsplit(url).path.strip("/").split("/", 1)[0]
    except ValueError:  # not a URL ("http://[")
        return None
    return first if first in locales else None
