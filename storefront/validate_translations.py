"""File names (slug and locale) and translation files: `<slug>.<locale>.md` for products and pages.

A translation may only change text. Anything else (a price, a SKU, a date) is
an error rather than silently ignored, so an editor never believes they changed
what the shop charges in one language.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from storefront.errors import ErrorList
from storefront.fields import SLUG, SLUG_MAX, Fields
from storefront.load_content import RawDocument, check_front_matter_end
from storefront.markdown import ParsedMarkdown, parse_markdown
from storefront.validate_products import PRODUCT_FIELDS, ProductDraft, read_specs

PRODUCT_TEXT_FIELDS = (
    "title", "summary", "features", "specs", "image_alts", "option_labels", "option_values",
)  # fmt: skip
PAGE_FIELDS = ("title", "description", "updated")
PAGE_TEXT_FIELDS = ("title", "description")


@dataclass(frozen=True, slots=True)
class FileName:
    """What a content file's name says: the slug it defines and, for a translation, the locale."""

    slug: str
    locale: str | None  # None for the default-locale file


def read_file_name(raw: RawDocument, errors: ErrorList) -> FileName | None:
    """`trail-shoe.md` → (trail-shoe, None); `trail-shoe.fr.md` → (trail-shoe, fr).

    The slug is the lowercased file name, so `Trail-Shoe.md` and `trail-shoe.md`
    collide (and are reported) instead of becoming two pages that differ in case.
    """
    file_name = raw.relative.rpartition("/")[2]  # not PurePosixPath: 20,000 files per build
    stem = file_name.removesuffix(".md")
    parts = stem.split(".")
    slug = parts[0].lower()
    if len(parts) > 2 or not SLUG.match(slug):
        errors.add(
            raw.path,
            1,
            "slug",
            "expected a file name like trail-shoe.md or trail-shoe.fr.md (lowercase letters, "
            f'digits and hyphens, at most {SLUG_MAX} before .md), got "{file_name}"',
        )
        return None
    return FileName(slug, parts[1] if len(parts) == 2 else None)


def check_translation_target(
    raw: RawDocument,
    name: FileName,
    known: Collection[str],
    default_locale: str,
    locales: Collection[str],
    errors: ErrorList,
) -> bool:
    """True when a translation's locale is a store locale and its slug an existing file."""
    ok = True
    folder = PurePosixPath(raw.relative).parent.as_posix()
    if name.locale not in locales or name.locale == default_locale:
        others = ", ".join(loc for loc in locales if loc != default_locale) or "none"
        errors.add(
            raw.path,
            1,
            "locale",
            f'"{name.locale}" is not one of the store\'s other locales (expected one of: {others};'
            " see store.locales in catalog.yaml)",
        )
        ok = False
    if name.slug not in known:
        what = "product" if folder == "products" else "page"
        errors.add(
            raw.path,
            1,
            "slug",
            f'translation of an unknown {what} "{name.slug}"; expected {folder}/{name.slug}.md '
            "to exist",
        )
        ok = False
    return ok


def _only_text(
    doc: Fields, text_fields: tuple[str, ...], all_fields: Collection[str], source: str
) -> None:
    """Report every key that is not a translatable text field."""
    for key in doc.data:
        if key in text_fields:
            continue
        if key in all_fields:
            doc.error(
                key,
                f"only text fields can be translated ({', '.join(text_fields)} and the body); "
                f"{key} comes from {source}",
            )
        else:
            close = difflib.get_close_matches(key, text_fields, n=1)
            hint = (
                f'did you mean "{close[0]}"?'
                if close
                else f"expected one of {', '.join(text_fields)}"
            )
            doc.error(key, f"unknown field; {hint}")


def _body(raw: RawDocument, errors: ErrorList) -> ParsedMarkdown | None:
    """The translated body, or None to keep the default locale's body."""
    return parse_markdown(raw.body, raw.path, raw.body_line, errors) if raw.body.strip() else None


def _option_values(doc: Fields, draft: ProductDraft) -> dict[str, dict[str, str]]:
    """`option_values: {color: {Black: Noir}}`: only declared options and values."""
    given = doc.mapping("option_values", required=False)
    if given is None:
        return {}
    given.check_keys(tuple(o.name for o in draft.options), "option")
    result: dict[str, dict[str, str]] = {}
    for option in draft.options:
        values = given.mapping(option.name, required=False)
        if values is None:
            continue
        values.check_keys(option.values, "value")
        texts = {value: values.text(value, required=False) for value in option.values}
        result[option.name] = {value: text for value, text in texts.items() if text}
        # Two values shown alike in this language are two buttons no shopper can tell apart.
        shown: dict[str, str] = {}
        for value in option.values:
            text = result[option.name].get(value, value)
            other = shown.setdefault(text.casefold(), value)
            if other != value:
                given.error(
                    option.name,
                    f'expected {other} and {value} to read differently, both read "{text}"',
                )
    return result


@dataclass(frozen=True, slots=True)
class ProductTranslation:
    """The text a translation file gives; None/empty where it keeps the default text."""

    locale: str
    title: str | None = None
    summary: str | None = None
    features: tuple[str, ...] | None = None
    specs: tuple[tuple[str, str], ...] | None = None
    image_alts: tuple[str, ...] = ()
    option_labels: Mapping[str, str] = field(default_factory=dict)
    option_values: Mapping[str, Mapping[str, str]] = field(
        default_factory=dict
    )  # name -> value -> text
    body: ParsedMarkdown | None = None


def _image_alts(doc: Fields, draft: ProductDraft) -> tuple[str, ...]:
    """The translated alt text of each image, in the product's image order ("": none given).

    Written as a list, one per image in order, or as a map from each image's `src`,
    which stays right when the product's images are reordered.
    """
    if isinstance(doc.data.get("image_alts"), dict):
        given = doc.mapping("image_alts", required=False)
        if given is None:
            return ()
        given.check_keys(tuple(image.src for image in draft.images), "image (its src)")
        return tuple(given.text(image.src, required=False) or "" for image in draft.images)
    alts = doc.texts("image_alts", required=False) or ()
    if len(alts) > len(draft.images):
        doc.error(
            "image_alts",
            f"expected at most {len(draft.images)} alt text(s), one per image in order, "
            f"got {len(alts)} (inside [ ], a comma starts the next text: quote an alt text "
            'that contains one, ["Corde bleue, lovée"])',
        )
    return alts


def validate_product_translation(
    raw: RawDocument, locale: str, draft: ProductDraft, errors: ErrorList
) -> ProductTranslation | None:
    """Check a product translation against its product; None when it has errors."""
    before = len(errors)
    doc = Fields(raw.data, raw.path, errors)
    _only_text(doc, PRODUCT_TEXT_FIELDS, PRODUCT_FIELDS, draft.path.as_posix())
    check_front_matter_end(raw, (*PRODUCT_FIELDS, *PRODUCT_TEXT_FIELDS), errors)
    alts = _image_alts(doc, draft)
    labels: dict[str, str] = {}
    given = doc.mapping("option_labels", required=False)
    if given is not None:
        given.check_keys(tuple(o.name for o in draft.options), "option")
        for option in draft.options:
            label = given.text(option.name, required=False)
            if label:
                labels[option.name] = label
    result = ProductTranslation(
        locale=locale,
        title=doc.text("title", required=False),
        summary=doc.text("summary", required=False),
        features=doc.texts("features", required=False) if doc.has("features") else None,
        specs=read_specs(doc) if doc.has("specs") else None,
        image_alts=alts,
        option_labels=labels,
        option_values=_option_values(doc, draft),
        body=parse_markdown(raw.body, raw.path, raw.body_line, errors)
        if raw.body.strip()
        else None,
    )
    return result if len(errors) == before else None


@dataclass(frozen=True, slots=True)
class PageTranslation:
    """A page's title, description and body in another locale."""

    locale: str
    title: str | None
    description: str | None
    body: ParsedMarkdown | None


def validate_page_translation(
    raw: RawDocument, locale: str, source: RawDocument, errors: ErrorList
) -> PageTranslation | None:
    """Check a page translation; None when it has errors."""
    before = len(errors)
    doc = Fields(raw.data, raw.path, errors)
    _only_text(doc, PAGE_TEXT_FIELDS, PAGE_FIELDS, source.path.as_posix())
    check_front_matter_end(raw, PAGE_FIELDS, errors)
    result = PageTranslation(
        locale=locale,
        title=doc.text("title", required=False),
        description=doc.text("description", required=False),
        body=parse_markdown(raw.body, raw.path, raw.body_line, errors)
        if raw.body.strip()
        else None,
    )
    return result if len(errors) == before else None
