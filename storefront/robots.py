"""robots.txt: keep crawlers out of what is not a page, and point them to the sitemap.

Only the API, the local dev tools and the cards fragments of paginated categories
are disallowed. The per-shopper pages (cart, checkout, order status, search) stay
crawlable on purpose: they are `noindex`, and a crawler only obeys a `noindex`
it is allowed to fetch; a Disallow would hide it, and a blocked URL that is
linked somewhere can still be indexed without its content ("For the noindex
rule to be effective, the page must not be blocked by robots.txt", Google
Search Central).
"""

from __future__ import annotations

from collections.abc import Iterator

from storefront.model import Catalog
from storefront.output import OutputFile
from storefront.sitemap import SITEMAP_PATH
from storefront.urls import absolute

ROBOTS_PATH = "robots.txt"
# Site-wide paths that are not pages at all: the API and the local dev tools.
PRIVATE_ROOT_PATHS: tuple[str, ...] = ("/api/", "/_dev/")
# Not pages either: the card lists a paginated category's filters fetch (urls.py), in
# every locale (`*` and `$` are RFC 9309 special characters).
FRAGMENT_PATHS: tuple[str, ...] = ("/*/cards.html$",)


def build_robots(catalog: Catalog) -> Iterator[OutputFile]:
    """robots.txt with the disallowed non-page paths and the absolute sitemap URL."""
    lines = ["User-agent: *"]
    lines.extend(f"Disallow: {path}" for path in (*PRIVATE_ROOT_PATHS, *FRAGMENT_PATHS))
    lines.append("")
    lines.append(f"Sitemap: {absolute('/' + SITEMAP_PATH, catalog.store)}")
    yield OutputFile(ROBOTS_PATH, ("\n".join(lines) + "\n").encode())
