"""The Merchant Center supplemental feed of live availability: `feeds/availability.xml`.

The primary feeds (`/feeds/products.xml`, one per locale, storefront/feeds.py) are
written by the build from the editors' initial stock; orders and stock commands
change the real count without a build. This feed carries only `g:id` and
`g:availability` per SKU, from the inventory table, and Merchant Center lays it
over the primary feed by id, so a sold-out item stops being advertised as in stock.
Availability does not depend on the language, so one file serves every locale's feed.

Pure: bytes in, bytes out; the feed_availability function reads and writes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from xml.sax.saxutils import escape

from shop.catalog import CatalogSnapshot
from shop.stock import InventoryRecord, available_units, merchant_availability

# The bucket key (and URL path) the function writes. The build never writes it, and
# deploy never deletes it (storefront/deploy/plan.py), though it is not in the build.
AVAILABILITY_FEED_KEY = "feeds/availability.xml"
# The headers the build's manifest gives the primary feed (storefront/headers_manifest.py;
# a test holds them equal): browsers and the edge revalidate on every fetch.
FEED_CONTENT_TYPE = "application/xml; charset=utf-8"
FEED_CACHE_CONTROL = "public, max-age=0, must-revalidate"
GOOGLE_NAMESPACE = "http://base.google.com/ns/1.0"


def render_availability_feed(store_name: str, site_url: str, units: Mapping[str, int]) -> bytes:
    """RSS 2.0 with one <item> (g:id, g:availability) per SKU of `units`, sorted by SKU.

    Sorted, so the bytes change only when an availability does: an unchanged hour
    uploads nothing. `units` holds available units per SKU.
    """
    items = "".join(
        f"<item><g:id>{escape(sku)}</g:id>"
        f"<g:availability>{merchant_availability(units[sku])}</g:availability></item>\n"
        for sku in sorted(units)
    )
    home = site_url.rstrip("/") + "/"
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0" xmlns:g="{GOOGLE_NAMESPACE}">\n<channel>\n'
        f"<title>{escape(store_name)} – live availability</title>\n"
        f"<link>{escape(home)}</link>\n"
        "<description>Supplemental feed: availability from live stock, by product id."
        "</description>\n"
    )
    return (head + items + "</channel>\n</rss>\n").encode()


def feed_units(catalog: CatalogSnapshot, records: Iterable[InventoryRecord]) -> dict[str, int]:
    """Units available per catalog SKU, as /api/stock answers them for the product pages.

    The live count, or the editors' initial stock for a SKU not seeded yet; inventory
    records of SKUs the catalog no longer sells are left out (their pages are gone).
    """
    live = {record.sku: record.available for record in records}
    unseeded = {sku: catalog.entry(sku).initial_stock for sku in catalog.skus if sku not in live}
    return available_units(catalog.skus, live, unseeded)
