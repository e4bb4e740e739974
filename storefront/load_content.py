"""Stage 1 of the build: read content/ into raw records that remember file and line.

Readers only parse; they judge nothing but syntax (YAML with lines comes from
`yaml_lines`). `validate_catalog` turns the raw records into the typed catalog.
Thousands of product files are read by several processes at once: parsing YAML
is the costliest step of loading and each file is independent.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Collection
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from storefront.errors import ContentError, ErrorList
from storefront.not_content import not_content
from storefront.yaml_lines import YamlMap, parse_yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 400
_CHUNK = 200  # files per task: large enough to amortise pickling, small enough to balance


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One content file as read: its fields (with lines) and its Markdown body."""

    path: Path  # as shown in errors: the content folder joined with `relative`
    relative: str  # posix path inside the content folder: "products/trail-shoe.md"
    data: YamlMap  # empty when the file could not be parsed (`parsed` is then False)
    body: str = ""
    body_line: int = 1  # line of the file where the Markdown body starts
    parsed: bool = True
    # Not read: its validated result is cached (storefront/product_cache.py); only its
    # name counts until validation takes the cached draft.
    cached: bool = False


@dataclass(frozen=True, slots=True)
class RawContent:
    """Everything under content/, read but not yet validated."""

    content_dir: Path
    catalog: RawDocument
    products: tuple[RawDocument, ...]  # products/*.md, translations included, sorted by name
    pages: tuple[RawDocument, ...]  # pages/*.md, translations included, sorted by name


def _read_text(path: Path, errors: ErrorList) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        errors.add(path, None, "file", f"could not be read: {exc.strerror}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        errors.add(path, line, "file", f"expected UTF-8 text, found the byte 0x{bad}")
        return None
    # One newline convention and no byte-order mark, so line numbers match editors'.
    # A lone \r is a line end too (classic Mac files), as YAML and editors read it.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _as_map(data: Any, path: Path, field: str, errors: ErrorList) -> YamlMap | None:
    if isinstance(data, YamlMap):
        return data
    if data is None:
        errors.add(path, 1, field, "expected a mapping of fields (key: value), found nothing")
    else:
        found = type(data).__name__.removeprefix("Yaml").lower()
        errors.add(path, 1, field, f"expected a mapping of fields (key: value), got a {found}")
    return None


def _empty(path: Path, relative: str) -> RawDocument:
    empty = YamlMap()
    empty.line, empty.key_lines = 1, {}
    return RawDocument(path, relative, empty, parsed=False)


def read_yaml_file(content_dir: Path, relative: str, errors: ErrorList) -> RawDocument:
    """Read a YAML file such as catalog.yaml."""
    path = content_dir / relative
    if not path.is_file():
        errors.add(path, None, "file", "not found; every shop needs one (see docs/content.md)")
        return _empty(path, relative)
    text = _read_text(path, errors)
    if text is None:
        return _empty(path, relative)
    ok, data = parse_yaml(text, path, "yaml", errors)
    mapping = _as_map(data, path, "yaml", errors) if ok else None
    if mapping is None:
        return _empty(path, relative)
    return RawDocument(path, relative, mapping)


def read_markdown_file(content_dir: Path, relative: str, errors: ErrorList) -> RawDocument:
    """Read a Markdown file with YAML front matter between `---` lines."""
    path = content_dir / relative
    text = _read_text(path, errors)
    if text is None:
        return _empty(path, relative)
    match = _FRONT_MATTER.match(text)
    if match is None:
        errors.add(
            path, 1, "front matter", "expected YAML front matter between two --- lines at the top"
        )
        return _empty(path, relative)
    ok, data = parse_yaml(match.group(1) or "", path, "front matter", errors, line_offset=1)
    if ok and data is None:
        # Empty front matter is allowed (a translation may change only the body).
        data = _empty(path, relative).data
    mapping = _as_map(data, path, "front matter", errors) if ok else None
    if mapping is None:
        return _empty(path, relative)
    body_line = text.count("\n", 0, match.end()) + 1
    return RawDocument(path, relative, mapping, text[match.end() :], body_line)


_FIELD_LINE = re.compile(r"([a-z_]+):(?:[ \t]|$)")


def check_front_matter_end(raw: RawDocument, fields: Collection[str], errors: ErrorList) -> None:
    """An error when the body starts with one of `fields`: the front matter ended too soon.

    A `---` or `...` line inside the front matter (a Markdown rule pasted in, a
    separator kept from another file) ends it there: the fields after it became text
    on the page and their values were lost, with no error.
    """
    if not raw.parsed:
        return
    for offset, line in enumerate(raw.body.split("\n", 30)[:30]):
        if not line.strip():
            continue
        found = _FIELD_LINE.match(line)
        if found is not None and found.group(1) in fields:
            end = raw.body_line - 1
            errors.add(
                raw.path,
                raw.body_line + offset,
                found.group(1),
                f"looks like a field, but the front matter ended at line {end}; expected "
                f"every field before the front matter's closing --- (a --- or ... line "
                f"inside it ends it: remove the one at line {end})",
            )
        return


def _scan_folder(content_dir: Path, folder: str) -> tuple[list[str], list[tuple[str, bool]]]:
    """A content folder's Markdown files, and its other entries as (name, is a folder).

    One reading of the folder for both, so a file is either read or reported, never
    both nor neither; scandir's entries know their type without a stat each (20,000
    files in a large shop).
    """
    directory = content_dir / folder
    if not directory.is_dir():
        return [], []
    markdown: list[str] = []
    stray: list[tuple[str, bool]] = []
    with os.scandir(directory) as entries:
        for entry in entries:
            if not_content(entry.name):
                continue
            if entry.name.endswith(".md") and entry.is_file():
                markdown.append(entry.name)
            else:
                stray.append((entry.name, entry.is_dir()))
    return sorted(markdown), sorted(stray)


def markdown_files(content_dir: Path, folder: str) -> list[str]:
    """The `.md` files of a content folder (relative paths), in name order."""
    return [f"{folder}/{name}" for name in _scan_folder(content_dir, folder)[0]]


def checked_markdown_files(content_dir: Path, folder: str, errors: ErrorList) -> list[str]:
    """`markdown_files`, with an error for each other entry of the folder: it would not be built.

    A product saved as `trail-shoe.MD`, `.markdown` or `.txt`, or moved into a
    subfolder, silently left the shop.
    """
    markdown, stray = _scan_folder(content_dir, folder)
    example = "trail-shoe.md" if folder == "products" else "shipping.md"
    for name, is_dir in stray:
        found = "a folder" if is_dir else f'"{name}"'
        errors.add(
            content_dir / folder / name,
            None,
            "file",
            f"expected only Markdown files named like {example} in {folder}/ "
            f'(".md" in lowercase), found {found}; it is not built (see docs/content.md)',
        )
    return [f"{folder}/{name}" for name in markdown]


def _read_chunk(
    content_dir: Path, names: list[str]
) -> tuple[list[RawDocument], list[ContentError]]:
    """Worker: read some Markdown files; errors come back with the documents."""
    errors = ErrorList()
    return [read_markdown_file(content_dir, name, errors) for name in names], errors.errors


def worker_count(count: int) -> int:
    """How many processes to read `count` files with (1: read here)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    # fork() is only safe while this process runs a single thread (a CLI build does).
    if count < PARALLEL_FROM or (cpus or 1) < 2 or threading.active_count() > 1:
        return 1
    if os.name != "posix":
        return 1
    return min(cpus or 1, 8)


def read_markdown_files(
    content_dir: Path, names: list[str], errors: ErrorList, workers: int | None = None
) -> tuple[RawDocument, ...]:
    """Read many Markdown files, in parallel processes when there are many; order kept."""
    count = worker_count(len(names)) if workers is None else workers
    if count <= 1:
        return tuple(read_markdown_file(content_dir, name, errors) for name in names)
    chunks = [names[i : i + _CHUNK] for i in range(0, len(names), _CHUNK)]
    documents: list[RawDocument] = []
    with ProcessPoolExecutor(count, mp_context=get_context("fork")) as pool:
        for docs, found in pool.map(_read_chunk, [content_dir] * len(chunks), chunks):
            documents.extend(docs)
            errors.extend(found)
    return tuple(documents)


def _cached(content_dir: Path, relative: str) -> RawDocument:
    path = content_dir / relative  # once: 20,000 path joins are a tenth of an edit's load
    return RawDocument(path, relative, _empty(path, relative).data, cached=True)


def load_content(
    content_dir: Path, errors: ErrorList, cached: Callable[[str], bool] = lambda name: False
) -> RawContent:
    """Read catalog.yaml, products/*.md and pages/*.md; syntax errors go to `errors`.

    Product files for which `cached(relative path)` is true are not read: they stand
    as unread documents whose validated result the cache holds.
    """
    if not content_dir.is_dir():
        errors.add(content_dir, None, "content", "expected a content folder, found none")
    catalog = read_yaml_file(content_dir, "catalog.yaml", errors)
    names = checked_markdown_files(content_dir, "products", errors)
    page_names = checked_markdown_files(content_dir, "pages", errors)
    skipped = {name for name in names if cached(name)}
    read = iter(read_markdown_files(content_dir, [n for n in names if n not in skipped], errors))
    # In name order, as if every file had been read.
    products = tuple(_cached(content_dir, n) if n in skipped else next(read) for n in names)
    pages = read_markdown_files(content_dir, page_names, errors)
    return RawContent(content_dir, catalog, products, pages)
