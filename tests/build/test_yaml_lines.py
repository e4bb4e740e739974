"""YAML with lines: every key and item knows its line; floats stay text; YAML 1.2 booleans."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storefront.errors import ErrorList
from storefront.yaml_lines import MAX_VALUES, YamlList, YamlMap, parse_yaml


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


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("title: A\nsummary: Note: light\n", 'a value containing ": " needs quotes'),
        ("title: A\n  brand: B\n", 'needs quotes (summary: "Note: …"), or the line is indented'),
        ("c:\n  - a: 1\n   - b: 2\n", "list items (- …) must line up under each other"),
        ("a:\n  b: 1\n c: 2\n", "indented differently from the ones around it"),
        ("a:\n\tb: 1\n", "indent with spaces, not tabs"),
    ],
)
def test_the_commonest_yaml_mistakes_say_what_to_do(text: str, hint: str) -> None:
    data, errors = _parse(text)
    assert data is None
    [error] = errors
    assert re.match(r"x\.yaml:[23]: yaml: expected valid YAML, could not parse it: ", error)
    assert hint in error


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ('title: A\nprice: "24.00\nbrand: V\n', "line 2 opens a quote that is not closed"),
        (
            'title: A\nsummary: "A light" grippy shoe\nbrand: V\n',
            "line 2 closes its quote before the value ends",
        ),
        ("title: A\nbrand:Verticale\nprice: 1\n", "a field needs a space after its colon"),
        ("features:\n  - a\n  -Fleece\n  - b\n", "a list item after its dash"),
        ("title: A\nbrand:\u00a0V\nprice: 1\n", "line 2 holds a non-breaking space (U+00A0"),
        ("title: \u201cChalk: with\u201d\n", "line 1 uses curly quotes"),
    ],
)
def test_mistakes_found_a_line_later_name_the_line_they_are_on(text: str, hint: str) -> None:
    data, errors = _parse(text)
    assert data is None
    [error] = errors
    assert hint in error


@pytest.mark.parametrize(
    "text",
    [
        "features:\n  - Fleece lining\n    - Brush holder\n",  # deeper than the item above
        "tags:\n - chalk\n  - bouldering\n",
    ],
)
def test_a_list_item_indented_deeper_is_an_error_not_part_of_the_item_above(text: str) -> None:
    # YAML reads it as more of the unquoted text above: "Fleece lining - Brush holder".
    _, errors = _parse(text, line_offset=1)
    assert errors == [
        'x.yaml:4: yaml: expected a new list item, but this "- " line is indented deeper '
        "than the line above it, so it is read as more of that line's text; "
        'line its "-" up with the item above (or quote the text)'
    ]


def test_unquoted_text_wrapped_over_lines_is_still_one_value() -> None:
    data, errors = _parse("summary: a long text\n  wrapped - here\n  and here\n")
    assert (data, errors) == ({"summary": "a long text wrapped - here and here"}, [])


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


def test_only_plain_decimals_are_integers_so_skus_and_specs_stay_as_written() -> None:
    # YAML 1.1 reads these as octal 64, base-60 220, hex 31 and 1000.
    data, errors = _parse("sku: 0100\nboil: 3:40\nhex: 0x1F\nbig: 1_000\ngtin: 01234565\n")
    assert errors == []
    assert data == {
        "sku": "0100",
        "boil": "3:40",
        "hex": "0x1F",
        "big": "1_000",
        "gtin": "01234565",
    }
    data, _ = _parse("stock: 12\nzero: 0\nless: -3\nplus: +7\n")
    assert data == {"stock": 12, "zero": 0, "less": -3, "plus": 7}


def test_a_date_that_does_not_exist_stays_text_for_its_field_to_report() -> None:
    data, errors = _parse("published: 2025-02-30\nupdated: 2025-02-28\nn: !!int abc\n")
    assert errors == []
    assert isinstance(data, dict)
    assert data["published"] == "2025-02-30"
    assert str(data["updated"]) == "2025-02-28"
    assert data["n"] == "abc"


def test_the_mappings_own_keys_override_merged_ones_without_an_error() -> None:
    text = (
        "variants:\n"
        "  - &base {sku: CB-TEL, options: {color: Teal}, stock: 12}\n"
        "  - <<: *base\n"
        "    sku: CB-ORG\n"
        "    options: {color: Orange}\n"
    )
    data, errors = _parse(text)
    assert errors == []
    assert isinstance(data, dict)
    second = data["variants"][1]
    assert second == {"sku": "CB-ORG", "options": {"color": "Orange"}, "stock": 12}
    assert second.key_lines["sku"] == 4


def test_a_key_written_twice_beside_a_merge_is_still_an_error() -> None:
    _, errors = _parse("base: &b {stock: 4}\nv:\n  <<: *b\n  sku: A\n  sku: B\n")
    assert errors == ["x.yaml:5: sku: duplicate key, already given on line 4"]


def test_aliases_that_expand_past_the_limit_are_refused_not_built() -> None:
    # Nine lines, a billion values: built, they hung `check` (and the CI run) for good.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    data, errors = _parse("\n".join(lines), line_offset=1)
    assert data is None
    assert len(errors) == 1
    assert errors[0].startswith("x.yaml:")
    assert errors[0].endswith(
        "yaml: expected valid YAML, could not parse it: aliases (*name) expand it to more "
        f"than {MAX_VALUES:,} values"
    )


def test_ordinary_aliases_still_work() -> None:
    data, errors = _parse("base: &b [41, 42]\nsizes: *b\n")
    assert errors == []
    assert data == {"base": [41, 42], "sizes": [41, 42]}


def test_a_control_character_is_named_with_its_line_not_a_parser_position() -> None:
    data, errors = _parse("title: Sock\nsummary: A cush\x00ioned sock\n", line_offset=1)
    assert data is None
    assert errors == [
        "x.yaml:3: yaml: expected text without control characters, found U+0000 (invisible "
        "in most editors: delete and retype the line)"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "tags: " + "[" * 3000 + "]" * 3000 + "\n",
        "tags:\n" + "".join(" " * i + "- \n" for i in range(0, 4000, 2)),
    ],
    ids=["flow", "block"],
)
def test_yaml_nested_thousands_deep_is_an_error_not_a_crash(text: str) -> None:
    data, errors = _parse(text)
    assert data is None
    assert errors == [
        "x.yaml: yaml: expected YAML nested a few levels deep, found thousands of levels"
    ]
