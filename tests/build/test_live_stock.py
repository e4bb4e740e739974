"""`build --live-stock`: pages and feeds show the inventory table's availability.

A product file's `stock` only seeds the table; once SKUs sell, the structured data
and the Merchant feed built from it would keep saying what the file said.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from storefront.errors import ContentErrors
from storefront.live_stock import read_live_stock
from storefront.pipeline import build_site
from tests.build.test_incremental_build import _contents, _facts, _rewritten

ROOT = Path(__file__).resolve().parents[2]
PAGE = "public/products/ridge-trail-shoe/index.html"
SOLD_OUT, IN_STOCK = "RTS-39-BLK", "RTS-40-BLK"  # 0 and 34 in the file


def _availability(page: str, sku: str) -> str:
    found = re.search(rf'"sku":"{sku}".*?"availability":"https://schema.org/(\w+)"', page)
    assert found, sku
    return found.group(1)


def _feed_availability(dist: Path, sku: str) -> str:
    feed = (dist / "public/feeds/products.xml").read_text(encoding="utf-8")
    found = re.search(rf"<g:id>{sku}</g:id>.*?<g:availability>(\w+)</g:availability>", feed)
    assert found, sku
    return found.group(1)


def _export(path: Path, available: dict[str, int]) -> Path:
    """What `python build.py stock list --json` prints for these SKUs."""
    records = [
        {"sku": sku, "available": n, "reserved": 0, "sold": 5, "updated_at": "2026-12-01"}
        for sku, n in available.items()
    ]
    path.write_text(json.dumps(records, indent=2), encoding="utf-8")
    return path


def test_pages_and_feeds_show_live_availability_and_follow_its_changes_like_a_full_build(
    tmp_path: Path,
) -> None:
    content, site, dist = tmp_path / "content", tmp_path / "site", tmp_path / "dist"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "site", site)
    live = _export(tmp_path / "live.json", {SOLD_OUT: 4, IN_STOCK: 0})

    build_site(content, dist, site, None, live_stock=live)

    # The table's counts win over the files' seed counts, in the page and in the feed
    page = (dist / PAGE).read_text(encoding="utf-8")
    assert (_availability(page, SOLD_OUT), _availability(page, IN_STOCK)) == (
        "InStock",
        "OutOfStock",
    )
    assert _feed_availability(dist, SOLD_OUT) == "in_stock"
    assert _feed_availability(dist, IN_STOCK) == "out_of_stock"
    # The snapshot keeps the files' counts: seeding new SKUs is what it is read for
    skus = json.loads((dist / "catalog.json").read_text(encoding="utf-8"))["skus"]
    assert skus[SOLD_OUT]["initial_stock"] == 0
    assert build_site(content, dist, site, None, live_stock=live).mode == "unchanged"

    # When the last unit sells, the next build remakes that product's pages, and no others
    before = _facts(dist)
    _export(live, {SOLD_OUT: 0, IN_STOCK: 0})
    report = build_site(content, dist, site, None, live_stock=live)

    assert report.mode == "incremental"
    assert _availability((dist / PAGE).read_text(encoding="utf-8"), SOLD_OUT) == "OutOfStock"
    pages = {p for p in _rewritten(before, _facts(dist)) if p.endswith(".html")}
    assert pages == {
        "public/products/ridge-trail-shoe/index.html",
        "public/fr/products/ridge-trail-shoe/index.html",
    }
    full = build_site(content, tmp_path / "full", site, None, full=True, live_stock=live)
    assert full.mode == "full"
    assert _contents(dist) == _contents(tmp_path / "full")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{oops", "not JSON"),
        ('{"RTS-39-BLK": 4}', "got a dict"),
        ('[{"sku": "RTS-39-BLK", "available": -1}]', "record 0: expected a SKU and its"),
        ('[{"sku": "RTS-39-BLK", "available": "4"}]', "record 0: expected a SKU and its"),
    ],
)
def test_a_live_stock_file_that_is_not_a_stock_export_is_refused_clearly(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "live.json"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ContentErrors) as raised:
        read_live_stock(path)

    [error] = [str(e) for e in raised.value]
    assert error.startswith(f"{path.as_posix()}: live stock: ")
    assert message in error
    assert "python build.py stock list --json" in error or "record 0" in error
