"""robots.txt: keep crawlers out of the private, per-shopper paths and point them to the sitemap.

Pages such as the cart or an order status are also `noindex`; disallowing them
here saves crawl budget on URLs that can never rank. Product, category, content
and search pages stay crawlable: the search page's own `noindex` must stay
visible to crawlers, which a Disallow would hide.
"""

from __future__ import annotations

from collections.abc import Iterator

from storefront.model import Catalog
from storefront.output import OutputFile
from storefront.sitemap import SITEMAP_PATH
from storefront.urls import absolute, localize

ROBOTS_PATH = "robots.txt"
# Per-locale page trees that only make sense for one shopper.
PRIVATE_PAGE_ROUTES: tuple[str, ...] = ("/cart/", "/checkout/", "/order/")
# Site-wide paths that are not pages at all: the API and the local dev tools.
PRIVATE_ROOT_PATHS: tuple[str, ...] = ("/api/", "/_dev/")


def disallowed_paths(catalog: Catalog) -> list[str]:
    """Every path prefix robots.txt disallows, in a stable order."""
    paths = list(PRIVATE_ROOT_PATHS)
    for locale in catalog.store.locales:
        paths.extend(localize(route, locale, catalog.store) for route in PRIVATE_PAGE_ROUTES)
    return paths


def build_robots(catalog: Catalog) -> Iterator[OutputFile]:
    """robots.txt with the disallowed private paths and the absolute sitemap URL."""
    lines = ["User-agent: *"]
    lines.extend(f"Disallow: {path}" for path in disallowed_paths(catalog))
    lines.append("")
    lines.append(f"Sitemap: {absolute('/' + SITEMAP_PATH, catalog.store)}")
    yield OutputFile(ROBOTS_PATH, ("\n".join(lines) + "\n").encode())
