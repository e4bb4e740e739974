"""The image cache's upkeep: used entries are kept, long-unused and abandoned ones removed."""

from __future__ import annotations

import os
import time
from pathlib import Path

from storefront.image_cache import INDEX_NAME, mark_used, prune_cache

DAY = 24 * 3600


def _entry(cache: Path, name: str, age_days: float, *, complete: bool = True) -> Path:
    entry = cache / name
    entry.mkdir(parents=True)
    (entry / "a-320.avif").write_bytes(b"variant")
    stamp = time.time() - age_days * DAY
    if complete:
        (entry / INDEX_NAME).write_text('["a-320.avif"]')
        os.utime(entry / INDEX_NAME, (stamp, stamp))
    os.utime(entry, (stamp, stamp))
    return entry


def test_entries_unused_for_a_month_are_removed_recent_ones_kept(tmp_path: Path) -> None:
    _entry(tmp_path, "old", 45)
    _entry(tmp_path, "recent", 3)

    removed = prune_cache(tmp_path)

    assert removed == ["old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recent"]


def test_an_old_entry_this_build_used_is_marked_and_survives(tmp_path: Path) -> None:
    used = _entry(tmp_path, "used", 45)

    mark_used([used])
    removed = prune_cache(tmp_path)

    assert removed == []
    assert (used / "a-320.avif").read_bytes() == b"variant"


def test_a_recent_mark_is_not_rewritten(tmp_path: Path) -> None:
    used = _entry(tmp_path, "used", 0.5)
    before = (used / INDEX_NAME).stat().st_mtime_ns

    mark_used([used])

    assert (used / INDEX_NAME).stat().st_mtime_ns == before


def test_a_half_written_entry_is_left_to_its_writer_for_a_day(tmp_path: Path) -> None:
    _entry(tmp_path, "being-written", 0.01, complete=False)
    _entry(tmp_path, "abandoned", 2, complete=False)

    removed = prune_cache(tmp_path)

    assert removed == ["abandoned"]
    assert [p.name for p in tmp_path.iterdir()] == ["being-written"]


def test_a_missing_cache_folder_is_nothing_to_prune(tmp_path: Path) -> None:
    assert prune_cache(tmp_path / "absent") == []
