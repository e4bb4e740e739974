"""Typed reading of one YAML mapping, recording a precise error for every bad field.

Every getter returns the value or None; on None an error naming the file, the
line, the dotted field and the expectation has been recorded (unless the field
was optional and absent). Validators use it so that all errors of a run are
collected instead of stopping at the first.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from shop.money import Money, MoneyError, parse_money

from storefront.errors import ErrorList
from storefront.yaml_lines import YamlList, YamlMap

# Stock, days, thresholds: far beyond any real one, and within what every store of
# the shop holds exactly (DynamoDB numbers, JavaScript's safe integers).
WHOLE_NUMBER_MAX = 999_999_999
# An email address as a person writes it (the mail server has the last word).
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# At most SLUG_MAX characters: a slug names a folder of the site (and a file name has
# 255 bytes at most; a 300-character one failed the build in the middle).
SLUG_MAX = 80
SLUG = re.compile(rf"^(?=.{{1,{SLUG_MAX}}}$)[a-z0-9]+(?:-[a-z0-9]+)*$")
_TYPE_NAMES = {
    "YamlMap": "a mapping",
    "YamlList": "a list",
    "bool": "true/false",
    "int": "a number",
    "date": "a date",
    "datetime": "a date and time",
    "NoneType": "nothing",
    "str": "text",
}


def describe(value: Any) -> str:
    """How a YAML value reads to an editor: `"89,9O"`, `a list`, `nothing`."""
    if isinstance(value, str):
        return f'"{visible(value)}"'
    return _TYPE_NAMES.get(type(value).__name__, type(value).__name__)


def visible(text: str) -> str:
    """`text` with invisible characters spelled out: `CB-TEL\\u200b`, `price\\u00a0`.

    A zero-width or no-break space pasted from a web page made a value that looked
    right in the message ("CB-TEL") refused, or a key that looked like a known one.
    """
    return "".join(
        char if char == " " or unicodedata.category(char)[0] not in "CZ" else f"\\u{ord(char):04x}"
        for char in text
    )


def as_written(value: Any) -> str:
    """A YAML value the way an editor writes it inline: `[a, 1]`, `[true, 1]`, `{a: 1}`.

    Error messages quote what the editor wrote; Python's repr (`['a', True]`) is not
    what the file says.
    """
    return (
        yaml.safe_dump(_plain(value), default_flow_style=True, allow_unicode=True, width=2**31)
        .removesuffix("\n...\n")
        .strip()
    )


def _plain(value: Any) -> Any:
    """`value` with the line-tracking YamlMap/YamlList turned into dict and list."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # not "２０２６-…": int() reads any digits


def _quoted_day(text: str) -> date | None:
    """The date a quoted YYYY-MM-DD names; None for other text or a day that does not exist."""
    if not _ISO_DAY.fullmatch(text.strip()):
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


class Fields:
    """One mapping of a content file, read field by field with errors collected."""

    def __init__(self, data: YamlMap, path: Path, errors: ErrorList, prefix: str = "") -> None:
        self.data = data
        self.path = path
        self.errors = errors
        self.prefix = prefix

    def name(self, key: str) -> str:
        """The dotted field path shown in errors: `shipping.options[0].price`."""
        return f"{self.prefix}.{key}" if self.prefix else key

    def line(self, key: str) -> int:
        """Line of `key`, or of the mapping when the key is absent."""
        return self.data.line_of(key)

    def error(self, key: str, message: str, line: int | None = None) -> None:
        """Record an error about `key`."""
        self.errors.add(self.path, line or self.line(key), self.name(key), message)

    def has(self, key: str) -> bool:
        """True when the key is present and not empty (`key:` with no value counts as absent)."""
        return self.data.get(key) is not None

    def _missing(self, key: str, required: bool, expected: str) -> None:
        if key in self.data:
            # `price:` left empty read as no price at all: on a product with variants the
            # errors then named every variant line, never the empty line itself.
            what = "delete the line or give" if not required else "give"
            self.error(key, f"written without a value; {what} {expected}")
        elif required:
            self.error(key, f"required field is missing; expected {expected}")

    def check_keys(
        self,
        allowed: Collection[str],
        what: str = "field",
        hints: Mapping[str, str] | None = None,
    ) -> None:
        """Report keys that are not in `allowed`, with a suggestion for typos.

        `hints` gives the caller's own words for unknown keys editors often guess.
        """
        for key in self.data:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = (hints or {}).get(key) or (
                    f'did you mean "{close[0]}"?' if close else f"expected one of {_list(allowed)}"
                )
                # A key holding an invisible character looks like a known one: spell it out.
                shown = f' "{visible(key)}"' if visible(key) != key else ""
                self.error(key, f"unknown {what}{shown}; {hint}")

    def text(self, key: str, required: bool = True) -> str | None:
        """Non-empty text; numbers written without quotes are taken as their text."""
        value = self.data.get(key)
        if value is None:
            self._missing(key, required, "text")
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.error(key, f"expected text, got {describe(value) if value != '' else 'nothing'}")
            return None
        return value.strip()

    def choice(self, key: str, allowed: Collection[str]) -> str | None:
        """One of `allowed` (an optional field): None when absent or wrong (reported)."""
        value = self.text(key, required=False)
        if value is not None and value not in allowed:
            close = difflib.get_close_matches(value.lower(), allowed, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            self.error(key, f"expected one of {', '.join(allowed)}, got {describe(value)}{hint}")
            return None
        return value

    def pattern(
        self, key: str, regex: re.Pattern[str], expected: str, required: bool = True
    ) -> str | None:
        """Text matching `regex`, e.g. a slug or a SKU."""
        value = self.text(key, required)
        if value is not None and not regex.match(value):
            self.error(key, f"expected {expected}, got {describe(value)}")
            return None
        return value

    def integer(
        self, key: str, low: int = 0, high: int = WHOLE_NUMBER_MAX, required: bool = True
    ) -> int | None:
        """A whole number within [low, high]."""
        value = self.data.get(key)
        if value is None:
            self._missing(key, required, f"a whole number from {low}")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"expected a whole number, got {describe(value)}")
            return None
        if not low <= value <= high:
            bound = f"from {low} to {high}"
            self.error(key, f"expected a whole number {bound}, got {value}")
            return None
        return value

    def boolean(self, key: str, default: bool) -> bool:
        """true or false; the default when absent."""
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"expected true or false, got {describe(value)}")
            return default
        return value

    def day(self, key: str, required: bool = True) -> date | None:
        """A calendar date written as YYYY-MM-DD."""
        value = self.data.get(key)
        if value is None:
            self._missing(key, required, "a date like 2026-03-02")
            return None
        if isinstance(value, str):
            # Quoted ("2026-03-02"), as the JSON Schemas allow: the same date. One that
            # does not exist ("2026-02-30") stays text and is reported below.
            value = _quoted_day(value) or value
        if not isinstance(value, date) or hasattr(value, "hour"):
            self.error(key, f"expected a date like 2026-03-02, got {describe(value)}")
            return None
        return value

    def money(self, key: str, currency: str, required: bool = True) -> Money | None:
        """A price as a decimal string or plain number, read exactly."""
        value = self.data.get(key)
        if value is None:
            self._missing(key, required, 'a decimal like 89.90 (quotes optional: "89.90")')
            return None
        try:
            return parse_money(value, currency)
        except MoneyError as exc:
            if isinstance(value, str):
                # "24.00" with a zero-width space pasted after it: spelled out, or the
                # message showed a price that looked right.
                message = visible(str(exc))
            elif isinstance(value, int) and not isinstance(value, bool):
                # A whole number was checked as written: "-5", not "a number".
                message = str(exc).replace(f'"{value}"', str(value))
            else:
                message = f"expected a decimal like 89.90, got {describe(value)}"
            self.error(key, message)
            return None

    def mapping(self, key: str, required: bool = True) -> Fields | None:
        """A nested mapping, read with its own Fields."""
        value = self.data.get(key)
        if value is None:
            self._missing(key, required, "a mapping of fields (key: value)")
            return None
        if not isinstance(value, YamlMap):
            self.error(key, f"expected a mapping of fields (key: value), got {describe(value)}")
            return None
        return Fields(value, self.path, self.errors, self.name(key))

    def sequence(self, key: str, required: bool = True, min_items: int = 0) -> YamlList | None:
        """A list (`[a, b]` or one `- item` per line)."""
        value = self.data.get(key)
        if value is None:
            self._missing(key, required, "a list")
            return None
        if not isinstance(value, YamlList):
            self.error(key, f"expected a list, got {describe(value)}")
            return None
        if len(value) < min_items:
            self.error(key, f"expected at least {min_items} item(s), got {len(value)}")
            return None
        return value

    def records(self, key: str, required: bool = True, min_items: int = 0) -> Iterator[Fields]:
        """Each item of a list of mappings, as Fields named `key[i]`; bad items are reported."""
        items = self.sequence(key, required, min_items)
        for index, item in enumerate(items or ()):
            label = f"{key}[{index}]"
            if isinstance(item, YamlMap):
                yield Fields(item, self.path, self.errors, self.name(label))
            else:
                self.error(
                    label,
                    f"expected a mapping of fields (key: value), got {describe(item)}",
                    items.line_of(index) if items else None,
                )

    def texts(self, key: str, required: bool = True, min_items: int = 0) -> tuple[str, ...] | None:
        """A list of non-empty texts (numbers taken as their text)."""
        items = self.sequence(key, required, min_items)
        if items is None:
            return None if required else ()
        result: list[str] = []
        for index, item in enumerate(items):
            value = str(item) if isinstance(item, int) and not isinstance(item, bool) else item
            if not isinstance(value, str) or not value.strip():
                self.error(
                    f"{key}[{index}]", f"expected text, got {describe(item)}", items.line_of(index)
                )
                return None
            result.append(value.strip())
        return tuple(result)

    def localized(
        self, key: str, default_locale: str, locales: Collection[str], required: bool = True
    ) -> dict[str, str] | None:
        """Text per locale, `{en: …, fr: …}` or plain text for the default locale.

        The result has every store locale: missing ones fall back to the default.
        """
        value = self.data.get(key)
        if value is None:
            self._missing(key, required, f"text per locale like {{{default_locale}: …}}")
            return None if required else {}
        if not isinstance(value, YamlMap):
            single = self.text(key)
            return None if single is None else dict.fromkeys(locales, single)
        inner = Fields(value, self.path, self.errors, self.name(key))
        inner.check_keys(locales, "locale")
        found = {loc: inner.text(loc, required=(loc == default_locale)) for loc in locales}
        default = found.get(default_locale)
        if default is None:
            return None
        return {loc: found[loc] or default for loc in locales}


def _list(values: Collection[str]) -> str:
    return ", ".join(sorted(values)) if not isinstance(values, (list, tuple)) else ", ".join(values)
