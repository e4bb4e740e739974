"""The outputs of one build, group by group, written to staging only when their bytes changed.

A group (one page, the assets, the images, the indexes) is made again only when
the key of its inputs differs from the previous build's; otherwise its files are
carried over untouched. Made or carried over, every path is checked: it must
stay inside public/ and be produced by one group only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
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


# Files from this size on are digested while being written (the feeds, catalog-sized).
_LARGE = 4 * 1024 * 1024


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _produced_twice(path: str) -> OutputError:
    return OutputError(f'output path: "{path}" was produced twice; expected one file')


def _file_and_folder(path: str) -> OutputError:
    # Caught here, before anything moves into dist/: applying such a change failed
    # half-way (a redirect page at /robots.txt/ beside robots.txt).
    return OutputError(
        f'output path: "{path}" would be both a file and a folder of other files; '
        "expected one or the other (a redirect source or slug that names a file?)"
    )


class SiteOutputs:
    """Collects the new build state while writing changed files under `public`."""

    def __init__(self, previous: BuildState | None, public: Path) -> None:
        self.previous_groups = previous.groups if previous else {}
        self.previous_files = previous.public_files() if previous else {}
        self.public = public
        self.groups: dict[str, GroupState] = {}
        self.owner: dict[str, str] = {}  # public path -> group that produced it
        self.folders: set[str] = set()  # every folder of those paths ("products/x")
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
        self._add(name, key, files, written)

    def _add(self, name: str, key: str, files: dict[str, str], written: Iterable[str]) -> None:
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
            self._claim(name, (item.path,))  # before writing: a clash fails here, not in mkdir
            target = self.public / relative
            if len(item.data) >= _LARGE:
                digest, fresh = self._write_large(target, item)
            else:
                digest = digest_bytes(item.data)
                fresh = self.previous_files.get(item.path) != digest
                if fresh:
                    _write(target, item.data)
            files[item.path] = digest
            if fresh:
                written.append(item.path)
        # Each file was claimed as it came (before its write): not claimed again.
        self._add(name, key, files, written)
        return True

    def _write_large(self, target: Path, item: OutputFile) -> tuple[str, bool]:
        """Write a large file while digesting it; (digest, whether it changed).

        Hashing and writing both release the GIL, so they overlap: for the Merchant
        feeds (88 MB per locale at 10,000 products) that hides the 0.25 s of hashing
        behind the writes. Writing to staging before knowing is harmless: an unchanged
        file is removed again and never moved into dist/.
        """
        with ThreadPoolExecutor(max_workers=1) as pool:
            hashing = pool.submit(digest_bytes, item.data)
            _write(target, item.data)
            digest = hashing.result()
        if self.previous_files.get(item.path) == digest:
            target.unlink()
            return digest, False
        return digest, True

    def _claim(self, name: str, files: Iterable[str]) -> None:
        owner, folders = self.owner, self.folders
        for path in files:
            other = owner.setdefault(path, name)
            if other != name:
                raise _produced_twice(path)
            if path in folders:
                raise _file_and_folder(path)
            cut = path.rfind("/")
            while cut > 0:
                folder = path[:cut]
                if folder in folders:
                    break  # and its parents, each checked when it was added
                if folder in owner:
                    raise _file_and_folder(folder)
                folders.add(folder)
                cut = path.rfind("/", 0, cut)

    def public_files(self) -> dict[str, str]:
        """Every public file of the new build with its digest."""
        return {path: d for group in self.groups.values() for path, d in group.files.items()}

    def deleted(self) -> list[str]:
        """Public files of the previous build that this build no longer makes."""
        return sorted(set(self.previous_files) - set(self.owner))
