"""Products published on a later day: checked now, left out of the shop until that day.

An editor prepares a launch ahead: a product whose `published` date is after
today (UTC, as sale ends) is validated with everything else, so its errors show
at once, but the build leaves it out: no page, not in listings, search, feeds or
the sitemap, and not in the functions' catalog (it cannot be bought). The build
state remembers the soonest such date, so the first build on that day is not
skipped as "nothing changed" (the deploy workflow builds every night; see
storefront/sale_ends.py). A link to it from a page already on the shop would lead
nowhere until then: an error, named with the day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from storefront.errors import ErrorList
from storefront.markdown import SiteLink
from storefront.redirects import Redirect


def scheduled_slugs(published: Mapping[str, date], today: date | None) -> dict[str, date]:
    """The products (slug -> day) published after `today`; none when `today` is None (all shown)."""
    if today is None:
        return {}
    return {slug: day for slug, day in published.items() if day > today}


def _source_day(link: SiteLink, scheduled: Mapping[str, date]) -> date | None:
    """The day the page holding `link` goes on the shop; None if it is on it now."""
    if link.path.parent.name != "products":
        return None  # a content page: always on the shop
    # products/<slug>.md or its translation products/<slug>.<locale>.md
    return scheduled.get(link.path.name.split(".", 1)[0])


def _target_slug(href: str, locales: Iterable[str]) -> str | None:
    """The product slug `href` links to (/products/<slug>/, maybe localized), else None."""
    parts = href.split("#", 1)[0].split("?", 1)[0].strip("/").split("/")
    if len(parts) == 3 and parts[0] in locales:
        parts = parts[1:]
    return parts[1] if len(parts) == 2 and parts[0] == "products" else None


def check_links_to_scheduled(
    links: Iterable[SiteLink],
    scheduled: Mapping[str, date],
    locales: Iterable[str],
    errors: ErrorList,
) -> None:
    """Record an error for each link shown before the product it leads to is published."""
    if not scheduled:
        return
    known = tuple(locales)
    for link in links:
        slug = _target_slug(link.href, known)
        if slug is None or slug not in scheduled:
            continue
        shown_from = _source_day(link, scheduled)
        if shown_from is not None and shown_from >= scheduled[slug]:
            continue
        errors.add(
            link.path,
            link.line,
            "body",
            f'link "{link.href}" leads to a product published only on {scheduled[slug]} '
            f"(it has no page until then); expected the link to be added on that day, or "
            f"in a product published on it or later",
        )


def check_redirects_to_scheduled(
    redirects: Iterable[Redirect],
    scheduled: Mapping[str, date],
    catalog_yaml: Path,
    errors: ErrorList,
) -> None:
    """Record an error for each redirect to a product not published yet (a page of none)."""
    for redirect in redirects:
        slug = _target_slug(redirect.target, ())
        if slug is not None and slug in scheduled:
            errors.add(
                catalog_yaml,
                redirect.line,
                f"redirects.{redirect.source}",
                f"{redirect.target} is a product published only on {scheduled[slug]} (it has "
                "no page until then); expected the redirect to be added on that day",
            )
