"""The output folder a build may replace: new, empty, or one a build made; apart from its inputs.

A full build swaps its new folder in place of `--out` and deletes what was there, so a
mistyped `--out` (the content folder, the project, a folder of notes) would delete
an editor's work without a word. The build refuses such a folder before touching
anything, saying why.
"""

from __future__ import annotations

from pathlib import Path

from storefront.build_state import STATE_NAME
from storefront.errors import OutputError
from storefront.not_content import OS_FILES
from storefront.staged_changes import INCOMING


def _overlaps(a: Path, b: Path) -> bool:
    """Whether one folder is, contains or lies inside the other."""
    return a == b or a in b.parents or b in a.parents


def check_out_folder(out_dir: Path, inputs: dict[str, Path]) -> None:
    """Raise OutputError unless the build may replace `out_dir`.

    `inputs` names the folders the build reads ("content": content/, "theme": site/).
    """
    out = out_dir.resolve()
    for what, folder in inputs.items():
        if _overlaps(out, folder.resolve()):
            raise OutputError(
                f"--out {out_dir}: expected a folder apart from the {what} folder ({folder}); "
                "the build replaces its output folder whole"
            )
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputError(f"--out {out_dir}: expected a folder, found a file")
    made_by_a_build = (out_dir / STATE_NAME).is_file() or (out_dir / INCOMING).is_dir()
    # A folder holding only what a file browser leaves (.DS_Store) is as good as empty.
    if not made_by_a_build and any(p.name not in OS_FILES for p in out_dir.iterdir()):
        raise OutputError(
            f"--out {out_dir}: holds files but no previous build ({STATE_NAME} is missing); "
            "expected a new or empty folder, or one a build made (nothing was deleted)"
        )


def link_target(out_dir: Path) -> Path:
    """The folder a symlinked `--out` (dist -> /mnt/fast/dist) leads to; else `out_dir`.

    A build swaps its new folder in where the old one was: swapping the link itself put
    a folder in its place, left the link beside it and the folder it led to stale.
    """
    return out_dir.resolve() if out_dir.is_symlink() else out_dir
