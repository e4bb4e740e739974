"""The minified theme assets are made once per (assets, code) digest and read back after."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from storefront import asset_cache
from storefront.asset_cache import load_assets
from storefront.site_assets import SiteAssets

ASSETS = Path(__file__).resolve().parents[2] / "site" / "assets"


def _refuse(_: Path) -> SiteAssets:
    raise AssertionError("collect_assets ran although the cache holds these assets")


def test_cached_assets_equal_fresh_ones_and_are_not_minified_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = load_assets(ASSETS, "code-1", cache)
    assert len(list(cache.glob("*.pickle"))) == 1

    monkeypatch.setattr(asset_cache, "collect_assets", _refuse)
    again = load_assets(ASSETS, "code-1", cache)

    assert again == first
    assert again.paths
    assert again.files


def test_a_changed_asset_or_code_makes_a_new_entry(tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    shutil.copytree(ASSETS, assets)
    cache = tmp_path / "cache"
    before = load_assets(assets, "code-1", cache)

    css = assets / "css" / "site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nbody{margin:0}\n", encoding="utf-8")
    after = load_assets(assets, "code-1", cache)
    load_assets(assets, "code-2", cache)

    assert after.paths["css/site.css"] != before.paths["css/site.css"]
    assert len(list(cache.glob("*.pickle"))) == 3


def test_an_unreadable_entry_is_made_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_assets(ASSETS, "code-1", cache)
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(b"not a pickle")

    assert load_assets(ASSETS, "code-1", cache) == first
