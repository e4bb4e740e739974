"""Incremental builds: only what changed is rendered and written; the result equals a full build.

The example shop is built once; each test copies that content and that dist/,
edits the copy, rebuilds incrementally, and compares with a full build of the
same content. Builds run without image variants (`--no-images`) to stay quick.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from storefront import render_pool, staged_changes
from storefront.errors import ContentErrors, OutputError
from storefront.pipeline import build_site
from storefront.staged_changes import INCOMING

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "content"
SITE = ROOT / "site"
PRODUCT = "basecamp-3-tent"  # on sale, related to others, with a French translation

FileFacts = dict[str, tuple[bytes, int, int]]  # path -> (bytes, mtime_ns, inode)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The example shop's content, theme and dist/, built once (full)."""
    root = tmp_path_factory.mktemp("incremental-base")
    shutil.copytree(EXAMPLE, root / "content")
    shutil.copytree(SITE, root / "site")
    build_site(root / "content", root / "dist", root / "site", None)
    return root / "content", root / "site", root / "dist"


@pytest.fixture
def shop(base: tuple[Path, Path, Path], tmp_path: Path) -> tuple[Path, Path, Path]:
    """A private copy of the built shop (content, theme, dist) for one test to edit."""
    copies = []
    for source in base:
        target = tmp_path / source.name
        shutil.copytree(source, target, symlinks=True)
        copies.append(target)
    content, site, dist = copies
    return content, site, dist


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The outputs of the pages each build of the test renders (not carried over)."""
    outputs: list[str] = []
    real = render_pool.render_pages

    def counting(renderer: Any, pages: Any, todo: Any, *args: Any, **kwargs: Any) -> Any:
        outputs.extend(pages[i].output for i in todo)
        return real(renderer, pages, todo, *args, **kwargs)

    monkeypatch.setattr(render_pool, "render_pages", counting)
    return outputs


def _page_count(dist: Path) -> int:
    return sum(1 for _ in (dist / "public").rglob("*.html"))


def _facts(root: Path) -> FileFacts:
    facts: FileFacts = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            info = path.stat()
            facts[path.relative_to(root).as_posix()] = (
                path.read_bytes(),
                info.st_mtime_ns,
                info.st_ino,
            )
    return facts


def _contents(root: Path) -> dict[str, bytes]:
    """Every output file's bytes, the build state aside (it records the inputs' digest)."""
    return {path: facts[0] for path, facts in _facts(root).items() if path != ".build-state.json"}


def _rewritten(before: FileFacts, after: FileFacts) -> set[str]:
    return {
        path
        for path, (_, mtime, inode) in after.items()
        if path not in before or before[path][1:] != (mtime, inode)
    }


def _build(content: Path, site: Path, dist: Path, *, full: bool = False) -> str:
    return build_site(content, dist, site, None, full=full).mode


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _assert_same_as_full_build(content: Path, site: Path, dist: Path, tmp_path: Path) -> None:
    full = tmp_path / "dist-full"
    assert _build(content, site, full, full=True) == "full"
    incremental, expected = _contents(dist), _contents(full)
    assert sorted(incremental) == sorted(expected)
    assert [p for p in expected if incremental[p] != expected[p]] == []


def test_nothing_changed_rewrites_no_file(shop: tuple[Path, Path, Path]) -> None:
    content, site, dist = shop
    before = _facts(dist)

    assert _build(content, site, dist) == "unchanged"

    assert _facts(dist) == before


def test_an_edit_that_changes_no_output_rewrites_no_public_file(
    shop: tuple[Path, Path, Path],
) -> None:
    # Given a comment added to catalog.yaml (an input changed, no output does)
    content, site, dist = shop
    before = _facts(dist)
    catalog = content / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")

    # When rebuilding, then only the build state is rewritten
    assert _build(content, site, dist) == "incremental"
    assert _rewritten(before, _facts(dist)) == {".build-state.json"}


def test_one_price_edit_rewrites_only_the_pages_that_show_it(
    shop: tuple[Path, Path, Path], tmp_path: Path, rendered: list[str]
) -> None:
    content, site, dist = shop
    before = _facts(dist)
    _edit(content / "products" / f"{PRODUCT}.md", 'price: "389.00"', 'price: "379.00"')

    assert _build(content, site, dist) == "incremental"

    # Rendered again: only the pages that show the product (the shop was built in another
    # folder: its path decides no page), each of them rewritten.
    assert 2 < len(rendered) < _page_count(dist) / 4
    after = _facts(dist)
    rewritten = _rewritten(before, after)
    changed = {p for p in after if p not in before or before[p][0] != after[p][0]}
    # Only files whose bytes changed were written, and every changed file was.
    assert rewritten == changed | {".build-state.json"}
    pages = {p for p in rewritten if p.endswith(".html")}
    assert f"public/products/{PRODUCT}/index.html" in pages
    assert f"public/fr/products/{PRODUCT}/index.html" in pages
    assert "379" in after[f"public/products/{PRODUCT}/index.html"][0].decode()
    # Every other rewritten page lists the product (a card links to it).
    for path in pages:
        assert f"/products/{PRODUCT}/" in after[path][0].decode(), path
    assert len(pages) < len([p for p in after if p.endswith(".html")]) / 4
    assert pages <= {f"public/{output}" for output in rendered}
    assert {"public/sitemap.xml", "catalog.json"} & rewritten == {"catalog.json"}
    _assert_same_as_full_build(content, site, dist, tmp_path)


def _change_title(content: Path) -> None:
    _edit(content / "products" / f"{PRODUCT}.md", "title: Basecamp 3 Tent", "title: Basecamp Tent")


def _move_category(content: Path) -> None:
    _edit(content / "products" / f"{PRODUCT}.md", "category: tents", "category: sleeping")


def _delete_product(content: Path) -> None:
    # A product no other product or page mentions (related lists, links).
    files = sorted((content / "products").glob("*.md")) + sorted((content / "pages").glob("*.md"))
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    for path in files[: len(list((content / "products").glob("*.md")))]:
        slug = path.name.split(".")[0]
        mentioned = any(
            re.search(rf"(?<![\w-]){re.escape(slug)}(?![\w-])", text)
            for other, text in texts.items()
            if not other.name.startswith(f"{slug}.")
        )
        if not mentioned:
            for file in (content / "products").glob(f"{slug}.*md"):
                file.unlink()
            return
    pytest.fail("expected a product that no other file mentions")


def _add_product(content: Path) -> None:
    text = (content / "products" / f"{PRODUCT}.md").read_text(encoding="utf-8")
    text = text.replace("title: Basecamp 3 Tent", "title: Basecamp 4 Tent")
    text = text.replace("sku: BC3-SND", "sku: BC4-SND").replace("gtin:", "old_gtin:")
    text = re.sub(r'\nold_gtin: "\d+"', "", text)
    (content / "products" / "basecamp-4-tent.md").write_text(text, encoding="utf-8")


def _edit_locale_text(content: Path) -> None:
    path = content / "products" / f"{PRODUCT}.fr.md"
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", text, re.MULTILINE)
    assert title is not None
    path.write_text(text.replace(title.group(0), "title: Tente familiale Basecamp"), "utf-8")


def _edit_template(content: Path) -> None:
    site = content.parent / "site"
    _edit(site / "templates" / "product.html", "{% block main %}", "{% block main %}<!-- x -->")


def _edit_returns(content: Path) -> None:
    # Shown on every product page and in the footer's policies: a settings-only edit.
    _edit(content / "catalog.yaml", "  days: 30", "  days: 14")


def _edit_page_title(content: Path) -> None:
    # Every footer lists the content pages by title.
    _edit(content / "pages" / "about.md", "title: About us", "title: Our story")


def _new_year(content: Path) -> None:
    # The latest date in the shop is every footer's copyright year.
    path = content / "products" / f"{PRODUCT}.md"
    text = path.read_text(encoding="utf-8")
    updated = re.compile(r"^updated: .+$", re.MULTILINE)
    line = "updated: 2030-01-02"
    new = (
        updated.sub(line, text)
        if updated.search(text)
        else text.replace("---\n", f"---\n{line}\n", 1)
    )
    path.write_text(new, encoding="utf-8")


def _swap_showcase_image(content: Path) -> None:
    # The first featured product's first photo is the social image of pages showing no
    # product (home, content pages): each featured product's first two photos swap.
    for path in sorted((content / "products").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if "\nfeatured: true" not in text:
            continue
        sources = re.findall(r"^  - src: (.+)$", text, re.MULTILINE)
        if len(sources) >= 2:
            text = text.replace(f"src: {sources[0]}", "src: FIRST", 1)
            text = text.replace(f"src: {sources[1]}", f"src: {sources[0]}", 1)
            path.write_text(text.replace("src: FIRST", f"src: {sources[1]}", 1), "utf-8")


# Edits that change what every page shows: each renders the whole site again.
SITE_WIDE = (_edit_template, _edit_returns, _edit_page_title, _new_year, _swap_showcase_image)


@pytest.mark.parametrize(
    "edit",
    [
        _change_title,
        _move_category,
        _delete_product,
        _add_product,
        _edit_locale_text,
        _edit_template,
        _edit_returns,
        _edit_page_title,
        _new_year,
        _swap_showcase_image,
    ],
    ids=[
        "title",
        "category move",
        "product deleted",
        "product added",
        "locale text",
        "template",
        "returns policy",
        "content page title",
        "new year",
        "showcase image",
    ],
)
def test_incremental_build_equals_a_full_build_of_the_same_content(
    shop: tuple[Path, Path, Path], tmp_path: Path, edit: object, rendered: list[str]
) -> None:
    content, site, dist = shop
    assert callable(edit)
    edit(content)

    assert _build(content, site, dist) == "incremental"

    # A product edit renders a part of the site only, so that equality below tests
    # which pages each edit renders again (a template edit renders every page it makes).
    if edit not in SITE_WIDE:
        assert len(rendered) < _page_count(dist) / 2
    _assert_same_as_full_build(content, site, dist, tmp_path)


def test_a_failing_incremental_build_leaves_dist_untouched(
    shop: tuple[Path, Path, Path],
) -> None:
    # Given a valid price edit and a content error in another product
    content, site, dist = shop
    before = _facts(dist)
    _edit(content / "products" / f"{PRODUCT}.md", 'price: "389.00"', 'price: "379.00"')
    other = content / "products" / "lakeside-2-tent.md"
    other.write_text(
        re.sub(r'^price: ".*"$', 'price: "12,3O"', other.read_text("utf-8"), flags=re.M), "utf-8"
    )

    with pytest.raises(ContentErrors):
        _build(content, site, dist)

    assert _facts(dist) == before
    assert sorted(p.name for p in dist.parent.iterdir() if p.name.startswith("dist")) == ["dist"]


def test_a_template_error_leaves_dist_untouched(shop: tuple[Path, Path, Path]) -> None:
    content, site, dist = shop
    before = _facts(dist)
    _edit(site / "templates" / "product.html", "{% block main %}", "{% block main %}{{ nope.x }}")

    with pytest.raises(Exception, match="nope"):
        _build(content, site, dist)

    assert _facts(dist) == before
    assert sorted(p.name for p in dist.parent.iterdir() if p.name.startswith("dist")) == ["dist"]


def _moves_failing_after(
    count: int, error: BaseException, monkeypatch: pytest.MonkeyPatch
) -> Callable[[Path, Path], None]:
    """Make the apply's moves raise `error` after `count` files; returns the real move."""
    real_move = staged_changes.move
    moves: list[Path] = []

    def failing_move(source: Path, target: Path) -> None:
        if len(moves) == count:
            raise error
        moves.append(target)
        real_move(source, target)

    monkeypatch.setattr(staged_changes, "move", failing_move)
    return real_move


def test_an_apply_interrupted_midway_is_finished_by_the_next_build(
    shop: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a rebuild whose process dies after moving two files into dist/
    content, site, dist = shop
    _change_title(content)
    real_move = _moves_failing_after(2, KeyboardInterrupt(), monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        _build(content, site, dist)
    monkeypatch.setattr(staged_changes, "move", real_move)
    assert (dist / INCOMING).is_dir()

    # When the next build runs, then it finishes the moves first and dist/ is complete
    _build(content, site, dist)
    assert not (dist / INCOMING).exists()
    _assert_same_as_full_build(content, site, dist, tmp_path)


def test_an_apply_that_cannot_finish_asks_for_a_full_build_which_mends_dist(
    shop: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a rebuild whose moves into dist/ fail after two files (a disk full)
    content, site, dist = shop
    _change_title(content)
    real_move = _moves_failing_after(2, OSError(28, "No space left on device"), monkeypatch)
    with pytest.raises(OutputError, match="--full"):
        _build(content, site, dist)
    # When the next rebuild cannot finish them either, then it says so, not a traceback
    with pytest.raises(OutputError, match="could not all be moved in"):
        _build(content, site, dist)
    monkeypatch.setattr(staged_changes, "move", real_move)
    # And a full build makes dist/ whole again
    assert _build(content, site, dist, full=True) == "full"
    assert not (dist / INCOMING).exists()
    _assert_same_as_full_build(content, site, dist, tmp_path)


def test_full_flag_renders_everything_and_swaps_the_folder(
    shop: tuple[Path, Path, Path],
) -> None:
    content, site, dist = shop
    assert _build(content, site, dist, full=True) == "full"
    assert (dist / ".build-state.json").is_file()


def test_a_replaced_original_image_is_copied_again(
    shop: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    # Given a built shop whose editor replaces a photo under the same name
    content, site, dist = shop
    image = content / "images" / "aravis-mid-hiking-boot-2.jpg"
    image.write_bytes((content / "images" / "aravis-mid-hiking-boot-1.jpg").read_bytes())

    # When it is rebuilt incrementally
    assert _build(content, site, dist) == "incremental"

    # Then the public copy has the new bytes, as a full build would
    assert (dist / "public" / "images" / image.name).read_bytes() == image.read_bytes()
    _assert_same_as_full_build(content, site, dist, tmp_path)
