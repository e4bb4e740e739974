"""A sale ends on its own: from the day after `sale_ends`, every output shows the regular price.

The example shop's Semnoz shoe is 99.00 instead of 119.00 until 2026-12-15. The
page, its structured data, the Merchant feed and the functions' price list must
agree with what Google was told (`sale_price_effective_date`), without an edit.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from storefront.model import Catalog
from storefront.pipeline import build_site, check_content
from storefront.sale_ends import end_past_sales, next_sale_end
from tests.build.test_incremental_build import _contents

ROOT = Path(__file__).resolve().parents[2]
LAST_DAY = date(2026, 12, 15)  # Semnoz's sale_ends
DAY_AFTER = date(2026, 12, 16)
PAGE = "public/products/semnoz-low-hiking-shoe/index.html"
SKU = "SLS-40-GRY"


@pytest.fixture(scope="module")
def example() -> Catalog:
    return check_content(ROOT / "content")


def _offer_prices(html: str) -> set[str]:
    return set(re.findall(r'"price":"([0-9.]+)"', html))


def _feed_item(dist: Path, sku: str) -> str:
    feed = (dist / "public/feeds/products.xml").read_text(encoding="utf-8")
    found = re.search(rf"<item><g:id>{sku}</g:id>.*?</item>", feed)
    assert found, sku
    return found.group(0)


def test_on_its_last_day_a_sale_is_still_on(example: Catalog) -> None:
    assert end_past_sales(example, LAST_DAY) is example


def test_the_day_after_the_product_is_at_its_regular_price_and_dated_that_day(
    example: Catalog,
) -> None:
    ended = end_past_sales(example, DAY_AFTER)

    shoe = next(p for p in ended.products if p.slug == "semnoz-low-hiking-shoe")
    assert {v.price.amount for v in shoe.variants} == {11900}
    assert all(v.compare_at is None for v in shoe.variants)
    assert (shoe.sale_ends, shoe.updated) == (None, DAY_AFTER)
    # Sales that end later, and sales without an end, are still on.
    still_on = {p.slug for p in ended.products if p.on_sale}
    assert still_on == {p.slug for p in example.products if p.on_sale} - {shoe.slug}
    assert next_sale_end(ended) == date(2026, 12, 31)


def test_a_build_the_day_after_reprices_the_page_feed_and_price_list_like_a_full_build(
    tmp_path: Path,
) -> None:
    content, site, dist = tmp_path / "content", tmp_path / "site", tmp_path / "dist"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "site", site)
    build_site(content, dist, site, None, today=LAST_DAY)
    page = (dist / PAGE).read_text(encoding="utf-8")
    assert "99.00" in _offer_prices(page)
    assert "<g:sale_price>99.00 EUR</g:sale_price>" in _feed_item(dist, SKU)
    again = build_site(content, dist, site, None, today=LAST_DAY)
    assert again.mode == "unchanged"

    report = build_site(content, dist, site, None, today=DAY_AFTER)

    assert report.mode == "incremental"
    page = (dist / PAGE).read_text(encoding="utf-8")
    assert _offer_prices(page) == {"119.00"}
    assert "priceValidUntil" not in page
    item = _feed_item(dist, SKU)
    assert "<g:price>119.00 EUR</g:price>" in item
    assert "sale_price" not in item
    skus = json.loads((dist / "catalog.json").read_text(encoding="utf-8"))["skus"]
    assert skus[SKU]["price"] == {"amount": 11900, "currency": "EUR"}
    full = build_site(content, tmp_path / "full", site, None, full=True, today=DAY_AFTER)
    assert full.mode == "full"
    assert _contents(dist) == _contents(tmp_path / "full")
    assert build_site(content, dist, site, None, today=DAY_AFTER).mode == "unchanged"
