"""The Atom feed of new products, one per locale: `/feeds/new.atom`, `/<locale>/feeds/new.atom`.

Its entries are the newest products by publication date, each with its image, summary
and price (or price range) as the pages show them. Dates come from the content, never
the clock.
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape, quoteattr

from babel.numbers import format_currency
from shop.money import Money

from storefront.model import Catalog, Product
from storefront.output import OutputFile
from storefront.urls import absolute, image_path, localize, product_route

ATOM_FEED_ROUTE = "/feeds/new.atom"
NEW_PRODUCTS_IN_ATOM = 20


def _atom_time(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _price_range(product: Product, locale: str) -> str:
    """The product's price, or its lowest–highest range, formatted for the locale."""
    prices = sorted({v.price.amount for v in product.variants})
    currency = product.variants[0].price.currency
    shown = [
        format_currency(Money(a, currency).to_decimal(), currency, locale=locale)
        for a in (prices[0], prices[-1])
    ]
    return shown[0] if prices[0] == prices[-1] else f"{shown[0]} – {shown[1]}"


def atom_entry(catalog: Catalog, locale: str, product: Product) -> str:
    """One <entry> of the new-products Atom feed."""
    store = catalog.store
    text = product.text(locale, store.default_locale)
    url = absolute(localize(product_route(product.slug), locale, store), store)
    image = product.images[0]
    image_url = absolute(image_path(image.src), store)
    alt = image.alts.get(locale) or image.alts.get(store.default_locale) or text.title
    content = (
        f"<p><img src={quoteattr(image_url)} alt={quoteattr(alt)}></p>"
        f"<p>{escape(text.summary)}</p><p>{escape(_price_range(product, locale))}</p>"
    )
    return (
        "<entry>"
        f"<id>{escape(url)}</id><title>{escape(text.title)}</title>"
        f'<link rel="alternate" type="text/html" href={quoteattr(url)}/>'
        f"<published>{_atom_time(product.published)}</published>"
        f"<updated>{_atom_time(product.updated)}</updated>"
        f"<summary>{escape(text.summary or text.title)}</summary>"
        f'<content type="html">{escape(content)}</content>'
        "</entry>\n"
    )


def build_atom_feed(catalog: Catalog, locale: str, limit: int = NEW_PRODUCTS_IN_ATOM) -> OutputFile:
    """The Atom feed of the newest products (by publication date), in one locale."""
    store = catalog.store
    route = localize(ATOM_FEED_ROUTE, locale, store)
    # As in the Merchant feed and the sitemap: a product without this locale's
    # translation has only a noindex page repeating the default text to offer.
    offered = [p for p in catalog.products if locale not in p.untranslated]
    newest = sorted(offered, key=lambda p: (p.published, p.slug), reverse=True)[:limit]
    updated = max((p.updated for p in newest), default=None)
    home = absolute(localize("/", locale, store), store)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(locale)}>\n'
        f"<id>{escape(absolute(route, store))}</id>\n<title>{escape(store.name)}</title>\n"
        + (
            f"<subtitle>{escape(store.tagline[locale])}</subtitle>\n"
            if locale in store.tagline
            else ""
        )
        + f"<updated>{_atom_time(updated) if updated else '1970-01-01T00:00:00Z'}</updated>\n"
        f"<author><name>{escape(store.name)}</name></author>\n"
        f'<link rel="self" type="application/atom+xml" href={quoteattr(absolute(route, store))}/>\n'
        f'<link rel="alternate" type="text/html" href={quoteattr(home)}/>\n'
        + "".join(atom_entry(catalog, locale, p) for p in newest)
        + "</feed>\n"
    )
    return OutputFile(route.lstrip("/"), xml.encode())
