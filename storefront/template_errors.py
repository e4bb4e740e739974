"""A template's failure told as the theme's error: which template, which line, which page.

Jinja raises its own errors (a syntax error, a name the context lacks) with a
traceback through compiled code; an editor changing the theme needs the template
file and line instead. Jinja rewrites tracebacks so that template frames carry the
template's file name and line: the innermost such frame is where it failed.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

from storefront.errors import ThemeError, UiStringsError


def _where(exc: BaseException, templates_dir: Path) -> tuple[str, int | None, bool] | None:
    """(template file, line, raised there) of the innermost template frame of the traceback.

    "Raised there" when that frame is the innermost of all: the template itself failed
    (`{{ 1 + "a" }}`), not code it called.
    """
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno, True
    root = str(templates_dir.resolve())
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [i for i, f in enumerate(frames) if str(Path(f.filename).resolve()).startswith(root)]
    if not ours:
        return None
    frame = frames[ours[-1]]
    return frame.filename, frame.lineno, ours[-1] == len(frames) - 1


def theme_error(exc: Exception, templates_dir: Path, page: str) -> ThemeError | None:
    """The ThemeError for `exc` raised while rendering `page`; None if no template is to blame.

    Jinja's own errors always are, and interface strings a template asks for that the
    theme lacks; any other error only when the template itself raised it. A bug in the
    build's own code that a template called keeps its traceback (None here).
    """
    where = _where(exc, templates_dir)
    theirs = isinstance(exc, TemplateError | UiStringsError)
    if where is None or not (theirs or where[2]):
        if not isinstance(exc, TemplateError):
            return None
        where = (str(templates_dir), None, False)
    path, line, _ = where
    at = f"{Path(path).as_posix()}:{line}" if line else Path(path).as_posix()
    if isinstance(exc, TemplateNotFound):
        what = f"no template {exc.name}"
    elif isinstance(exc, TemplateError) and exc.message:
        what = exc.message
    else:
        what = str(exc)
    kind = "" if theirs else f"{type(exc).__name__}: "
    return ThemeError(f"{at}: template: {kind}{what} (rendering {page})")
