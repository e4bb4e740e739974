"""The on-site search index: a Pagefind bundle built from catalog records, plus a vocabulary.

Pagefind indexes one record per product and locale, made from the catalog's
clean text rather than from the rendered pages (no navigation, footer or
template text in the index). Pagefind has no typo tolerance, so the build also writes, per locale,
`/search/vocabulary.<locale>.json`: the distinct words of product titles,
category names, brands, tags and option values, most frequent first. The
search page (site/assets/js/search.js) corrects each unknown query word to the
closest vocabulary word and searches again.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import escape
from typing import Any, TypedDict

from babel.numbers import format_currency

from storefront.category_tree import category_trail
from storefront.html_text import plain_text
from storefront.model import Catalog, Page, Product
from storefront.output import OutputFile
from storefront.pagefind_bundle import ENTRY, normalize_bundle
from storefront.pagefind_service import PagefindService
from storefront.seo import hreflang
from storefront.urls import (
    category_route,
    content_page_route,
    image_path,
    localize,
    product_route,
)

PAGEFIND_DIR = "pagefind"
VOCABULARY_PATH = "search/vocabulary.{locale}.json"
VOCABULARY_FORMAT = 1
# Pagefind's own UI bundles and result highlighter: the shop ships its own search page script.
_UNUSED_BUNDLE_FILES = re.compile(r"^pagefind-((component-|modular-)?ui\.(js|css)|highlight\.js)$")
# The bundle's code (the same for every shard); the rest is index data.
_BUNDLE_CODE = re.compile(r"^(pagefind(-worker)?\.js|wasm\.[\w-]+\.pagefind)$")
# A word is a run of letters or digits; search.js tokenizes queries the same way
# (/[\p{L}\p{N}]+/gu after toLowerCase) so both sides agree on what a word is.
_WORD = re.compile(r"[^\W_]+")


class CategoryLink(TypedDict):
    """A category the search page can suggest: its name and URL in one locale."""

    name: str
    url: str


class Vocabulary(TypedDict):
    """The content of /search/vocabulary.<locale>.json."""

    format: int
    locale: str
    words: list[str]  # distinct lowercase words, most frequent first
    categories: list[CategoryLink]
    shards: list[str]  # bundle folders search.js merges into /pagefind/ (none for one shard)


class SearchIndexError(RuntimeError):
    """Pagefind did not index what the build gave it."""


@dataclass(frozen=True, slots=True)
class SearchRecord:
    """One product in one locale, as Pagefind indexes it."""

    url: str
    language: str
    content: str  # everything searchable but the title, which is meta["title"]
    meta: dict[str, str]
    filters: dict[str, list[str]]
    sort: dict[str, str] = field(default_factory=dict)


def words_of(text: str) -> list[str]:
    """The lowercase words of a text, as the vocabulary and search.js split it."""
    return [w for w in _WORD.findall(text.lower()) if len(w) >= 2]


def _price_text(product: Product, locale: str) -> str:
    amounts = sorted(v.price for v in product.variants)
    low = amounts[0]
    return format_currency(low.to_decimal(), low.currency, locale=locale)


def product_records(
    catalog: Catalog, product: Product, thumbnail: Callable[[str], str] = image_path
) -> Iterator[SearchRecord]:
    """The search records of one product: one per locale; `thumbnail` picks the result's image."""
    store = catalog.store
    for locale in store.locales:
        text = product.text(locale, store.default_locale)
        trail = [
            c.names.get(locale) or c.names[store.default_locale]
            for c in category_trail(catalog, product.category)
        ]
        option_values = [value for option in product.options for value in option.values]
        content = " ".join(
            part
            for part in (
                text.summary,
                product.brand,
                " ".join(trail),
                " ".join(product.tags),
                " ".join(option_values),
                " ".join(text.features),
                " ".join(f"{label} {value}" for label, value in text.specs),
                plain_text(text.body_html),
            )
            if part
        )
        image = product.images[0]
        meta = {
            "title": text.title,
            "image": thumbnail(image.src),
            "image_alt": image.alts.get(locale) or image.alts.get(store.default_locale) or "",
            "price": _price_text(product, locale),
            "category": trail[-1] if trail else "",
            "summary": text.summary,
            "kind": "product",
        }
        if product.on_sale:
            meta["on_sale"] = "true"
        yield SearchRecord(
            url=localize(product_route(product.slug), locale, store),
            language=hreflang(locale),  # what <html lang> says, so pagefind.js finds it
            content=content,
            meta=meta,
            filters={"category": trail, "brand": [product.brand]},
            sort={
                "price": str(min(v.price.amount for v in product.variants)),
                "published": product.published.isoformat(),
            },
        )


def page_records(catalog: Catalog, page: Page) -> Iterator[SearchRecord]:
    """The search records of one content page (shipping, returns…): one per locale."""
    store = catalog.store
    for locale in store.locales:
        text = page.text(locale, store.default_locale)
        yield SearchRecord(
            url=localize(content_page_route(page.slug), locale, store),
            language=hreflang(locale),
            content=" ".join(
                part for part in (text.description, plain_text(text.body_html)) if part
            ),
            meta={"title": text.title, "summary": text.description, "kind": "page"},
            filters={},
        )


def search_records(catalog: Catalog) -> list[SearchRecord]:
    """Every search record of the shop: products, then content pages (a shopper asks "returns")."""
    products = [r for product in catalog.products for r in product_records(catalog, product)]
    return products + [r for page in catalog.pages for r in page_records(catalog, page)]


def build_vocabulary(catalog: Catalog, locale: str, shards: list[str] | None = None) -> Vocabulary:
    """The correction vocabulary of one locale, plus category links for suggestions."""
    store = catalog.store
    counts: Counter[str] = Counter()
    for product in catalog.products:
        text = product.text(locale, store.default_locale)
        sources = [text.title, product.brand, *product.tags]
        sources += [value for option in product.options for value in option.values]
        # A product counts once per word, so frequency means "how many products".
        counts.update(set(words_of(" ".join(sources))))
    categories: list[CategoryLink] = []
    for category in catalog.categories:
        name = category.names.get(locale) or category.names[store.default_locale]
        counts.update(set(words_of(name)))
        categories.append(
            {"name": name, "url": localize(category_route(category.slug), locale, store)}
        )
    words = sorted(counts, key=lambda w: (-counts[w], w))
    return {
        "format": VOCABULARY_FORMAT,
        "locale": locale,
        "words": words,
        "categories": categories,
        "shards": shards or [],
    }


def record_page(record: SearchRecord) -> str:
    """A minimal HTML page carrying one record, in Pagefind's data-pagefind-* vocabulary."""

    def span(kind: str, key: str, value: str) -> str:
        return f'<span data-pagefind-{kind}="{escape(key)}">{escape(value)}</span>'

    tags = [
        *(span("meta", key, value) for key, value in record.meta.items()),
        *(span("filter", key, v) for key, values in record.filters.items() for v in values),
        *(span("sort", key, value) for key, value in record.sort.items()),
    ]
    return (
        f'<!doctype html><html lang="{escape(record.language)}"><head><meta charset="utf-8">'
        f"<title>{escape(record.meta.get('title', ''))}</title></head><body>"
        f"<div>{''.join(tags)}</div>"
        # The title as a heading: Pagefind weighs heading words above body words.
        f"<main data-pagefind-body><h1>{escape(record.meta.get('title', ''))}</h1>"
        f"<p>{escape(record.content)}</p></main></body></html>"
    )


def _index_language(records: list[SearchRecord]) -> dict[str, bytes]:
    """The Pagefind bundle of records that share one language, by path inside the bundle."""
    with PagefindService() as service:
        indexed = service.add_html_pages((r.url, record_page(r)) for r in records)
        if indexed != len(records):
            raise SearchIndexError(
                f"search index: expected {len(records)} records indexed, Pagefind indexed {indexed}"
            )
        # Asked for over the pipe: the service answers WriteFiles before its files are all
        # on disk, so reading them back right away could find pagefind-entry.json empty.
        files = service.files()
    return {path: data for path, data in files.items() if not _UNUSED_BUNDLE_FILES.match(path)}


def _merge_bundles(bundles: list[dict[str, bytes]]) -> dict[str, bytes]:
    """One bundle from per-language bundles: their files, and one entry listing every language."""
    merged: dict[str, bytes] = {}
    languages: dict[str, Any] = {}
    for bundle in bundles:
        for path, data in bundle.items():
            if path == ENTRY:
                entry = json.loads(data)
                languages.update(entry["languages"])
            elif merged.setdefault(path, data) != data:
                raise SearchIndexError(f"search index: two languages gave different {path}")
    if bundles:
        entry["languages"] = languages
        merged[ENTRY] = json.dumps(entry).encode("utf-8")
    return merged


def build_pagefind_bundle(
    records: Iterable[SearchRecord], directory: str = PAGEFIND_DIR, *, with_code: bool = True
) -> Iterator[OutputFile]:
    """The Pagefind bundle (index, fragments, filters, pagefind.js, wasm) for these records.

    Each record goes to the service as a tiny HTML page (so the title weighs as a
    heading), straight from memory. Each language is indexed by its own service
    process, all at once: Pagefind's bundles are per language anyway, and the
    processes run on their own cores while this one waits. (The service holds every
    record it indexes in memory, which is why a large shop's index is sharded:
    storefront/search_shards.py.) The merged bundle is then put in a stable order, so
    the same records give the same names and bytes. Without `with_code`, only the
    index data is kept (a merged shard uses the primary bundle's script and wasm).
    """
    by_language: dict[str, list[SearchRecord]] = {}
    for record in records:
        by_language.setdefault(record.language, []).append(record)
    with ThreadPoolExecutor(max_workers=max(1, len(by_language))) as pool:
        bundles = list(pool.map(_index_language, by_language.values()))
    bundle = normalize_bundle(_merge_bundles(bundles))
    for name in sorted(bundle):
        if with_code or not _BUNDLE_CODE.match(name):
            yield OutputFile(f"{directory}/{name}", bundle[name])


def vocabulary_file(catalog: Catalog, locale: str, shards: list[str]) -> OutputFile:
    """/search/vocabulary.<locale>.json, naming the index shards the search page merges."""
    vocabulary = build_vocabulary(catalog, locale, shards)
    data = json.dumps(vocabulary, ensure_ascii=False, separators=(",", ":")).encode()
    return OutputFile(VOCABULARY_PATH.format(locale=locale), data)


def build_search_index(catalog: Catalog) -> Iterator[OutputFile]:
    """The search outputs: every shard of the Pagefind index and one vocabulary per locale."""
    from storefront.search_shards import build_shard, plan_shards, shard_urls

    shards = plan_shards(catalog)
    for shard in shards:
        yield from build_shard(catalog, shard)
    for locale in catalog.store.locales:
        yield vocabulary_file(catalog, locale, shard_urls(shards))
