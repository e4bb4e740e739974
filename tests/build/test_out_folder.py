"""`--out` is the folder a build replaces: never the content, the theme, or others' files."""

from __future__ import annotations

from pathlib import Path

import pytest

from storefront.commands import build as build_command
from storefront.errors import OutputError
from storefront.pipeline import DEFAULT_SITE_DIR, build_site
from tests.build.build_args import build_args


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("where", ["the content folder", "a folder holding it", "inside it"])
def test_an_out_folder_overlapping_the_content_is_refused_and_nothing_is_deleted(
    content: Path, where: str
) -> None:
    out = {
        "the content folder": content,
        "a folder holding it": content.parent,
        "inside it": content / "dist",
    }[where]
    before = _files(content.parent)

    with pytest.raises(OutputError) as refused:
        build_site(content, out, image_cache=None)

    assert f"--out {out}: expected a folder apart from the content folder" in str(refused.value)
    assert _files(content.parent) == before


def test_an_out_folder_overlapping_the_theme_is_refused(content: Path) -> None:
    with pytest.raises(OutputError, match="apart from the theme folder"):
        build_site(content, DEFAULT_SITE_DIR / "dist", image_cache=None)
    assert not (DEFAULT_SITE_DIR / "dist").exists()


def test_a_folder_of_other_files_is_refused_and_kept(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes"
    out.mkdir()
    (out / "NOTES.md").write_text("my notes\n", encoding="utf-8")

    with pytest.raises(OutputError) as refused:
        build_site(content, out, image_cache=None)

    assert "holds files but no previous build (.build-state.json is missing)" in str(refused.value)
    assert _files(out) == {"NOTES.md": b"my notes\n"}
    assert not list(tmp_path.glob("notes.*"))  # no staging folder left beside it


def test_a_file_is_refused_and_kept(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.write_text("not a folder\n", encoding="utf-8")

    with pytest.raises(OutputError, match="expected a folder, found a file"):
        build_site(content, out, image_cache=None)

    assert out.read_text(encoding="utf-8") == "not a folder\n"


def test_an_empty_folder_and_then_the_build_it_holds_are_accepted(
    content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    (out / ".DS_Store").write_bytes(b"\0")  # a file browser looked in: still empty

    assert build_site(content, out, image_cache=None).mode == "full"
    assert build_site(content, out, image_cache=None).mode == "unchanged"


def test_the_command_says_why_and_exits_1(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = build_args(content, content)

    assert build_command.run(args) == 1

    err = capsys.readouterr().err
    assert f"build failed: --out {content}: expected a folder apart from the content" in err
    assert (content / "catalog.yaml").is_file()


@pytest.mark.parametrize("full", [True, False])
def test_a_symlinked_out_folder_is_built_where_it_leads(
    content: Path, tmp_path: Path, full: bool
) -> None:
    # Given dist -> fast/dist, built once, then the price of a product changed
    real = tmp_path / "fast" / "dist"
    real.parent.mkdir()
    link = tmp_path / "project" / "dist"
    link.parent.mkdir()
    link.symlink_to(real, target_is_directory=True)
    build_site(content, link, image_cache=None)
    product = content / "products" / "basecamp-3-tent.md"
    product.write_text(
        product.read_text(encoding="utf-8").replace('price: "389.00"', 'price: "397.00"'),
        encoding="utf-8",
    )

    # When it is built again (whole, or only what changed)
    report = build_site(content, link, image_cache=None, full=full)

    # Then the link still leads to the folder, which holds the new build, and nothing
    # is left beside either
    assert link.is_symlink()
    assert link.resolve() == real.resolve()
    assert report.out_dir == link
    page = (real / "public" / "products" / "basecamp-3-tent" / "index.html").read_text()
    assert "397" in page
    assert "389" not in page
    assert sorted(p.name for p in link.parent.iterdir()) == ["dist"]
    assert sorted(p.name for p in real.parent.iterdir()) == ["dist"]
