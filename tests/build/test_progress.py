"""Build progress: stage, count and rate on a terminal; quiet in CI and in pipes unless asked."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storefront.progress import Progress, wants_progress
from tests.build.content_fixtures import MINIMAL

ROOT = Path(__file__).resolve().parents[2]


class _Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert wants_progress(_Terminal())
    assert not wants_progress(io.StringIO())  # a pipe or a log file


@pytest.mark.parametrize("value", ["true", "1", "TRUE"])
def test_progress_is_quiet_in_ci_unless_forced(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    assert not wants_progress(_Terminal())
    assert wants_progress(_Terminal(), forced=True)
    assert wants_progress(io.StringIO(), forced=True)


def test_a_stage_line_gives_stage_count_total_and_rate() -> None:
    stream = io.StringIO()
    progress = Progress(stream, enabled=True)
    progress.start("render pages", 200)
    progress.advance(50)
    progress.advance(150)
    progress.finish()

    last = stream.getvalue().split("\r")[-1]
    assert last.startswith("\x1b[2Krender pages: 200/200 (")
    assert "/s, " in last
    assert last.endswith(" s)\n")


def test_disabled_progress_writes_nothing() -> None:
    stream = io.StringIO()
    progress = Progress(stream, enabled=False)
    progress.start("render pages", 10)
    progress.advance(10)
    progress.finish()
    assert stream.getvalue() == ""


def _build(out: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "build.py", "build", "--no-images", "--content", str(MINIMAL)]
    return subprocess.run(
        [*command, "--out", str(out), *flags],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CI": "true"},
    )


def test_build_in_ci_prints_only_its_summary_and_progress_when_asked(tmp_path: Path) -> None:
    quiet = _build(tmp_path / "quiet")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""

    loud = _build(tmp_path / "loud", "--progress")
    assert loud.returncode == 0, loud.stderr
    stages = [line.split("\r")[-1] for line in loud.stderr.splitlines()]
    assert any(s.startswith("\x1b[2Kload and validate") for s in stages), stages
    assert any(s.startswith("\x1b[2Krender pages: ") and "/s" in s for s in stages), stages
