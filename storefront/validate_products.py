"""Validate one product file (products/<slug>.md) into a draft awaiting cross-checks.

Cross-file checks (unique SKUs, related products, links, translations) need
every product first; `validate_catalog` does them on the drafts.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from storefront.errors import ErrorList
from storefront.fields import SLUG, Fields, as_written, describe
from storefront.load_content import RawDocument, check_front_matter_end
from storefront.markdown import ParsedMarkdown, parse_markdown
from storefront.model import AGE_GROUPS, GENDERS, Option, Review, Variant
from storefront.validate_images import ImageDraft, read_images
from storefront.validate_variants import (
    SALE_HINT,
    check_option_values_used,
    read_options,
    read_variants,
)
from storefront.yaml_lines import YamlList, YamlMap

PRODUCT_FIELDS = (
    "title", "summary", "category", "brand", "price", "compare_at", "sale_ends", "published",
    "updated", "featured", "gtin", "mpn", "images", "options", "variants", "sku", "stock",
    "specs", "features", "tags", "related", "reviews", "gender", "age_group",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ProductContext:
    """What a product is checked against: store settings and the category slugs."""

    content_dir: Path
    currency: str
    default_locale: str
    locales: tuple[str, ...]
    categories: frozenset[str] | None  # None: catalog.yaml unreadable, so not checked
    store_name: str  # the brand of products that name none (own-brand shops)
    image_sizes: dict[str, tuple[int, int] | str] = field(default_factory=dict)  # cache


@dataclass(slots=True)
class ProductDraft:
    """A product whose own fields are valid; related slugs and body links still to check.

    It keeps the places errors of the cross-file checks point at (SKU and related lines)
    but not the parsed file, so that it can be cached between builds on its own.
    """

    slug: str
    path: Path  # the file, as shown in errors
    category: str
    brand: str
    title: str
    summary: str
    features: tuple[str, ...]
    specs: tuple[tuple[str, str], ...]
    body: ParsedMarkdown
    options: tuple[Option, ...]
    variants: tuple[Variant, ...]
    sku_lines: tuple[tuple[str, int], ...]  # (field, line) of each variant's SKU, in order
    gtin_lines: tuple[tuple[str, int], ...]  # and of its GTIN (the variant's line if none)
    images: tuple[ImageDraft, ...]
    tags: tuple[str, ...]
    related: tuple[tuple[str, int], ...]  # (slug, line) pairs, in order
    reviews: tuple[Review, ...]
    published: date
    updated: date
    featured: bool
    sale_ends: date | None
    gender: str = ""  # "" : the category's
    age_group: str = ""
    mpn: str | None = None  # the model's part number (each variant may give its own)


def read_specs(doc: Fields, key: str = "specs") -> tuple[tuple[str, str], ...] | None:
    """Specs as `[label, value]` pairs, in order."""
    rows = doc.sequence(key, required=False)
    if rows is None:
        return None if doc.has(key) else ()
    result: list[tuple[str, str]] = []
    wrong = False
    for index, row in enumerate(rows):
        cells = [_spec_cell(c) for c in row] if isinstance(row, list) else []
        if len(cells) != 2 or not all(cells):
            # Every bad row in one run, not the first only.
            doc.error(
                f"{key}[{index}]",
                "expected a [label, value] pair of texts like [Weight, 285 g], got "
                f"{as_written(row) if isinstance(row, list) else describe(row)} (quote a "
                'value YAML reads otherwise, like "true")',
                rows.line_of(index),
            )
            wrong = True
            continue
        result.append((cells[0], cells[1]))
    return None if wrong else tuple(result)


def _spec_cell(cell: object) -> str:
    """A spec's label or value as text; "" for what is not text or a number.

    true, a list or a mapping were shown as Python writes them (`True`, `['S', 'M']`);
    a date with a time as `2026-01-01 10:00:00`. Quoted, any of them is text; a
    number or a date is shown as written.
    """
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, date) and not isinstance(cell, datetime):
        return cell.isoformat()
    return ""


def _reviews(doc: Fields) -> tuple[Review, ...] | None:
    reviews: list[Review] = []
    items = list(doc.records("reviews", required=False))
    for item in items:
        item.check_keys(("author", "rating", "date", "title", "body"))
        author, body = item.text("author"), item.text("body")
        rating, day = item.integer("rating", 1, 5), item.day("date")
        title = item.text("title", required=False) or ""
        if author and body and rating is not None and day is not None:
            reviews.append(Review(author, rating, day, title, body))
    return tuple(reviews) if len(reviews) == len(items) else None


def read_related(doc: Fields) -> tuple[tuple[str, int], ...]:
    items = doc.sequence("related", required=False)
    found: list[tuple[str, int]] = []
    for index, item in enumerate(items or ()):
        line = items.line_of(index) if items is not None else doc.line("related")
        if not isinstance(item, str) or not SLUG.match(item):
            doc.error(
                f"related[{index}]",
                f"expected a product slug like trail-shoe, got {describe(item)}",
                line,
            )
        elif any(item == slug for slug, _ in found):
            doc.error(f"related[{index}]", f'"{item}" is listed twice; expected each once', line)
        else:
            found.append((item, line))
    return tuple(found)


def _variant_lines(data: YamlMap, count: int, key: str) -> tuple[tuple[str, int], ...]:
    """Field name and line of each variant's `key` (sku, gtin), for the cross-file checks."""
    variants = data.get("variants")
    if not isinstance(variants, YamlList):
        return tuple((key, data.line_of(key)) for _ in range(count))
    return tuple(
        (f"variants[{index}].{key}", item.line_of(key))
        if isinstance(item, YamlMap)
        else (key, data.line_of(key))
        for index, item in enumerate(variants[:count])
    )


def validate_product(
    slug: str, raw: RawDocument, ctx: ProductContext, errors: ErrorList
) -> ProductDraft | None:
    """Check one product file's own fields; None when any is wrong (errors recorded)."""
    doc = Fields(raw.data, raw.path, errors)
    doc.check_keys(PRODUCT_FIELDS, hints=SALE_HINT)
    check_front_matter_end(raw, PRODUCT_FIELDS, errors)
    title, summary = doc.text("title"), doc.text("summary")
    written = doc.data.get("category")
    as_slug = "-".join(str(written).lower().split()) if isinstance(written, str) else ""
    if as_slug != written and ctx.categories and as_slug in ctx.categories:
        # The category's name written where its slug goes: "Chalk bags" for chalk-bags.
        doc.error(
            "category", f'expected a category slug, got "{written}"; did you mean "{as_slug}"?'
        )
        category = None
    else:
        category = doc.pattern("category", SLUG, "a category slug from catalog.yaml")
    if category is not None and ctx.categories is not None and category not in ctx.categories:
        close = difflib.get_close_matches(category, sorted(ctx.categories), n=1)
        hint = f'did you mean "{close[0]}"? ' if close else ""
        known = ", ".join(sorted(ctx.categories)) or "(none)"
        doc.error(
            "category",
            f'unknown category "{category}"; {hint}expected one of catalog.yaml\'s categories: '
            f"{known}",
        )
        category = None
    published, updated = doc.day("published"), doc.day("updated", required=False)
    if published and updated and updated < published:
        doc.error("updated", f"expected a date on or after published ({published}), got {updated}")
        updated = None
    options = read_options(doc, ctx)
    variants = read_variants(doc, ctx, options) if options is not None else None
    if options and variants and not check_option_values_used(doc, options, variants):
        variants = None
    images = read_images(doc, ctx.content_dir, ctx.image_sizes)
    reviews = _reviews(doc)
    features = doc.texts("features", required=False)
    specs, tags = read_specs(doc), doc.texts("tags", required=False)
    sale_ends = doc.day("sale_ends", required=False)
    if sale_ends is not None and variants and all(v.compare_at is None for v in variants):
        doc.error(
            "sale_ends",
            "expected a product on sale (a compare_at above its price): there is no sale to end",
        )
        sale_ends = None
    body = parse_markdown(raw.body, raw.path, raw.body_line, errors)
    related = read_related(doc)
    if (
        title is None or summary is None or category is None or published is None
        or options is None or variants is None or images is None or reviews is None
        or features is None or specs is None or tags is None
        or (doc.has("updated") and updated is None) or (doc.has("sale_ends") and sale_ends is None)
    ):  # fmt: skip
        return None
    return ProductDraft(
        slug=slug,
        path=raw.path,
        category=category,
        brand=doc.text("brand", required=False) or ctx.store_name,
        title=title,
        summary=summary,
        features=features,
        specs=specs,
        body=body,
        options=options,
        variants=variants,
        sku_lines=_variant_lines(raw.data, len(variants), "sku"),
        gtin_lines=_variant_lines(raw.data, len(variants), "gtin"),
        images=images,
        tags=tags,
        related=related,
        reviews=reviews,
        published=published,
        updated=updated or published,
        featured=doc.boolean("featured", False),
        sale_ends=sale_ends,
        gender=doc.choice("gender", GENDERS) or "",
        age_group=doc.choice("age_group", AGE_GROUPS) or "",
        mpn=doc.text("mpn", required=False),
    )
