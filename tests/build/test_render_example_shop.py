"""Real content trees (the example shop, the minimal fixture) render completely and consistently."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from storefront.model import Catalog
from storefront.pipeline import check_content
from storefront.seo import DESCRIPTION_MAX, TITLE_MAX
from tests.build.rendered_site import RenderedSite, graph_nodes, render

ROOT = Path(__file__).resolve().parents[2]
CONTENT_TREES = {
    "example-shop": ROOT / "content",
    "minimal-fixture": ROOT / "tests" / "fixtures" / "content" / "minimal",
}


@pytest.fixture(scope="module", params=sorted(CONTENT_TREES))
def catalog(request: pytest.FixtureRequest) -> Catalog:
    return check_content(CONTENT_TREES[request.param])


@pytest.fixture(scope="module")
def site(catalog: Catalog) -> RenderedSite:
    return render(catalog)


def test_one_product_page_per_product_and_locale(catalog: Catalog, site: RenderedSite) -> None:
    product_pages = [p for p in site.html_paths() if "products/" in p]
    assert len(product_pages) == len(catalog.products) * len(catalog.store.locales)
    for product in catalog.products:
        assert site.serves(f"/products/{product.slug}/"), product.slug


def test_every_internal_link_resolves_to_a_rendered_file(site: RenderedSite) -> None:
    broken = set()
    for path in site.html_paths():
        for element, attribute, target, _ in site.page("/" + path).iterlinks():
            if element.tag != "form" and target.startswith("/") and not site.serves(target):
                broken.add(f"{path}: {attribute}={target}")
    assert sorted(broken) == []


def test_category_pages_list_every_product_of_the_category_tree(
    catalog: Catalog, site: RenderedSite
) -> None:
    for category in catalog.categories:
        page = site.page(f"/categories/{category.slug}/")
        listed = page.xpath("//section[@data-listing]//li/@data-product")
        assert sorted(listed) == sorted(
            p.slug for p in catalog.products if category.slug in _ancestry(catalog, p.category)
        )


def _ancestry(catalog: Catalog, slug: str) -> set[str]:
    """The category `slug` and every category above it, walked up from its parents."""
    parents = {c.slug: c.parent for c in catalog.categories}
    found: set[str] = set()
    current: str | None = slug
    while current is not None and current not in found:
        found.add(current)
        current = parents.get(current)
    return found


def test_titles_unique_and_descriptions_within_limits(site: RenderedSite) -> None:
    titles: Counter[tuple[str, str]] = Counter()
    for path in site.html_paths():
        page = site.page("/" + path)
        if page.xpath('//meta[@name="robots"]/@content') != ["index, follow"]:
            continue
        title = page.xpath("//title")[0].text
        description = page.xpath('//meta[@name="description"]/@content')[0]
        assert len(title) <= TITLE_MAX, (path, title)
        assert 50 <= len(description) <= DESCRIPTION_MAX, (path, description)
        titles[(page.xpath("/html/@lang")[0], title)] += 1
    assert [t for t, n in titles.items() if n > 1] == []


def test_each_product_page_offers_every_variant_in_json_ld(
    catalog: Catalog, site: RenderedSite
) -> None:
    for product in catalog.products:
        nodes = graph_nodes(site.page(f"/fr/products/{product.slug}/"))
        main = next(n for n in nodes if n["@type"] in ("Product", "ProductGroup"))
        offers = (
            [v["offers"] for v in main["hasVariant"]]
            if main["@type"] == "ProductGroup"
            else [main["offers"]]
        )
        assert len(offers) == len(product.variants), product.slug
        assert all(o["priceCurrency"] == catalog.store.currency for o in offers)
        assert any(n["@type"] == "BreadcrumbList" for n in nodes), product.slug
