"""What the last build wrote, so the next one can render and write only what changed.

`dist/.build-state.json` sits beside `public/` and is replaced in the same step
as the files it describes, so it always tells the truth about `dist/`. Outputs
are grouped: each page is a group of one file; the theme's assets, the images
and the indexes (sitemap, feeds, search) are groups of many. A group records the
digest of the inputs it was made from (its key) and the digest of each file's
bytes. A group whose key is unchanged is kept as it is; a group made again has
only the files whose bytes differ written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

STATE_NAME = ".build-state.json"
STATE_FORMAT = 4


def digest_bytes(data: bytes) -> str:
    """The digest the state records for a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(slots=True)
class GroupState:
    """One group of outputs: the key of its inputs and the digest of each file (by public path)."""

    key: str
    files: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class BuildState:
    """The state of a built output folder."""

    inputs: str  # digest of every input file, the code and the options: equal means no work
    groups: dict[str, GroupState] = field(default_factory=dict)
    root_files: dict[str, str] = field(default_factory=dict)  # catalog.json, manifest.json
    products: int = 0  # for the report of a build that had nothing to do
    pages: int = 0
    # Content files' (size, mtime_ns, digest) and when they were taken: the next build
    # reads again only files whose size or mtime differ (storefront/input_digest.py).
    content_files: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    recorded_at_ns: int = 0
    # The first day (ISO date) on which the same inputs build another shop: the day
    # after the soonest sale still on ends (other prices), or the day a scheduled product
    # is published (storefront/scheduled.py). From it, "nothing changed" no longer holds.
    changes_on: str | None = None

    def public_files(self) -> dict[str, str]:
        """Every public file of the build with its digest."""
        return {path: d for group in self.groups.values() for path, d in group.files.items()}

    def to_json(self) -> bytes:
        """The state file's bytes."""
        data = {
            "format": STATE_FORMAT,
            "inputs": self.inputs,
            "root_files": self.root_files,
            "products": self.products,
            "pages": self.pages,
            "content_files": self.content_files,
            "recorded_at_ns": self.recorded_at_ns,
            "changes_on": self.changes_on,
            "groups": {
                name: {"key": group.key, "files": group.files}
                for name, group in self.groups.items()
            },
        }
        return json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8")


def load_state(out_dir: Path) -> BuildState | None:
    """The state of `out_dir`, or None when there is none usable (then build everything)."""
    try:
        data = json.loads((out_dir / STATE_NAME).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
        return None
    if not (out_dir / "public").is_dir():
        return None
    groups = {
        name: GroupState(group["key"], dict(group["files"]))
        for name, group in data["groups"].items()
    }
    files = {path: (int(a), int(b), str(c)) for path, (a, b, c) in data["content_files"].items()}
    return BuildState(
        data["inputs"],
        groups,
        dict(data["root_files"]),
        data["products"],
        data["pages"],
        files,
        data["recorded_at_ns"],
        data["changes_on"],
    )
