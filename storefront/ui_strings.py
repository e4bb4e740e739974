"""The shop's interface text per locale, read from site/i18n/<locale>.yaml.

Templates and scripts never hard-code a language: templates call `t(key)` /
`tn(key, count)`, scripts read the `js:` map from the page's `#i18n` JSON.
Every locale file must have exactly the keys of the default locale's file, so
a missing translation fails the build instead of showing a key to shoppers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from babel import Locale

from storefront.errors import ContentError, UiStringsError
from storefront.model import Catalog

PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})

Entry = str | Mapping[str, str]  # a plain string, or a plural map {one: …, other: …}


@dataclass(frozen=True, slots=True)
class UiStrings:
    """Interface strings of one locale, with CLDR plural selection."""

    locale: str
    ui: Mapping[str, Entry]
    js: Mapping[str, Entry]
    # The file they were read from (errors name it: the theme may be another than site/).
    path: Path | None = None

    @property
    def source(self) -> Path:
        """The file to name in an error about these strings."""
        return self.path or Path(f"site/i18n/{self.locale}.yaml")

    def text(self, key: str, **params: object) -> str:
        """The string `key` with `{name}` placeholders filled from `params`."""
        entry = self._entry(key)
        if not isinstance(entry, str):
            raise UiStringsError(self.source, f"ui.{key}", "is a plural, call tn(key, count)")
        return entry.format(**params) if params else entry

    def plural(self, key: str, count: int, **params: object) -> str:
        """The plural form of `key` that the locale's rules pick for `count`."""
        entry = self._entry(key)
        if isinstance(entry, str):
            return entry.format(count=count, **params)
        category = _locale(self.locale).plural_form(count)
        chosen = entry.get(category) or entry["other"]
        return chosen.format(count=count, **params)

    def _entry(self, key: str) -> Entry:
        try:
            return self.ui[key]
        except KeyError:
            raise UiStringsError(self.source, f"ui.{key}", "no such interface string") from None


@lru_cache(maxsize=64)
def _locale(identifier: str) -> Locale:
    # Parsing a locale is costly and plurals are picked on every product card.
    return Locale.parse(identifier)


def _read_section(path: Path, data: Mapping[str, Any], section: str) -> dict[str, Entry]:
    raw = data.get(section)
    if not isinstance(raw, Mapping):
        raise UiStringsError(path, section, "expected a map of string keys")
    entries: dict[str, Entry] = {}
    for key, value in raw.items():
        if isinstance(value, str):
            entries[str(key)] = value
        elif (
            isinstance(value, Mapping)
            and "other" in value
            and set(value) <= PLURAL_CATEGORIES
            and all(isinstance(v, str) for v in value.values())
        ):
            entries[str(key)] = {str(k): str(v) for k, v in value.items()}
        else:
            raise UiStringsError(
                path,
                f"{section}.{key}",
                "expected a string or a plural map with `other` (and optionally "
                f"zero/one/two/few/many), got {value!r}",
            )
    return entries


def load_ui_strings(i18n_dir: Path, locales: tuple[str, ...]) -> dict[str, UiStrings]:
    """Read and cross-check the string files of `locales` (the first is the reference)."""
    loaded: dict[str, UiStrings] = {}
    for locale in locales:
        path = i18n_dir / f"{locale}.yaml"
        if not path.is_file():
            raise UiStringsError(
                path, "file", "missing: every store locale needs its interface strings"
            )
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            raise UiStringsError(path, "yaml", f"invalid YAML: {exc.problem}", line) from exc
        except yaml.YAMLError as exc:
            raise UiStringsError(path, "yaml", f"invalid YAML: {exc}") from exc
        if not isinstance(data, Mapping):
            raise UiStringsError(path, "yaml", "expected a map with `ui:` and `js:` sections")
        loaded[locale] = UiStrings(
            locale, _read_section(path, data, "ui"), _read_section(path, data, "js"), path
        )
    reference = loaded[locales[0]]
    for locale, strings in loaded.items():
        for section in ("ui", "js"):
            expected = set(getattr(reference, section))
            found = set(getattr(strings, section))
            if expected != found:
                missing = ", ".join(sorted(expected - found)) or "none"
                extra = ", ".join(sorted(found - expected)) or "none"
                raise UiStringsError(
                    i18n_dir / f"{locale}.yaml",
                    section,
                    f"expected the same keys as {locales[0]}.yaml; missing: {missing}; "
                    f"unknown: {extra}",
                )
    return loaded


def theme_locale_errors(i18n_dir: Path, catalog: Catalog) -> list[ContentError]:
    """Content errors for store locales the theme has no (or no usable) interface strings for.

    Found with the content, so `check` says it and `build` stops before rendering,
    rather than failing halfway with the theme's error.
    """
    store = catalog.store
    missing = [
        ContentError(
            catalog.content_dir / "catalog.yaml",
            None,
            "store.locales",
            f'the theme has no interface strings for "{locale}"; expected '
            f"{(i18n_dir / f'{locale}.yaml').as_posix()} (a translated copy of "
            f"{store.default_locale}.yaml), or remove the locale",
        )
        for locale in store.locales
        if not (i18n_dir / f"{locale}.yaml").is_file()
    ]
    if missing:
        return missing
    # Read as the build reads them: a new locale's file with keys missing passed `check`
    # and failed the build.
    others = tuple(locale for locale in store.locales if locale != store.default_locale)
    try:
        load_ui_strings(i18n_dir, (store.default_locale, *others))
    except UiStringsError as exc:
        # The theme's file is the one to fix: named as it is, not as catalog.yaml.
        return [ContentError(exc.path, exc.line, exc.field, exc.message)]
    return []
