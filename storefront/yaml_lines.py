"""YAML that remembers where everything was written: a line for every key and list item.

Two choices matter for correctness:
- floats are kept as their source text (`price: 89.90` arrives as "89.90"), so
  money is parsed exactly and never passes through binary floating point;
- only true/false are booleans (YAML 1.2), so a colour called `No` or a size
  called `on` stays text (the "Norway problem" of YAML 1.1);
- only plain decimals are integers, so a SKU written `0100` stays "0100" (YAML 1.1
  reads it as octal 64) and a spec written `3:40` stays "3:40" (not 220).
"""

from __future__ import annotations

import re
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
_INT_TAG = "tag:yaml.org,2002:int"
_MERGE_TAG = "tag:yaml.org,2002:merge"


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


# A front matter has hundreds of values; aliases of aliases can make billions out of
# a few lines (the "billion laughs"), which hung `check` for good.
MAX_VALUES = 100_000


class _Loader(yaml.CSafeLoader):
    """libyaml's parser; builds YamlMap/YamlList with line numbers, keeps floats as text."""

    line_offset = 0  # lines before the YAML text in its file (front matter starts at line 2)
    problems: list[tuple[int, str, str]]  # (line, field, message) found while constructing

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems = []
        self._text = stream
        self._lines: list[str] | None = None  # the text's lines, split when first needed
        self._active: set[int] = set()  # nodes being converted: catches self-referring aliases
        self._values = 0  # values built so far, against MAX_VALUES

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
        self._values += 1
        if self._values > MAX_VALUES:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"aliases (*name) expand it to more than {MAX_VALUES:,} values",
                node.start_mark,
            )
        if isinstance(node, ScalarNode):
            if not node.style and node.end_mark.line > node.start_mark.line:  # plain, wrapped
                self._check_continuation(node)
            tag = node.tag
            if tag in (_STR_TAG, _FLOAT_TAG):  # floats keep their text: exact money
                return node.value
            if tag == _BOOL_TAG:
                return node.value in ("true", "True", "TRUE")
            if tag == _NULL_TAG:
                return None
            try:
                return self.construct_object(node, deep=True)  # ints, dates, explicit !!tags
            except (ValueError, TypeError, OverflowError):
                # `2025-02-30` looks like a date but is none, `!!int abc` no number: the
                # text as written, for the field's own check to name ("expected a date…").
                return node.value
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

    def _check_continuation(self, node: ScalarNode) -> None:
        """Report a list item that YAML read as more of the unquoted text above it.

        A `- item` indented deeper than the item before it is not a new item: YAML
        joins it to the text above ("Fleece lining - Brush holder"), a silent change
        of what the shop shows. An unquoted text wrapped over lines never starts a line
        with "- " on purpose.
        """
        if self._lines is None:
            self._lines = self._text.splitlines()
        last = min(node.end_mark.line, len(self._lines) - 1)
        for index in range(node.start_mark.line + 1, last + 1):
            stripped = self._lines[index].lstrip(" ")
            if stripped == "-" or stripped.startswith("- "):
                self.problems.append(
                    (
                        index + 1 + self.line_offset,
                        "yaml",
                        'expected a new list item, but this "- " line is indented deeper '
                        "than the line above it, so it is read as more of that line's text; "
                        'line its "-" up with the item above (or quote the text)',
                    )
                )
                return

    def _mapping(self, node: MappingNode) -> YamlMap:
        """A mapping with the line of every key; duplicate keys are reported, not merged.

        A `<<: *anchor` merge key brings in the anchor's keys, which the mapping's own
        keys override (YAML's rule); only a key written twice in the mapping is an error.
        """
        data = YamlMap()
        data.line = self._line(node)
        data.key_lines = {}
        own = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE_TAG)
        self.flatten_mapping(node)  # the merged pairs first, then the mapping's own
        merged = len(node.value) - own
        from_merge: set[str] = set()
        for index, (key_node, value_node) in enumerate(node.value):
            line = self._line(key_node)
            if not isinstance(key_node, ScalarNode):
                self.problems.append((line, "yaml", "expected a plain key, got a list or mapping"))
                continue
            name = str(self.value_of(key_node))
            if index < merged:
                from_merge.add(name)
            elif name in from_merge:
                from_merge.discard(name)  # the mapping's own value wins over the merged one
            elif name in data:
                self.problems.append(
                    (line, name, f"duplicate key, already given on line {data.key_lines[name]}")
                )
                continue
            data[name] = self.value_of(value_node)
            data.key_lines[name] = line
        return data


# Only true/false are booleans (YAML 1.2): drop yes/no/on/off from the implicit resolvers.
# Only plain decimals are integers: YAML 1.1 also reads `0100` as octal 64, `3:40` as 220
# (base 60), `0x1F` and `1_000`, which would quietly rewrite a SKU, an MPN or a spec.
# Those stay text, as written; a field that wants a number then says so.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL_TAG, _INT_TAG)]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    _INT_TAG, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
# The fast `resolve` above relies on there being no wildcard or path resolvers.
assert None not in _Loader.yaml_implicit_resolvers


# The parser's words for the mistakes editors make most, and what to do about them.
_YAML_HINTS = (
    (
        "mapping values are not allowed",
        '; a value containing ": " needs quotes (summary: "Note: …"), or the line is '
        "indented more than the field above it",
    ),
    ("expected '-' indicator", "; list items (- …) must line up under each other"),
    ("expected <block end>", "; a line is indented differently from the fields around it"),
    ("did not find expected key", "; a line is indented differently from the ones around it"),
)


# A value that opens a quote after `key: ` or `- ` and does not close it on its line.
_UNCLOSED_QUOTE = re.compile(r"""^\s*(?:-\s+|[^:#'"]+:\s+)(["'])(?!.*\1\s*(?:#.*)?$)""")


def _yaml_hint(what: str, text: str, mark: yaml.Mark | None, line_offset: int = 0) -> str:
    """What to do about a YAML syntax error, when it is one editors often make.

    The parser notices most mistakes a line or more after them (an unclosed quote
    runs on to the end), so the lines up to the one it names are searched too.
    """
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines):
        indent = lines[mark.line][: len(lines[mark.line]) - len(lines[mark.line].lstrip())]
        if "\t" in indent:
            return "; indent with spaces, not tabs"
    upto = lines[: mark.line + 1] if mark is not None else lines
    for index, line in enumerate(upto):
        number = index + 1 + line_offset
        if "\u00a0" in line:
            return (
                f"; line {number} holds a non-breaking space (U+00A0, invisible: pasted from "
                "a word processor or web page), which YAML does not read as a space: retype "
                "the spaces of that line"
            )
        if "\u201c" in line or "\u201d" in line:
            return (
                f"; line {number} uses curly quotes (“ ”), which YAML reads as text: "
                'quote with straight quotes (")'
            )
        opened = _UNCLOSED_QUOTE.match(line)
        if opened and opened.group(1) in line[opened.end() :]:
            # Closed, then more text: summary: "A light" grippy shoe
            return (
                f"; line {number} closes its quote before the value ends: quote the whole "
                "value, or write it without quotes"
            )
        if opened:
            return f"; line {number} opens a quote that is not closed on that line"
    if "could not find expected ':'" in what:
        return (
            "; a field needs a space after its colon (brand: Verticale) and a list item "
            "after its dash (- Fleece lining), on this line or the one above"
        )
    return next((hint for problem, hint in _YAML_HINTS if problem in what), "")


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
        hint = _yaml_hint(what, text, mark, line_offset)
        errors.add(path, line, field, f"expected valid YAML, could not parse it: {what}{hint}")
        return False, None
    except yaml.reader.ReaderError as exc:  # a control character, before any parsing
        line = text.count("\n", 0, exc.position) + 1 + line_offset
        errors.add(
            path,
            line,
            field,
            f"expected text without control characters, found U+{exc.character:04X} "
            "(invisible in most editors: delete and retype the line)",
        )
        return False, None
    except yaml.YAMLError as exc:
        errors.add(path, None, field, f"expected valid YAML, could not parse it: {exc}")
        return False, None
    except RecursionError:
        # Thousands of nested "[" (or indents) exhaust the stack: no content is that deep.
        errors.add(
            path, None, field, "expected YAML nested a few levels deep, found thousands of levels"
        )
        return False, None
    finally:
        loader.dispose()
    for line, key, message in loader.problems:
        errors.add(path, line, key, message)
    return True, data
