"""Plan the site: every URL with its template and context, per locale.

This is the URL table of docs/architecture.md in one place. Each planned page
also says which products it shows (`shows`): with the site-wide inputs, that is
what an incremental build compares to decide whether the page must be rendered
again (storefront/input_digest.py). Contexts are built only for pages rendered.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from shop.site_paths import CART_PAGE, CHECKOUT_CANCEL_PAGE, CHECKOUT_SUCCESS_PAGE, ORDER_PAGE

from storefront import page_meta
from storefront.category_tree import newest_first
from storefront.model import Catalog, Category, Page, Product
from storefront.pagination import page_route, pager, split_pages
from storefront.planned_page import PlannedPage, locale_base, planned_page
from storefront.seo import hreflang
from storefront.ui_strings import UiStrings
from storefront.urls import (
    category_cards_route,
    category_route,
    content_page_route,
    home_route,
    localize,
    product_route,
)
from storefront.variant_picker import option_groups, variant_choices
from storefront.views import (
    Crumb,
    NotFoundElsewhere,
    ProductCard,
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
# Shells: pages whose content is filled by JavaScript or that only confirm a step.
SHELLS: tuple[tuple[str, str, str], ...] = (
    ("search", "/search/", "search.html"),
    ("cart", CART_PAGE, "cart.html"),
    ("checkout_success", CHECKOUT_SUCCESS_PAGE, "checkout_success.html"),
    ("checkout_cancel", CHECKOUT_CANCEL_PAGE, "checkout_cancel.html"),
    ("order", ORDER_PAGE, "order.html"),
)


class _LocalePlanner:
    """The pages of one locale; contexts are built lazily from what is shared here."""

    def __init__(
        self,
        catalog: Catalog,
        ui: UiStrings,
        index: ProductIndex,
        newest: list[Product],
        related: dict[str, list[Product]],
    ) -> None:
        self.catalog = catalog
        self.ui = ui
        self.locale = ui.locale
        self.index = index
        # Shared by every locale's planner: a product's related products are the same
        # in each, and working them out was half of planning at 10,000 products.
        self.related = related
        self.newest = newest
        self.default = catalog.store.default_locale
        self.nav = navigation(catalog, self.locale)
        self.base = locale_base(catalog, ui, self.nav)
        # One planned page of this locale: (kind, route, template, shows, extra, meta, detail).
        self.page = partial(planned_page, catalog, self.base)
        self._cards: dict[str, ProductCard] = {}

    def card(self, product: Product) -> ProductCard:
        """The product's card in this locale (made once, on first use)."""
        found = self._cards.get(product.slug)
        if found is None:
            found = product_card(product, self.locale, self.default)
            self._cards[product.slug] = found
        return found

    def home(self) -> PlannedPage:
        """The home page: featured, new and discounted products, and category tiles."""
        catalog = self.catalog
        featured = [p for p in catalog.products if p.featured]
        new_arrivals = self.newest[:NEW_ARRIVALS]
        on_sale = [p for p in catalog.products if p.on_sale]
        tiles = [self.index.listed.get(node.slug, ()) for node in self.nav]
        showcases = [
            next((p for p in members if p.featured), members[0]).slug
            for members in tiles
            if members
        ]
        # A tile shows its showcase's image only (not its price…): that image goes in
        # `detail`, so editing the product's price does not re-render the home page.
        tile_images = [self.index.by_slug[s].images[0] for s in showcases]
        return self.page(
            "home",
            home_route(),
            "home.html",
            tuple(p.slug for p in (*featured, *new_arrivals, *on_sale)),
            lambda: {
                "featured": [self.card(p) for p in featured],
                "new_arrivals": [self.card(p) for p in new_arrivals],
                "on_sale": [self.card(p) for p in on_sale],
                "category_tiles": category_tiles(
                    self.index, self.nav, {s: self.card(self.index.by_slug[s]) for s in showcases}
                ),
            },
            lambda: page_meta.home_meta(catalog, self.locale, self.ui),
            detail=repr(([len(members) for members in tiles], tile_images)),
        )

    def category(self, category: Category) -> list[PlannedPage]:
        """A category listing, newest first, in pages of `store.products_per_page` cards.

        Its products include those of its subcategories. A listing of more than one
        page also gets its cards fragment (every card, for the filters: `cards`).
        """
        catalog = self.catalog
        listed = self.index.listed.get(category.slug, ())
        members = newest_first(listed)
        # The page's social image is its first featured product in catalog order.
        catalog_order = {product.slug: i for i, product in enumerate(listed)}
        pages_of_members = split_pages(members, catalog.store.products_per_page)
        count = len(pages_of_members)
        route = category_route(category.slug)
        cards_route = category_cards_route(category.slug) if count > 1 else None

        def listing(number: int) -> PlannedPage:
            shown = pages_of_members[number - 1]

            def extra() -> dict[str, Any]:
                children = next((n.children for n in walk(self.nav) if n.slug == category.slug), ())
                return {
                    "category": category,
                    "name": category_name(category, self.locale, self.default),
                    "description": category.descriptions.get(self.locale)
                    or category.descriptions.get(self.default, ""),
                    "children": children,
                    "total": len(members),
                    "products": [self.card(p) for p in shown],
                    "pager": pager(route, number, count),
                    "cards_route": cards_route,
                    "breadcrumbs": category_trail(catalog, category.slug, self.locale),
                }

            return self.page(
                "category",
                page_route(route, number),
                "category.html",
                tuple(p.slug for p in shown),
                extra,
                lambda: page_meta.category_meta(
                    catalog,
                    category,
                    len(members),
                    sorted(shown, key=lambda product: catalog_order[product.slug]),
                    category_trail(catalog, category.slug, self.locale),
                    self.locale,
                    self.ui,
                    page=(number, count),
                ),
                # The heading counts every product and the pager every page.
                detail=repr((len(members), count)),
            )

        pages = [listing(number) for number in range(1, count + 1)]
        if cards_route is not None:
            pages.append(
                self.page(
                    "category_cards",
                    cards_route,
                    "category_cards.html",
                    tuple(p.slug for p in members),
                    lambda: {"products": [self.card(p) for p in members]},
                    lambda: page_meta.category_cards_meta(catalog, category, self.ui),
                )
            )
        return pages

    def product(self, product: Product) -> PlannedPage:
        """A product page: the product, its variants and the related products' cards."""
        catalog, locale, default = self.catalog, self.locale, self.default
        related = self.related.get(product.slug)
        if related is None:
            related = self.related[product.slug] = related_products(self.index, product)

        def crumbs() -> list[Crumb]:
            return [
                *category_trail(catalog, product.category, locale),
                Crumb(product.text(locale, default).title, product_route(product.slug)),
            ]

        def extra() -> dict[str, Any]:
            choices = variant_choices(product, default, locale)
            return {
                "product": product,
                "text": product.text(locale, default),
                # The language of the text's untranslated fields (product.html marks them).
                "fallback_lang": hreflang(default),
                "pictures": [picture(i, locale, default) for i in product.images],
                "choices": choices,
                "option_groups": option_groups(product, choices, locale, default),
                "option_labels": [
                    o.labels.get(locale) or o.labels.get(default) or o.name for o in product.options
                ],
                "card": self.card(product),
                "related": [self.card(p) for p in related],
                "breadcrumbs": crumbs(),
            }

        return self.page(
            "product",
            product_route(product.slug),
            "product.html",
            (product.slug, *(p.slug for p in related)),
            extra,
            lambda: page_meta.product_meta(catalog, product, crumbs(), locale, self.ui),
        )

    def content_page(self, content_page: Page) -> PlannedPage:
        """A content page (shipping, returns…) in this locale."""
        catalog = self.catalog
        return self.page(
            "page",
            content_page_route(content_page.slug),
            "page.html",
            (),
            lambda: {
                "page": content_page,
                "text": content_page.text(self.locale, self.default),
                "fallback_lang": hreflang(self.default),
            },
            lambda: page_meta.content_page_meta(catalog, content_page, self.locale, self.ui),
        )

    def shell(self, kind: str, route: str, template: str) -> PlannedPage:
        """A page filled by JavaScript or confirming a step (search, cart, checkout…)."""
        return self.page(
            kind,
            route,
            template,
            (),
            dict,
            lambda: page_meta.shell_meta(self.catalog, kind, route, self.ui),
        )

    def not_found(self, others: list[UiStrings]) -> PlannedPage:
        """The one 404 page: the CDN serves /404.html for every missing path.

        One file answers every locale's missing paths, so it also says so in each of
        the shop's other languages (`others`), with links to that language's home and
        search.
        """
        store = self.catalog.store
        elsewhere = [
            NotFoundElsewhere(
                hreflang=hreflang(ui.locale),
                title=ui.text("not_found_title"),
                body=ui.text("not_found_body"),
                home_label=ui.text("home"),
                home_path=localize(home_route(), ui.locale, store),
                search_label=ui.text("search"),
                search_path=localize("/search/", ui.locale, store),
            )
            for ui in others
        ]
        return self.page(
            "404",
            "/404.html",
            "404.html",
            (),
            lambda: {"elsewhere": elsewhere},
            lambda: page_meta.not_found_meta(self.catalog, self.ui),
        )


def plan_pages(catalog: Catalog, strings: dict[str, UiStrings]) -> list[PlannedPage]:
    """Every page of the site in every locale, in a stable order."""
    store = catalog.store
    index = ProductIndex.of(catalog)
    newest = newest_first(catalog.products)
    planned: list[PlannedPage] = []
    related: dict[str, list[Product]] = {}
    for locale in store.locales:
        planner = _LocalePlanner(catalog, strings[locale], index, newest, related)
        planned.append(planner.home())
        for category in catalog.categories:
            planned.extend(planner.category(category))
        planned.extend(planner.product(product) for product in catalog.products)
        planned.extend(planner.content_page(page) for page in catalog.pages)
        planned.extend(planner.shell(kind, route, template) for kind, route, template in SHELLS)
        if locale == store.default_locale:
            others = [strings[other] for other in store.locales if other != locale]
            planned.append(planner.not_found(others))
    return planned
