"""Fixtures shared by the product cache and prevalidation tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from storefront import product_translations as product_translations_module
from storefront import validate_catalog as validate_catalog_module
from storefront.load_content import RawDocument
from storefront.validate_products import validate_product
from storefront.validate_translations import validate_product_translation

EXAMPLE = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A private copy of the example shop's content."""
    target = tmp_path / "content"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The slugs of the product files validated in this process (not taken from the cache)."""
    slugs: list[str] = []

    def counting(slug: str, *args: object, **kwargs: object) -> object:
        slugs.append(slug)
        return validate_product(slug, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validate_catalog_module, "validate_product", counting)
    return slugs


@pytest.fixture
def translated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The product translation files validated in this process (not taken from the cache)."""
    names: list[str] = []

    def counting(raw: RawDocument, *args: object, **kwargs: object) -> object:
        names.append(raw.relative)
        return validate_product_translation(raw, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(product_translations_module, "validate_product_translation", counting)
    return names
