"""Redirects: old addresses that lead to their pages' new ones after a rename.

Renaming a product's file (its slug), a category or a page moves its address: the
old one would answer 404 and lose what search engines, links and bookmarks knew of
it. catalog.yaml's `redirects` maps each old site path to the page it became:

    redirects:
      /products/old-chalk-bag/: /products/chalk-bag/

In every locale the build writes a small page at the old address that sends the
browser on at once (`<meta http-equiv="refresh" content="0; url=…">`, which Google
follows as a permanent redirect) and names the new page as canonical. A static
origin can answer with no status of its own, so this is the redirect a CDN bucket
can serve. Sources are written without a locale prefix; each must be free (no page
is built there) and each target must be a page the build makes.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path

from storefront.errors import ErrorList
from storefront.fields import Fields
from storefront.model import Catalog
from storefront.output import OutputFile
from storefront.seo import hreflang
from storefront.urls import absolute, localize, output_file

# Each part a folder name (at most 100 characters: a file name has 255 bytes at most).
_SITE_PATH = re.compile(r"/(?:[a-z0-9][a-z0-9._-]{0,99}/)+")
_EXAMPLE = "a site path like /products/old-chalk-bag/"


@dataclass(frozen=True, slots=True)
class Redirect:
    """One old address and the page it leads to, with the line it was written on."""

    source: str
    target: str
    line: int


def read_redirects(doc: Fields, locales: Collection[str]) -> tuple[Redirect, ...]:
    """The `redirects` section of catalog.yaml, each entry's shape checked."""
    section = doc.mapping("redirects", required=False)
    if section is None:
        return ()
    found: list[Redirect] = []
    for source in section.data:
        line = section.line(source)
        target = section.text(source)
        problem = (
            _path_problem(str(source), locales)
            or _file_name_problem(str(source))
            or (
                # The home page may be a target (a category closed for good), never a source.
                _path_problem(target, locales) if target not in (None, "/") else None
            )
        )
        if problem:
            section.error(str(source), problem, line)
        elif target is not None:
            found.append(Redirect(str(source), target, line))
    return tuple(found)


def _path_problem(path: str, locales: Collection[str]) -> str | None:
    if not _SITE_PATH.fullmatch(path):
        return (
            f'expected {_EXAMPLE} (lowercase, starting and ending with "/", at most 100 '
            f'characters between slashes), got "{path}"'
        )
    first = path.split("/")[1]
    if first in locales:
        return (
            f'expected {_EXAMPLE} without the "/{first}/" prefix (a redirect applies in '
            f'every language), got "{path}"'
        )
    return None


def _file_name_problem(source: str) -> str | None:
    last = source.rstrip("/").rsplit("/", 1)[-1]
    if "." not in last:
        return None
    # The CDN adds the closing slash only to addresses without a dot in their last part
    # (infra/template.yaml's pretty-URL function): /old.html is asked for as a file.
    return (
        f'expected an address whose last part has no dot, got "{source}": '
        f'"/{source.strip("/")}" is requested as a file, so a redirect there is never served'
    )


# Served by the functions, not the site (infra/template.yaml's /api/* cache behaviour).
API_PREFIX = "/api/"


def check_redirects(
    redirects: tuple[Redirect, ...], page_paths: set[str], catalog_yaml: Path, errors: ErrorList
) -> None:
    """Each source free and each target a page the build makes (not another redirect)."""
    sources = {r.source for r in redirects}
    categories = {p for p in page_paths if p.startswith("/categories/")}
    for redirect in redirects:
        where = f"redirects.{redirect.source}"
        listing = next((c for c in categories if redirect.source.startswith(c)), None)
        if redirect.source.startswith(API_PREFIX):
            errors.add(
                catalog_yaml,
                redirect.line,
                where,
                f"{redirect.source} is under {API_PREFIX}, which the CDN sends to the shop's "
                "functions: a redirect page there would never be served; expected another address",
            )
        elif listing is not None and redirect.source != listing:
            errors.add(
                catalog_yaml,
                redirect.line,
                where,
                f"{redirect.source} is part of the listing {listing}, whose pages come and "
                "go as the category grows and shrinks; expected an address outside it",
            )
        elif redirect.source in page_paths:
            errors.add(
                catalog_yaml,
                redirect.line,
                where,
                f"{redirect.source} is a page the build makes; a redirect is for an address "
                "no page has any more (remove this line, or rename what is there)",
            )
        elif redirect.target in sources:
            errors.add(
                catalog_yaml,
                redirect.line,
                where,
                f"{redirect.target} is itself redirected; point at the page it leads to "
                "(a chain of redirects loses search engines on the way)",
            )
        elif redirect.target not in page_paths:
            errors.add(
                catalog_yaml,
                redirect.line,
                where,
                f"expected the address of a page the build makes, got {redirect.target}",
            )


def build_redirects(catalog: Catalog) -> Iterator[OutputFile]:
    """The redirect page of every source in every locale."""
    store = catalog.store
    for source, target in sorted(catalog.redirects.items()):
        for locale in store.locales:
            path = localize(target, locale, store)
            yield OutputFile(
                output_file(localize(source, locale, store)),
                redirect_page(path, absolute(path, store), locale),
            )


def redirect_page(target: str, canonical_url: str, locale: str) -> bytes:
    """A page that sends the browser to `target` at once and names it canonical."""
    href = escape(target, quote=True)
    canonical = escape(canonical_url, quote=True)
    return (
        f'<!doctype html><html lang="{hreflang(locale)}"><head><meta charset="utf-8">'
        f"<title>{href}</title>"
        f'<meta http-equiv="refresh" content="0; url={href}">'
        f'<link rel="canonical" href="{canonical}">'
        f'</head><body><p><a href="{href}">{href}</a></p></body></html>\n'
    ).encode()


def redirect_map(redirects: tuple[Redirect, ...]) -> Mapping[str, str]:
    """Source -> target, as the catalog keeps them."""
    return {r.source: r.target for r in redirects}
