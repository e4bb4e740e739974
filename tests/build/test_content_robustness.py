"""Whatever an editor writes in a field, validation answers with content errors, never a crash."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storefront.errors import ContentError, ContentErrors
from storefront.pipeline import check_content
from tests.build.content_fixtures import MINIMAL

PRODUCT_FIELDS = [
    "title", "summary", "category", "brand", "price", "compare_at", "published", "updated",
    "featured", "gtin", "mpn", "images", "options", "variants", "specs", "features", "tags",
    "related", "reviews", "sale_ends",
]  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.sampled_from(["89.90", "89,9O", "", "No", "2026-02-30", "2026-01-01", "x" * 3, "[", "&a"]),
    st.text(max_size=8),
)
VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _with_field(field: str, value: Any) -> str:
    """trail-shoe.md with one front-matter field replaced (JSON is valid YAML flow style)."""
    text = (MINIMAL / "products" / "trail-shoe.md").read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    lines = front.split("\n")
    kept, skipping = [], False
    for line in lines:
        if line.startswith(f"{field}:"):
            skipping = True
            continue
        if skipping and line.startswith(" "):
            continue
        skipping = False
        kept.append(line)
    kept.append(f"{field}: {json.dumps(value)}")
    return "\n".join(kept) + "\n---\n" + body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(PRODUCT_FIELDS), value=VALUES)
def test_any_value_in_any_product_field_gives_a_catalog_or_content_errors(
    field: str, value: Any
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(MINIMAL, root)
        (root / "products" / "trail-shoe.md").write_text(_with_field(field, value), "utf-8")
        found: tuple[ContentError, ...] = ()
        try:
            check_content(root)
        except ContentErrors as errors:
            found = errors.errors
        assert all(e.path.is_relative_to(root) and e.field and e.message for e in found)


def _inline_value_lines(relative: str) -> list[int]:
    lines = (MINIMAL / relative).read_text(encoding="utf-8").split("\n")
    return [i for i, line in enumerate(lines) if re.match(r"^\s*(- )?[a-z_]+: \S", line)]


FILES = ["catalog.yaml", "products/trail-shoe.md", "products/trail-shoe.fr.md", "pages/about.md"]
TARGETS = [(name, index) for name in FILES for index in _inline_value_lines(name)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(TARGETS), value=VALUES)
def test_any_value_on_any_line_of_any_file_gives_a_catalog_or_content_errors(
    target: tuple[str, int], value: Any
) -> None:
    relative, index = target
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(MINIMAL, root)
        lines = (root / relative).read_text(encoding="utf-8").split("\n")
        key = lines[index].split(":", 1)[0]
        lines[index] = f"{key}: {json.dumps(value)}"
        (root / relative).write_text("\n".join(lines), encoding="utf-8")
        found: tuple[ContentError, ...] = ()
        try:
            check_content(root)
        except ContentErrors as errors:
            found = errors.errors
        assert all(e.path.is_relative_to(root) and e.field and e.message for e in found)
