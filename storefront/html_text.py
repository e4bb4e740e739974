"""The visible text of the small, sanitised HTML fragments the catalog holds (product bodies)."""

from __future__ import annotations

import re
from html import unescape

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def plain_text(html: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed (for feeds and the search index).

    The fragments come from the Markdown renderer and its sanitiser, so they hold
    no comments, scripts or attributes with ">" in them: removing tags suffices.
    """
    return _SPACE.sub(" ", unescape(_TAG.sub(" ", html))).strip()
