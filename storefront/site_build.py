"""The stages of one build after validation: images, plan, render, assets, indexes, root files.

Each stage makes only the output groups whose inputs changed (storefront/output_groups.py),
writing their changed files to the staging folder that storefront/pipeline.py applies.
"""

from __future__ import annotations

import time
from functools import cache, partial
from itertools import chain
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from storefront.build_state import STATE_NAME, BuildState, digest_bytes
from storefront.headers_manifest import manifest_bytes
from storefront.input_digest import (
    FileDigests,
    digest_value,
    page_key,
    product_digests,
    site_digest,
)
from storefront.model import Catalog
from storefront.output_groups import SiteOutputs
from storefront.progress import Progress
from storefront.snapshot import Thumbnail, snapshot_bytes
from storefront.urls import image_path

if TYPE_CHECKING:
    from storefront.render import Renderer


class SiteBuild:
    """The stages after validation: images, plan, render, assets, indexes."""

    def __init__(
        self,
        catalog: Catalog,
        site_dir: Path,
        code: str,
        theme: str,
        outputs: SiteOutputs,
        timings: dict[str, float],
        progress: Progress,
    ) -> None:
        self.catalog, self.site_dir, self.code, self.theme = catalog, site_dir, code, theme
        self.outputs, self.timings, self.progress = outputs, timings, progress
        self.snapshot: bytes | None = None  # catalog.json, when the catalog changed
        self.thumbnail: Thumbnail = image_path  # the snapshot's image of a product

    def make(self, image_cache: Path | None, content_files: FileDigests) -> None:
        """Make every group whose inputs changed, writing changed files to staging."""
        # Imported here, not at module level: `check` needs none of the rendering stack.
        from storefront.asset_cache import DEFAULT_ASSET_CACHE, load_assets
        from storefront.image_generation import prepare_images
        from storefront.images import thumbnail_path
        from storefront.index_groups import produce_indexes
        from storefront.render import Renderer
        from storefront.site_assets import product_images

        started = time.perf_counter()
        self.progress.start("images")
        plan, variants = prepare_images(self.catalog, image_cache)
        # Cached: every variant of a product asks for the same image's thumbnail.
        self.thumbnail = cache(partial(thumbnail_path, plan))
        self.progress.finish()
        self.timings["images"] = time.perf_counter() - started

        started = time.perf_counter()
        assets = load_assets(self.site_dir / "assets", self.code, DEFAULT_ASSET_CACHE)
        renderer = Renderer(self.catalog, self.site_dir, plan, assets)
        products = product_digests(self.catalog)
        site = site_digest(self.catalog, self.code, self.theme, plan)
        self.timings["plan"] = time.perf_counter() - started
        self._render(renderer, site, products)

        started = time.perf_counter()
        outputs = self.outputs
        outputs.produce("assets", self.theme, lambda: renderer.assets.files)
        sources = sorted({i.src for p in self.catalog.products for i in p.images})
        # The content scan digested every image already (unchanged ones not even read):
        # reading them all again cost a large shop gigabytes per build.
        originals = [(src, self._image_digest(src, content_files)) for src in sources]
        outputs.produce(
            "images",
            digest_value(plan, originals),
            lambda: chain(product_images(self.catalog), variants),
        )
        # The indexes and the snapshot read the catalog only, never the theme: a template
        # edit re-renders pages but leaves them as they are (storefront/index_groups.py).
        self.progress.start("sitemap, feeds and search index")
        self.snapshot = produce_indexes(
            outputs, self.catalog, self.code, products, thumbnail=self.thumbnail
        )
        self.progress.finish()
        self.timings["assets, images and indexes"] = time.perf_counter() - started

    def _image_digest(self, src: str, content_files: FileDigests) -> str:
        """An original image's digest: the content scan's, else read now (a file outside it)."""
        scanned = content_files.get(PurePosixPath(src).as_posix())
        if scanned is not None:
            return scanned[2]
        return digest_bytes((self.catalog.content_dir / src).read_bytes())

    def _render(self, renderer: Renderer, site: str, products: dict[str, str]) -> None:
        from storefront.render_pool import render_pages

        started = time.perf_counter()
        outputs, pages = self.outputs, renderer.pages
        keys: dict[str, str] = {}
        todo: list[int] = []
        for i, page in enumerate(pages):
            key = page_key(site, page.output, page.template, page.shows, page.detail, products)
            keys[page.output] = key
            if outputs.is_current(f"page:{page.output}", key):
                outputs.carry_over(f"page:{page.output}")
            else:
                todo.append(i)
        self.progress.start("render pages", len(todo))
        rendered = render_pages(
            renderer, pages, todo, outputs.previous_files, outputs.public, self.progress.advance
        )
        for done in rendered:
            written = [done.output] if done.written else []
            name = f"page:{done.output}"
            outputs.record(name, keys[done.output], {done.output: done.digest}, written)
        self.progress.finish()
        self.timings["render and write"] = time.perf_counter() - started


def stage_root_files(
    catalog: Catalog,
    staging: Path,
    snapshot: bytes | None,
    previous: BuildState | None,
    state: BuildState,
    thumbnail: Thumbnail,
) -> list[str]:
    """Stage catalog.json, manifest.json and the state file; the names that changed.

    The state file comes last: it is moved in last, after the files it describes.
    """
    old = previous.root_files if previous else {}
    made: dict[str, bytes] = {}
    if snapshot is not None or "catalog.json" not in old:
        made["catalog.json"] = (
            snapshot if snapshot is not None else snapshot_bytes(catalog, thumbnail=thumbnail)
        )
    made["manifest.json"] = manifest_bytes(list(state.public_files()))
    state.root_files = {name: d for name, d in old.items() if name not in made}
    changed: list[str] = []
    for name, data in made.items():
        state.root_files[name] = digest_bytes(data)
        if previous is None or old.get(name) != state.root_files[name]:
            (staging / name).write_bytes(data)
            changed.append(name)
    (staging / STATE_NAME).write_bytes(state.to_json())
    return [*changed, STATE_NAME]
