"""What an editor should know about a valid catalog: shown by `check` and `build` alike.

None of it is an error (the content is valid), but each changes what shoppers see
without the editor having asked for it in so many words: a product dated later is not
on the shop yet, a sale past its last day is sold at the regular price, and a page the
previous build made and this one does not is gone for every link and bookmark.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from storefront.model import Catalog
from storefront.sale_ends import sale_is_over
from storefront.seo import DESCRIPTION_MAX


def catalog_notices(catalog: Catalog, today: date) -> list[str]:
    """Scheduled products, sales that are over and descriptions search results cut, one
    line each (none: an empty list).

    Read the catalog before its past sales are ended (storefront/sale_ends.py).
    """
    notices: list[str] = []
    long = sorted(
        f"{page.slug} ({locale})"
        for page in catalog.pages
        for locale, text in page.texts.items()
        if len(" ".join(text.description.split())) > DESCRIPTION_MAX
    )
    if long:
        notices.append(
            f"descriptions over {DESCRIPTION_MAX} characters, cut short with … in search "
            f"results: {', '.join(long)}"
        )
    if catalog.scheduled:
        # Validated, but not on the shop yet: say when each goes on it.
        days = sorted(catalog.scheduled.items(), key=lambda item: (item[1], item[0]))
        listed = ", ".join(f"{slug} on {day}" for slug, day in days)
        notices.append(f"scheduled (not built until published): {listed}")
    # A review cannot be written later than today, nor a live product changed: a typo,
    # which the page shows ("January 1, 2030") and the sitemap gives search engines.
    ahead = sorted(
        [
            *(
                f"{p.slug} updated {p.updated}"
                for p in catalog.products
                if p.published <= today < p.updated
            ),
            *(
                f"{p.slug} review by {r.author} on {r.date}"
                for p in catalog.products
                for r in p.reviews
                if r.date > today
            ),
        ]
    )
    if ahead:
        notices.append(f"dated after today ({today}), a typo?: {', '.join(ahead)}")
    # Imported here: the build imports this module before it knows whether anything
    # changed, and a build with nothing to do needs no feed code.
    from storefront.feeds import MAX_TITLE

    long_titles = sorted(
        f"{p.slug} ({locale})"
        for p in catalog.products
        for locale, text in p.texts.items()
        if len(text.title) > MAX_TITLE
    )
    if long_titles:
        notices.append(
            f"titles over {MAX_TITLE} characters, cut in the Merchant Center feeds: "
            f"{', '.join(long_titles)}"
        )
    ended = sorted((p.sale_ends, p.slug) for p in catalog.products if sale_is_over(p, today))
    if ended:
        # Built at their regular prices already; the files still read as on sale.
        listed = ", ".join(f"{slug} (last day {day})" for day, slug in ended)
        notices.append(
            "sales over, shown at the regular price (in each file, set price to compare_at's "
            f"value, then delete compare_at and sale_ends): {listed}"
        )
    return notices


def removed_pages_notice(deleted_files: Iterable[str]) -> list[str]:
    """The pages the previous build made and this one no longer does, as one line."""
    pages = sorted(
        "/" + path.removesuffix("index.html") for path in deleted_files if path.endswith(".html")
    )
    if not pages:
        return []
    return [
        "pages no longer built (links and bookmarks to them now find nothing; if one moved, "
        f"add a redirect under redirects: in catalog.yaml): {', '.join(pages)}"
    ]
