"""Content errors that name the file, the line, the field and what was expected."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ContentError:
    """One problem in the content: prints as `path:line: field: message`."""

    path: Path
    line: int | None  # 1-based; None when the problem concerns the whole file
    field: str  # dotted field path, e.g. "variants[2].options.color"
    message: str  # what was expected and what was found

    def __str__(self) -> str:
        where = f"{self.path.as_posix()}:{self.line}" if self.line else self.path.as_posix()
        return f"{where}: {self.field}: {self.message}"


class ContentErrors(Exception):
    """Every content error of a run, raised once so that all of them are reported together."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        # Once each: a product-wide value checked per variant (a compare_at below the
        # price) gave one identical line per variant, sixteen for a 16-variant product.
        self.errors: tuple[ContentError, ...] = tuple(
            sorted(dict.fromkeys(errors), key=lambda e: (e.path.as_posix(), e.line or 0, e.field))
        )
        super().__init__(f"{len(self.errors)} content error(s)")

    def __iter__(self) -> Iterator[ContentError]:
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class ErrorList:
    """Collects content errors during a stage; `raise_if_any` ends the stage when needed."""

    def __init__(self) -> None:
        self.errors: list[ContentError] = []

    def add(self, path: Path, line: int | None, field: str, message: str) -> None:
        """Record one error."""
        self.errors.append(ContentError(path, line, field, message))

    def extend(self, errors: Iterable[ContentError]) -> None:
        """Record errors found elsewhere (e.g. by a nested stage)."""
        self.errors.extend(errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    def raise_if_any(self) -> None:
        """Raise ContentErrors with everything collected so far, if anything was."""
        if self.errors:
            raise ContentErrors(self.errors)


class UiStringsError(ValueError):
    """An interface-string file (site/i18n/<locale>.yaml) that is missing, malformed or incomplete.

    Here, not in storefront/ui_strings.py, so the build command can name it without
    importing what reading the strings needs (a build with nothing changed never does).
    Prints as `path:line: field: message`, like a content error, and keeps each part.
    """

    def __init__(self, path: Path | str, field: str, message: str, line: int | None = None):
        self.path, self.field, self.message, self.line = Path(path), field, message, line
        where = f"{self.path.as_posix()}:{line}" if line else self.path.as_posix()
        super().__init__(f"{where}: {field}: {message}")

    def __reduce__(self) -> tuple[type[UiStringsError], tuple[Path, str, str, int | None]]:
        # Sent back from render workers whole (the default would pass the text only).
        return type(self), (self.path, self.field, self.message, self.line)


class ThemeError(Exception):
    """A template of the theme that cannot render a page (a syntax error, an unknown name).

    Prints as `template:line: template: message (rendering <page>)`. Made in render
    workers and sent back to the build, so it carries only its text.
    """


class OutputError(Exception):
    """The build produced an invalid output (two files for one path, a path outside dist/)."""
