"""The JSON Schemas in docs/schema/ accept the example shop and the valid fixture, and catch errors.

Documents are read the way an editor's YAML extension reads them (plain YAML,
dates as text), so what passes here passes in the editor.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from tests.build.content_fixtures import FIXTURES, MINIMAL

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "docs" / "schema"
EXAMPLE = ROOT / "content"
_TRANSLATION = re.compile(r"^[^.]+\.[a-zA-Z-]+\.md$")


def _validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _as_editor_sees(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_editor_sees(v) for v in value]
    return value


def _front_matter(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    _, front, _ = text.split("---\n", 2)
    return _as_editor_sees(yaml.safe_load(front) or {})


def _documents(content: Path) -> list[tuple[str, Path]]:
    """(schema name, file) for every content file of a tree."""
    docs = [("catalog", content / "catalog.yaml")]
    for path in sorted((content / "products").glob("*.md")):
        docs.append(("translation" if _TRANSLATION.match(path.name) else "product", path))
    for path in sorted((content / "pages").glob("*.md")):
        docs.append(("translation" if _TRANSLATION.match(path.name) else "page", path))
    return docs


def _problems(content: Path) -> list[str]:
    problems = []
    for name, path in _documents(content):
        data = (
            _as_editor_sees(yaml.safe_load(path.read_text(encoding="utf-8")))
            if path.suffix == ".yaml"
            else _front_matter(path)
        )
        for error in _validator(name).iter_errors(data):
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{path.relative_to(content)}: {where}: {error.message[:120]}")
    return problems


@pytest.mark.parametrize("name", ["catalog", "product", "translation", "page"])
def test_each_schema_is_a_valid_json_schema(name: str) -> None:
    _validator(name)


def test_the_minimal_fixture_validates_against_the_schemas() -> None:
    assert _problems(MINIMAL) == []


def test_the_example_shop_validates_against_the_schemas() -> None:
    if not (EXAMPLE / "catalog.yaml").is_file():
        pytest.fail("content/catalog.yaml is missing: the example shop must exist")
    assert _problems(EXAMPLE) == []


@pytest.mark.parametrize(
    ("scenario", "fragment"),
    [
        ("bad_price", "products/wool-sock.md: price: '89,9O' is not valid"),
        ("bad_currency", "catalog.yaml: store/currency: 'EURO' does not match"),
        ("translation_non_text_field", "products/trail-shoe.fr.md: : {"),
        ("missing_field", "products/wool-sock.md: : 'title' is a required property"),
    ],
)
def test_the_schemas_catch_bad_input_in_the_editor(scenario: str, fragment: str) -> None:
    problems = _problems(FIXTURES / scenario)
    assert any(p.startswith(fragment) for p in problems), problems


def test_the_schemas_name_every_field_the_build_accepts() -> None:
    # A field the build accepts but the schema lacks is marked as an error in the
    # editor's IDE (store.products_per_page was); one the build refuses would pass.
    from storefront.validate_products import PRODUCT_FIELDS
    from storefront.validate_settings import STORE_FIELDS
    from storefront.validate_translations import PAGE_FIELDS

    def properties(name: str, *path: str) -> set[str]:
        node = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
        for key in path:
            node = node["properties"][key]
        return set(node["properties"])

    assert properties("catalog", "store") == set(STORE_FIELDS)
    assert properties("product") == set(PRODUCT_FIELDS)
    assert properties("page") == set(PAGE_FIELDS)


def test_the_schemas_refuse_a_country_twice_and_a_gtin_beside_variants() -> None:
    # The build refuses both; the editor's IDE should say so before `check` does.
    minimal = FIXTURES / "minimal"
    catalog = _as_editor_sees(yaml.safe_load((minimal / "catalog.yaml").read_text("utf-8")))
    catalog["shipping"]["countries"] = ["FR", "BE", "FR"]
    shoe = _front_matter(minimal / "products" / "trail-shoe.md")
    shoe["gtin"] = "3760312400017"

    assert not _validator("catalog").is_valid(catalog)
    assert not _validator("product").is_valid(shoe)
    del shoe["gtin"]
    catalog["shipping"]["countries"] = ["FR", "BE"]
    assert _validator("product").is_valid(shoe)
    assert _validator("catalog").is_valid(catalog)
