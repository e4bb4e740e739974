"""Stage 1 of the build: read content/ into raw records that remember file and line.

Readers only parse; they judge nothing but syntax. `validate_catalog` turns the
raw records into the typed catalog.

Two YAML choices matter for correctness:
- floats are kept as their source text (`price: 89.90` arrives as "89.90"), so
  money is parsed exactly and never passes through binary floating point;
- only true/false are booleans (YAML 1.2), so a colour called `No` or a size
  called `on` stays text (the "Norway problem" of YAML 1.1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from storefront.errors import ErrorList

_BOOL_TAG = "tag:yaml.org,2002:bool"
_STR_TAG = "tag:yaml.org,2002:str"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_NULL_TAG = "tag:yaml.org,2002:null"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


class YamlMap(dict[str, Any]):
    """A YAML mapping that knows its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """Line of `key` if present, else the line where the mapping starts."""
        return self.key_lines.get(key, self.line)


class YamlList(list[Any]):
    """A YAML sequence that knows its own line and the line of each item (1-based)."""

    line: int
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        """Line of item `index`, else the line where the sequence starts."""
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Loader(yaml.CSafeLoader):
    """libyaml's parser; builds YamlMap/YamlList with line numbers, keeps floats as text."""

    line_offset = 0  # lines before the YAML text in its file (front matter starts at line 2)
    problems: list[tuple[int, str, str]]  # (line, field, message) found while constructing

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems = []
        self._active: set[int] = set()  # nodes being converted: catches self-referring aliases

    def _line(self, node: Node) -> int:
        return int(node.start_mark.line) + 1 + self.line_offset

    def resolve(self, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
        """Resolver.resolve for our table, without its generality (the hot spot of loading)."""
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return str(tag)
            return _STR_TAG
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

    def value_of(self, node: Node) -> Any:
        """Convert a composed node: YamlMap/YamlList with lines, floats as their source text.

        A direct walk is several times faster than PyYAML's generic construction,
        which matters with thousands of product files.
        """
        if isinstance(node, ScalarNode):
            tag = node.tag
            if tag in (_STR_TAG, _FLOAT_TAG):  # floats keep their text: exact money
                return node.value
            if tag == _BOOL_TAG:
                return node.value in ("true", "True", "TRUE")
            if tag == _NULL_TAG:
                return None
            return self.construct_object(node, deep=True)  # ints, dates, explicit !!tags
        if id(node) in self._active:
            raise yaml.constructor.ConstructorError(
                None, None, "found an alias that refers to itself", node.start_mark
            )
        self._active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                items = YamlList(self.value_of(item) for item in node.value)
                items.line = self._line(node)
                items.item_lines = [self._line(item) for item in node.value]
                return items
            assert isinstance(node, MappingNode)
            return self._mapping(node)
        finally:
            self._active.discard(id(node))

    def _mapping(self, node: MappingNode) -> YamlMap:
        """A mapping with the line of every key; duplicate keys are reported, not merged."""
        data = YamlMap()
        data.line = self._line(node)
        data.key_lines = {}
        self.flatten_mapping(node)  # resolves `<<: *anchor` merge keys
        for key_node, value_node in node.value:
            line = self._line(key_node)
            if not isinstance(key_node, ScalarNode):
                self.problems.append((line, "yaml", "expected a plain key, got a list or mapping"))
                continue
            name = str(self.value_of(key_node))
            if name in data:
                self.problems.append(
                    (line, name, f"duplicate key, already given on line {data.key_lines[name]}")
                )
                continue
            data[name] = self.value_of(value_node)
            data.key_lines[name] = line
        return data


# Only true/false are booleans (YAML 1.2): drop yes/no/on/off from the implicit resolvers.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL_TAG]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# The fast `resolve` above relies on there being no wildcard or path resolvers.
assert None not in _Loader.yaml_implicit_resolvers


def parse_yaml(
    text: str, path: Path, field: str, errors: ErrorList, line_offset: int = 0
) -> tuple[bool, Any]:
    """Parse YAML text from `path`: (True, data), or (False, None) after recording the error."""
    loader = _Loader(text)
    loader.line_offset = line_offset
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.value_of(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        what = str(exc.problem or exc.context)
        if exc.context and exc.problem and exc.context_mark:
            started = exc.context_mark.line + 1 + line_offset
            what += f" ({exc.context} that starts on line {started})"
        errors.add(path, line, field, f"expected valid YAML, could not parse it: {what}")
        return False, None
    except yaml.YAMLError as exc:
        errors.add(path, None, field, f"expected valid YAML, could not parse it: {exc}")
        return False, None
    finally:
        loader.dispose()
    for line, key, message in loader.problems:
        errors.add(path, line, key, message)
    return True, data


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One content file as read: its fields (with lines) and its Markdown body."""

    path: Path  # as shown in errors: the content folder joined with `relative`
    relative: str  # posix path inside the content folder: "products/trail-shoe.md"
    data: YamlMap  # empty when the file could not be parsed (`parsed` is then False)
    body: str = ""
    body_line: int = 1  # line of the file where the Markdown body starts
    parsed: bool = True


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
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


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


def _markdown_files(content_dir: Path, folder: str) -> list[str]:
    directory = content_dir / folder
    if not directory.is_dir():
        return []
    return sorted(f"{folder}/{p.name}" for p in directory.iterdir() if p.suffix == ".md")


def load_content(content_dir: Path, errors: ErrorList) -> RawContent:
    """Read catalog.yaml, products/*.md and pages/*.md; syntax errors go to `errors`."""
    if not content_dir.is_dir():
        errors.add(content_dir, None, "content", "expected a content folder, found none")
    catalog = read_yaml_file(content_dir, "catalog.yaml", errors)
    products = tuple(
        read_markdown_file(content_dir, name, errors)
        for name in _markdown_files(content_dir, "products")
    )
    pages = tuple(
        read_markdown_file(content_dir, name, errors)
        for name in _markdown_files(content_dir, "pages")
    )
    return RawContent(content_dir, catalog, products, pages)
