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

from storefront.errors import ThemeError


def _where(exc: BaseException, templates_dir: Path) -> tuple[str, int | None] | None:
    """(template file, line) of the innermost template frame of `exc`'s traceback."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno
    root = str(templates_dir.resolve())
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if str(Path(frame.filename).resolve()).startswith(root)
    ]
    return (frames[-1].filename, frames[-1].lineno) if frames else None


def theme_error(exc: Exception, templates_dir: Path, page: str) -> ThemeError | None:
    """The ThemeError for `exc` raised while rendering `page`; None if no template is to blame.

    Jinja's own errors always are; any other error only when raised inside a template
    (a filter given the wrong kind of value by it), else it is the build's own bug.
    """
    where = _where(exc, templates_dir)
    if where is None:
        if not isinstance(exc, TemplateError):
            return None
        where = (str(templates_dir), None)
    path, line = where
    at = f"{Path(path).as_posix()}:{line}" if line else Path(path).as_posix()
    if isinstance(exc, TemplateNotFound):
        what = f"no template {exc.name}"
    elif isinstance(exc, TemplateError) and exc.message:
        what = exc.message
    else:
        what = str(exc)
    kind = "" if isinstance(exc, TemplateError) else f"{type(exc).__name__}: "
    return ThemeError(f"{at}: template: {kind}{what} (rendering {page})")
