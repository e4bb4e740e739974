"""YAML with lines: every key and item knows its line; floats stay text; YAML 1.2 booleans."""

from __future__ import annotations

from pathlib import Path

from storefront.errors import ErrorList
from storefront.yaml_lines import YamlList, YamlMap, parse_yaml


def _parse(text: str, line_offset: int = 0) -> tuple[object, list[str]]:
    errors = ErrorList()
    ok, data = parse_yaml(text, Path("x.yaml"), "yaml", errors, line_offset)
    assert ok or errors
    return data, [str(e) for e in errors.errors]


def test_floats_are_kept_as_their_source_text_so_prices_stay_exact() -> None:
    data, errors = _parse("price: 89.90\nother: 0.1\nhuge: 12345678901234567.99\n")
    assert errors == []
    assert data == {"price": "89.90", "other": "0.1", "huge": "12345678901234567.99"}


def test_only_true_and_false_are_booleans_so_option_values_like_no_stay_text() -> None:
    data, _ = _parse("a: No\nb: on\nc: yes\nd: true\ne: False\n")
    assert data == {"a": "No", "b": "on", "c": "yes", "d": True, "e": False}


def test_every_key_and_list_item_knows_its_line() -> None:
    data, _ = _parse("a: 1\nb:\n  c: 2\nlist:\n  - x\n  - y: 3\n", line_offset=1)
    assert isinstance(data, YamlMap)
    assert data.key_lines == {"a": 2, "b": 3, "list": 5}
    assert data["b"].line_of("c") == 4
    items = data["list"]
    assert isinstance(items, YamlList)
    assert [items.line_of(0), items.line_of(1)] == [6, 7]


def test_a_duplicate_key_is_an_error_naming_the_first_line() -> None:
    data, errors = _parse("title: One\nprice: 1\ntitle: Two\n")
    assert errors == ["x.yaml:3: title: duplicate key, already given on line 1"]
    assert isinstance(data, dict)
    assert data["title"] == "One"


def test_invalid_yaml_is_reported_with_its_line() -> None:
    data, errors = _parse("a: 1\nb: [1, 2\nc: 3\n")
    assert data is None
    assert len(errors) == 1
    assert errors[0].startswith("x.yaml:3: yaml: expected valid YAML, could not parse it: ")
    assert "starts on line 2" in errors[0]


def test_anchors_and_merge_keys_work_like_plain_yaml() -> None:
    data, errors = _parse("base: &b {stock: 4, price: 9.90}\nv: {<<: *b, sku: A-1}\n")
    assert errors == []
    assert isinstance(data, dict)
    assert data["v"] == {"stock": 4, "price": "9.90", "sku": "A-1"}


def test_an_alias_that_contains_itself_is_an_error_not_a_crash() -> None:
    data, errors = _parse("a: &x [1, *x]\n")
    assert data is None
    assert errors == [
        "x.yaml:1: yaml: expected valid YAML, could not parse it: "
        "found an alias that refers to itself"
    ]


def test_an_unknown_tag_is_an_error_with_its_line() -> None:
    data, errors = _parse("a: 1\nb: !python/object x\n")
    assert data is None
    assert len(errors) == 1
    assert errors[0].startswith("x.yaml:2: yaml: expected valid YAML, could not parse it: ")
