"""A product page's HTML + CSS + JS, before images, stays within 14 KB gzipped (one TCP window)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from storefront.pipeline import check_content
from tests.build.rendered_site import RenderedSite, file_for, render

ROOT = Path(__file__).resolve().parents[2]
BUDGET_BYTES = 14 * 1024


@pytest.fixture(scope="module")
def site() -> RenderedSite:
    return render(check_content(ROOT / "content"))


def page_resources(site: RenderedSite, path: str) -> list[str]:
    """The page's file plus every local stylesheet and script it loads."""
    page = site.page(path)
    urls = page.xpath('//link[@rel="stylesheet"]/@href') + page.xpath("//script/@src")
    local = [file_for(url) for url in urls if url.startswith("/") and not url.startswith("//")]
    missing = [name for name in local if name not in site.files]
    assert not missing, f"{path}: loads files the build did not write: {missing}"
    return [file_for(path), *local]


# Measured 2026-11-22: 18.5 KB (HTML 11.8 KB, of which the JSON-LD offers of every
# variant are the bulk; site+cart+stock JS 6.7 KB). strict: remove this mark once it passes.
@pytest.mark.xfail(strict=True, reason="product pages weigh ~18.5 KB gzipped; budget 14 KB")
def test_every_product_page_html_css_js_is_at_most_14_kb_gzipped(site: RenderedSite) -> None:
    product_pages = [p for p in site.html_paths() if p.startswith("products/")]
    assert product_pages, "the example shop rendered no product pages"
    for page_file in product_pages:
        path = "/" + page_file.removesuffix("index.html")
        files = page_resources(site, path)
        weight = sum(len(gzip.compress(site.files[name], 9)) for name in files)
        assert weight <= BUDGET_BYTES, (
            f"{path}: HTML+CSS+JS is {weight} bytes gzipped ({files}), expected at most "
            f"{BUDGET_BYTES}"
        )
