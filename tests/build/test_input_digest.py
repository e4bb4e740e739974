"""Content digests: unchanged files (same size and mtime, not racy) are not read again."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import time
from pathlib import Path

from storefront.input_digest import (
    NOT_OUTPUT,
    RACY_NS,
    ROOT,
    SHARED_CODE,
    content_digests,
    inputs_digest,
)


def _shop(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "products").mkdir(parents=True)
    (content / "catalog.yaml").write_text("store: {}\n", encoding="utf-8")
    (content / "products" / "a.md").write_text("---\ntitle: A\n---\n", encoding="utf-8")
    return content


def test_a_file_with_the_recorded_size_and_mtime_keeps_its_recorded_digest(tmp_path: Path) -> None:
    content = _shop(tmp_path)
    first = content_digests(content, {}, 0)
    size, mtime, _ = first["products/a.md"]
    known = {**first, "products/a.md": (size, mtime, "recorded")}

    # Recorded well after the file was written: its bytes are not read again.
    later = mtime + RACY_NS + 1
    assert content_digests(content, known, later)["products/a.md"][2] == "recorded"
    # Recorded right after it was written (same mtime tick possible): read again.
    racy = content_digests(content, known, mtime + 1)
    assert racy["products/a.md"] == first["products/a.md"]


def test_an_edited_file_is_read_again_and_changes_the_inputs_digest(tmp_path: Path) -> None:
    content = _shop(tmp_path)
    first = content_digests(content, {}, 0)
    recorded = time.time_ns() + RACY_NS + 1

    (content / "products" / "a.md").write_text("---\ntitle: B\n---\n", encoding="utf-8")
    second = content_digests(content, first, recorded)

    assert second["products/a.md"][2] != first["products/a.md"][2]
    assert inputs_digest(second, "theme", "code", "") != inputs_digest(first, "theme", "code", "")


def test_added_and_removed_files_change_the_inputs_digest(tmp_path: Path) -> None:
    content = _shop(tmp_path)
    before = inputs_digest(content_digests(content, {}, 0), "t", "c", "")
    (content / "products" / "b.md").write_text("---\ntitle: B\n---\n", encoding="utf-8")
    added = inputs_digest(content_digests(content, {}, 0), "t", "c", "")
    (content / "products" / "b.md").unlink()
    (content / "products" / "a.md").unlink()
    removed = inputs_digest(content_digests(content, {}, 0), "t", "c", "")

    assert len({before, added, removed}) == 3


def _shop_imports(path: Path) -> set[str]:
    """The `shop` modules an import statement of `path` names (top level or nested)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(n for n in names if n.split(".")[0] == "shop")
    return found


def test_every_functions_module_the_build_renders_with_is_in_the_code_digest() -> None:
    # A module missing here (shop.sale_price, say) could change the pages it shapes
    # while the build, seeing the same code digest, kept the old ones.
    todo: set[str] = set()
    for path in (ROOT / "storefront").rglob("*.py"):
        if not path.relative_to(ROOT / "storefront").as_posix().startswith(NOT_OUTPUT):
            todo |= _shop_imports(path)
    needed: set[Path] = set()
    while todo:
        source = ROOT / "functions" / (todo.pop().replace(".", "/") + ".py")
        if source.is_file() and source not in needed:
            needed.add(source)
            todo |= _shop_imports(source)
    assert ROOT / "functions" / "shop" / "money.py" in needed
    assert needed <= set(SHARED_CODE)


_CATALOG_DIGEST = """
from storefront.input_digest import digest_value, shown_pages
from storefront.pipeline import check_content
from tests.build.content_fixtures import MINIMAL

catalog = check_content(MINIMAL)
print(digest_value(catalog.products, shown_pages(catalog)))
"""


def test_the_catalogs_digest_is_the_same_in_every_process() -> None:
    # Digests take the model's repr: a set in it, ordered by the string hash that each
    # process seeds anew, would make every build see changed products and pages. The
    # fixture's sock has no French file: its French text falls back field by field.
    digests = {
        subprocess.run(
            [sys.executable, "-c", _CATALOG_DIGEST],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(digests) == 1, digests
