"""Product files validated in worker processes: the same catalog and the same errors as in one.

Each test copies the example shop's content and compares the catalog (or the
errors) made after `prevalidate_products` with a plain cold check that uses
neither the cache nor workers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from storefront import load_content as load_content_module
from storefront.errors import ContentErrors, ErrorList
from storefront.input_digest import content_digests
from storefront.load_content import load_content, worker_count
from storefront.model import Catalog
from storefront.pipeline import check_content
from storefront.product_cache import ProductCache
from storefront.product_prevalidation import prevalidate_products
from storefront.validate_catalog import validate_catalog

CODE = "code-digest"


def _products(content: Path) -> list[str]:
    """The default-locale product files' slugs, in file order."""
    return sorted(p.stem for p in (content / "products").glob("*.md") if "." not in p.stem)


def _open(content: Path) -> ProductCache:
    return ProductCache.open(None, content, CODE, content_digests(content, {}, 0))


def _load(content: Path, cache: ProductCache) -> Catalog:
    """What check_content does after prevalidation: read what the cache lacks, validate."""
    errors = ErrorList()
    return validate_catalog(load_content(content, errors, cache.reusable), errors, cache)


def _errors(load: Callable[[], Catalog]) -> list[str]:
    """The errors `load` raises, as printed."""
    with pytest.raises(ContentErrors) as raised:
        load()
    return [str(error) for error in raised.value]


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_workers_validate_every_product_and_the_catalog_equals_a_cold_load(
    content: Path, validated: list[str]
) -> None:
    cache = _open(content)

    added = prevalidate_products(cache, content, workers=2)
    catalog = _load(content, cache)

    assert added == len(_products(content))
    assert validated == []  # none validated again in this process
    assert catalog == check_content(content)
    # A second pass finds every file in the cache: nothing left for the workers.
    assert prevalidate_products(cache, content, workers=2) == 0


def test_files_with_errors_are_left_to_the_build_and_read_as_in_a_cold_load(
    content: Path, validated: list[str]
) -> None:
    products = content / "products"
    _break(products / "chalk-bag.md", "price:", "price: lots\nold_price:")
    (products / "crag-helmet.md").write_text("no front matter here\n", encoding="utf-8")
    cache = _open(content)

    added = prevalidate_products(cache, content, workers=2)

    assert added == len(_products(content)) - 2
    warm = _errors(lambda: _load(content, cache))
    validated_here = list(validated)
    cold = _errors(lambda: check_content(content))
    assert warm == cold
    assert any("chalk-bag.md" in error for error in cold)
    assert any("crag-helmet.md" in error for error in cold)
    # Only the broken files were validated here (the helmet has no front matter to validate).
    assert validated_here == ["chalk-bag"]


def test_an_error_in_catalog_yaml_leaves_every_product_to_the_build(content: Path) -> None:
    _break(content / "catalog.yaml", "currency:", "currency: euros\nold_currency:")
    cache = _open(content)

    assert prevalidate_products(cache, content, workers=2) == 0
    assert _errors(lambda: _load(content, cache)) == _errors(lambda: check_content(content))


def test_the_build_prevalidates_on_every_core_past_a_few_files(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validated: list[str]
) -> None:
    # The example shop is below the threshold: lower it, as if the shop were large.
    monkeypatch.setattr(load_content_module, "PARALLEL_FROM", 1)
    files = content_digests(content, {}, 0)

    catalog = check_content(content, files, CODE, tmp_path / "cache")
    validated_here = list(validated)

    assert catalog == check_content(content)
    # One core (or a threaded test runner, where forking is unsafe): validated here instead.
    in_workers = worker_count(len(_products(content))) > 1
    assert validated_here == ([] if in_workers else _products(content))
