"""The checks that need every content file: one file per slug, every SKU once, related products.

A file with other errors still takes part (its SKUs as written), so fixing one
error never brings a second to light.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from storefront.errors import ErrorList
from storefront.fields import Fields
from storefront.load_content import RawDocument
from storefront.markdown import SiteLink, parse_markdown
from storefront.validate_products import ProductDraft, read_related
from storefront.validate_translations import FileName, read_file_name
from storefront.yaml_lines import YamlList, YamlMap

SplitFiles = tuple[dict[str, RawDocument], list[tuple[FileName, RawDocument]]]


def split_files(files: Iterable[RawDocument], errors: ErrorList) -> SplitFiles:
    """Default-locale files by slug, and translation files; duplicate slugs are errors."""
    base: dict[str, RawDocument] = {}
    translations: list[tuple[FileName, RawDocument]] = []
    seen_translations: dict[tuple[str, str], RawDocument] = {}
    for raw in files:
        name = read_file_name(raw, errors)
        if name is None:
            continue
        if name.locale is None:
            other = base.get(name.slug)
        else:
            other = seen_translations.get((name.slug, name.locale))
        if other is not None:
            folder = raw.relative.split("/", 1)[0]
            errors.add(
                raw.path,
                1,
                "slug",
                f'duplicate slug "{name.slug}": {other.path.as_posix()} already makes '
                f"/{folder}/{name.slug}/; expected one file per slug "
                "(file names are not case-sensitive)",
            )
            continue
        if name.locale is None:
            base[name.slug] = raw
        else:
            seen_translations[(name.slug, name.locale)] = raw
            translations.append((name, raw))
    return base, translations


# (file, SKU, field, line) of each SKU a product file gives.
SkuAt = tuple[Path, str, str, int]


def draft_skus(draft: ProductDraft) -> list[SkuAt]:
    """The SKUs of a product file that validated, each with where it is written."""
    return [
        (draft.path, variant.sku, field, line)
        for variant, (field, line) in zip(draft.variants, draft.sku_lines, strict=True)
    ]


def written_skus(doc: RawDocument) -> list[SkuAt]:
    """The SKUs as written in a file that had other errors (so no draft)."""
    found: list[SkuAt] = []
    if isinstance(doc.data.get("sku"), str):
        found.append((doc.path, doc.data["sku"].strip(), "sku", doc.data.line_of("sku")))
    variants = doc.data.get("variants")
    if isinstance(variants, YamlList):
        for index, item in enumerate(variants):
            if isinstance(item, YamlMap) and isinstance(item.get("sku"), str):
                field = f"variants[{index}].sku"
                found.append((doc.path, item["sku"].strip(), field, item.line_of("sku")))
    return found


def check_skus(skus: Iterable[SkuAt], errors: ErrorList) -> None:
    """Every SKU once in the whole shop, from valid files and from those with other errors.

    A file with another error still reports a SKU it shares: fixing the first error
    must not bring a second one to light.
    """
    owners: dict[str, tuple[Path, int]] = {}
    for path, sku, field, line in skus:
        if not sku:
            continue
        if sku in owners:
            first_path, first = owners[sku]
            errors.add(
                path,
                line,
                field,
                f'duplicate SKU "{sku}", already used at {first_path.as_posix()}:{first}; '
                "expected every SKU once in the whole shop",
            )
        else:
            owners[sku] = (path, line)


def check_gtins(drafts: Iterable[ProductDraft], errors: ErrorList) -> None:
    """Every barcode once in the shop: to Google, two items with one GTIN are one product.

    A GTIN-12 and the GTIN-13 or -14 with leading zeros are the same barcode.
    """
    owners: dict[str, tuple[Path, int]] = {}
    for draft in drafts:
        for variant, (field, line) in zip(draft.variants, draft.gtin_lines, strict=True):
            if not variant.gtin:
                continue
            barcode = variant.gtin.zfill(14)
            if barcode in owners:
                first_path, first = owners[barcode]
                errors.add(
                    draft.path,
                    line,
                    field,
                    f'duplicate GTIN "{variant.gtin}" (barcode), already given at '
                    f"{first_path.as_posix()}:{first}; expected each item's own barcode",
                )
            else:
                owners[barcode] = (draft.path, line)


@dataclass(frozen=True, slots=True)
class References:
    """What a product file points at: related products (slug, line) and its body's links."""

    slug: str
    path: Path
    related: tuple[tuple[str, int], ...]
    links: tuple[SiteLink, ...]
    web_links: tuple[SiteLink, ...]  # written as full addresses (https://…)

    @classmethod
    def of_draft(cls, draft: ProductDraft) -> References:
        """The references of a product file that validated."""
        return cls(draft.slug, draft.path, draft.related, draft.body.links, draft.body.web_links)

    @classmethod
    def as_written(cls, slug: str, doc: RawDocument) -> References:
        """The references of a file with other errors, so they are checked in the same run.

        Its own errors were reported by its validation: these are read for the checks
        across files only (an unknown related product, a link to no page).
        """
        scratch = ErrorList()
        related = read_related(Fields(doc.data, doc.path, scratch))
        body = parse_markdown(doc.body, doc.path, doc.body_line, scratch)
        # Not its image links: whether an image is published depends on the images of
        # the products that validated, which this one's own are not among.
        site = tuple(ln for ln in body.links if not ln.is_image)
        return cls(slug, doc.path, related, site, body.web_links)


def check_related(references: Iterable[References], known: set[str], errors: ErrorList) -> None:
    """Each related product an existing other product."""
    for draft in references:
        for index, (slug, line) in enumerate(draft.related):
            field = f"related[{index}]"
            if slug == draft.slug:
                message = "expected another product, a product cannot be related to itself"
                errors.add(draft.path, line, field, message)
            elif slug not in known:
                close = difflib.get_close_matches(slug, sorted(known), n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                errors.add(
                    draft.path,
                    line,
                    field,
                    f'unknown product "{slug}"; expected products/{slug}.md to exist{hint}',
                )
