"""Category listings split into pages: how many, their routes, and the pager's links.

A category of 2,500 products on one page is close to a megabyte of HTML: slow on
a phone and a poor landing page. Each page of a listing has its own URL (the first
is the category's own, `/categories/shoes/`; then `/categories/shoes/page/2/`…),
is canonical to itself and lists `store.products_per_page` products, newest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

# Around the current page, the pager links this many pages on each side; the first
# and last are always linked, and a gap between them shows as an ellipsis.
PAGER_REACH = 2


def split_pages(items: Sequence[T], per_page: int) -> list[Sequence[T]]:
    """The listing's pages in order, each of at most `per_page` items.

    An empty listing still has its first page (a category page says it is empty).
    """
    if per_page < 1:
        raise ValueError(f"products per page: expected at least 1, got {per_page}")
    pages = [items[start : start + per_page] for start in range(0, len(items), per_page)]
    return pages or [items[:0]]


def page_route(route: str, number: int) -> str:
    """The route of page `number` of the listing at `route` (page 1 is the listing's own)."""
    if number < 1:
        raise ValueError(f"page number: expected at least 1, got {number}")
    return route if number == 1 else f"{route}page/{number}/"


@dataclass(frozen=True, slots=True)
class PagerLink:
    """One entry of the pager: a page number with its route, or a gap (`number` 0)."""

    number: int
    route: str
    current: bool = False


@dataclass(frozen=True, slots=True)
class Pager:
    """What a listing page shows to move between its pages."""

    current: int
    count: int
    previous: str | None  # route of the previous page, None on the first
    next: str | None  # route of the next page, None on the last
    links: tuple[PagerLink, ...]


def pager(route: str, current: int, count: int) -> Pager:
    """The pager of page `current` of `count` of the listing at `route`."""
    shown = sorted(
        {1, count, *range(max(1, current - PAGER_REACH), min(count, current + PAGER_REACH) + 1)}
    )
    links: list[PagerLink] = []
    for number in shown:
        if links and number - links[-1].number > 1:
            links.append(PagerLink(0, ""))
        links.append(PagerLink(number, page_route(route, number), number == current))
    return Pager(
        current=current,
        count=count,
        previous=page_route(route, current - 1) if current > 1 else None,
        next=page_route(route, current + 1) if current < count else None,
        links=tuple(links),
    )
