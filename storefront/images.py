"""Responsive product images: every source photo in a few widths, as AVIF, WebP and JPEG.

Two steps, so that rendering never waits for an encoder:

- `plan_images` (here; cheap: hashes the source files) decides every variant's public
  name and pixel size; the `picture` macro turns the plan into `<picture>` markup.
- `generate_images` (storefront/image_generation.py) makes the files, in parallel,
  through a cache under `.cache/images/<source hash>/`: a source whose bytes were
  already encoded is never processed again, and cached files are never rewritten.

Variant names carry the hash of the source bytes and of the encoder settings
(`images/trail-shoe-1-640.3f9a1c2b7d.webp`), so they are served as immutable; all
variants of one source share that hash, which keeps srcset lists compressible.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import PurePosixPath

from storefront.model import Catalog
from storefront.output import OutputFile
from storefront.urls import image_path

WIDTHS = (320, 640, 960, 1280)
# (format for Pillow, file extension, MIME type, encoder options), best compression first:
# a browser takes the first <source> it supports, and every one supports the JPEG <img>.
FORMATS: tuple[tuple[str, str, str, dict[str, int | bool]], ...] = (
    ("AVIF", "avif", "image/avif", {"quality": 55, "speed": 8}),
    ("WEBP", "webp", "image/webp", {"quality": 78, "method": 4}),
    ("JPEG", "jpg", "image/jpeg", {"quality": 80, "optimize": True, "progressive": True}),
)
# Part of every variant's hash: changing an encoder setting renames (and regenerates) them all.
# "version" is raised when the encoding changes without a setting changing (2: EXIF
# orientation applied, transparent palettes kept), so caches made before are not reused.
SETTINGS = json.dumps({"widths": WIDTHS, "formats": FORMATS, "version": 2}, sort_keys=True)
HASH_LENGTH = 10
# CSS pixels of the square thumbnails of the cart lines (site/assets/js/cart.js) and
# search results (search.js), which the snapshot and the search records point at.
THUMBNAIL_SIZE = 96


@dataclass(frozen=True, slots=True)
class ImageVariant:
    """One generated file: public path (no leading slash), pixel size and MIME type."""

    path: str
    width: int
    height: int
    mime: str


@dataclass(frozen=True, slots=True)
class ImageSource:
    """A `<source>` (or the `<img>` fallback) of a picture: its type and srcset."""

    mime: str
    srcset: str


@dataclass(frozen=True, slots=True)
class ResponsiveImage:
    """Every variant of one source image, and the markup pieces the `picture` macro needs."""

    src: str  # source path relative to content/, e.g. "images/trail-shoe-1.jpg"
    digest: str  # hash of the source bytes and SETTINGS: names the cache entry and the files
    width: int  # the source's pixel size (its aspect ratio is every variant's)
    height: int
    variants: tuple[ImageVariant, ...]

    def sources(self, mime: str, max_width: int | None = None) -> str:
        """The srcset of one format (`url 640w, …`), optionally only up to `max_width`."""
        chosen = [v for v in self.variants if v.mime == mime]
        if max_width is not None:
            chosen = [v for v in chosen if v.width <= max_width] or chosen[:1]
        return ", ".join(f"/{v.path} {v.width}w" for v in chosen)

    def picture_sources(self, max_width: int | None = None) -> tuple[ImageSource, ...]:
        """The `<source>` elements: every format but the JPEG fallback, best first."""
        return tuple(
            ImageSource(mime, self.sources(mime, max_width)) for _, _, mime, _ in FORMATS[:-1]
        )

    def fallback_srcset(self, max_width: int | None = None) -> str:
        """The JPEG srcset for the `<img>` itself."""
        return self.sources(FORMATS[-1][2], max_width)

    def thumbnail_src(self, size: int = THUMBNAIL_SIZE) -> str:
        """The smallest JPEG covering a `size` px square at 2x (object-fit: cover), or the largest.

        JPEG: every browser and Stripe Checkout (its line items show the snapshot's
        image) read it; a srcset with types would need markup cart.js does not make.
        """
        jpegs = [v for v in self.variants if v.mime == FORMATS[-1][2]]
        covering = [v for v in jpegs if min(v.width, v.height) >= 2 * size]
        return "/" + (covering[0] if covering else jpegs[-1]).path

    def fallback_src(self, max_width: int | None = None) -> str:
        """The JPEG an old browser (no srcset) loads: the widest within `max_width`."""
        jpegs = [v for v in self.variants if v.mime == FORMATS[-1][2]]
        fitting = [v for v in jpegs if max_width is None or v.width <= max_width] or jpegs[:1]
        return "/" + fitting[-1].path


@dataclass(frozen=True, slots=True)
class ImagePlan:
    """The responsive variants of every product image, by the original's public path."""

    images: dict[str, ResponsiveImage]  # "/images/trail-shoe-1.jpg" -> its variants

    def get(self, public_src: str) -> ResponsiveImage | None:
        """The variants of the image served at `public_src`, if it has any."""
        return self.images.get(public_src)


@dataclass(frozen=True, slots=True)
class GeneratedImages:
    """The files of every variant, and how many source images this run had to encode."""

    files: tuple[OutputFile, ...]
    processed: int  # sources encoded in this run
    reused: int  # sources whose variants came from the cache


def variant_widths(width: int) -> tuple[int, ...]:
    """The widths to generate for a source `width` pixels wide: never upscaled."""
    largest = min(width, WIDTHS[-1])
    return (*(w for w in WIDTHS if w < largest), largest)


def _digest(data: bytes) -> str:
    return hashlib.sha256(SETTINGS.encode() + b"\0" + data).hexdigest()[:HASH_LENGTH]


def plan_image(src: str, data: bytes, width: int, height: int) -> ResponsiveImage:
    """The variants of one source image of `width` × `height` pixels with bytes `data`."""
    digest = _digest(data)
    path = PurePosixPath(image_path(src).lstrip("/"))
    stem = path.with_suffix("").as_posix()
    variants = tuple(
        ImageVariant(f"{stem}-{w}.{digest}.{extension}", w, max(1, round(height * w / width)), mime)
        for _, extension, mime, _ in FORMATS
        for w in variant_widths(width)
    )
    return ResponsiveImage(src, digest, width, height, variants)


def plan_images(catalog: Catalog) -> ImagePlan:
    """Plan the variants of every product image (reads and hashes each source once)."""
    images: dict[str, ResponsiveImage] = {}
    for product in catalog.products:
        for image in product.images:
            public = image_path(image.src)
            if public not in images:
                data = (catalog.content_dir / image.src).read_bytes()
                images[public] = plan_image(image.src, data, image.width, image.height)
    return ImagePlan(images)


def thumbnail_path(plan: ImagePlan | None, src: str) -> str:
    """The path a thumbnail of `src` loads: a small variant, or the original without a plan."""
    public = image_path(src)
    image = plan.get(public) if plan is not None else None
    return image.thumbnail_src() if image is not None else public
