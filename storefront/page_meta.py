"""The <head> metadata of each kind of page: titles, descriptions, social cards, JSON-LD.

Descriptions come from the content (summary, category or page description)
and fall back to a sentence built from the catalog, so no page goes without
one and two pages rarely share one.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from storefront import structured_data as sd
from storefront.model import Catalog, Category, Image, Page, Product
from storefront.pagination import page_route
from storefront.seo import (
    TITLE_MAX,
    PageMeta,
    SocialImage,
    alternates,
    clip,
    og_locale,
    page_description,
    page_title,
)
from storefront.templating import format_money
from storefront.ui_strings import UiStrings
from storefront.urls import (
    absolute,
    category_route,
    content_page_route,
    home_route,
    image_path,
    localize,
    product_route,
)
from storefront.views import Crumb, cheapest_variant


def _reassurance(catalog: Catalog, ui: UiStrings) -> str:
    parts = []
    if catalog.shipping.free_threshold is not None:
        amount = format_money(catalog.shipping.free_threshold, ui.locale)
        parts.append(ui.text("free_shipping_over", amount=amount))
    if catalog.returns.free:
        parts.append(ui.text("returns_free", days=catalog.returns.days))
    return ". ".join(parts)


def _social_image(catalog: Catalog, image: Image, locale: str) -> SocialImage:
    alt = image.alts.get(locale) or image.alts.get(catalog.store.default_locale, "")
    url = absolute(image_path(image.src), catalog.store)
    return SocialImage(url, alt, image.width, image.height)


def _showcase_image(
    catalog: Catalog, products: Sequence[Product], locale: str
) -> SocialImage | None:
    """The main image of the first featured product (else the first product), if any."""
    chosen = next((p for p in products if p.featured), products[0] if products else None)
    return _social_image(catalog, chosen.images[0], locale) if chosen else None


def _meta(
    catalog: Catalog,
    route: str,
    locale: str,
    title: str,
    description: str,
    *,
    indexable: bool = True,
    og_type: str = "website",
    image: SocialImage | None = None,
    json_ld: tuple[sd.JsonLd, ...] = (),
    untranslated: Collection[str] = (),
) -> PageMeta:
    store = catalog.store
    og_image = image if image is not None else _showcase_image(catalog, catalog.products, locale)
    return PageMeta(
        title=title,
        description=description,
        canonical=absolute(localize(route, locale, store), store),
        # Only pages search engines index are offered in other languages.
        alternates=alternates(route, store, leaving_out=untranslated) if indexable else (),
        indexable=indexable,
        og_type=og_type,
        og_image=og_image,
        og_locale=og_locale(locale),
        json_ld=json_ld,
    )


def _home_title(name: str, tagline: str) -> str:
    """`Store – tagline`, shortened to its first clause, then cut at a word; else the name.

    The name alone said nothing of the shop (the French home page's title was that).
    """
    first_clause = re.split(r"[,;:.–]", tagline, maxsplit=1)[0].strip()
    for candidate in (tagline, first_clause):
        if candidate and len(f"{name} – {candidate}") <= TITLE_MAX:
            return f"{name} – {candidate}"
    room = TITLE_MAX - len(f"{name} – ")
    cut = clip(first_clause, room) if room > 0 else ""
    if len(cut.split()) >= 3:  # a few words at least, else the cut says nothing
        return f"{name} – {cut}"
    return clip(name, TITLE_MAX)


def home_meta(catalog: Catalog, locale: str, ui: UiStrings) -> PageMeta:
    """Home: the store name and tagline; Organization and WebSite structured data."""
    store = catalog.store
    tagline = store.tagline.get(locale) or store.tagline.get(store.default_locale, "")
    title = _home_title(store.name, tagline)
    top = [c.names.get(locale) or c.names[store.default_locale] for c in catalog.categories]
    description = page_description(
        [
            ui.text("meta_home", name=store.name, tagline=tagline) if tagline else store.name,
            ", ".join(top[:6]),
            _reassurance(catalog, ui),
        ]
    )
    return _meta(
        catalog,
        home_route(),
        locale,
        title,
        description,
        json_ld=(sd.graph(sd.organization(catalog), sd.website(catalog, locale)),),
    )


def category_meta(
    catalog: Catalog,
    category: Category,
    count: int,
    shown: Sequence[Product],
    crumbs: list[Crumb],
    locale: str,
    ui: UiStrings,
    page: tuple[int, int] = (1, 1),
) -> PageMeta:
    """Category: its name and description; a BreadcrumbList.

    `count` is how many products the category lists in all; `shown` are the ones this
    page shows, in catalog order, and give its image. `page` is (number, count) of a
    paginated listing: each page is canonical to itself, and pages after the first
    say which page they are in their title.
    """
    default = catalog.store.default_locale
    name = category.names.get(locale) or category.names[default]
    number, pages = page
    heading = name
    if number > 1:
        heading = f"{name} – {ui.text('listing_page', page=number, count=pages)}"
    fallback = ui.text(
        "meta_category",
        name=name,
        store=catalog.store.name,
        count=ui.plural("product_count", count),
        shipping=_reassurance(catalog, ui),
    )
    own = category.descriptions.get(locale) or category.descriptions.get(default, "")
    # Each page of a listing says which it is, as its title does: one description
    # repeated on every page reads to a search engine as duplicate pages.
    where = f"{name} – {ui.text('listing_page', page=number, count=pages)}" if number > 1 else ""
    description = page_description([where, own, fallback] if where else [own, fallback])
    return _meta(
        catalog,
        page_route(category_route(category.slug), number),
        locale,
        page_title(heading, catalog.store.name),
        description,
        # An empty category ("No products here yet") is a soft 404 to a search engine.
        indexable=count > 0,
        image=_showcase_image(catalog, shown, locale),
        json_ld=(
            {
                "@context": sd.SCHEMA,
                **sd.breadcrumb_list(crumbs, ui.text("home"), catalog, locale),
            },
        ),
    )


def category_cards_meta(catalog: Catalog, category: Category, ui: UiStrings) -> PageMeta:
    """A category's cards fragment: not a page (its filters fetch it), never indexed."""
    name = category.names.get(ui.locale) or category.names[catalog.store.default_locale]
    return _meta(
        catalog,
        category_route(category.slug),
        ui.locale,
        page_title(name, catalog.store.name),
        "",
        indexable=False,
    )


def product_meta(
    catalog: Catalog, product: Product, crumbs: list[Crumb], locale: str, ui: UiStrings
) -> PageMeta:
    """Product: title and summary; Product/ProductGroup with offers, and breadcrumbs."""
    store = catalog.store
    text = product.text(locale, store.default_locale)
    price = format_money(cheapest_variant(product).price, locale)
    fallback = ui.text(
        "meta_product",
        title=text.title,
        brand=product.brand,
        price=price,
        store=store.name,
        shipping=_reassurance(catalog, ui),
    )
    return _meta(
        catalog,
        product_route(product.slug),
        locale,
        page_title(text.title, store.name),
        page_description([text.summary, fallback]),
        # Untranslated, the page repeats the default locale's text under this
        # locale's interface: a duplicate in the wrong language to a search engine.
        indexable=locale not in product.untranslated,
        untranslated=product.untranslated,
        og_type="product",
        image=_social_image(catalog, product.images[0], locale),
        json_ld=(
            sd.graph(
                sd.organization(catalog),
                *sd.shipping_details(catalog, product),
                sd.product_node(catalog, product, locale),
                sd.breadcrumb_list(crumbs, ui.text("home"), catalog, locale),
            ),
        ),
    )


def content_page_meta(catalog: Catalog, page: Page, locale: str, ui: UiStrings) -> PageMeta:
    """Content page: its title and description; breadcrumbs as on the page."""
    text = page.text(locale, catalog.store.default_locale)
    route = content_page_route(page.slug)
    crumbs = [Crumb("", home_route()), Crumb(text.title, route)]
    # As for products: without its translation, the page repeats the default text.
    untranslated = page.untranslated
    return _meta(
        catalog,
        route,
        locale,
        page_title(text.title, catalog.store.name),
        page_description([text.description, text.title, _reassurance(catalog, ui)]),
        indexable=locale not in untranslated,
        untranslated=untranslated,
        og_type="article",
        json_ld=(
            {"@context": sd.SCHEMA, **sd.breadcrumb_list(crumbs, ui.text("home"), catalog, locale)},
        ),
    )


def shell_meta(catalog: Catalog, kind: str, route: str, ui: UiStrings) -> PageMeta:
    """Search, cart, checkout and order pages: useful to shoppers, not to search results."""
    title = ui.text(f"page_title_{kind.removeprefix('checkout_')}")
    store = catalog.store
    tagline = store.tagline.get(ui.locale) or store.tagline.get(store.default_locale, "")
    return _meta(
        catalog,
        route,
        ui.locale,
        page_title(title, store.name),
        page_description([tagline, _reassurance(catalog, ui)]),
        indexable=False,
    )


def not_found_meta(catalog: Catalog, ui: UiStrings) -> PageMeta:
    """The 404 page (served for every missing path, so its canonical is the home page)."""
    return shell_meta(catalog, "not_found", home_route(), ui)
