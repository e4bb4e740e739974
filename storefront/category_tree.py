"""Queries on the category tree that the index outputs share: descendants, listings, trails."""

from __future__ import annotations

from collections.abc import Iterable

from storefront.model import Catalog, Category, Product


def category_descendants(catalog: Catalog, slug: str) -> set[str]:
    """The slugs of a category and of every category below it."""
    found = {slug}
    # Categories come in tree order (parents before children), so one pass suffices.
    for category in catalog.categories:
        if category.parent in found:
            found.add(category.slug)
    return found


def category_products(catalog: Catalog, slug: str) -> tuple[Product, ...]:
    """Products listed on a category page: those in the category or any category below it."""
    slugs = category_descendants(catalog, slug)
    return tuple(p for p in catalog.products if p.category in slugs)


def newest_first(products: Iterable[Product]) -> list[Product]:
    """The order of a category listing: newest first, then by slug (stable across builds)."""
    return sorted(products, key=lambda p: (p.published, p.slug), reverse=True)


def category_trail(catalog: Catalog, slug: str) -> tuple[Category, ...]:
    """The category and its ancestors, outermost first (Footwear, Trail running)."""
    by_slug = {c.slug: c for c in catalog.categories}
    trail: list[Category] = []
    current: str | None = slug
    # The bound guards against a parent cycle, which validation should already reject.
    while current is not None and current in by_slug and len(trail) <= len(by_slug):
        trail.append(by_slug[current])
        current = by_slug[current].parent
    return tuple(reversed(trail))
