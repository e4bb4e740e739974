"""One planned page, and the context every page of a locale shares.

A page's context is made on demand (`PlannedPage.context`), from the locale's
shared part (`locale_base`: store, strings, menu, footer) and the page's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from babel import Locale

from storefront.model import Catalog
from storefront.seo import PageMeta
from storefront.ui_strings import UiStrings
from storefront.urls import content_page_route, localize, output_file
from storefront.views import NavCategory, walk

# Footer groups for the content pages the example shop ships; other pages go to `service`.
LEGAL_PAGES = ("terms", "privacy", "legal")


@dataclass(frozen=True, slots=True)
class PlannedPage:
    """One page to render: where it goes, with which template, and what it shows.

    The context is made on demand (`context()`): planning every page stays cheap, so
    an incremental build can tell which pages changed without building their data,
    and parallel workers build the contexts of their own pages.
    """

    # home | category | category_cards | product | page | search | cart | checkout_* | order | 404
    kind: str
    route: str  # locale-less path: "/products/trail-shoe/"
    path: str  # public path in its locale: "/fr/products/trail-shoe/"
    output: str  # file under the public folder: "fr/products/trail-shoe/index.html"
    locale: str
    template: str
    # The products whose data the page shows (its own, listed, related), and any other
    # fact it shows that is not site-wide (e.g. tile counts). With the site-wide inputs
    # (settings, content pages, theme, code) these decide the page's bytes.
    shows: tuple[str, ...]
    detail: str
    make_context: Callable[[], dict[str, Any]] = field(repr=False, compare=False)

    def context(self) -> dict[str, Any]:
        """The template context of this page."""
        return self.make_context()


@cache
def _language_name(locale: str) -> str:
    """A locale's name in itself, capitalised ("Français"); asked for on every page."""
    name = Locale.parse(locale).get_display_name(locale) or locale
    return name[:1].upper() + name[1:]


def _language_links(catalog: Catalog, route: str) -> list[dict[str, str]]:
    links = []
    for locale in catalog.store.locales:
        links.append(
            {
                "locale": locale,
                "hreflang": locale.replace("_", "-"),
                "name": _language_name(locale),
                "path": localize(route, locale, catalog.store),
            }
        )
    return links


def _footer_pages(catalog: Catalog, locale: str) -> dict[str, list[dict[str, str]]]:
    default = catalog.store.default_locale
    groups: dict[str, list[dict[str, str]]] = {"service": [], "legal": []}
    for page in catalog.pages:
        group = "legal" if page.slug in LEGAL_PAGES else "service"
        title = page.text(locale, default).title
        groups[group].append({"title": title, "route": content_page_route(page.slug)})
    return groups


def _content_year(catalog: Catalog) -> int:
    # From the content, not the clock, so the same content builds the same bytes.
    dates = [p.updated for p in catalog.products] + [p.updated for p in catalog.pages]
    return max(dates).year if dates else date(2026, 1, 1).year


def planned_page(
    catalog: Catalog,
    base: dict[str, Any],
    kind: str,
    route: str,
    template: str,
    shows: tuple[str, ...],
    extra: Callable[[], dict[str, Any]],
    meta: Callable[[], PageMeta],
    detail: str = "",
) -> PlannedPage:
    """One page of the locale whose shared context is `base`; its own context made on demand."""
    locale: str = base["locale"]
    path = localize(route, locale, catalog.store)

    def make_context() -> dict[str, Any]:
        # The 404 page has no twin in other locales: its switcher leads to each home page.
        languages = _language_links(catalog, "/" if kind == "404" else route)
        return {
            **base,
            "kind": kind,
            "route": route,
            "languages": languages,
            "meta": meta(),
            **extra(),
        }

    return PlannedPage(
        kind=kind,
        route=route,
        path=path,
        output=output_file(path),
        locale=locale,
        template=template,
        shows=shows,
        detail=detail,
        make_context=make_context,
    )


def locale_base(catalog: Catalog, ui: UiStrings, nav: tuple[NavCategory, ...]) -> dict[str, Any]:
    """What every page of `ui`'s locale shows: store, strings, the menu `nav`, the footer."""
    return {
        "locale": ui.locale,
        "lang": ui.locale.replace("_", "-"),
        "store": catalog.store,
        "strings": ui,
        "nav": nav,
        # The menu's routes: base.html renders the menu once per locale and current entry.
        "nav_routes": frozenset(node.route for node in walk(nav)),
        "footer_pages": _footer_pages(catalog, ui.locale),
        "year": _content_year(catalog),
        "shipping": catalog.shipping,
        "returns": catalog.returns,
    }
