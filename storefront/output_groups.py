"""The outputs of one build, group by group, written to staging only when their bytes changed.

A group (one page, the assets, the images, the indexes) is made again only when
the key of its inputs differs from the previous build's; otherwise its files are
carried over untouched. Made or carried over, every path is checked: it must
stay inside public/ and be produced by one group only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from storefront.build_state import BuildState, GroupState, digest_bytes
from storefront.errors import OutputError
from storefront.output import OutputFile


def safe_relative(path: str) -> PurePosixPath:
    """The output path as a relative path that stays inside public/, else OutputError."""
    relative = PurePosixPath(path)
    if (
        not path
        or "\\" in path
        or relative.is_absolute()
        or any(part in ("", ".", "..") for part in path.split("/"))
    ):
        raise OutputError(f'output path: expected a relative path inside public/, got "{path}"')
    return relative


def _produced_twice(path: str) -> OutputError:
    return OutputError(f'output path: "{path}" was produced twice; expected one file')


class SiteOutputs:
    """Collects the new build state while writing changed files under `public`."""

    def __init__(self, previous: BuildState | None, public: Path) -> None:
        self.previous_groups = previous.groups if previous else {}
        self.previous_files = previous.public_files() if previous else {}
        self.public = public
        self.groups: dict[str, GroupState] = {}
        self.owner: dict[str, str] = {}  # public path -> group that produced it
        self.written: list[str] = []

    def is_current(self, name: str, key: str) -> bool:
        """Whether group `name` was made from inputs with this key last time."""
        old = self.previous_groups.get(name)
        return old is not None and old.key == key

    def carry_over(self, name: str) -> None:
        """Keep the previous build's files of group `name` as they are."""
        old = self.previous_groups[name]
        self._claim(name, old.files)
        self.groups[name] = GroupState(old.key, dict(old.files))

    def record(self, name: str, key: str, files: dict[str, str], written: Iterable[str]) -> None:
        """Add a group made this time (its files already written where they changed)."""
        self._claim(name, files)
        self.groups[name] = GroupState(key, files)
        self.written.extend(written)

    def produce(self, name: str, key: str, make: Callable[[], Iterable[OutputFile]]) -> bool:
        """Make group `name` unless its key is unchanged; write files whose bytes changed.

        Returns True when the group was made again.
        """
        if self.is_current(name, key):
            self.carry_over(name)
            return False
        files: dict[str, str] = {}
        written: list[str] = []
        for item in make():
            relative = safe_relative(item.path)
            if item.path in files:
                raise _produced_twice(item.path)
            digest = digest_bytes(item.data)
            files[item.path] = digest
            if self.previous_files.get(item.path) != digest:
                target = self.public / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(item.data)
                written.append(item.path)
        self.record(name, key, files, written)
        return True

    def _claim(self, name: str, files: Iterable[str]) -> None:
        for path in files:
            other = self.owner.setdefault(path, name)
            if other != name:
                raise _produced_twice(path)

    def public_files(self) -> dict[str, str]:
        """Every public file of the new build with its digest."""
        return {path: d for group in self.groups.values() for path, d in group.files.items()}

    def deleted(self) -> list[str]:
        """Public files of the previous build that this build no longer makes."""
        return sorted(set(self.previous_files) - set(self.owner))
