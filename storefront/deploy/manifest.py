"""The built files to publish: each with its MD5 and the headers from dist/manifest.json."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storefront.deploy.errors import DeployError

EXAMPLES_SHOWN = 3  # paths named in an error; the count says how many there are


@dataclass(frozen=True, slots=True)
class FileHeaders:
    """The HTTP headers a file is stored (and so served) with."""

    content_type: str
    cache_control: str

    @property
    def immutable(self) -> bool:
        """True for content-hashed files, which never change under their name."""
        return "immutable" in self.cache_control


@dataclass(frozen=True, slots=True)
class LocalFile:
    """A file of dist/public: relative posix path, absolute path, MD5 and headers."""

    path: str
    source: Path
    md5: str
    size: int
    headers: FileHeaders


def md5_of(path: Path) -> str:
    """Hex MD5 of a file: S3's ETag of an object uploaded in one part."""
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parse_manifest(data: Any, where: str) -> dict[str, FileHeaders]:
    """Read the {"files": {path: {content_type, cache_control}}} manifest."""
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        raise DeployError(f'{where}: expected {{"files": {{path: headers}}}}, got {data!r:.80}')
    headers: dict[str, FileHeaders] = {}
    for path, entry in files.items():
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("content_type"), str)
            and isinstance(entry.get("cache_control"), str)
        ):
            raise DeployError(
                f"{where}: files.{path}: expected content_type and cache_control, got {entry!r}"
            )
        headers[path] = FileHeaders(entry["content_type"], entry["cache_control"])
    return headers


def load_manifest(path: Path) -> dict[str, FileHeaders]:
    """Read dist/manifest.json, written by the build."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DeployError(
            f"{path}: not found; expected a build here (run `python build.py`)"
        ) from exc
    except json.JSONDecodeError as exc:
        raise DeployError(f"{path}:{exc.lineno}: expected JSON ({exc.msg})") from exc
    return parse_manifest(data, str(path))


def collect_local_files(public_dir: Path, manifest: dict[str, FileHeaders]) -> list[LocalFile]:
    """Every file under dist/public with its MD5 and manifest headers, sorted by path."""
    if not public_dir.is_dir():
        raise DeployError(f"{public_dir}: not a folder; expected the built site")
    files: list[LocalFile] = []
    unlisted: list[str] = []
    for source in sorted(public_dir.rglob("*")):
        if not source.is_file():
            continue
        path = source.relative_to(public_dir).as_posix()
        headers = manifest.get(path)
        if headers is None:
            unlisted.append(path)
            continue
        files.append(LocalFile(path, source, md5_of(source), source.stat().st_size, headers))
    if unlisted:
        # A file without headers would be served as binary/octet-stream or cached
        # wrongly: the build and the manifest disagree, so stop before uploading.
        raise DeployError(
            f"{public_dir}: {len(unlisted)} file(s) missing from the manifest, "
            f"e.g. {_examples(unlisted)}; expected the manifest of the same build"
        )
    found = {local.path for local in files}
    missing = sorted(path for path in manifest if path not in found)
    if missing:
        # The plan deletes from the bucket every file the build no longer has: a
        # folder lost from dist/public after the build would take the live pages
        # down with it. The manifest says what the build made, so stop before any
        # upload or delete.
        raise DeployError(
            f"{public_dir}: {len(missing)} file(s) listed in the manifest are missing, "
            f"e.g. {_examples(missing)}; expected the whole build (run `python build.py` "
            "again, then deploy)"
        )
    return files


def _examples(paths: list[str]) -> str:
    return ", ".join(paths[:EXAMPLES_SHOWN])
