"""Validate product files on every core, filling the product cache before the catalog is read.

A cold build (no cache yet, or catalog.yaml or the code changed) validates every
product file, and validation ran on one core: at 10,000 products it was most of
loading. Here the files the cache cannot serve are split among forked workers;
each reads, parses and validates its files one at a time, renders their bodies,
and sends back the cache entries (storefront/product_cache.py) of those that
validated without any error: pickled drafts, far lighter than raw documents.

The build then goes on exactly as with a warm cache: those files are not read
again, and every other file (one with an error, a translation) is read and
validated in this process in file order, so errors read as they would without
this step. The cross-file checks (slugs, SKUs, related, links, translations)
always run over every product.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from storefront.errors import ErrorList
from storefront.load_content import markdown_files, read_markdown_file, read_yaml_file, worker_count
from storefront.localized_content import render_bodies
from storefront.product_cache import CacheEntry, ProductCache
from storefront.validate_catalog import product_context
from storefront.validate_products import ProductContext, validate_product
from storefront.validate_settings import Settings, validate_settings
from storefront.validate_translations import read_file_name

_CHUNK = 200  # files per task: large enough to amortise a task, small enough to balance


@dataclass(frozen=True, slots=True)
class _Job:
    content_dir: Path
    context: ProductContext
    settings: Settings
    cache: ProductCache


_JOB: _Job | None = None  # set in the parent just before forking; workers read it


def prevalidate_products(cache: ProductCache, content_dir: Path, workers: int | None = None) -> int:
    """Add to `cache` every product file that validates cleanly in a worker; how many.

    Only when there are enough files to be worth the workers (`workers` forces a
    count) and catalog.yaml has no error: products are checked against it, and its
    errors are for the build to report.
    """
    global _JOB
    # Translations (`slug.fr.md`) are not cached: they are validated against their product.
    todo = [
        name
        for name in markdown_files(content_dir, "products")
        if not cache.reusable(name) and "." not in name.removeprefix("products/")[: -len(".md")]
    ]
    count = worker_count(len(todo)) if workers is None else workers
    if count <= 1 or not todo:
        return 0
    errors = ErrorList()
    settings = validate_settings(read_yaml_file(content_dir, "catalog.yaml", errors), errors)
    if errors:
        return 0
    chunks = [todo[i : i + _CHUNK] for i in range(0, len(todo), _CHUNK)]
    _JOB = _Job(content_dir, product_context(content_dir, settings), settings, cache)
    added = 0
    try:
        with ProcessPoolExecutor(count, mp_context=get_context("fork")) as pool:
            for entries in pool.map(_prevalidate_chunk, chunks):
                for relative, entry in entries:
                    cache.add(relative, entry)
                    added += 1
    finally:
        _JOB = None
    return added


def _prevalidate_chunk(names: list[str]) -> list[tuple[str, CacheEntry]]:
    """Worker: the cache entries of those of `names` that validate without an error."""
    job = _JOB
    assert job is not None
    made = []
    for relative in names:
        errors = ErrorList()  # this file's own: one error and it is left to the build
        doc = read_markdown_file(job.content_dir, relative, errors)
        name = read_file_name(doc, errors)
        if errors or name is None or not doc.parsed:
            continue
        draft = validate_product(name.slug, doc, job.context, errors)
        if errors or draft is None:
            continue
        entry = job.cache.entry(relative, draft, render_bodies(draft.body, job.settings))
        if entry is not None:
            made.append((relative, entry))
    return made
