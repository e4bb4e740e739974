"""Content digests: unchanged files (same size and mtime, not racy) are not read again."""

from __future__ import annotations

import time
from pathlib import Path

from storefront.input_digest import RACY_NS, content_digests, inputs_digest


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
