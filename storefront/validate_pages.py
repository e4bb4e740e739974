"""Validate one content page file (pages/<slug>.md): title, description, date and body."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storefront.errors import ErrorList
from storefront.fields import Fields
from storefront.load_content import RawDocument, check_front_matter_end
from storefront.markdown import ParsedMarkdown, parse_markdown
from storefront.validate_translations import PAGE_FIELDS


@dataclass(frozen=True, slots=True)
class PageDraft:
    """A page whose own fields are valid; its body links are checked with everything else."""

    slug: str
    source: RawDocument
    title: str
    description: str
    updated: date
    body: ParsedMarkdown


def validate_page(slug: str, raw: RawDocument, errors: ErrorList) -> PageDraft | None:
    """Check a page's front matter and parse its body; None when anything is wrong."""
    doc = Fields(raw.data, raw.path, errors)
    doc.check_keys(PAGE_FIELDS)
    check_front_matter_end(raw, PAGE_FIELDS, errors)
    title = doc.text("title")
    description = doc.text("description")
    updated = doc.day("updated")
    body = parse_markdown(raw.body, raw.path, raw.body_line, errors)
    if title is None or description is None or updated is None:
        return None
    return PageDraft(slug, raw, title, description, updated, body)
