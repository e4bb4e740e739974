"""Fragments shared by many pages (cards, menu, footer): rendered once, minified once, spliced in.

A `{% call memo(kind, *key) %}…{% endcall %}` block in a template renders its body
on the first use of the key only. Minifying is a third of a page's rendering cost,
and these fragments are most of a page's markup, so the page is minified with a
placeholder element where each fragment goes, and the fragment's own minified form
(made once) replaces the placeholder afterwards.

Why that gives the bytes of minifying the whole page: minify-html treats the
whitespace of a text node by its parent element alone, and (with closing tags
kept) writes an element without looking at its siblings; a placeholder element in
the fragment's place, with the fragment's leading and trailing whitespace kept
around it, leaves every other node as it was. A fragment of one element keeps
that promise; one inside <pre> or of several top-level nodes may not. So each kind
of fragment is checked on its first pages against minifying the page whole, and
a kind that ever differs is inlined from then on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable

from markupsafe import Markup

from storefront.minify import minify_page

# Pages on which a kind of fragment must minify the same spliced as whole before it is trusted.
CHECKED_PAGES = 3
_PLACEHOLDER = '<memo-fragment id="f{}"></memo-fragment>'
_RAW = re.compile(r'<memo-fragment id="f(\d+)"></memo-fragment>')
_MINIFIED = re.compile(r"<memo-fragment id=f(\d+)></memo-fragment>")
_DEPTH = 8  # fragments inside fragments: more levels than any template nests


class PageFragments:
    """The `memo` template global and the minifier of the pages that use it (one per renderer)."""

    def __init__(self) -> None:
        self._index: dict[tuple[Hashable, ...], int] = {}
        self._raw: list[str] = []  # by fragment number: its rendered markup
        self._kind: list[str] = []
        self._minified: dict[int, str] = {}
        self._checked: dict[str, int] = {}  # kind -> pages on which splicing matched
        self._inline: set[str] = set()  # kinds that minified differently spliced: never spliced

    def memo(self, kind: str, *key: Hashable, caller: Callable[[], str]) -> Markup:
        """The fragment of (kind, *key), rendered by `caller` on first use, as a placeholder."""
        full_key = (kind, *key)
        number = self._index.get(full_key)
        if number is None:
            number = self._index[full_key] = len(self._raw)
            self._raw.append(str(caller()))
            self._kind.append(kind)
        raw = self._raw[number]
        if kind in self._inline:
            return Markup(raw)  # noqa: S704 - autoescaped template output
        body = raw.strip()
        start = raw.index(body) if body else len(raw)
        # The fragment's own whitespace stays in the page, around the placeholder.
        return Markup(raw[:start] + _PLACEHOLDER.format(number) + raw[start + len(body) :])  # noqa: S704

    def minify(self, html: str) -> str:
        """`html` minified, with each fragment's placeholder replaced by the minified fragment."""
        spliced = self._splice(minify_page(html))
        kinds = {self._kind[int(n)] for n in _RAW.findall(html)}
        unchecked = {k for k in kinds if self._checked.get(k, 0) < CHECKED_PAGES}
        if not unchecked:
            return spliced
        whole = minify_page(self._expand(html))
        if whole != spliced:
            self._inline.update(unchecked)
            return whole
        for kind in unchecked:
            self._checked[kind] = self._checked.get(kind, 0) + 1
        return spliced

    def _fragment(self, match: re.Match[str]) -> str:
        number = int(match.group(1))
        found = self._minified.get(number)
        if found is None:
            found = self._minified[number] = minify_page(self._raw[number].strip())
        return found

    def _splice(self, minified: str) -> str:
        for _ in range(_DEPTH):
            if "<memo-fragment" not in minified:
                break
            minified = _MINIFIED.sub(self._fragment, minified)
        return minified

    def _expand(self, html: str) -> str:
        for _ in range(_DEPTH):
            if "<memo-fragment" not in html:
                break
            html = _RAW.sub(lambda m: self._raw[int(m.group(1))], html)
        return html
