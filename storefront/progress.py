"""Progress of a long build on a terminal: stage, count done of total, and rate.

Shown only where someone watches: on a TTY outside CI, or when asked for
(`build --progress`). It rewrites one line in place and ends it with the
stage's total time, so a log keeps one line per stage.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

# Redrawing the line more often than this costs more than it shows.
REDRAW_SECONDS = 0.2


def wants_progress(stream: TextIO, forced: bool = False) -> bool:
    """Show progress on `stream`? Yes if forced, else on a terminal unless CI=true."""
    if forced:
        return True
    if os.environ.get("CI", "").lower() in ("true", "1"):
        return False
    return stream.isatty()


class Progress:
    """Reports stages and counts on `stream`; silent when disabled."""

    def __init__(self, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self._stage = ""
        self._total = 0
        self._done = 0
        self._started = 0.0
        self._drawn = 0.0

    def start(self, stage: str, total: int = 0) -> None:
        """Begin a stage of `total` items (0 when uncounted)."""
        self._stage, self._total, self._done = stage, total, 0
        self._started = time.perf_counter()
        self._drawn = 0.0
        self._draw(force=True)

    def advance(self, count: int = 1) -> None:
        """Count `count` more items done in the current stage."""
        self._done += count
        self._draw()

    def finish(self) -> None:
        """End the current stage's line with its count and time."""
        if self.enabled and self._stage:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()
        self._stage = ""

    def line(self) -> str:
        """The text of the current progress line."""
        seconds = time.perf_counter() - self._started
        if not self._total:
            return f"{self._stage}… {seconds:.1f} s"
        rate = self._done / seconds if seconds > 0 else 0.0
        return f"{self._stage}: {self._done}/{self._total} ({rate:,.0f}/s, {seconds:.1f} s)"

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if not force and now - self._drawn < REDRAW_SECONDS:
            return
        self._drawn = now
        self.stream.write(f"\r\x1b[2K{self.line()}")
        self.stream.flush()
