"""Every bad-input case: the exact `file:line: field: message`, all errors at once, dist/ kept."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from storefront.errors import ContentErrors
from storefront.pipeline import build_site, check_content
from tests.build.content_fixtures import BAD_INPUT, FIXTURES, MINIMAL, expected_line


def _tree_digest(root: Path) -> dict[str, str]:
    """Every file under root with the hash of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _errors_of(content: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        check_content(content)
    return [str(error) for error in caught.value]


def test_every_bad_input_case_has_a_fixture_tree() -> None:
    trees = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert set(BAD_INPUT) <= trees


def test_minimal_fixture_is_valid() -> None:
    catalog = check_content(MINIMAL)
    assert [p.slug for p in catalog.products] == ["trail-shoe", "wool-sock"]


@pytest.mark.parametrize("scenario", sorted(BAD_INPUT))
def test_bad_input_reports_exactly_one_error_naming_file_line_field_and_expectation(
    scenario: str,
) -> None:
    root = FIXTURES / scenario
    assert _errors_of(root) == [expected_line(root, scenario)]


def test_errors_in_several_files_are_all_reported_in_one_run_sorted_by_file() -> None:
    root = FIXTURES / "many_errors"
    assert _errors_of(root) == [
        f"{root.as_posix()}/pages/about.md:2: title: required field is missing; expected text",
        f'{root.as_posix()}/products/trail-shoe.md:4: category: unknown category "running"; '
        'did you mean "trail-running"? expected one of catalog.yaml\'s categories: footwear, '
        "socks, trail-running",
        f"{root.as_posix()}/products/wool-sock.md:5: price: expected a decimal like 89.90, "
        'got "89,9O"',
    ]


@pytest.mark.parametrize("scenario", [*sorted(BAD_INPUT), "many_errors"])
def test_failed_build_leaves_the_previous_dist_untouched(scenario: str, tmp_path: Path) -> None:
    # Given a previous build in dist/
    out = tmp_path / "dist"
    (out / "public").mkdir(parents=True)
    (out / "public" / "index.html").write_text("<p>previous build</p>", encoding="utf-8")
    (out / "catalog.json").write_text('{"format": 1}', encoding="utf-8")
    (out / ".build-state.json").write_text('{"format": 0}', encoding="utf-8")
    before = _tree_digest(out)
    # When a build of bad content fails
    with pytest.raises(ContentErrors):
        build_site(FIXTURES / scenario, out)
    # Then dist/ is byte for byte what it was, and no temporary folder is left beside it
    assert _tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_files_that_would_not_be_built_are_errors_and_editor_and_os_files_are_not(
    tmp_path: Path,
) -> None:
    # A product saved as .MD, a note, a subfolder: each silently left the shop.
    root = tmp_path / "content"
    shutil.copytree(MINIMAL, root)
    products = root / "products"
    shutil.copy(products / "wool-sock.md", products / "wool-sock-2.MD")
    (products / "notes.txt").write_text("to do\n", encoding="utf-8")
    (root / "pages" / "old").mkdir(parents=True, exist_ok=True)
    for not_content in (
        ".wool-sock.md.swp",
        "wool-sock.md~",
        "#wool-sock.md#",
        "._wool-sock.md",  # macOS's copy of a file's attributes
        ".old-wool-sock.md",
        "Thumbs.db",
    ):
        (products / not_content).write_text("", encoding="utf-8")
    (products / "old.md").mkdir()  # a folder named like a product file: reported once

    assert _errors_of(root) == [
        f"{root.as_posix()}/pages/old: file: expected only Markdown files named like "
        'shipping.md in pages/ (".md" in lowercase), found a folder; it is not built '
        "(see docs/content.md)",
        f"{root.as_posix()}/products/notes.txt: file: expected only Markdown files named like "
        'trail-shoe.md in products/ (".md" in lowercase), found "notes.txt"; it is not built '
        "(see docs/content.md)",
        f"{root.as_posix()}/products/old.md: file: expected only Markdown files named like "
        'trail-shoe.md in products/ (".md" in lowercase), found a folder; it is not built '
        "(see docs/content.md)",
        f"{root.as_posix()}/products/wool-sock-2.MD: file: expected only Markdown files named "
        'like trail-shoe.md in products/ (".md" in lowercase), found "wool-sock-2.MD"; it is '
        "not built (see docs/content.md)",
    ]
