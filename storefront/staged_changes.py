"""Apply an incremental build's changes to dist/ so a failure never leaves half of them.

An incremental build writes only the changed files, into a staging folder beside
dist/ (like a full build). Nothing in dist/ changes until the staging folder is
complete: a content error, a template error or a crash up to then leaves dist/
exactly as it was. The staging folder, with a journal of the files to move in
and to delete, is then renamed to `dist/.incoming`: that one rename is the
commit point. The files are then moved into place one by one (each move is an
atomic rename, so no file is ever seen half-written) and the state file last.
If the process dies while moving, the next build finds `dist/.incoming` and
finishes the moves before anything else (roll forward), so dist/ always ends
as the complete new build.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from storefront.errors import OutputError

INCOMING = ".incoming"
JOURNAL = "journal.json"


def move(source: Path, target: Path) -> None:
    """Move one staged file over its target in one atomic rename."""
    os.replace(source, target)


def commit_changes(
    staging: Path, out_dir: Path, written: list[str], deleted: list[str], root_files: list[str]
) -> None:
    """Move the staged files into `out_dir`: `written` under public/, then `root_files`.

    `deleted` public paths are removed. `root_files` (catalog.json, manifest.json, the
    state file) are moved in last, in the order given.
    """
    journal = {"write": written, "delete": deleted, "root": root_files}
    (staging / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    staging.rename(out_dir / INCOMING)  # the commit point
    finish_pending(out_dir)


def finish_pending(out_dir: Path) -> None:
    """Finish moving in a committed change set that an interrupted build left behind.

    Raises OutputError when it cannot (a disk full, a folder made read-only): dist/
    then holds part of that build, and only a full build makes it whole again.
    """
    try:
        _finish(out_dir)
    except OSError as exc:
        raise OutputError(
            f"{out_dir}: the changes of an earlier build could not all be moved in ({exc}); "
            "run `python build.py build --full` to build it anew"
        ) from exc


def _finish(out_dir: Path) -> None:
    incoming = out_dir / INCOMING
    if not incoming.is_dir():
        return
    journal_path = incoming / JOURNAL
    if not journal_path.is_file():  # cannot happen after the commit rename; be safe anyway
        shutil.rmtree(incoming, ignore_errors=True)
        return
    journal = json.loads(journal_path.read_text(encoding="utf-8"))
    public = out_dir / "public"
    for path in journal["write"]:
        source, target = incoming / "public" / path, public / path
        if source.exists():  # already moved when a previous attempt was interrupted
            target.parent.mkdir(parents=True, exist_ok=True)
            move(source, target)
    for path in journal["delete"]:
        target = public / path
        target.unlink(missing_ok=True)
        _remove_empty_parents(target.parent, public)
    for name in journal["root"]:
        source = incoming / name
        if source.exists():
            move(source, out_dir / name)
    shutil.rmtree(incoming, ignore_errors=True)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents up to `root` (excluded) while they are empty."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty (or already gone): stop here
            return
        folder = folder.parent
