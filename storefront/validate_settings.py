"""Validate catalog.yaml: store settings, category tree, returns (shipping: validate_shipping)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel.numbers import get_currency_precision, list_currencies
from shop.money import MoneyError, check_currency, currency_exponent
from shop.stock import DEFAULT_LOW_STOCK_THRESHOLD

from storefront.errors import ErrorList
from storefront.fields import EMAIL, SLUG, SLUG_MAX, Fields, describe
from storefront.load_content import RawDocument
from storefront.model import (
    AGE_GROUPS,
    DEFAULT_PRODUCTS_PER_PAGE,
    GENDERS,
    Category,
    Contact,
    LegalEntity,
    ReturnPolicy,
    Shipping,
    Store,
)
from storefront.redirects import Redirect, read_redirects
from storefront.validate_shipping import country_problem, read_shipping
from storefront.yaml_lines import YamlList

LOCALE = re.compile(r"^[a-z]{2}(?:-[A-Z]{2})?$")
# The shop is served from the root of its own host over HTTPS: every page links
# root-relative (/cart/), so a path (https://example.com/shop/) would split canonical
# URLs and sitemaps from the links, and the cookies and Stripe need HTTPS.
_BASE_URL = re.compile(r"^https://[a-z0-9.-]+(?::\d+)?/?$", re.IGNORECASE | re.ASCII)
# Category listings: a page of more than a few hundred cards is what pagination is there to avoid.
PRODUCTS_PER_PAGE_MAX = 500


@dataclass(frozen=True, slots=True)
class Settings:
    """What catalog.yaml yields; parts are None when they had errors (already reported)."""

    currency: str  # usable even when the store had errors, so products can still be checked
    default_locale: str
    locales: tuple[str, ...]
    store: Store | None
    categories: tuple[Category, ...]
    category_slugs: frozenset[str] | None  # every slug written, valid or not; None: unreadable
    shipping: Shipping | None
    returns: ReturnPolicy | None
    redirects: tuple[Redirect, ...] = ()


def _locales(store: Fields) -> tuple[str, tuple[str, ...]] | None:
    default = store.pattern("default_locale", LOCALE, "a language code like en or fr-CA")
    locales = store.texts("locales", min_items=1)
    if default is None or locales is None:
        return None
    written = store.data.get("locales")
    for index, locale in enumerate(locales):
        if not LOCALE.match(locale):
            line = written.line_of(index) if isinstance(written, YamlList) else None
            store.error(
                f"locales[{index}]", f'expected a language code like en, got "{locale}"', line
            )
            return None
    # After an error, go on with the locales the editor evidently meant, so the rest
    # of the content is still checked against them (the error fails the build anyway).
    meant = (default, *dict.fromkeys(loc for loc in locales if loc != default))
    if len(set(locales)) != len(locales):
        store.error("locales", f"expected each locale once, got {', '.join(locales)}")
    elif locales[0] != default:
        store.error(
            "locales", f'expected the default locale "{default}" first, got {", ".join(locales)}'
        )
    return default, meant


# Two-letter region codes that are not countries one can ship to.
def _currency(store: Fields) -> str | None:
    value = store.text("currency")
    if value is None:
        return None
    try:
        code = check_currency(value)
    except MoneyError as exc:
        store.error("currency", str(exc))
        return None
    if code not in list_currencies():
        # Checkout sends it to Stripe and the feeds to Google: a typo would reach both.
        store.error("currency", f'expected an ISO 4217 currency code like EUR, "{code}" is none')
        return None
    charged, shown = currency_exponent(code), get_currency_precision(code)
    if charged != shown:
        # Pages, emails and the browser (Intl) show CLDR's decimals; Stripe charges its own.
        store.error(
            "currency",
            f'expected a currency whose prices are shown as Stripe charges them; "{code}" '
            f"is charged with {charged} decimals but shown with {shown}, so a price shown "
            f"would not be the amount charged (EUR, USD, GBP, CHF, JPY and most others agree)",
        )
        return None
    return code


STORE_FIELDS = (
    "name", "base_url", "currency", "default_locale", "locales", "tagline",
    "low_stock_threshold", "products_per_page", "contact", "legal",
)  # fmt: skip


def _store(
    store: Fields, currency: str | None, locales: tuple[str, tuple[str, ...]] | None
) -> Store | None:
    store.check_keys(STORE_FIELDS)
    name = store.text("name")
    base_url = store.pattern(
        "base_url", _BASE_URL, "the shop's https:// address, no path, like https://shop.example.com"
    )
    threshold = store.integer("low_stock_threshold", required=False)
    per_page = store.integer("products_per_page", low=1, high=PRODUCTS_PER_PAGE_MAX, required=False)
    contact = store.mapping("contact")
    legal = store.mapping("legal")
    contact_value = legal_value = None
    if contact is not None:
        contact.check_keys(("email", "phone", "address", "postal_code", "locality", "country"))
        email = contact.pattern("email", EMAIL, "an email address like hello@example.com")
        address = contact.texts("address", required=False)
        country = contact.text("country", required=False)
        problem = country_problem(country) if country else None
        if problem:
            contact.error("country", problem)
            country = None
        phone = contact.text("phone", required=False)
        postal_code = contact.text("postal_code", required=False) or ""
        locality = contact.text("locality", required=False) or ""
        if email is not None:
            contact_value = Contact(
                email, phone, address or (), country or "", postal_code, locality
            )
    if legal is not None:
        legal.check_keys(("name", "registration", "vat_id"))
        legal_name = legal.text("name")
        if legal_name is not None:
            legal_value = LegalEntity(
                legal_name, legal.text("registration", False), legal.text("vat_id", False)
            )
    if locales is None:
        return None
    tagline = store.localized("tagline", locales[0], locales[1], required=False)
    if (
        name is None
        or base_url is None
        or currency is None
        or contact_value is None
        or legal_value is None
        or tagline is None
    ):
        return None
    return Store(
        name=name,
        base_url=base_url.rstrip("/"),
        currency=currency,
        default_locale=locales[0],
        locales=locales[1],
        contact=contact_value,
        legal=legal_value,
        tagline=tagline or {},
        low_stock_threshold=DEFAULT_LOW_STOCK_THRESHOLD if threshold is None else threshold,
        products_per_page=DEFAULT_PRODUCTS_PER_PAGE if per_page is None else per_page,
    )


def _categories(
    doc: Fields, default: str, locales: tuple[str, ...]
) -> tuple[tuple[Category, ...], frozenset[str]]:
    """The valid categories in tree order, and every slug given (to check products against)."""
    found: list[Category] = []
    seen: dict[str, int] = {}

    def walk(node: Fields, parent: Category | None, position: int) -> None:
        node.check_keys(
            ("slug", "name", "description", "google_category", "gender", "age_group", "children")
        )
        slug = node.pattern(
            "slug", SLUG, f"a slug: lowercase letters, digits and hyphens, at most {SLUG_MAX}"
        )
        names = node.localized("name", default, locales)
        descriptions = node.localized("description", default, locales, required=False)
        # Given once on a top category, they hold for all of its children.
        google = node.text("google_category", required=False)
        gender, age_group = node.choice("gender", GENDERS), node.choice("age_group", AGE_GROUPS)
        if slug is not None and slug in seen:
            node.error("slug", f'duplicate category "{slug}", already on line {seen[slug]}')
            slug = None
        category = None
        if slug is not None:
            seen[slug] = node.line("slug")
            category = Category(
                slug,
                parent.slug if parent else None,
                names or {},
                descriptions or {},
                position,
                google_category=google or (parent.google_category if parent else ""),
                gender=gender or (parent.gender if parent else ""),
                age_group=age_group or (parent.age_group if parent else ""),
            )
            if names is not None:
                found.append(category)
        # Parents come before their children: pages and menus rely on tree order.
        for index, child in enumerate(node.records("children", required=False)):
            walk(child, category, index)

    for index, top in enumerate(doc.records("categories", min_items=1)):
        walk(top, None, index)
    return tuple(found), frozenset(seen)


def _returns(doc: Fields, currency: str) -> ReturnPolicy | None:
    returns = doc.mapping("returns")
    if returns is None:
        return None
    returns.check_keys(("days", "free", "fee", "restock_on_refund"))
    # A 0-day window would read "free returns within 0 days" on every page and tell
    # Google a finite window of none: a shop that takes no returns says so in its terms.
    days = returns.integer("days", low=1, high=3650)
    free = returns.data.get("free")
    if not isinstance(free, bool):
        if free is None:
            returns.error("free", "required field is missing; expected true or false")
        else:
            returns.error("free", f"expected true or false, got {describe(free)}")
        return None
    fee = returns.money("fee", currency, required=not free)
    if free and fee is not None:
        returns.error("fee", "expected no fee when returns are free (free: true)")
        return None
    restock = returns.boolean("restock_on_refund", True)
    if days is None or (not free and fee is None):
        return None
    return ReturnPolicy(days, free, fee, restock)


def _meant_locales(store: Fields | None) -> tuple[str, tuple[str, ...]]:
    """The locales to check the rest against when the store's are in error.

    A wrong `default_locale` alone (or a missing one) must not make every translation
    and every name look wrong too: the locales list, when it reads well, is what the
    editor meant, its first entry the default. Otherwise English alone.
    """
    written = store.data.get("locales") if store is not None else None
    if (
        isinstance(written, list)
        and written
        and all(isinstance(loc, str) and LOCALE.match(loc) for loc in written)
    ):
        return written[0], tuple(dict.fromkeys(written))
    return "en", ("en",)


def validate_settings(raw: RawDocument, errors: ErrorList) -> Settings:
    """Read catalog.yaml into store, categories, shipping and returns, recording every error."""
    doc = Fields(raw.data, raw.path, errors)
    if raw.parsed:
        doc.check_keys(("store", "categories", "shipping", "returns", "redirects"), "section")
    store_fields = doc.mapping("store") if raw.parsed else None
    currency = _currency(store_fields) if store_fields else None
    locales = _locales(store_fields) if store_fields else None
    # Later checks need a currency and locales even when the store's are wrong: the
    # store's own errors are already recorded, so fall back to keep checking the rest.
    safe_currency = currency or "EUR"
    default, all_locales = locales or _meant_locales(store_fields)
    if not raw.parsed:
        return Settings(safe_currency, default, all_locales, None, (), None, None, None)
    store = _store(store_fields, currency, locales) if store_fields else None
    categories, category_slugs = _categories(doc, default, all_locales)
    return Settings(
        currency=safe_currency,
        default_locale=default,
        locales=all_locales,
        store=store,
        categories=categories,
        category_slugs=category_slugs,
        shipping=read_shipping(
            doc, safe_currency, default, all_locales, store.contact.address_lines if store else None
        ),
        returns=_returns(doc, safe_currency),
        redirects=read_redirects(doc, all_locales),
    )
