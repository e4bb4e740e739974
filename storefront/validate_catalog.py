"""Stage 2 of the build: raw content → the frozen, typed `Catalog`, every error collected.

Order matters: catalog.yaml first (currency, locales and categories are what
products are checked against), then each file on its own, then the checks that
need every file (unique slugs and SKUs, related products, translations, links),
and only when nothing is wrong the Markdown is rendered per locale.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path, PurePosixPath

from storefront.catalog_checks import (
    References,
    check_gtins,
    check_related,
    check_skus,
    draft_skus,
    split_files,
    written_skus,
)
from storefront.errors import ErrorList
from storefront.load_content import RawContent, RawDocument, read_markdown_file
from storefront.localized_content import localized_page, localized_product, render_bodies
from storefront.markdown import ParsedMarkdown
from storefront.model import Catalog
from storefront.product_cache import ProductCache
from storefront.product_translations import validate_product_translations
from storefront.redirects import check_redirects, redirect_map
from storefront.scheduled import (
    check_links_to_scheduled,
    check_redirects_to_scheduled,
    scheduled_slugs,
)
from storefront.site_links import check_own_host_links, check_site_links, site_page_paths
from storefront.urls import image_path
from storefront.validate_pages import PageDraft, validate_page
from storefront.validate_products import ProductContext, ProductDraft, validate_product
from storefront.validate_settings import Settings, validate_settings
from storefront.validate_translations import (
    FileName,
    PageTranslation,
    check_translation_target,
    validate_page_translation,
)


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
    raw: RawContent,
    errors: ErrorList,
    cache: ProductCache | None = None,
    today: date | None = None,
) -> Catalog:
    """Validate everything; raise ContentErrors with every error found (including `errors`').

    Product files that `load_content` left unread (`cached`) take their draft and
    bodies from `cache`; files validated here without error are kept in it. Products
    published after `today` are validated but left out of the catalog (none when it
    is None: storefront/scheduled.py).
    """
    settings = validate_settings(raw.catalog, errors)
    ctx = product_context(raw.content_dir, settings)
    product_files, product_translation_files = split_files(raw.products, errors)
    drafts: dict[str, ProductDraft] = {}
    bodies: dict[str, Mapping[str, str]] = {}
    unread = [doc.relative for doc in product_files.values() if doc.cached]
    reused = cache.take(unread) if cache is not None else {}
    failed: list[References] = []
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
        elif doc.parsed:
            # Its related products and links are checked too: every error in one run.
            failed.append(References.as_written(slug, doc))
    check_skus(
        (
            at
            for slug, doc in product_files.items()
            for at in (draft_skus(drafts[slug]) if slug in drafts else written_skus(doc))
        ),
        errors,
    )
    check_gtins(drafts.values(), errors)
    references = [*(References.of_draft(d) for d in drafts.values()), *failed]
    check_related(references, set(product_files), errors)

    translations = validate_product_translations(
        product_translation_files, product_files, drafts, settings, raw.content_dir, cache, errors
    )
    # The parsed bodies whose links are checked once every file is known.
    linked_bodies: list[ParsedMarkdown] = list(translations.parsed_bodies())

    page_files, page_translation_files = split_files(raw.pages, errors)
    pages: dict[str, PageDraft] = {}
    for slug, doc in page_files.items():
        page = validate_page(slug, doc, errors) if doc.parsed else None
        if page is not None:
            pages[slug] = page
            linked_bodies.append(page.body)
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
                if page_translation.body is not None:
                    linked_bodies.append(page_translation.body)

    paths = site_page_paths([c.slug for c in settings.categories], product_files, page_files)
    images = {image_path(image.src) for draft in drafts.values() for image in draft.images}
    links = [link for r in references for link in r.links]
    links += [link for body in linked_bodies for link in body.links]
    check_site_links(links, paths, settings.locales, images, errors)
    scheduled = scheduled_slugs({slug: d.published for slug, d in drafts.items()}, today)
    check_links_to_scheduled(links, scheduled, settings.locales, errors)
    check_redirects_to_scheduled(settings.redirects, scheduled, raw.catalog.path, errors)
    if settings.store is not None:
        web_links = [link for r in references for link in r.web_links]
        web_links += [link for body in linked_bodies for link in body.web_links]
        check_own_host_links(web_links, settings.store.base_url, errors)
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
        localized_product(
            drafts[s],
            translations.by_slug.get(s, {}),
            settings,
            bodies[s],
            translations.bodies.get(s, {}),
        )
        for s in sorted(drafts)
        if s not in scheduled
    )
    digests: dict[str, str] = {}
    if cache is not None:
        cache.forget_all_but(
            {doc.relative for doc in product_files.values()}
            | {doc.relative for _, doc in product_translation_files}
        )
        shown = {slug: draft for slug, draft in drafts.items() if slug not in scheduled}
        digests = _input_digests(cache, product_files, product_translation_files, shown)
    return Catalog(
        content_dir=raw.content_dir,
        store=settings.store,
        categories=settings.categories,
        shipping=settings.shipping,
        returns=settings.returns,
        products=products,
        pages=tuple(
            localized_page(pages[s], page_translations.get(s, {}), settings) for s in sorted(pages)
        ),
        redirects=redirect_map(settings.redirects),
        input_digests=(products, digests),
        scheduled=scheduled,
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
