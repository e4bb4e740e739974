"""Validated drafts and their translations -> the model's Product and Page, in every locale.

Every locale gets complete text, falling back field by field to the default
locale; bodies are rendered per locale so their site links stay in that locale.
"""

from __future__ import annotations

from collections.abc import Mapping

from storefront.markdown import ParsedMarkdown, render_markdown
from storefront.model import Image, Option, Page, PageText, Product, ProductText
from storefront.validate_pages import PageDraft
from storefront.validate_products import ProductDraft
from storefront.validate_settings import Settings
from storefront.validate_translations import PageTranslation, ProductTranslation


def localized_product(
    draft: ProductDraft,
    translations: dict[str, ProductTranslation],
    settings: Settings,
    bodies: Mapping[str, str],
    translated_bodies: Mapping[str, str],
) -> Product:
    """The product in every locale.

    `bodies` is the draft's own body rendered per locale, `translated_bodies` the
    translations' own bodies (locale -> HTML; a translation without one keeps the draft's).
    """
    default = settings.default_locale
    texts: dict[str, ProductText] = {}
    alts: list[dict[str, str]] = [{} for _ in draft.images]
    labels: list[dict[str, str]] = [{} for _ in draft.options]
    # Every locale gets complete text, falling back field by field to the default
    # locale; the body is rendered per locale so its site links stay in that locale.
    for locale in settings.locales:
        t = translations.get(locale) or ProductTranslation(locale)
        own = {
            "title": bool(t.title),
            "summary": bool(t.summary),
            "body_html": locale in translated_bodies,
            "features": t.features is not None,
            "specs": t.specs is not None,
        }
        texts[locale] = ProductText(
            title=t.title or draft.title,
            summary=t.summary or draft.summary,
            body_html=translated_bodies.get(locale, bodies[locale]),
            features=draft.features if t.features is None else t.features,
            specs=draft.specs if t.specs is None else t.specs,
            fallback_fields=_fallbacks(own, locale, settings),
        )
        for index, image in enumerate(draft.images):
            given = t.image_alts[index] if index < len(t.image_alts) else ""
            alts[index][locale] = given or image.alt
        for index, option in enumerate(draft.options):
            labels[index][locale] = t.option_labels.get(option.name) or option.labels[default]
    return Product(
        slug=draft.slug,
        source_path=draft.path,
        category=draft.category,
        brand=draft.brand,
        texts=texts,
        options=tuple(
            Option(o.name, labels[i], o.values, _value_labels(o.name, translations))
            for i, o in enumerate(draft.options)
        ),
        variants=draft.variants,
        images=tuple(
            Image(img.src, alts[i], img.width, img.height) for i, img in enumerate(draft.images)
        ),
        tags=draft.tags,
        related=tuple(slug for slug, _ in draft.related),
        reviews=draft.reviews,
        published=draft.published,
        updated=draft.updated,
        featured=draft.featured,
        sale_ends=draft.sale_ends,
        gender=draft.gender,
        age_group=draft.age_group,
        mpn=draft.mpn,
        untranslated=frozenset(
            locale for locale in settings.locales[1:] if locale not in translations
        ),
    )


def _value_labels(
    option: str, translations: dict[str, ProductTranslation]
) -> dict[str, dict[str, str]]:
    """locale -> value -> translated text, for the locales that translate this option."""
    return {
        locale: dict(t.option_values[option])
        for locale, t in translations.items()
        if t.option_values.get(option)
    }


def localized_page(
    draft: PageDraft, translations: dict[str, PageTranslation], settings: Settings
) -> Page:
    """The content page in every locale, noting those its translations leave out."""
    texts: dict[str, PageText] = {}
    bodies = render_bodies(draft.body, settings)
    for locale in settings.locales:
        t = translations.get(locale) or PageTranslation(locale, None, None, None)
        own = {"title": bool(t.title), "description": bool(t.description), "body_html": t.body}
        texts[locale] = PageText(
            title=t.title or draft.title,
            description=t.description or draft.description,
            body_html=render_in(t.body, locale, settings) if t.body else bodies[locale],
            fallback_fields=_fallbacks(own, locale, settings),
        )
    untranslated = frozenset(
        locale for locale in settings.locales[1:] if locale not in translations
    )
    return Page(draft.slug, draft.source.path, texts, draft.updated, untranslated)


def _fallbacks(own: Mapping[str, object], locale: str, settings: Settings) -> tuple[str, ...]:
    """The fields a text in `locale` shows in the default locale's words, sorted: not `own`."""
    if locale == settings.default_locale:
        return ()
    return tuple(sorted(name for name, given in own.items() if not given))


def render_in(body: ParsedMarkdown, locale: str, settings: Settings) -> str:
    """A parsed body's HTML in `locale` (its site links in that locale)."""
    return render_markdown(body, locale, settings.default_locale, settings.locales)


def render_bodies(body: ParsedMarkdown, settings: Settings) -> dict[str, str]:
    """A body's HTML in every locale; rendered once when it has no page link to localize."""
    if any(not link.is_image for link in body.links):
        return {locale: render_in(body, locale, settings) for locale in settings.locales}
    html = render_in(body, settings.default_locale, settings)
    return dict.fromkeys(settings.locales, html)
