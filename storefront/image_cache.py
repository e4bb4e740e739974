"""Keeping the image cache (.cache/images) from growing without end.

CI keeps the cache folder between runs, so entries for photos that were replaced
or deleted would pile up forever. Each build marks the entries it uses (their
index file's modification time, a cheap `utime`), and entries nobody used for
`MAX_IDLE_DAYS` are removed. Age, not "unused by this build", decides: the same
cache may serve several branches or shops, and an entry another branch needs
tomorrow must not be thrown away today.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

MAX_IDLE_DAYS = 30
# An entry without its index is being written (or its build crashed): a writer
# finishes within minutes, so a day leaves a concurrent build alone.
ABANDONED_AFTER_SECONDS = 24 * 3600
INDEX_NAME = "index.json"  # written last into an entry: its presence means the entry is complete


# A used entry is marked again only when its mark is older than this: builds within a
# day leave the cache's files (and their times) exactly as they were.
MARK_EVERY_SECONDS = 24 * 3600


def mark_used(entries: Iterable[Path], now: float | None = None) -> None:
    """Record that these complete entries were used (at most once a day each)."""
    now = time.time() if now is None else now
    for entry in entries:
        index = entry / INDEX_NAME
        try:
            if index.stat().st_mtime < now - MARK_EVERY_SECONDS:
                os.utime(index, (now, now))
        except FileNotFoundError:
            continue  # not complete: nothing to mark


def prune_cache(
    cache_dir: Path, max_idle_days: int = MAX_IDLE_DAYS, now: float | None = None
) -> list[str]:
    """Remove entries unused for `max_idle_days` and abandoned half entries; their names."""
    if not cache_dir.is_dir():
        return []
    now = time.time() if now is None else now
    idle_limit = now - max_idle_days * 24 * 3600
    removed: list[str] = []
    for entry in cache_dir.iterdir():
        if not entry.is_dir():
            continue
        index = entry / INDEX_NAME
        try:
            stale = index.stat().st_mtime < idle_limit
        except FileNotFoundError:
            stale = entry.stat().st_mtime < now - ABANDONED_AFTER_SECONDS
        if stale:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return sorted(removed)
