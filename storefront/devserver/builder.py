"""Run the real build (`python build.py build`) for `serve`, in a child process.

A child process keeps the server safe from anything a build does (a crash,
a leak, half-imported modules) and builds exactly what CI builds. The build
itself swaps `dist/` only on success, so a failed rebuild leaves the last good
site in place.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class BuildError(RuntimeError):
    """The build reported errors; the message is what it printed (file:line: field: …)."""


def build_command(content_dir: Path, out_dir: Path, site_dir: Path) -> list[str]:
    """The command line that builds `content_dir` with the theme in `site_dir` into `out_dir`."""
    return [
        sys.executable,
        str(ROOT / "build.py"),
        "build",
        "--content",
        str(content_dir),
        "--out",
        str(out_dir),
        "--site",
        str(site_dir),
    ]


def run_build(content_dir: Path, out_dir: Path, site_dir: Path) -> float:
    """Build once; returns the seconds it took, or raises BuildError with the build's output."""
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - our own interpreter and script, no shell
        build_command(content_dir.resolve(), out_dir.resolve(), site_dir.resolve()),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        output = (result.stderr.strip() or result.stdout.strip()) or f"exit {result.returncode}"
        raise BuildError(output)
    return time.monotonic() - started
