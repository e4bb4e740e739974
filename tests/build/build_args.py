"""The arguments `build.py build` parses into, for running the command in-process."""

from __future__ import annotations

import argparse
from pathlib import Path

from storefront.pipeline import DEFAULT_SITE_DIR


def build_args(
    content: Path, out: Path, site: Path = DEFAULT_SITE_DIR, live_stock: Path | None = None
) -> argparse.Namespace:
    """`build --no-images --content CONTENT --out OUT --site SITE`, incremental, quiet."""
    return argparse.Namespace(
        content=content,
        out=out,
        site=site,
        no_images=True,
        full=False,
        progress=False,
        live_stock=live_stock,
    )
