"""Render many pages on every core, writing each page straight to disk.

The parent plans the pages and loads the theme, then forks: workers inherit
the plan and the compiled templates, build their pages' contexts themselves,
and send back only (path, digest, written) per page, never the HTML. A page
whose bytes equal the previous build's (same digest) is not written at all.
Fork is safe only while this process runs a single thread, which a command-line
build does; otherwise (a test under a threaded server) pages render here.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from storefront.build_state import digest_bytes
from storefront.planned_page import PlannedPage
from storefront.render import Renderer

# Below this many pages, starting workers costs more than it saves.
PARALLEL_FROM = 300
CHUNK = 100  # pages per task: small enough to balance the cores and show progress


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """What a worker reports for one page."""

    output: str
    digest: str
    written: bool


@dataclass(frozen=True, slots=True)
class _Job:
    renderer: Renderer
    pages: Sequence[PlannedPage]
    previous: Mapping[str, str]  # output -> digest of the bytes already in place
    target: Path  # the public folder to write changed pages into


_JOB: _Job | None = None  # set in the parent just before forking; workers read it


def _render_chunk(indexes: Sequence[int]) -> list[RenderedPage]:
    job = _JOB
    assert job is not None
    results = []
    for i in indexes:
        page = job.pages[i]
        data = job.renderer.render(page)
        digest = digest_bytes(data)
        written = job.previous.get(page.output) != digest
        if written:
            path = job.target / page.output
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        results.append(RenderedPage(page.output, digest, written))
    return results


def worker_count(pages: int) -> int:
    """How many processes to render `pages` pages with (1: render here)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if pages < PARALLEL_FROM or (cpus or 1) < 2 or os.name != "posix":
        return 1
    if threading.active_count() > 1:
        return 1
    return min(cpus or 1, 8)


def render_pages(
    renderer: Renderer,
    pages: Sequence[PlannedPage],
    todo: Sequence[int],
    previous: Mapping[str, str],
    target: Path,
    on_progress: Callable[[int], None] = lambda count: None,
) -> Iterator[RenderedPage]:
    """Render `pages[i]` for each i in `todo`, writing those whose bytes changed under `target`."""
    global _JOB
    chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
    _JOB = _Job(renderer, pages, previous, target)
    try:
        workers = worker_count(len(todo))
        if workers <= 1:
            for chunk in chunks:
                done = _render_chunk(chunk)
                on_progress(len(done))
                yield from done
            return
        with get_context("fork").Pool(workers) as pool:
            for done in pool.imap_unordered(_render_chunk, chunks):
                on_progress(len(done))
                yield from done
    finally:
        _JOB = None
