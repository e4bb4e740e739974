"""sitemap.xml: every indexable page in every locale, with hreflang alternates and images.

Only pages a search engine should list are here: home, categories, products and
content pages. Cart, checkout, order, search and 404 pages are `noindex` and
never appear. `lastmod` comes from the content (a product's `updated` or its
newest review, a page's `updated`, a category's newest product, the home page's newest of all),
never from the build clock, so an unchanged shop produces a byte-identical
sitemap and search engines are not told to recrawl pages that did not change.
Past `max_urls` entries the output becomes a sitemap index with numbered parts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from storefront.category_tree import category_listings, newest_first
from storefront.model import Catalog, Product
from storefront.output import OutputFile
from storefront.pagination import page_route, split_pages
from storefront.seo import hreflang
from storefront.urls import (
    absolute,
    category_route,
    content_page_route,
    home_route,
    image_path,
    localize,
    product_route,
)

# The sitemaps protocol's limits for one file: 50,000 URLs and 50 MB uncompressed.
MAX_URLS_PER_SITEMAP = 50_000
MAX_BYTES_PER_SITEMAP = 50 * 1024 * 1024
SITEMAP_PATH = "sitemap.xml"
# At the root: a sitemap may list only URLs under its own folder (sitemaps.org).
PART_PATH = "sitemap-{number}.xml"

_URLSET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    ' xmlns:xhtml="http://www.w3.org/1999/xhtml"'
    ' xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n'
)
_URLSET_CLOSE = "</urlset>\n"


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One indexable page: its default-locale path per locale, lastmod and images."""

    paths: dict[str, str]  # locale -> site path of this page in that locale
    lastmod: date | None
    images: tuple[str, ...]  # site paths of the page's images, main image first


def product_lastmod(product: Product) -> date:
    """When the product's page last changed: its `updated`, or its newest review if later."""
    # The page shows every review, so a new review changes the page without an `updated` edit.
    return max((product.updated, *(review.date for review in product.reviews)))


def list_sitemap_entries(catalog: Catalog) -> list[SitemapEntry]:
    """Every indexable page of the shop, one entry per page (its locales are alternates)."""
    store = catalog.store

    def in_locales(route: str) -> dict[str, str]:
        return {locale: localize(route, locale, store) for locale in store.locales}

    entries: list[SitemapEntry] = []
    all_dates = [product_lastmod(p) for p in catalog.products] + [p.updated for p in catalog.pages]
    entries.append(SitemapEntry(in_locales(home_route()), max(all_dates, default=None), ()))
    listings = category_listings(catalog)
    for category in catalog.categories:
        # Each page of a long listing is its own indexable page (storefront/pagination.py).
        listing = newest_first(listings[category.slug])
        if not listing:
            continue  # nothing to list yet: the page says so, and asks not to be indexed
        # A newly published product goes first and moves every later card a place on:
        # each page of the listing changed that day, whatever its own products' dates.
        shifted = listing[0].published
        for number, shown in enumerate(split_pages(listing, store.products_per_page), start=1):
            entries.append(
                SitemapEntry(
                    in_locales(page_route(category_route(category.slug), number)),
                    max(shifted, *(product_lastmod(p) for p in shown)),
                    (),
                )
            )
    for product in catalog.products:
        route = product_route(product.slug)
        entries.append(
            SitemapEntry(
                {
                    locale: path
                    for locale, path in in_locales(route).items()
                    if locale not in product.untranslated
                },
                product_lastmod(product),
                tuple(image_path(image.src) for image in product.images),
            )
        )
    for page in catalog.pages:
        paths = in_locales(content_page_route(page.slug))
        entries.append(
            SitemapEntry(
                {locale: path for locale, path in paths.items() if locale not in page.untranslated},
                page.updated,
                (),
            )
        )
    return entries


def _url_elements(catalog: Catalog, entry: SitemapEntry) -> Iterator[tuple[str, date | None]]:
    """One <url> element per locale of the entry, each listing every alternate."""
    default = catalog.store.default_locale
    alternates = "".join(
        f'<xhtml:link rel="alternate" hreflang={quoteattr(hreflang(locale))}'
        f" href={quoteattr(absolute(path, catalog.store))}/>"
        for locale, path in entry.paths.items()
    )
    if len(entry.paths) > 1:
        x_default = absolute(entry.paths[default], catalog.store)
        alternates += (
            f'<xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(x_default)}/>'
        )
    else:
        alternates = ""  # a one-locale shop has no alternates to declare
    images = "".join(
        f"<image:image><image:loc>{escape(absolute(src, catalog.store))}</image:loc></image:image>"
        for src in entry.images
    )
    lastmod = f"<lastmod>{entry.lastmod.isoformat()}</lastmod>" if entry.lastmod else ""
    for path in entry.paths.values():
        loc = escape(absolute(path, catalog.store))
        yield f"<url><loc>{loc}</loc>{lastmod}{alternates}{images}</url>\n", entry.lastmod


def _split_parts(
    elements: Sequence[tuple[str, date | None]], max_urls: int, max_bytes: int
) -> list[list[tuple[str, date | None]]]:
    """Cut the <url> elements into parts that each respect the count and size limits."""
    overhead = len(_URLSET_OPEN.encode()) + len(_URLSET_CLOSE.encode())
    parts: list[list[tuple[str, date | None]]] = [[]]
    size = overhead
    for element in elements:
        element_size = len(element[0].encode())
        if parts[-1] and (len(parts[-1]) >= max_urls or size + element_size > max_bytes):
            parts.append([])
            size = overhead
        parts[-1].append(element)
        size += element_size
    return parts


def _urlset(elements: Sequence[tuple[str, date | None]]) -> bytes:
    return (_URLSET_OPEN + "".join(text for text, _ in elements) + _URLSET_CLOSE).encode()


def build_sitemaps(
    catalog: Catalog,
    max_urls: int = MAX_URLS_PER_SITEMAP,
    max_bytes: int = MAX_BYTES_PER_SITEMAP,
) -> Iterator[OutputFile]:
    """sitemap.xml, or past the limits a sitemap index plus sitemap-N.xml parts."""
    if max_urls < 1:
        raise ValueError(f"max_urls must be at least 1, got {max_urls}")
    elements = [
        element
        for entry in list_sitemap_entries(catalog)
        for element in _url_elements(catalog, entry)
    ]
    parts = _split_parts(elements, max_urls, max_bytes)
    if len(parts) == 1:
        yield OutputFile(SITEMAP_PATH, _urlset(parts[0]))
        return
    index = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    ]
    for number, part in enumerate(parts, start=1):
        path = PART_PATH.format(number=number)
        yield OutputFile(path, _urlset(part))
        part_lastmod = max((d for _, d in part if d is not None), default=None)
        lastmod = f"<lastmod>{part_lastmod.isoformat()}</lastmod>" if part_lastmod else ""
        loc = escape(absolute("/" + path, catalog.store))
        index.append(f"<sitemap><loc>{loc}</loc>{lastmod}</sitemap>\n")
    index.append("</sitemapindex>\n")
    yield OutputFile(SITEMAP_PATH, "".join(index).encode())
