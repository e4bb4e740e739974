"""Validate one product file (products/<slug>.md) into a draft awaiting cross-checks.

Cross-file checks (unique SKUs, related products, links, translations) need
every product first; `validate_catalog` does them on the drafts.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from shop.money import Money

from storefront.errors import ErrorList
from storefront.fields import SLUG, Fields, describe
from storefront.load_content import RawDocument, check_front_matter_end
from storefront.markdown import ParsedMarkdown, parse_markdown
from storefront.model import Option, Review, Variant, percent_off
from storefront.sku_format import SKU, SKU_EXPECTED
from storefront.validate_images import ImageDraft, read_images
from storefront.yaml_lines import YamlList, YamlMap

_GTIN = re.compile(r"^(?:\d{8}|\d{12,14})$")
_OPTION_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
PRODUCT_FIELDS = (
    "title", "summary", "category", "brand", "price", "compare_at", "sale_ends", "published",
    "updated", "featured", "gtin", "mpn", "images", "options", "variants", "sku", "stock",
    "specs", "features", "tags", "related", "reviews",
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
    images: tuple[ImageDraft, ...]
    tags: tuple[str, ...]
    related: tuple[tuple[str, int], ...]  # (slug, line) pairs, in order
    reviews: tuple[Review, ...]
    published: date
    updated: date
    featured: bool
    sale_ends: date | None


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
                "expected a [label, value] pair of texts like [Weight, 285 g], "
                f"got {describe(row)}",
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


def _options(doc: Fields, ctx: ProductContext) -> tuple[Option, ...] | None:
    options: list[Option] = []
    items = list(doc.records("options", required=False))
    for item in items:
        item.check_keys(("name", "label", "values"))
        name = item.pattern("name", _OPTION_NAME, "a lowercase name like size or color")
        label = item.text("label", required=False)
        values = item.texts("values", min_items=1)
        # Case aside too: Black and black would be two buttons that read the same.
        if values is not None and len({v.casefold() for v in values}) != len(values):
            item.error("values", f"expected each value once, got {', '.join(values)}")
            values = None
        if name is not None and any(o.name == name for o in options):
            item.error("name", f'duplicate option "{name}"')
            name = None
        if name is not None and values is not None:
            labels = dict.fromkeys(ctx.locales, label or name.capitalize())
            options.append(Option(name, labels, values))
    return tuple(options) if len(options) == len(items) else None


def _gtin(doc: Fields, key: str = "gtin") -> str | None:
    value = doc.pattern(key, _GTIN, "a GTIN of 8, 12, 13 or 14 digits", required=False)
    if value is None:
        return None
    digits = [int(d) for d in value]
    # GS1 check digit: weights 3,1,3,… from the right, excluding the check digit itself.
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    if (10 - total % 10) % 10 != digits[-1]:
        doc.error(key, f'expected a GTIN with a valid check digit, got "{value}"')
        return None
    return value


def _variant_options(item: Fields, options: tuple[Option, ...]) -> dict[str, str] | None:
    given = item.mapping("options")
    if given is None:
        return None
    declared = {o.name: o for o in options}
    given.check_keys(tuple(declared), "option")
    chosen: dict[str, str] = {}
    for option in options:
        value = given.data.get(option.name)
        allowed = ", ".join(option.values)
        if value is None:
            item.error(
                "options", f'missing a value for option "{option.name}"; expected one of {allowed}'
            )
            continue
        text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        if text is None or text not in option.values:
            given.error(option.name, f"expected one of {allowed}, got {describe(value)}")
            continue
        chosen[option.name] = text
    return chosen if len(chosen) == len(options) and len(given.data) == len(options) else None


def _variants(
    doc: Fields, ctx: ProductContext, options: tuple[Option, ...]
) -> tuple[Variant, ...] | None:
    price = doc.money("price", ctx.currency, required=False)
    compare_at = doc.money("compare_at", ctx.currency, required=False)
    mpn = doc.text("mpn", required=False)
    if not doc.has("variants"):
        if options:
            doc.error(
                "variants", "required field is missing: options are declared, so list the variants"
            )
            return None
        sku = doc.pattern("sku", SKU, SKU_EXPECTED)
        stock = doc.integer("stock")
        if price is None and not doc.has("price"):
            doc.error("price", "required field is missing; expected a decimal like 89.90")
        gtin = _gtin(doc)
        if sku is None or stock is None or price is None:
            return None
        if not _was_price_above(doc, "compare_at", compare_at, price):
            return None
        return (Variant(sku, {}, price, compare_at, stock, gtin, mpn),)
    if doc.has("sku") or doc.has("stock"):
        doc.error(
            "sku" if doc.has("sku") else "stock",
            "expected either sku and stock, or variants, not both",
        )
    if doc.has("gtin"):
        # A barcode names one variant: at the product's top it was silently dropped.
        doc.error("gtin", "expected a gtin on each variant (each has its own barcode), not here")
    if not options:
        doc.error("variants", "expected options to be declared: variants differ by option values")
        return None
    variants: list[Variant] = []
    combos: dict[tuple[str, ...], int] = {}
    items = list(doc.records("variants", min_items=1))
    for index, item in enumerate(items):
        item.check_keys(("sku", "options", "price", "compare_at", "stock", "gtin", "mpn"))
        sku = item.pattern("sku", SKU, SKU_EXPECTED)
        chosen = _variant_options(item, options)
        own_price = item.money("price", ctx.currency, required=False)
        own_compare = item.money("compare_at", ctx.currency, required=False)
        stock = item.integer("stock")
        gtin = _gtin(item)
        if own_price is None and not item.has("price") and not doc.has("price"):
            item.error("price", "required field is missing (the product gives no price either)")
        if chosen is not None:
            combo = tuple(chosen[o.name] for o in options)
            if combo in combos:
                item.error(
                    "options", f"same options as variants[{combos[combo]}] ({', '.join(combo)})"
                )
                chosen = None
            combos[combo] = index
        final_price = own_price or price
        final_compare = own_compare or compare_at
        if final_price is not None and final_compare is not None:
            # Named where it was written: on the variant, or the product's default.
            at, field = (item, "compare_at") if own_compare else (doc, "compare_at")
            # The product's price too: one message for every variant that inherits both.
            label = f"variants[{index}]" if not own_compare and own_price else None
            if not _was_price_above(at, field, final_compare, final_price, label):
                chosen = None
        if sku and chosen is not None and stock is not None and final_price is not None:
            # The product's mpn names its model, not a size or colour: shared by every
            # variant it made them duplicates to Google (which wants the most specific
            # part number), so a variant has its own or none (identifier_exists: no).
            own_mpn = item.text("mpn", required=False) or (mpn if len(items) == 1 else None)
            variants.append(
                Variant(sku, chosen, final_price, own_compare or compare_at, stock, gtin, own_mpn)
            )
    return tuple(variants) if len(variants) == len(items) else None


def _was_price_above(
    fields: Fields, key: str, was: Money | None, price: Money, variant: str | None = None
) -> bool:
    """Whether a "was" price is above the price; records an error when it is not.

    At or below the price no sale shows (and Google refuses such a sale price): the
    two prices were swapped, or the sale is over and compare_at was left behind.
    """
    if was is None or (percent_off(price, was) or 0) >= 1:
        return True
    whose = f" of {variant}" if variant else ""
    if was > price:
        # Below half a percent the discount shows as 0 %: no sale on the page or in the
        # feed, while the editor thought the product was on sale.
        fields.error(
            key,
            f'expected a "was" price at least 0.5 % above the price{whose} '
            f"({price.to_decimal_string()}), got {was.to_decimal_string()}: a smaller "
            "discount rounds to 0 % and shows no sale",
        )
        return False
    fields.error(
        key,
        f'expected a "was" price above the price{whose} ({price.to_decimal_string()}), '
        f"got {was.to_decimal_string()}; remove compare_at when the product is not on sale",
    )
    return False


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


def _sku_lines(data: YamlMap, count: int) -> tuple[tuple[str, int], ...]:
    """Field name and line of each variant's SKU, for the cross-file duplicate check."""
    variants = data.get("variants")
    if not isinstance(variants, YamlList):
        return tuple(("sku", data.line_of("sku")) for _ in range(count))
    return tuple(
        (f"variants[{index}].sku", item.line_of("sku"))
        if isinstance(item, YamlMap)
        else ("sku", data.line_of("sku"))
        for index, item in enumerate(variants[:count])
    )


def validate_product(
    slug: str, raw: RawDocument, ctx: ProductContext, errors: ErrorList
) -> ProductDraft | None:
    """Check one product file's own fields; None when any is wrong (errors recorded)."""
    doc = Fields(raw.data, raw.path, errors)
    doc.check_keys(PRODUCT_FIELDS)
    check_front_matter_end(raw, PRODUCT_FIELDS, errors)
    title, summary = doc.text("title"), doc.text("summary")
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
    options = _options(doc, ctx)
    variants = _variants(doc, ctx, options) if options is not None else None
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
        sku_lines=_sku_lines(raw.data, len(variants)),
        images=images,
        tags=tags,
        related=related,
        reviews=reviews,
        published=published,
        updated=updated or published,
        featured=doc.boolean("featured", False),
        sale_ends=sale_ends,
    )
