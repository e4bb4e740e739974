"""Files that are never content nor output: hidden files, editors' backups, OS folder files.

The content reader skips them (and reports any other stray file); the output-folder
check counts a folder holding only OS files as empty.
"""

from __future__ import annotations

# Files an operating system leaves in folders it shows.
OS_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


def not_content(name: str) -> bool:
    """Hidden files, editors' backups and locks (`.x.md.swp`, `x.md~`, `#x.md#`, `.#x.md`)."""
    return name.startswith((".", "#")) or name.endswith("~") or name in OS_FILES
