"""Options that stand for size, color, material or pattern, however the editor named them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from storefront.feeds import build_feeds
from storefront.model import Option
from storefront.option_attributes import option_attributes
from storefront.structured_data import product_node
from tests.build.catalog_factory import make_catalog


def test_a_length_is_a_size_and_each_attribute_is_taken_once(tmp_path: Path) -> None:
    shoe = make_catalog(tmp_path).products[1]
    poles = replace(
        shoe,
        options=(
            Option("length", {"en": "Length"}, ("40", "41")),
            Option("size", {"en": "Size"}, ("Black", "Moss")),  # a second size-like option
        ),
    )
    assert option_attributes(poles) == {"length": "size"}


def test_variants_are_told_apart_by_their_attributes_in_the_pages_language(
    tmp_path: Path,
) -> None:
    # Given trekking poles whose option is `length`, and a shoe whose colours are translated
    catalog = make_catalog(tmp_path)
    shoe = catalog.products[1]
    colour = replace(shoe.options[1], value_labels={"fr": {"Black": "Noir", "Moss": "Mousse"}})
    poles = replace(shoe, options=(replace(shoe.options[0], name="length"), colour))
    poles = replace(
        poles,
        variants=tuple(
            replace(v, options={"length": v.options["size"], "color": v.options["color"]})
            for v in shoe.variants
        ),
    )
    catalog = replace(catalog, products=(catalog.products[0], poles))

    group = product_node(catalog, poles, "fr")

    # Then search engines learn what differs, as the French page shows it
    assert group["variesBy"] == ["https://schema.org/size", "https://schema.org/color"]
    variant = next(v for v in group["hasVariant"] if v["sku"] == shoe.variants[0].sku)
    assert (variant["size"], variant["color"]) == ("40", "Noir")
    [feed] = [f.data.decode() for f in build_feeds(catalog) if f.path == "fr/feeds/products.xml"]
    assert f"<g:id>{shoe.variants[0].sku}</g:id>" in feed
    assert "<g:size>40</g:size>" in feed
    assert "<g:color>Noir</g:color>" in feed
