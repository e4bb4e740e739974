"""Queries on the category tree that the index outputs share: descendants, listings, trails."""

from __future__ import annotations

from collections.abc import Iterable

from storefront.model import Catalog, Category, Product


def category_listings(catalog: Catalog) -> dict[str, tuple[Product, ...]]:
    """Each category's listed products, in catalog order: its own and its subcategories'.

    Made in one pass over the products for every category at once: asking per category
    walked the whole catalog each time (0.2 s per build at 10,000 products, 32 categories).
    """
    parents = {category.slug: category.parent for category in catalog.categories}
    listed: dict[str, list[Product]] = {slug: [] for slug in parents}
    lineages: dict[str, tuple[str, ...]] = {}
    for product in catalog.products:
        lineage = lineages.get(product.category)
        if lineage is None:
            lineage = lineages[product.category] = _lineage(parents, product.category)
        for slug in lineage:
            listed[slug].append(product)
    return {slug: tuple(products) for slug, products in listed.items()}


def _lineage(parents: dict[str, str | None], slug: str) -> tuple[str, ...]:
    """The category `slug` and its ancestors (none if `slug` is no category)."""
    found: list[str] = []
    current: str | None = slug
    # Stopping at a category seen before guards against a parent cycle, which
    # validation rejects: a product would be listed twice, a trail never end.
    while current is not None and current in parents and current not in found:
        found.append(current)
        current = parents[current]
    return tuple(found)


def newest_first(products: Iterable[Product]) -> list[Product]:
    """The order of a category listing: newest first, then by slug (stable across builds)."""
    return sorted(products, key=lambda p: (p.published, p.slug), reverse=True)


def category_trail(catalog: Catalog, slug: str) -> tuple[Category, ...]:
    """The category and its ancestors, outermost first (Footwear, Trail running)."""
    by_slug = {c.slug: c for c in catalog.categories}
    parents = {c.slug: c.parent for c in catalog.categories}
    return tuple(by_slug[found] for found in reversed(_lineage(parents, slug)))
