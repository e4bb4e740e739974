"""The search outputs: a Pagefind bundle per locale from catalog records, and the vocabularies."""

from __future__ import annotations

import gzip
import json
from typing import Any

import cbor2
import lxml.html
import pytest

from storefront.output import OutputFile
from storefront.search_index import (
    SearchRecord,
    build_search_index,
    build_vocabulary,
    record_page,
    search_records,
    words_of,
)
from tests.build.index_factories import make_catalog


@pytest.fixture(scope="module")
def outputs() -> dict[str, OutputFile]:
    """The search outputs of the small catalog, built once (Pagefind runs a service)."""
    return {f.path: f for f in build_search_index(make_catalog())}


def test_bundle_has_the_pagefind_script_entry_and_an_index_per_locale(
    outputs: dict[str, OutputFile],
) -> None:
    assert "pagefind/pagefind.js" in outputs
    assert "pagefind/pagefind-worker.js" in outputs
    entry = json.loads(outputs["pagefind/pagefind-entry.json"].data)
    assert set(entry["languages"]) == {"en", "fr"}
    for language in entry["languages"].values():
        assert language["page_count"] == 3  # two products and a page, one record each per locale
        assert f"pagefind/pagefind.{language['hash']}.pf_meta" in outputs
    for locale in ("en", "fr"):
        assert any(p.startswith(f"pagefind/index/{locale}_") for p in outputs), locale
        assert any(p.startswith(f"pagefind/fragment/{locale}_") for p in outputs), locale
        assert f"pagefind/wasm.{locale}.pagefind" in outputs
    assert any(p.startswith("pagefind/filter/") for p in outputs)


def test_bundle_leaves_out_pagefinds_own_ui(outputs: dict[str, OutputFile]) -> None:
    assert not [p for p in outputs if "-ui." in p or "highlight" in p]


def test_every_output_path_is_relative_and_non_empty(outputs: dict[str, OutputFile]) -> None:
    for path, file in outputs.items():
        assert not path.startswith("/"), path
        assert file.data, path


def test_records_give_url_language_meta_and_filters_per_product_and_locale() -> None:
    records = {(r.url, r.language): r for r in search_records(make_catalog())}

    assert set(records) == {
        ("/products/storm-jacket/", "en"),
        ("/products/trail-shoe/", "en"),
        ("/pages/shipping/", "en"),
        ("/fr/products/storm-jacket/", "fr"),
        ("/fr/products/trail-shoe/", "fr"),
        ("/fr/pages/shipping/", "fr"),
    }
    shoe_fr = records[("/fr/products/trail-shoe/", "fr")]
    assert shoe_fr.meta["title"] == "Chaussure de trail Ridge"
    assert shoe_fr.meta["image"] == "/images/trail-shoe-1.jpg"
    assert shoe_fr.meta["price"] == "119,00\xa0€"  # the lowest variant price, French format
    assert shoe_fr.meta["on_sale"] == "true"
    assert shoe_fr.filters == {"category": ["Chaussures", "Trail"], "brand": ["Northwind"]}
    assert shoe_fr.sort == {"price": "11900", "published": "2026-03-02"}
    jacket = records[("/products/storm-jacket/", "en")]
    assert jacket.meta["price"] == "€249.00"
    assert "on_sale" not in jacket.meta
    assert jacket.filters["category"] == ["Clothing", "Jackets"]


def test_record_content_holds_title_brand_categories_tags_and_option_values() -> None:
    records = {(r.url, r.language): r for r in search_records(make_catalog())}

    content = records[("/products/trail-shoe/", "en")].content
    for text in ("grippy", "Northwind", "Footwear", "trail", "42", "Black"):
        assert text in content, text


def test_record_page_weights_the_title_as_a_heading_and_escapes_text() -> None:
    record = SearchRecord(
        url="/fr/products/x/",
        language="fr",
        content="Fits <all> & more",
        meta={"title": "Socks <3", "price": "9,00 €"},
        filters={"category": ["A", "B"]},
        sort={"price": "900"},
    )

    page = lxml.html.fromstring(record_page(record))

    assert page.get("lang") == "fr"
    assert page.xpath("//main[@data-pagefind-body]/h1/text()") == ["Socks <3"]
    assert page.xpath("//main/p/text()") == ["Fits <all> & more"]
    assert page.xpath("//*[@data-pagefind-meta='price']/text()") == ["9,00 €"]
    assert page.xpath("//*[@data-pagefind-filter='category']/text()") == ["A", "B"]
    assert page.xpath("//*[@data-pagefind-sort='price']/text()") == ["900"]
    # Meta, filters and sort keys sit outside the indexed body.
    assert page.xpath("//main//*[@data-pagefind-meta]") == []


def test_content_pages_are_searchable_with_their_text_and_no_product_meta() -> None:
    records = {(r.url, r.language): r for r in search_records(make_catalog())}

    shipping_fr = records[("/fr/pages/shipping/", "fr")]
    assert shipping_fr.meta == {
        "title": "Livraison",
        "summary": "Délais de livraison.",
        "kind": "page",
    }
    assert shipping_fr.content == "Délais de livraison. Rapide."
    assert shipping_fr.filters == {}


def test_words_are_lowercase_letter_or_digit_runs_of_two_or_more() -> None:
    assert words_of("Ridge Trail-Shoe, d'affilée (42) x") == [
        "ridge",
        "trail",
        "shoe",
        "affilée",
        "42",
    ]


def test_vocabulary_holds_title_category_brand_tag_and_option_words() -> None:
    vocabulary = build_vocabulary(make_catalog(), "en")

    words = vocabulary["words"]
    for word in ("trail", "shoe", "ridge", "jacket", "jackets", "northwind", "waterproof", "black"):
        assert word in words, word
    assert len(words) == len(set(words))
    assert "grippy" not in words  # summaries and bodies are not correction targets


def test_vocabulary_lists_the_most_frequent_words_first() -> None:
    words = build_vocabulary(make_catalog(), "en")["words"]

    # "northwind" is the brand of both products; "trail" is in a title, a tag and a category.
    assert words.index("northwind") < words.index("storm")
    assert words.index("trail") < words.index("ridge")


def test_french_vocabulary_uses_french_titles_and_category_names() -> None:
    vocabulary = build_vocabulary(make_catalog(), "fr")

    words = vocabulary["words"]
    assert {"chaussure", "chaussures", "vestes", "vêtements"} <= set(words)
    assert vocabulary["categories"][0] == {"name": "Chaussures", "url": "/fr/categories/footwear/"}


def test_vocabulary_files_are_written_per_locale_as_json(outputs: dict[str, OutputFile]) -> None:
    for locale in ("en", "fr"):
        data = json.loads(outputs[f"search/vocabulary.{locale}.json"].data)
        assert data["format"] == 1
        assert data["locale"] == locale
        assert data["words"]
        assert {"name", "url"} == set(data["categories"][0])


def test_same_catalog_gives_identical_pagefind_files_and_names(
    outputs: dict[str, OutputFile],
) -> None:
    # Given the bundle built once by the fixture, when the same catalog is indexed again
    again = {f.path: f.data for f in build_search_index(make_catalog())}

    # Then every file has the same name and the same bytes (deploy uploads nothing new)
    assert {path: file.data for path, file in outputs.items()} == again


def test_pagefind_filters_and_meta_are_written_in_sorted_order(
    outputs: dict[str, OutputFile],
) -> None:
    entry = json.loads(outputs["pagefind/pagefind-entry.json"].data)
    assert list(entry["languages"]) == sorted(entry["languages"])
    for language in entry["languages"].values():
        meta = _decode(outputs[f"pagefind/pagefind.{language['hash']}.pf_meta"].data)
        filter_names = [name for name, _ in meta[3]]
        assert filter_names == sorted(filter_names) == ["brand", "category"]
        for _, filter_hash in meta[3]:
            name, values = _decode(outputs[f"pagefind/filter/{filter_hash}.pf_filter"].data)
            labels = [value for value, _ in values]
            assert labels == sorted(labels), name


def _decode(data: bytes) -> Any:
    plain = gzip.decompress(data)
    assert plain.startswith(b"pagefind_dcd")
    return cbor2.loads(plain[len(b"pagefind_dcd") :])
