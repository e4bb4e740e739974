"""Option values translated in a product's `.fr.md` show in French wherever a shopper reads them."""

from __future__ import annotations

import json

import pytest
from lxml.html import HtmlElement

from storefront.pipeline import check_content
from tests.build.content_fixtures import MINIMAL
from tests.build.rendered_site import RenderedSite, render


def _colour_labels(page: HtmlElement) -> list[str]:
    """The text of the colour choices' labels, in page order."""
    labels = page.xpath('//label[starts-with(@for, "option-color")]')
    return [(label.text or "").strip() for label in labels]  # without "– sold out"


@pytest.fixture(scope="module")
def site() -> RenderedSite:
    # The minimal shop's trail shoe translates its colours: Black → Noir, Moss → Mousse.
    return render(check_content(MINIMAL))


def test_the_colour_choices_of_a_french_product_page_are_in_french(site: RenderedSite) -> None:
    french = site.page("/fr/products/trail-shoe/")
    assert _colour_labels(french) == ["Noir", "Mousse"]
    # The values posted and matched stay as written, the same in every language
    values = french.xpath('//input[@name="option-color"]/@value')
    assert values == ["Black", "Moss"]
    assert _colour_labels(site.page("/products/trail-shoe/")) == ["Black", "Moss"]


def test_french_variant_names_in_structured_data_are_in_french(site: RenderedSite) -> None:
    french = site.page("/fr/products/trail-shoe/")
    graphs = [json.loads(s) for s in french.xpath('//script[@type="application/ld+json"]/text()')]
    nodes = [node for graph in graphs for node in graph.get("@graph", [graph])]
    group = next(n for n in nodes if n.get("@type") == "ProductGroup")
    names = [variant["name"] for variant in group["hasVariant"]]
    assert any(name.endswith("/ Noir") for name in names)
    assert not any("Black" in name for name in names)


def test_the_french_category_filters_name_the_colours_in_french(site: RenderedSite) -> None:
    category = site.page("/fr/categories/footwear/")
    [card] = category.xpath('//li[@data-product="trail-shoe"]')
    facets = json.loads(card.get("data-facets"))
    assert facets["color"]["values"] == ["Black", "Moss"]  # the filter's keys
    assert facets["color"]["names"] == {"Black": "Noir", "Moss": "Mousse"}
    english = site.page("/categories/footwear/").xpath('//li[@data-product="trail-shoe"]')[0]
    assert "names" not in json.loads(english.get("data-facets"))["color"]
