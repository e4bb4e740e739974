"""A product page's HTML + CSS + JS, before images, stays within 14 KB gzipped (one TCP window)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from storefront.images import plan_images
from storefront.pipeline import check_content
from storefront.render import render_site
from tests.build.rendered_site import SITE_DIR, RenderedSite, file_for

ROOT = Path(__file__).resolve().parents[2]
BUDGET_BYTES = 14 * 1024
PRODUCT_PAGE = re.compile(r"(?:[a-z]{2}(?:-[a-z]{2})?/)?products/[^/]+/index\.html")


@pytest.fixture(scope="module")
def site() -> RenderedSite:
    # With the image plan, as `build.py` renders them: <picture> markup and all.
    catalog = check_content(ROOT / "content")
    return RenderedSite(
        {f.path: f.data for f in render_site(catalog, SITE_DIR, plan_images(catalog))}
    )


def page_resources(site: RenderedSite, path: str) -> list[str]:
    """The page's file plus every local stylesheet and script it loads."""
    page = site.page(path)
    urls = page.xpath('//link[@rel="stylesheet"]/@href') + page.xpath("//script/@src")
    local = [file_for(url) for url in urls if url.startswith("/") and not url.startswith("//")]
    missing = [name for name in local if name not in site.files]
    assert not missing, f"{path}: loads files the build did not write: {missing}"
    return [file_for(path), *local]


# Measured 2026-12-07, every product page in both locales (78): 11,045 bytes min, 12,490
# median, 14,336 max (fr summit-shell-jacket: 15 variants, 3 photos, 4 reviews), HTML
# minified with <picture> markup, CSS inlined, one script (site.js). That page is at the
# budget: the picker's empty sale attributes and JSON spaces were dropped to keep it there.
# 2026-12-08: 14,335 for that page after the language links kept the query (order pages)
# and French colons got their space, paid for by the scripts reading <html lang> instead
# of a "lang" in the page's JSON; a count of the cart's units in the out-of-stock message
# (about 85 bytes) did not fit.
def test_every_product_page_html_css_js_is_at_most_14_kb_gzipped(site: RenderedSite) -> None:
    # Every locale's product pages: /products/<slug>/ and /<locale>/products/<slug>/.
    product_pages = [p for p in site.html_paths() if PRODUCT_PAGE.fullmatch(p)]
    assert any(p.startswith("products/") for p in product_pages), "no product pages rendered"
    assert any(p.startswith("fr/products/") for p in product_pages), "no French product pages"
    for page_file in product_pages:
        path = "/" + page_file.removesuffix("index.html")
        files = page_resources(site, path)
        weight = sum(len(gzip.compress(site.files[name], 9)) for name in files)
        assert weight <= BUDGET_BYTES, (
            f"{path}: HTML+CSS+JS is {weight} bytes gzipped ({files}), expected at most "
            f"{BUDGET_BYTES}"
        )
