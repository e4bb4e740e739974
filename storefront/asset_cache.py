"""The theme's minified assets, kept between builds in a cache folder.

Minifying the scripts (calmjs.parse renames locals) takes seconds, and every build
that renders a page needs the assets' hashed names and inline CSS. They depend only
on the files under site/assets/ and on the build code, so they are computed once per
(assets, code) digest and read back from `.cache/assets/` afterwards.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from storefront.input_digest import digest_value, tree_digest
from storefront.site_assets import SiteAssets, collect_assets

DEFAULT_ASSET_CACHE = Path(".cache/assets")  # relative to where the build runs, like dist/


def load_assets(assets_dir: Path, code: str, cache_dir: Path | None) -> SiteAssets:
    """`collect_assets(assets_dir)`, read from `cache_dir` when it was made before."""
    if cache_dir is None:
        return collect_assets(assets_dir)
    entry = cache_dir / f"{digest_value(tree_digest([assets_dir]), code)}.pickle"
    try:
        cached = pickle.loads(entry.read_bytes())  # noqa: S301 - our own cache folder
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        cached = None
    if isinstance(cached, SiteAssets):
        return cached
    assets = collect_assets(assets_dir)
    try:
        data = pickle.dumps(assets, protocol=pickle.HIGHEST_PROTOCOL)
    except pickle.PicklingError:  # a class re-imported since (a test session): skip caching
        return assets
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = entry.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, entry)  # a concurrent build never reads half an entry
    return assets
