"""Build a content tree into a folder with `build.py build` in a child process (tests only)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def build_in_child(content: Path, out: Path) -> None:
    """Run the real build in its own process.

    In-process, a build would see whatever earlier tests did to `sys.modules`
    (the dev server's cold starts re-import `shop.*`, and the build's workers
    then cannot pickle the catalog); a child process starts clean, like CI does.
    """
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content)]
    command += ["--out", str(out), "--site", str(ROOT / "site")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
