"""Plan the site: every URL with its template and context, per locale.

This is the URL table of docs/architecture.md in one place. Later stages
(render, sitemap, search index) read the plan instead of re-deriving URLs:
`PlannedPage.indexable` and `lastmod` are what the sitemap needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from babel import Locale

from storefront import page_meta
from storefront.category_tree import category_descendants
from storefront.model import Catalog
from storefront.seo import PageMeta
from storefront.ui_strings import UiStrings
from storefront.urls import (
    category_route,
    content_page_route,
    home_route,
    localize,
    output_file,
    product_route,
)
from storefront.variant_picker import option_groups, variant_choices
from storefront.views import (
    Crumb,
    ProductIndex,
    category_name,
    category_tiles,
    category_trail,
    navigation,
    picture,
    product_card,
    related_products,
    walk,
)

NEW_ARRIVALS = 8
# Footer groups for the content pages the example shop ships; other pages go to `service`.
LEGAL_PAGES = ("terms", "privacy", "legal")
# Shells: pages whose content is filled by JavaScript or that only confirm a step.
SHELLS: tuple[tuple[str, str, str], ...] = (
    ("search", "/search/", "search.html"),
    ("cart", "/cart/", "cart.html"),
    ("checkout_success", "/checkout/success/", "checkout_success.html"),
    ("checkout_cancel", "/checkout/cancel/", "checkout_cancel.html"),
    ("order", "/order/", "order.html"),
)


@dataclass(frozen=True, slots=True)
class PlannedPage:
    """One page to render: where it goes, with which template and data."""

    kind: str  # home | category | product | page | search | cart | checkout_* | order | 404
    route: str  # locale-less path: "/products/trail-shoe/"
    path: str  # public path in its locale: "/fr/products/trail-shoe/"
    output: str  # file under the public folder: "fr/products/trail-shoe/index.html"
    locale: str
    template: str
    indexable: bool
    lastmod: date | None  # last content change, for the sitemap (None: not in the sitemap)
    context: dict[str, Any]


def _language_links(catalog: Catalog, route: str) -> list[dict[str, str]]:
    links = []
    for locale in catalog.store.locales:
        name = Locale.parse(locale).get_display_name(locale) or locale
        links.append(
            {
                "locale": locale,
                "hreflang": locale.replace("_", "-"),
                "name": name[:1].upper() + name[1:],
                "path": localize(route, locale, catalog.store),
            }
        )
    return links


def _footer_pages(catalog: Catalog, locale: str) -> dict[str, list[dict[str, str]]]:
    default = catalog.store.default_locale
    groups: dict[str, list[dict[str, str]]] = {"service": [], "legal": []}
    for page in catalog.pages:
        group = "legal" if page.slug in LEGAL_PAGES else "service"
        title = (page.texts.get(locale) or page.texts[default]).title
        groups[group].append({"title": title, "route": content_page_route(page.slug)})
    return groups


def _content_year(catalog: Catalog) -> int:
    # From the content, not the clock, so the same content builds the same bytes.
    dates = [p.updated for p in catalog.products] + [p.updated for p in catalog.pages]
    return max(dates).year if dates else date(2026, 1, 1).year


def _planned(
    catalog: Catalog,
    base: dict[str, Any],
    kind: str,
    route: str,
    template: str,
    lastmod: date | None,
    extra: dict[str, Any],
    meta: PageMeta,
) -> PlannedPage:
    locale: str = base["locale"]
    path = localize(route, locale, catalog.store)
    # The 404 page has no twin in other locales: its switcher leads to each home page.
    languages = _language_links(catalog, "/" if kind == "404" else route)
    context = {**base, "kind": kind, "route": route, "languages": languages, "meta": meta, **extra}
    return PlannedPage(
        kind=kind,
        route=route,
        path=path,
        output=output_file(path),
        locale=locale,
        template=template,
        indexable=meta.indexable,
        lastmod=lastmod if meta.indexable else None,
        context=context,
    )


def plan_pages(catalog: Catalog, strings: dict[str, UiStrings]) -> list[PlannedPage]:
    """Every page of the site in every locale, in a stable order."""
    store = catalog.store
    default = store.default_locale
    planned: list[PlannedPage] = []
    year = _content_year(catalog)
    index = ProductIndex.of(catalog)
    for locale in store.locales:
        ui = strings[locale]
        nav = navigation(catalog, locale)
        cards = {p.slug: product_card(p, locale, default) for p in catalog.products}
        base: dict[str, Any] = {
            "locale": locale,
            "lang": locale.replace("_", "-"),
            "store": store,
            "strings": ui,
            "nav": nav,
            "footer_pages": _footer_pages(catalog, locale),
            "year": year,
            "shipping": catalog.shipping,
            "returns": catalog.returns,
        }

        def add(
            kind: str,
            route: str,
            template: str,
            lastmod: date | None,
            extra: dict[str, Any],
            meta: PageMeta,
            base: dict[str, Any] = base,
        ) -> None:
            planned.append(_planned(catalog, base, kind, route, template, lastmod, extra, meta))

        newest = sorted(catalog.products, key=lambda p: (p.published, p.slug), reverse=True)
        latest = max((p.updated for p in catalog.products), default=None)
        add(
            "home",
            home_route(),
            "home.html",
            latest,
            {
                "featured": [cards[p.slug] for p in catalog.products if p.featured],
                "new_arrivals": [cards[p.slug] for p in newest[:NEW_ARRIVALS]],
                "on_sale": [cards[p.slug] for p in catalog.products if p.on_sale],
                "category_tiles": category_tiles(catalog, nav, cards),
            },
            page_meta.home_meta(catalog, locale, ui),
        )
        for category in catalog.categories:
            slugs = category_descendants(catalog, category.slug)
            members = [p for p in newest if p.category in slugs]
            crumbs = category_trail(catalog, category.slug, locale)
            children = next((n.children for n in walk(nav) if n.slug == category.slug), ())
            add(
                "category",
                category_route(category.slug),
                "category.html",
                max((p.updated for p in members), default=latest),
                {
                    "category": category,
                    "name": category_name(category, locale, default),
                    "description": category.descriptions.get(locale)
                    or category.descriptions.get(default, ""),
                    "children": children,
                    "products": [cards[p.slug] for p in members],
                    "breadcrumbs": crumbs,
                },
                page_meta.category_meta(catalog, category, len(members), crumbs, locale, ui),
            )
        for product in catalog.products:
            crumbs = [
                *category_trail(catalog, product.category, locale),
                Crumb(product.text(locale, default).title, product_route(product.slug)),
            ]
            related = related_products(index, product)
            choices = variant_choices(product, default)
            add(
                "product",
                product_route(product.slug),
                "product.html",
                product.updated,
                {
                    "product": product,
                    "text": product.text(locale, default),
                    "pictures": [picture(i, locale, default) for i in product.images],
                    "choices": choices,
                    "option_groups": option_groups(product, choices, locale, default),
                    "option_labels": [
                        o.labels.get(locale) or o.labels.get(default) or o.name
                        for o in product.options
                    ],
                    "card": cards[product.slug],
                    "related": [cards[p.slug] for p in related],
                    "breadcrumbs": crumbs,
                },
                page_meta.product_meta(catalog, product, crumbs, locale, ui),
            )
        for content_page in catalog.pages:
            add(
                "page",
                content_page_route(content_page.slug),
                "page.html",
                content_page.updated,
                {
                    "page": content_page,
                    "text": content_page.texts.get(locale) or content_page.texts[default],
                },
                page_meta.content_page_meta(catalog, content_page, locale, ui),
            )
        for kind, route, template in SHELLS:
            add(kind, route, template, None, {}, page_meta.shell_meta(catalog, kind, route, ui))
        if locale == default:
            # One 404 page: the CDN serves /404.html for every missing path.
            add("404", "/404.html", "404.html", None, {}, page_meta.not_found_meta(catalog, ui))
    return planned
