"""One file of the built site, as produced by rendering and written by the pipeline."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OutputFile:
    """A file to write under dist/public/: relative posix `path` and its bytes."""

    path: str  # relative posix path, e.g. "products/trail-shoe/index.html"
    data: bytes
