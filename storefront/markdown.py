"""Markdown bodies: parse once, reject raw HTML, collect site links, render per locale.

Raw HTML is rejected with the file and line rather than silently dropped: what
an editor wrote is what shoppers see. HTML comments are allowed and left out of
the page. The rendered HTML still passes through nh3 as a second line of
defence. Links to the shop's own pages are written as default-locale site
paths (`/products/alpine-gaiter/`); they are checked against the pages the
build makes (storefront/site_links.py) and rewritten into the reader's locale
(`/fr/products/...`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from shop.site_paths import (
    CART_PAGE,
    CHECKOUT_CANCEL_PAGE,
    CHECKOUT_SUCCESS_PAGE,
    HOME_PAGE,
    ORDER_PAGE,
    SEARCH_PAGE,
)

from storefront.errors import ErrorList

# Site paths that exist in every locale (the others, like /sitemap.xml, exist once).
FIXED_PAGE_PATHS: tuple[str, ...] = (
    HOME_PAGE,
    SEARCH_PAGE,
    CART_PAGE,
    CHECKOUT_SUCCESS_PAGE,
    CHECKOUT_CANCEL_PAGE,
    ORDER_PAGE,
)
FIXED_FILE_PATHS: tuple[str, ...] = (
    "/sitemap.xml",
    "/robots.txt",
    "/feeds/products.xml",
    "/feeds/new.atom",
    "/404.html",
)
_EXTERNAL_SCHEMES = ("http://", "https://", "mailto:", "tel:")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)

_SANITIZER = nh3.Cleaner(
    attributes={**nh3.ALLOWED_ATTRIBUTES, "th": {"style"}, "td": {"style"}},
    filter_style_properties={"text-align"},  # table column alignment, nothing else
    link_rel=None,  # links open in the same tab: no rel needed
)


@dataclass(frozen=True, slots=True)
class SiteLink:
    """A link or image in a body that points inside the shop, with where it was written."""

    path: Path
    line: int
    href: str
    is_image: bool


@dataclass(frozen=True, slots=True)
class ParsedMarkdown:
    """A Markdown body parsed once; rendered per locale with `render_markdown`."""

    tokens: Sequence[Token]
    links: tuple[SiteLink, ...]
    # Links written as full web addresses (https://…): one to the shop's own host is
    # refused once the host is known (storefront/site_links.py, check_own_host_links).
    web_links: tuple[SiteLink, ...] = ()


def _localize(href: str, locale: str, default_locale: str, locales: Collection[str]) -> str:
    """Prefix a site page path with the locale; files and already-localized paths stay."""
    if locale == default_locale or not href.startswith("/") or href.startswith("//"):
        return href
    first = href.split("/", 2)[1]
    if first in locales or first in ("images", "assets", "feeds") or "." in first:
        return href
    if href.split("?")[0].split("#")[0] in FIXED_FILE_PATHS:
        return href
    return f"/{locale}{href}"


class _Renderer(RendererHTML):
    """HTML renderer: headings start at h2, site links follow the reader's locale."""

    def link_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """Render <a>, localizing site paths."""
        token = tokens[idx]
        href = str(token.attrGet("href") or "")
        attrs = dict(token.attrs)
        if href.startswith("/") and not href.startswith("//"):
            attrs["href"] = _localize(href, env["locale"], env["default_locale"], env["locales"])
        copy = Token(token.type, token.tag, token.nesting, attrs=attrs)
        return self.renderToken([copy], 0, options, env)

    def heading_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """The page title is the only h1, so a body's `#` becomes h2, and no level is skipped.

        Editors often start at `##` or jump from `##` to `####`; a skipped level misleads
        screen readers and fails the W3C checker. So a heading goes one level below the
        nearest shallower heading written before it (the outline is kept, gaps are closed).
        """
        written = int(tokens[idx].tag[1])
        outline: list[tuple[int, int]] = env.setdefault("outline", [])  # (written, rendered)
        while outline and outline[-1][0] >= written:
            outline.pop()
        level = min((outline[-1][1] if outline else 1) + 1, 6)
        outline.append((written, level))
        return f"<h{level}>"

    def heading_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """Close the heading at the level it was opened with."""
        return f"</h{env['outline'][-1][1]}>\n"

    def html_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """Only comments get here (other HTML is an error): leave them out."""
        return ""

    def html_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        """Only comments get here (other HTML is an error): leave them out."""
        return ""


# html=True so raw HTML is parsed into tokens we can report; it is never rendered.
_MD = MarkdownIt("commonmark", {"html": True}, renderer_cls=_Renderer).enable(
    ["table", "strikethrough"]
)
# markdown-it leaves a javascript: or data: link as plain text, so `[Buy](javascript:…)`
# showed its Markdown on the page without a word. Every link becomes a token, and
# _check_href refuses the schemes a shop has no use for: the editor hears of it.
_MD.validateLink = lambda url: True  # type: ignore[method-assign]


def _is_comment(html: str) -> bool:
    text = html.strip()
    return text.startswith("<!--") and text.endswith("-->")


def _is_skippable(html: str) -> bool:
    """Comments, and closing tags whose opening tag was already reported."""
    return _is_comment(html) or html.startswith("</")


def _inline_line(parent: Token, children: Sequence[Token], index: int, first_line: int) -> int:
    """Line of an inline token: its block's first line plus the line breaks before it."""
    start = parent.map[0] if parent.map else 0
    breaks = sum(1 for c in children[:index] if c.type in ("softbreak", "hardbreak"))
    return first_line + start + breaks


def _check_href(href: str, path: Path, line: int, is_image: bool, errors: ErrorList) -> bool:
    """True for a site path to check later; records an error for unusable relative links."""
    external = href.lower().startswith(_EXTERNAL_SCHEMES) or href.startswith("//")
    if is_image and external:
        # The shop's Content-Security-Policy loads images from the shop only: an image
        # from another site would show as broken.
        errors.add(
            path,
            line,
            "body",
            f'image "{href}" is on another site; expected one from the content\'s images/ '
            "folder, like /images/trail-shoe-1.jpg",
        )
        return False
    if external or href.startswith("#"):
        return False
    if href.startswith("/"):
        return True
    what = "image" if is_image else "link"
    scheme = _SCHEME.match(href)
    if scheme:
        errors.add(
            path,
            line,
            "body",
            f'{what} "{href}" uses "{scheme.group(0).lower()}"; expected an https://, '
            "http://, mailto: or tel: address, or a site path like /products/<slug>/",
        )
        return False
    errors.add(
        path,
        line,
        "body",
        f'{what} "{href}" is relative; expected a site path like /products/<slug>/ '
        "or an absolute URL (https://…)",
    )
    return False


# A footnote's definition, `[^1]: The note.` (footnotes are not part of the Markdown read).
_FOOTNOTE = re.compile(r"^ {0,3}\[\^[^\]\n]+\]:", re.MULTILINE)
# C0 controls but tab and newline, DEL and the C1 controls (what YAML refuses in text).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _line_at(text: str, offset: int, first_line: int) -> int:
    """The file line of `offset` in a body that starts on `first_line`."""
    return first_line + text.count("\n", 0, offset)


def parse_markdown(text: str, path: Path, first_line: int, errors: ErrorList) -> ParsedMarkdown:
    """Parse a body that starts at `first_line` of `path`; raw HTML is recorded as an error."""
    control = _CONTROL.search(text)
    if control is not None:
        # As in the front matter (the YAML reader refuses them): invisible in an editor,
        # such a character reached the page, and an XML feed cannot hold it at all.
        errors.add(
            path,
            _line_at(text, control.start(), first_line),
            "body",
            "expected text without control characters, found "
            f"U+{ord(control.group()):04X}; delete it (it is invisible in most editors)",
        )
    tokens = _MD.parse(text)
    footnote = _FOOTNOTE.search(text)
    if footnote is not None:
        # Read as a link to the note's text ("note" is relative): named for what it is.
        errors.add(
            path,
            _line_at(text, footnote.start(), first_line),
            "body",
            f'expected no footnotes, found "{footnote.group().strip()}"; put the note in the '
            "text, in brackets",
        )
        return ParsedMarkdown(tokens, (), ())
    links: list[SiteLink] = []
    web_links: list[SiteLink] = []
    for block in tokens:
        if block.type == "html_block" and not _is_comment(block.content):
            line = first_line + (block.map[0] if block.map else 0)
            _report_html(block.content, path, line, errors)
        for index, child in enumerate(block.children or ()):
            if child.type == "html_inline" and not _is_skippable(child.content):
                line = _inline_line(block, block.children or [], index, first_line)
                _report_html(child.content, path, line, errors)
            elif child.type in ("link_open", "image"):
                attr = "href" if child.type == "link_open" else "src"
                href = str(child.attrGet(attr) or "")
                line = _inline_line(block, block.children or [], index, first_line)
                is_image = child.type == "image"
                if _check_href(href, path, line, is_image, errors):
                    links.append(SiteLink(path, line, href, is_image))
                elif not is_image and href.lower().startswith(("http://", "https://")):
                    web_links.append(SiteLink(path, line, href, is_image))
    return ParsedMarkdown(tokens, tuple(links), tuple(web_links))


def _report_html(html: str, path: Path, line: int, errors: ErrorList) -> None:
    snippet = " ".join(html.split())
    if len(snippet) > 60:
        snippet = snippet[:57] + "..."
    errors.add(
        path,
        line,
        "body",
        f'raw HTML is not allowed, got "{snippet}"; use Markdown instead (docs/content.md)',
    )


def render_markdown(
    parsed: ParsedMarkdown, locale: str, default_locale: str, locales: Collection[str]
) -> str:
    """HTML for one locale: site links localized, then sanitised."""
    env: dict[str, Any] = {"locale": locale, "default_locale": default_locale, "locales": locales}
    html = _MD.renderer.render(parsed.tokens, _MD.options, env)
    return str(_SANITIZER.clean(html))
