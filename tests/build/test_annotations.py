"""Content errors print as GitHub workflow commands on the right file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from storefront.annotations import escape_data, escape_property, github_annotation
from storefront.cli import main
from storefront.errors import ContentError


def test_error_becomes_an_error_command_on_its_file_and_line() -> None:
    error = ContentError(
        Path("content/products/trail-shoe.md"),
        7,
        "price",
        'expected a decimal like 89.90, got "89,9O"',
    )
    assert github_annotation(error, root=Path.cwd()) == (
        "::error file=content/products/trail-shoe.md,line=7,title=price::"
        'price: expected a decimal like 89.90, got "89,9O"'
    )


def test_absolute_path_is_made_relative_to_the_checkout(tmp_path: Path) -> None:
    error = ContentError(tmp_path / "content" / "catalog.yaml", None, "store.name", "required")
    line = github_annotation(error, root=tmp_path)
    assert line == "::error file=content/catalog.yaml,title=store.name::store.name: required"


def test_newlines_percent_commas_and_colons_cannot_break_the_command() -> None:
    assert escape_data("50% off\nnext") == "50%25 off%0Anext"
    assert escape_property("a,b:c") == "a%2Cb%3Ac"
    error = ContentError(Path("content/x.md"), 2, "variants[0].options", "a: b,\nc")
    line = github_annotation(error, root=Path.cwd())
    assert "\n" not in line
    assert line.endswith("::variants[0].options: a: b,%0Ac")


def test_check_command_prints_one_annotation_per_error_for_github(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(root)  # GitHub resolves annotation paths from the checkout root

    status = main(["check", "--content", "tests/fixtures/content/bad_price", "--format", "github"])

    out, err = capsys.readouterr()
    assert status == 1
    assert out.splitlines() == [
        "::error file=tests/fixtures/content/bad_price/products/wool-sock.md,line=5,"
        'title=price::price: expected a decimal like 89.90, got "89,9O"'
    ]
    assert "1 error" in err  # the human summary still goes to stderr
