"""View models: what the templates show, computed once from the catalog per locale.

Templates stay simple (no lookups, no arithmetic on money); everything that
needs the catalog as a whole - the category tree, a product's cheapest
variant, its rating, the related products - is worked out here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from shop.money import Money

from storefront import category_tree
from storefront.model import Catalog, Category, Image, Product, Variant, percent_off
from storefront.seo import hreflang
from storefront.urls import category_route, home_route, image_path, product_route

RELATED_COUNT = 4


@dataclass(frozen=True, slots=True)
class NavCategory:
    """A category in the menu, with its children."""

    slug: str
    name: str
    route: str
    children: tuple[NavCategory, ...]


@dataclass(frozen=True, slots=True)
class Crumb:
    """One step of a breadcrumb trail; the last one is the current page."""

    name: str
    route: str


@dataclass(frozen=True, slots=True)
class Picture:
    """An image ready for the `picture` macro: public path, size and alt text."""

    src: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True, slots=True)
class ProductCard:
    """A product in a listing (home, category, related)."""

    slug: str
    route: str
    title: str
    brand: str
    image: Picture
    price: Money  # the cheapest variant's price
    price_varies: bool  # variants differ in price: show "From …"
    compare_at: Money | None  # the cheapest variant's "was" price, when on sale
    percent_off: int | None
    rating: Decimal | None
    review_count: int
    in_stock: bool
    published: str  # ISO date, for client-side sorting
    option_values: str  # "size:42 color:Black …", for client-side filters
    # JSON {option name: {"label": "Size", "values": ["42", …]}} for the category filters
    # (site/assets/js/filters.js); values may contain spaces, unlike `option_values`.
    facets: str = "{}"
    # The title's language when it is not the page's (an untranslated title): its `lang`.
    title_lang: str = ""


def picture(image: Image, locale: str, default_locale: str) -> Picture:
    """An image with its alt text in `locale` (falling back to the default locale)."""
    alt = image.alts.get(locale) or image.alts.get(default_locale, "")
    return Picture(image_path(image.src), image.width, image.height, alt)


def average_rating(product: Product) -> Decimal | None:
    """The mean review rating to one decimal place, or None without reviews."""
    if not product.reviews:
        return None
    mean = Decimal(sum(r.rating for r in product.reviews)) / len(product.reviews)
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def cheapest_variant(product: Product) -> Variant:
    """The variant with the lowest price (the first one on a tie)."""
    return min(product.variants, key=lambda v: v.price.amount)


def product_card(product: Product, locale: str, default_locale: str) -> ProductCard:
    """The card that represents `product` in listings."""
    text = product.text(locale, default_locale)
    cheapest = cheapest_variant(product)
    compare_at = cheapest.compare_at if percent_off(cheapest.price, cheapest.compare_at) else None
    values = " ".join(
        f"{name}:{value}" for v in product.variants for name, value in v.options.items()
    )
    return ProductCard(
        slug=product.slug,
        route=product_route(product.slug),
        title=text.title,
        brand=product.brand,
        image=picture(product.images[0], locale, default_locale),
        price=cheapest.price,
        price_varies=len({v.price.amount for v in product.variants}) > 1,
        compare_at=compare_at,
        percent_off=percent_off(cheapest.price, compare_at),
        rating=average_rating(product),
        review_count=len(product.reviews),
        in_stock=any(v.in_stock for v in product.variants),
        published=product.published.isoformat(),
        option_values=" ".join(dict.fromkeys(values.split())),
        facets=card_facets(product, locale, default_locale),
        title_lang=hreflang(default_locale) if "title" in text.fallback_fields else "",
    )


def card_facets(product: Product, locale: str, default_locale: str) -> str:
    """The product's option values per option, with the option's label, as compact JSON.

    Values stay as written (the filter's keys, the same in every language); `names`
    gives those translated into `locale`, which the filter shows.
    """
    facets: dict[str, dict[str, object]] = {}
    for option in product.options:
        values = [
            v
            for v in option.values
            if any(variant.options.get(option.name) == v for variant in product.variants)
        ]
        facet: dict[str, object] = {
            "label": option.labels.get(locale) or option.labels.get(default_locale) or option.name,
            "values": values,
        }
        names = {v: option.value_label(v, locale) for v in values}
        translated = {v: name for v, name in names.items() if name != v}
        if translated:
            facet["names"] = translated
        facets[option.name] = facet
    return json.dumps(facets, ensure_ascii=False, separators=(",", ":"))


def category_name(category: Category, locale: str, default_locale: str) -> str:
    """A category's name in `locale`, falling back to the default locale."""
    return category.names.get(locale) or category.names[default_locale]


def navigation(catalog: Catalog, locale: str) -> tuple[NavCategory, ...]:
    """The category tree as the menu shows it, in catalog order."""
    default = catalog.store.default_locale

    def children_of(parent: str | None) -> tuple[NavCategory, ...]:
        nodes = sorted((c for c in catalog.categories if c.parent == parent), key=_position)
        return tuple(
            NavCategory(
                c.slug,
                category_name(c, locale, default),
                category_route(c.slug),
                children_of(c.slug),
            )
            for c in nodes
        )

    return children_of(None)


def _position(category: Category) -> int:
    return category.position


def category_trail(catalog: Catalog, slug: str, locale: str) -> list[Crumb]:
    """Home, then each ancestor category down to `slug`."""
    default = catalog.store.default_locale
    crumbs = [
        Crumb(category_name(c, locale, default), category_route(c.slug))
        for c in category_tree.category_trail(catalog, slug)
    ]
    return [Crumb("", home_route()), *crumbs]


@dataclass(frozen=True, slots=True)
class ProductIndex:
    """Products by slug and by category, built once so per-product lookups stay O(1)."""

    by_slug: Mapping[str, Product]
    by_category: Mapping[str, tuple[Product, ...]]
    position: Mapping[str, int]  # slug -> index in its category's tuple of `by_category`
    # Category slug -> the products its page lists, its subcategories' included.
    listed: Mapping[str, tuple[Product, ...]]

    @classmethod
    def of(cls, catalog: Catalog) -> ProductIndex:
        """Index the catalog's products."""
        grouped: dict[str, list[Product]] = {}
        position: dict[str, int] = {}
        for product in catalog.products:
            members = grouped.setdefault(product.category, [])
            position[product.slug] = len(members)
            members.append(product)
        return cls(
            {p.slug: p for p in catalog.products},
            {category: tuple(products) for category, products in grouped.items()},
            position,
            category_tree.category_listings(catalog),
        )


def related_products(index: ProductIndex, product: Product) -> list[Product]:
    """The editor's related products, topped up with the next ones of the same category.

    The top-up walks the category from the product onwards, wrapping around, so each
    product is suggested by at most RELATED_COUNT others (the ones just before it):
    editing it re-renders a handful of pages, not the whole category, and the
    internal links spread over every product instead of piling onto the first few.
    """
    chosen = [index.by_slug[s] for s in product.related if s in index.by_slug and s != product.slug]
    members = index.by_category.get(product.category, ())
    taken = {product.slug, *(p.slug for p in chosen)}
    start = index.position.get(product.slug, -1) + 1
    for step in range(len(members)):
        if len(chosen) >= RELATED_COUNT:
            break
        other = members[(start + step) % len(members)]
        if other.slug not in taken:
            chosen.append(other)
            taken.add(other.slug)
    return chosen[: max(RELATED_COUNT, len(product.related))]


@dataclass(frozen=True, slots=True)
class NotFoundElsewhere:
    """The 404 page's message in one more of the shop's languages, with where to go next."""

    hreflang: str  # the section's lang attribute
    title: str
    body: str
    home_label: str
    home_path: str
    search_label: str
    search_path: str


@dataclass(frozen=True, slots=True)
class CategoryTile:
    """A top-level category on the home page, pictured by one of its products."""

    name: str
    route: str
    count: int
    image: Picture | None


def walk(nodes: tuple[NavCategory, ...]) -> list[NavCategory]:
    """Every node of a category tree, depth first."""
    found: list[NavCategory] = []
    for node in nodes:
        found.append(node)
        found.extend(walk(node.children))
    return found


def category_tiles(
    index: ProductIndex, nav: tuple[NavCategory, ...], cards: dict[str, ProductCard]
) -> list[CategoryTile]:
    """One tile per top-level category, with its product count and a featured image."""
    tiles = []
    for node in nav:
        members = index.listed.get(node.slug, ())
        showcase = next((p for p in members if p.featured), members[0] if members else None)
        image = cards[showcase.slug].image if showcase else None
        tiles.append(CategoryTile(node.name, node.route, len(members), image))
    return tiles
