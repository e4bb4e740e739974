"""The supplemental availability feed: well-formed RSS, Google's namespace, the stock rule."""

from __future__ import annotations

import pytest
from lxml import etree
from shop.availability_feed import (
    FEED_CACHE_CONTROL,
    FEED_CONTENT_TYPE,
    GOOGLE_NAMESPACE,
    feed_units,
    render_availability_feed,
)
from shop.stock import InventoryRecord, merchant_availability, stock_status

from storefront.headers_manifest import cache_control, content_type
from tests.functions.shop.factories import make_snapshot

G = f"{{{GOOGLE_NAMESPACE}}}"


def items_of(body: bytes) -> list[tuple[str, str]]:
    """(g:id, g:availability) of each <item>, in document order."""
    channel = etree.fromstring(body).find("channel")
    assert channel is not None
    return [
        (item.findtext(f"{G}id", ""), item.findtext(f"{G}availability", ""))
        for item in channel.findall("item")
    ]


def test_feed_is_rss_2_with_the_google_namespace_and_a_complete_channel() -> None:
    body = render_availability_feed("Northwind", "https://shop.example.com", {"A-1": 3})
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    root = etree.fromstring(body)
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    assert f'xmlns:g="{GOOGLE_NAMESPACE}"'.encode() in body
    channel = root.find("channel")
    assert channel is not None
    assert channel.findtext("link") == "https://shop.example.com/"
    assert "Northwind" in channel.findtext("title", "")
    assert channel.findtext("description")


def test_each_item_carries_only_the_id_and_the_availability() -> None:
    body = render_availability_feed("Shop", "https://shop.example.com/", {"A-1": 3})
    (item,) = etree.fromstring(body).iter("item")
    assert [child.tag for child in item] == [f"{G}id", f"{G}availability"]


def test_available_units_decide_in_stock_or_out_of_stock() -> None:
    body = render_availability_feed("Shop", "https://x.test", {"LOW": 1, "NONE": 0, "MANY": 40})
    assert dict(items_of(body)) == {"LOW": "in_stock", "NONE": "out_of_stock", "MANY": "in_stock"}


def test_items_are_sorted_by_sku_whatever_the_order_given() -> None:
    one = render_availability_feed("Shop", "https://x.test", {"B": 1, "A": 0, "C": 2})
    other = render_availability_feed("Shop", "https://x.test", {"C": 2, "A": 0, "B": 1})
    assert one == other
    assert [sku for sku, _ in items_of(one)] == ["A", "B", "C"]


def test_text_is_escaped_for_xml() -> None:
    body = render_availability_feed("Fish & <Chips>", "https://x.test/?a=1&b=2", {"A&B<1>": 1})
    channel = etree.fromstring(body).find("channel")
    assert channel is not None
    assert channel.findtext("title", "").startswith("Fish & <Chips>")
    assert channel.findtext("link") == "https://x.test/?a=1&b=2/"
    assert items_of(body) == [("A&B<1>", "in_stock")]


def test_an_empty_catalog_gives_a_valid_feed_without_items() -> None:
    assert items_of(render_availability_feed("Shop", "https://x.test", {})) == []


@pytest.mark.parametrize("available", [-2, 0, 1, 3, 4, 1000])
def test_merchant_availability_agrees_with_the_stock_api_on_out_of_stock(available: int) -> None:
    # The product page shows /api/stock's status; Merchant Center compares the two.
    out_on_page = stock_status(available, low_stock_threshold=3) == "out_of_stock"
    assert (merchant_availability(available) == "out_of_stock") is out_on_page


def test_feed_headers_are_the_ones_the_build_gives_the_primary_feed() -> None:
    assert content_type("feeds/products.xml") == FEED_CONTENT_TYPE
    assert cache_control("feeds/products.xml") == FEED_CACHE_CONTROL


def test_units_are_the_live_counts_of_catalog_skus_or_their_initial_stock_if_unseeded() -> None:
    # Given a catalog of four SKUs, three seeded, and a record of a SKU no longer sold
    catalog = make_snapshot()
    records = [
        InventoryRecord("TRS-42-BLK", 0),
        InventoryRecord("SOCK-M", 7),
        InventoryRecord("GAIT-0", 5),
        InventoryRecord("RETIRED-1", 9),
    ]
    # When the feed's units are worked out
    units = feed_units(catalog, records)
    # Then live counts win, the unseeded CAP-1 keeps its initial 2, the retired SKU is absent
    assert units == {"TRS-42-BLK": 0, "SOCK-M": 7, "GAIT-0": 5, "CAP-1": 2}
