"""Stage 2 of the build: raw content → the frozen, typed `Catalog`, every error collected.

Order matters: catalog.yaml first (currency, locales and categories are what
products are checked against), then each file on its own, then the checks that
need every file (unique slugs and SKUs, related products, translations, links),
and only when nothing is wrong the Markdown is rendered per locale.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from storefront.errors import ErrorList
from storefront.load_content import RawContent, RawDocument, read_markdown_file
from storefront.markdown import (
    ParsedMarkdown,
    SiteLink,
    check_site_links,
    render_markdown,
    site_page_paths,
)
from storefront.model import Catalog, Image, Option, Page, PageText, Product, ProductText
from storefront.product_cache import ProductCache
from storefront.redirects import check_redirects, redirect_map
from storefront.urls import image_path
from storefront.validate_pages import PageDraft, validate_page
from storefront.validate_products import ProductContext, ProductDraft, validate_product
from storefront.validate_settings import Settings, validate_settings
from storefront.validate_translations import (
    FileName,
    PageTranslation,
    ProductTranslation,
    check_translation_target,
    read_file_name,
    validate_page_translation,
    validate_product_translation,
)
from storefront.yaml_lines import YamlList, YamlMap

_Split = tuple[dict[str, RawDocument], list[tuple[FileName, RawDocument]]]


def _split_files(files: Iterable[RawDocument], errors: ErrorList) -> _Split:
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
_SkuAt = tuple[Path, str, str, int]


def _draft_skus(draft: ProductDraft) -> list[_SkuAt]:
    return [
        (draft.path, variant.sku, field, line)
        for variant, (field, line) in zip(draft.variants, draft.sku_lines, strict=True)
    ]


def _written_skus(doc: RawDocument) -> list[_SkuAt]:
    """The SKUs as written in a file that had other errors (so no draft)."""
    found: list[_SkuAt] = []
    if isinstance(doc.data.get("sku"), str):
        found.append((doc.path, doc.data["sku"].strip(), "sku", doc.data.line_of("sku")))
    variants = doc.data.get("variants")
    if isinstance(variants, YamlList):
        for index, item in enumerate(variants):
            if isinstance(item, YamlMap) and isinstance(item.get("sku"), str):
                field = f"variants[{index}].sku"
                found.append((doc.path, item["sku"].strip(), field, item.line_of("sku")))
    return found


def _check_skus(skus: Iterable[_SkuAt], errors: ErrorList) -> None:
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


def _check_related(drafts: Iterable[ProductDraft], known: set[str], errors: ErrorList) -> None:
    for draft in drafts:
        for index, (slug, line) in enumerate(draft.related):
            field = f"related[{index}]"
            if slug == draft.slug:
                message = "expected another product, a product cannot be related to itself"
                errors.add(draft.path, line, field, message)
            elif slug not in known:
                errors.add(
                    draft.path,
                    line,
                    field,
                    f'unknown product "{slug}"; expected products/{slug}.md to exist',
                )


def _product(
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
        texts[locale] = ProductText(
            title=t.title or draft.title,
            summary=t.summary or draft.summary,
            body_html=translated_bodies.get(locale, bodies[locale]),
            features=draft.features if t.features is None else t.features,
            specs=draft.specs if t.specs is None else t.specs,
        )
        for index, image in enumerate(draft.images):
            alts[index][locale] = t.image_alts[index] if index < len(t.image_alts) else image.alt
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
        untranslated=frozenset(
            locale for locale in settings.locales[1:] if locale not in translations
        ),
    )


@dataclass
class _ProductTranslations:
    """The product translation files that validated, by slug and locale."""

    by_slug: dict[str, dict[str, ProductTranslation]] = dataclasses.field(default_factory=dict)
    # slug -> locale -> the translation's own body rendered (taken from the cache, or
    # rendered by `render_fresh` once the whole catalog is known to be valid).
    bodies: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)
    # (file, slug, locale) of those validated in this build, not taken from the cache.
    fresh: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)

    def links(self) -> Iterator[SiteLink]:
        """The site links of every translated body (checked with the other files' links)."""
        for by_locale in self.by_slug.values():
            for translation in by_locale.values():
                yield from translation.body.links if translation.body else ()

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
            html = _render(translation.body, locale, settings) if translation.body else None
            if html is not None:
                self.bodies.setdefault(slug, {})[locale] = html
            if cache is not None:
                cache.keep_translation(relative, product_files[slug].relative, translation, html)
        self.fresh = []


def _validate_product_translations(
    files: list[tuple[FileName, RawDocument]],
    product_files: Mapping[str, RawDocument],
    drafts: Mapping[str, ProductDraft],
    settings: Settings,
    content_dir: Path,
    cache: ProductCache | None,
    errors: ErrorList,
) -> _ProductTranslations:
    """Check each translation file against its product; cached results where reusable."""
    found = _ProductTranslations()
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


def _value_labels(
    option: str, translations: dict[str, ProductTranslation]
) -> dict[str, dict[str, str]]:
    """locale -> value -> translated text, for the locales that translate this option."""
    return {
        locale: dict(t.option_values[option])
        for locale, t in translations.items()
        if t.option_values.get(option)
    }


def _page(draft: PageDraft, translations: dict[str, PageTranslation], settings: Settings) -> Page:
    texts: dict[str, PageText] = {}
    bodies = render_bodies(draft.body, settings)
    for locale in settings.locales:
        t = translations.get(locale) or PageTranslation(locale, None, None, None)
        texts[locale] = PageText(
            title=t.title or draft.title,
            description=t.description or draft.description,
            body_html=_render(t.body, locale, settings) if t.body else bodies[locale],
        )
    return Page(draft.slug, draft.source.path, texts, draft.updated)


def _render(body: ParsedMarkdown, locale: str, settings: Settings) -> str:
    return render_markdown(body, locale, settings.default_locale, settings.locales)


def render_bodies(body: ParsedMarkdown, settings: Settings) -> dict[str, str]:
    """A body's HTML in every locale; rendered once when it has no page link to localize."""
    if any(not link.is_image for link in body.links):
        return {locale: _render(body, locale, settings) for locale in settings.locales}
    html = _render(body, settings.default_locale, settings)
    return dict.fromkeys(settings.locales, html)


def product_context(content_dir: Path, settings: Settings) -> ProductContext:
    """What each product file is checked against: catalog.yaml's currency, locales, categories."""
    return ProductContext(
        content_dir,
        settings.currency,
        settings.default_locale,
        settings.locales,
        # Without a readable catalog.yaml every category would look unknown: skip that check.
        settings.category_slugs,
        settings.store.name if settings.store else "",
    )


def _drop_locale_follow_ons(errors: ErrorList, catalog_yaml: Path) -> None:
    """With the store's locales unknown, leave out the errors that only repeat it.

    One mistyped locale (`[en, FR_fr]`) made every French name and every .fr.md file
    an error of its own: 96 lines, the one that mattered first among them. The same
    when catalog.yaml cannot be read at all (a YAML error, an empty file) or has no
    `store:`: the locales are then a guess.
    """
    fields = ("store.locales", "store.default_locale")
    unread = ("file", "yaml", "store")
    if not any(
        e.field.startswith(fields) or (e.path == catalog_yaml and e.field in unread)
        for e in errors.errors
    ):
        return
    errors.errors = [
        e
        for e in errors.errors
        if not e.message.startswith("unknown locale;")
        and not (e.field == "locale" and "see store.locales in catalog.yaml" in e.message)
    ]


def validate_catalog(
    raw: RawContent, errors: ErrorList, cache: ProductCache | None = None
) -> Catalog:
    """Validate everything; raise ContentErrors with every error found (including `errors`').

    Product files that `load_content` left unread (`cached`) take their draft and
    bodies from `cache`; files validated here without error are kept in it.
    """
    settings = validate_settings(raw.catalog, errors)
    ctx = product_context(raw.content_dir, settings)
    product_files, product_translation_files = _split_files(raw.products, errors)
    drafts: dict[str, ProductDraft] = {}
    bodies: dict[str, Mapping[str, str]] = {}
    unread = [doc.relative for doc in product_files.values() if doc.cached]
    reused = cache.take(unread) if cache is not None else {}
    for slug, doc in product_files.items():
        entry = reused.get(doc.relative)
        if entry is not None:
            drafts[slug], bodies[slug] = entry.draft, entry.bodies
            continue
        if doc.cached:  # left unread for an entry that turned out unusable: read it now
            doc = read_markdown_file(raw.content_dir, doc.relative, errors)
        draft = validate_product(slug, doc, ctx, errors) if doc.parsed else None
        if draft is not None:
            drafts[slug] = draft
    _check_skus(
        (
            at
            for slug, doc in product_files.items()
            for at in (_draft_skus(drafts[slug]) if slug in drafts else _written_skus(doc))
        ),
        errors,
    )
    _check_related(drafts.values(), set(product_files), errors)

    translations = _validate_product_translations(
        product_translation_files, product_files, drafts, settings, raw.content_dir, cache, errors
    )
    links: list[SiteLink] = [link for d in drafts.values() for link in d.body.links]
    links.extend(translations.links())

    page_files, page_translation_files = _split_files(raw.pages, errors)
    pages: dict[str, PageDraft] = {}
    for slug, doc in page_files.items():
        page = validate_page(slug, doc, errors) if doc.parsed else None
        if page is not None:
            pages[slug] = page
            links.extend(page.body.links)
    page_translations: dict[str, dict[str, PageTranslation]] = {}
    for name, doc in page_translation_files:
        known = check_translation_target(
            doc, name, page_files, settings.default_locale, settings.locales, errors
        )
        if known and doc.parsed and name.slug in pages and name.locale:
            source = page_files[name.slug]
            page_translation = validate_page_translation(doc, name.locale, source, errors)
            if page_translation is not None:
                page_translations.setdefault(name.slug, {})[name.locale] = page_translation
                links.extend(page_translation.body.links if page_translation.body else ())

    paths = site_page_paths([c.slug for c in settings.categories], product_files, page_files)
    images = {image_path(image.src) for draft in drafts.values() for image in draft.images}
    check_site_links(links, paths, settings.locales, images, errors)
    check_redirects(settings.redirects, paths, raw.catalog.path, errors)
    _drop_locale_follow_ons(errors, raw.catalog.path)
    errors.raise_if_any()
    # With no error recorded, every part of catalog.yaml was read successfully.
    assert settings.store is not None
    assert settings.shipping is not None
    assert settings.returns is not None
    # No error anywhere, so every draft validated here can be cached as it is.
    for slug, draft in drafts.items():
        if slug not in bodies:
            bodies[slug] = render_bodies(draft.body, settings)
            if cache is not None:
                cache.keep(product_files[slug].relative, draft, bodies[slug])
    translations.render_fresh(settings, product_files, cache)
    products = tuple(
        _product(
            drafts[s],
            translations.by_slug.get(s, {}),
            settings,
            bodies[s],
            translations.bodies.get(s, {}),
        )
        for s in sorted(drafts)
    )
    digests: dict[str, str] = {}
    if cache is not None:
        cache.forget_all_but(
            {doc.relative for doc in product_files.values()}
            | {doc.relative for _, doc in product_translation_files}
        )
        digests = _input_digests(cache, product_files, product_translation_files, drafts)
    return Catalog(
        content_dir=raw.content_dir,
        store=settings.store,
        categories=settings.categories,
        shipping=settings.shipping,
        returns=settings.returns,
        products=products,
        pages=tuple(_page(pages[s], page_translations.get(s, {}), settings) for s in sorted(pages)),
        redirects=redirect_map(settings.redirects),
        input_digests=(products, digests),
    )


def _input_digests(
    cache: ProductCache,
    product_files: dict[str, RawDocument],
    translation_files: list[tuple[FileName, RawDocument]],
    drafts: Mapping[str, ProductDraft],
) -> dict[str, str]:
    """Each product's digest from the files it is made from (see Catalog.input_digests)."""
    sources = {slug: [doc.relative] for slug, doc in product_files.items()}
    for name, doc in translation_files:
        sources.setdefault(name.slug, []).append(doc.relative)
    digests: dict[str, str] = {}
    for slug, draft in drafts.items():
        images = [PurePosixPath(image.src).as_posix() for image in draft.images]
        digest = cache.input_digest([*sources[slug], *images])
        if digest is None:
            return {}  # a file the scan did not see: digest the products themselves
        digests[slug] = digest
    return digests
