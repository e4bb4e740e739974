"""The whole build of a small shop: pages per product, snapshot, manifest, links, atomic swap."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from lxml import html as lxml_html

from storefront.errors import OutputError
from storefront.output import OutputFile
from storefront.output_groups import SiteOutputs
from storefront.pipeline import build_site, check_content, swap_in
from tests.build.content_fixtures import MINIMAL


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal shop, built once for this module."""
    out = tmp_path_factory.mktemp("build") / "dist"
    build_site(MINIMAL, out)
    return out


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_build_writes_public_site_snapshot_and_manifest(built: Path) -> None:
    names = sorted(p.name for p in built.iterdir())
    assert names == [".build-state.json", "catalog.json", "manifest.json", "public"]


def test_there_is_one_product_page_per_product_and_locale(built: Path) -> None:
    catalog = check_content(MINIMAL)
    pages = {p for p in _files(built / "public") if "products/" in p and p.endswith("index.html")}
    expected = {
        f"{prefix}products/{product.slug}/index.html"
        for product in catalog.products
        for prefix in ("", "fr/")
    }
    assert pages == expected


def test_manifest_lists_exactly_the_public_files(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == _files(built / "public")


def test_every_internal_link_in_the_output_resolves_to_a_file(built: Path) -> None:
    public = built / "public"
    broken: list[str] = []
    for page in sorted(public.rglob("*.html")):
        tree = lxml_html.fromstring(page.read_bytes())
        for element in tree.iter("a", "link", "img", "script"):
            url = element.get("href") or element.get("src") or ""
            if not url.startswith("/") or url.startswith("//"):
                continue
            path = url.split("#", 1)[0].split("?", 1)[0].lstrip("/")
            target = (
                public / path / "index.html" if path == "" or path.endswith("/") else public / path
            )
            if path.startswith("api/") or target.is_file():
                continue
            broken.append(f"{page.relative_to(public)} -> {url}")
    assert broken == []


def test_output_folder_is_readable_like_any_folder(built: Path) -> None:
    assert stat.S_IMODE(built.stat().st_mode) == 0o755


def test_a_rebuild_replaces_the_previous_output_and_leaves_no_temporary_folder(
    tmp_path: Path,
) -> None:
    out = tmp_path / "dist"
    (out / "public").mkdir(parents=True)
    (out / "public" / "stale.html").write_text("from an older build", encoding="utf-8")
    # A build of an older version: a state file this one cannot read.
    (out / ".build-state.json").write_text('{"format": 0}', encoding="utf-8")
    build_site(MINIMAL, out)
    assert not (out / "public" / "stale.html").exists()
    assert (out / "public" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_writing_one_path_twice_is_refused(tmp_path: Path) -> None:
    files = [OutputFile("a/index.html", b"1"), OutputFile("a/index.html", b"2")]
    with pytest.raises(OutputError, match=r'"a/index\.html" was produced twice'):
        SiteOutputs(None, tmp_path).produce("pages", "key", lambda: files)


def test_a_path_written_by_an_earlier_stage_is_refused(tmp_path: Path) -> None:
    outputs = SiteOutputs(None, tmp_path)
    outputs.produce("sitemap", "key", lambda: [OutputFile("sitemap.xml", b"")])
    with pytest.raises(OutputError, match="produced twice"):
        outputs.produce("feeds", "key", lambda: [OutputFile("sitemap.xml", b"")])


@pytest.mark.parametrize(
    ("first", "second"),
    [("robots.txt", "robots.txt/index.html"), ("feeds/new/index.html", "feeds/new")],
)
def test_a_path_that_is_both_a_file_and_a_folder_is_refused(
    tmp_path: Path, first: str, second: str
) -> None:
    # Found in whichever order: applied to dist/, such a change failed half-way.
    outputs = SiteOutputs(None, tmp_path)
    outputs.produce("one", "key", lambda: [OutputFile(first, b"")])
    with pytest.raises(OutputError, match="both a file and a folder"):
        outputs.produce("two", "key", lambda: [OutputFile(second, b"")])


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a//b.html", "a\\b", "", "./x"])
def test_paths_outside_the_public_folder_are_refused(tmp_path: Path, path: str) -> None:
    public = tmp_path / "public"
    public.mkdir()
    with pytest.raises(OutputError, match="expected a relative path inside public/"):
        SiteOutputs(None, public).produce("pages", "key", lambda: [OutputFile(path, b"x")])
    assert not (tmp_path / "escape.html").exists()


def test_swap_in_moves_the_new_build_into_place_when_there_was_none(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / "catalog.json").write_text("{}", encoding="utf-8")
    swap_in(staging, tmp_path / "dist")
    assert (tmp_path / "dist" / "catalog.json").read_text(encoding="utf-8") == "{}"
    assert not staging.exists()


def test_swap_in_replaces_an_existing_output(tmp_path: Path) -> None:
    old, new = tmp_path / "dist", tmp_path / "staging"
    old.mkdir()
    new.mkdir()
    (old / "old.txt").write_text("old", encoding="utf-8")
    (new / "new.txt").write_text("new", encoding="utf-8")
    swap_in(new, old)
    assert sorted(p.name for p in old.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_staging_folders_a_killed_build_left_are_removed_by_a_later_build(tmp_path: Path) -> None:
    # kill -9 or a power cut leaves `dist.building-*` beside the output, never removed
    import os
    import time

    from storefront.pipeline import ABANDONED_AFTER_SECONDS, remove_abandoned_staging

    out = tmp_path / "dist"
    stale = tmp_path / "dist.building-abc123"
    fresh = tmp_path / "dist.building-def456"  # a build running right now
    for folder in (stale, fresh):
        (folder / "public").mkdir(parents=True)
    old = time.time() - ABANDONED_AFTER_SECONDS - 60
    os.utime(stale, (old, old))
    other = tmp_path / "distant.building-x"  # another output's, not ours
    other.mkdir()
    os.utime(other, (old, old))

    remove_abandoned_staging(out)

    assert not stale.exists()
    assert fresh.is_dir()
    assert other.is_dir()
