"""Product translation files (`slug.fr.md`) checked against their product, cached where reusable."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from storefront.errors import ErrorList
from storefront.load_content import RawDocument, read_markdown_file
from storefront.localized_content import render_in
from storefront.markdown import ParsedMarkdown
from storefront.product_cache import ProductCache
from storefront.validate_products import ProductDraft
from storefront.validate_settings import Settings
from storefront.validate_translations import (
    FileName,
    ProductTranslation,
    check_translation_target,
    validate_product_translation,
)


@dataclass
class ProductTranslations:
    """The product translation files that validated, by slug and locale."""

    by_slug: dict[str, dict[str, ProductTranslation]] = dataclasses.field(default_factory=dict)
    # slug -> locale -> the translation's own body rendered (taken from the cache, or
    # rendered by `render_fresh` once the whole catalog is known to be valid).
    bodies: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)
    # (file, slug, locale) of those validated in this build, not taken from the cache.
    fresh: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)

    def parsed_bodies(self) -> Iterator[ParsedMarkdown]:
        """Every translated body (its links are checked with the other files')."""
        for by_locale in self.by_slug.values():
            for translation in by_locale.values():
                if translation.body is not None:
                    yield translation.body

    def render_fresh(
        self,
        settings: Settings,
        product_files: Mapping[str, RawDocument],
        cache: ProductCache | None,
    ) -> None:
        """Render the bodies of the translations validated in this build, and cache them.

        Called once there is no error anywhere, as for product files: files are cached
        only then, so every error message is made afresh.
        """
        for relative, slug, locale in self.fresh:
            translation = self.by_slug[slug][locale]
            html = render_in(translation.body, locale, settings) if translation.body else None
            if html is not None:
                self.bodies.setdefault(slug, {})[locale] = html
            if cache is not None:
                cache.keep_translation(relative, product_files[slug].relative, translation, html)
        self.fresh = []


def validate_product_translations(
    files: list[tuple[FileName, RawDocument]],
    product_files: Mapping[str, RawDocument],
    drafts: Mapping[str, ProductDraft],
    settings: Settings,
    content_dir: Path,
    cache: ProductCache | None,
    errors: ErrorList,
) -> ProductTranslations:
    """Check each translation file against its product; cached results where reusable."""
    found = ProductTranslations()
    unread = [doc.relative for _, doc in files if doc.cached]
    reused = cache.take_translations(unread) if cache is not None else {}
    for name, doc in files:
        known = check_translation_target(
            doc, name, product_files, settings.default_locale, settings.locales, errors
        )
        if not (known and doc.parsed and name.slug in drafts and name.locale):
            continue
        cached = reused.get(doc.relative)
        if cached is not None:
            found.by_slug.setdefault(name.slug, {})[name.locale] = cached.translation
            if cached.body_html is not None:
                found.bodies.setdefault(name.slug, {})[name.locale] = cached.body_html
            continue
        if doc.cached:  # left unread for an entry that turned out unusable: read it now
            doc = read_markdown_file(content_dir, doc.relative, errors)
            if not doc.parsed:
                continue
        translation = validate_product_translation(doc, name.locale, drafts[name.slug], errors)
        if translation is not None:
            found.by_slug.setdefault(name.slug, {})[name.locale] = translation
            found.fresh.append((doc.relative, name.slug, name.locale))
    return found
