"""The checks of the links written in Markdown bodies, once every content file is known.

Each link to a page or image of the shop must lead to one the build makes; a link
written as the shop's own full address is refused (it would be neither checked nor
kept in the reader's language). The links are collected by storefront/markdown.py.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Sequence
from urllib.parse import urlsplit

from storefront.errors import ErrorList
from storefront.markdown import FIXED_FILE_PATHS, FIXED_PAGE_PATHS, SiteLink


def site_page_paths(
    categories: Collection[str], products: Collection[str], pages: Collection[str]
) -> set[str]:
    """Every default-locale site path the build makes (pages and fixed files)."""
    paths = set(FIXED_PAGE_PATHS) | set(FIXED_FILE_PATHS)
    paths.update(f"/categories/{slug}/" for slug in categories)
    paths.update(f"/products/{slug}/" for slug in products)
    paths.update(f"/pages/{slug}/" for slug in pages)
    return paths


def _suggest(target: str, page_paths: set[str]) -> str:
    """A close existing page in the same section, compared by slug (typos, plurals)."""
    section, _, slug = target.rstrip("/").rpartition("/")
    candidates = {
        p.rstrip("/").rpartition("/")[2]: p for p in page_paths if p.startswith(section + "/")
    }
    close = difflib.get_close_matches(slug, list(candidates), n=1, cutoff=0.75)
    return f' (did you mean "{candidates[close[0]]}"?)' if close else ""


def _what_makes(target: str) -> str:
    """What an editor must add for `target` to exist, in their words."""
    parts = target.strip("/").split("/")
    if len(parts) == 2 and parts[0] in ("products", "pages"):
        return f"a file {parts[0]}/{parts[1]}.md in the content folder"
    if len(parts) == 2 and parts[0] == "categories":
        return f'a category "{parts[1]}" in catalog.yaml'
    return "a page the build makes, like /products/<slug>/ or /pages/<slug>/"


def check_own_host_links(links: Iterable[SiteLink], base_url: str, errors: ErrorList) -> None:
    """Refuse a link written as the shop's own full address (https://shop.example.com/…).

    It was neither checked (a page that does not exist passed) nor kept in the
    reader's language; a site path is both.
    """
    own = urlsplit(base_url).netloc.lower()
    for link in links:
        parts = urlsplit(link.href)
        if parts.netloc.lower() != own:
            continue
        path = parts.path or "/"
        suffix = (f"?{parts.query}" if parts.query else "") + (
            f"#{parts.fragment}" if parts.fragment else ""
        )
        errors.add(
            link.path,
            link.line,
            "body",
            f'link "{link.href}" is the shop\'s own address; expected its site path '
            f'"{path}{suffix}" (checked at build time, and kept in the reader\'s language)',
        )


def check_site_links(
    links: Sequence[SiteLink],
    page_paths: set[str],
    locales: Collection[str],
    published_images: Collection[str],
    errors: ErrorList,
) -> None:
    """Record an error for every site link that points to no page or image of the build.

    `published_images` are the public paths of the images the build copies (those
    that products list), e.g. "/images/trail-shoe-1.jpg".
    """
    hints_left = 20  # suggestions cost a fuzzy search each; a few are enough to show the way
    for link in links:
        target = link.href.split("#", 1)[0].split("?", 1)[0]
        parts = target.split("/", 2)
        if len(parts) > 2 and parts[1] in locales:
            target = "/" + parts[2]  # an already-localized path: check its page
        if target.startswith("/images/"):
            if target in published_images:
                continue
            expected = (
                "expected the image of a product (only images that products list are published)"
            )
        elif target in page_paths:
            continue
        elif f"{target}/" in page_paths:
            expected = f'expected "{target}/" (page paths end with a slash)'
        else:
            hint = _suggest(target, page_paths) if hints_left > 0 else ""
            hints_left -= 1
            expected = f"expected {_what_makes(target)}{hint}"
        what = "image" if link.is_image else "link"
        errors.add(
            link.path, link.line, "body", f'{what} "{link.href}" points to nothing; {expected}'
        )
