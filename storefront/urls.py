"""Site paths, defined once: the URL table of docs/architecture.md in code.

Every path is locale-less first (a "route" such as `/products/trail-shoe/`) and
is then placed in a locale's tree: the default locale lives at the root, the
others under `/<locale>/`. Slugs are the same in every locale, so a page's
alternates are the same route in each locale.
"""

from __future__ import annotations

from shop.site_paths import localized_path

from storefront.model import Store


def home_route() -> str:
    """The home page route."""
    return "/"


def category_route(slug: str) -> str:
    """The route of a category page."""
    return f"/categories/{slug}/"


def category_cards_route(slug: str) -> str:
    """Every card of a paginated category, as an HTML fragment fetched by its filters."""
    return f"/categories/{slug}/cards.html"


def product_route(slug: str) -> str:
    """The route of a product page."""
    return f"/products/{slug}/"


def content_page_route(slug: str) -> str:
    """The route of a content page (shipping, returns, legal…)."""
    return f"/pages/{slug}/"


def image_path(src: str) -> str:
    """Public path of a content image: `images/a/b.jpg` is served as `/images/a/b.jpg`."""
    relative = src.lstrip("/")
    if relative.startswith("images/"):
        return "/" + relative
    return "/images/" + relative


def localize(route: str, locale: str, store: Store) -> str:
    """Place a locale-less route in a locale's URL tree (`/pages/x/` → `/fr/pages/x/`)."""
    if not route.startswith("/"):
        raise ValueError(f'route: expected a path starting with "/", got "{route}"')
    return localized_path(route, locale, store.default_locale)


def absolute(path: str, store: Store) -> str:
    """An absolute URL on the shop's base URL (canonical, hreflang, structured data)."""
    return store.base_url.rstrip("/") + path


def output_file(path: str) -> str:
    """The file that serves a page path: `/fr/cart/` → `fr/cart/index.html`."""
    relative = path.lstrip("/")
    if relative == "" or relative.endswith("/"):
        return relative + "index.html"
    return relative
