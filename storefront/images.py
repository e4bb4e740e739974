"""Responsive product images: every source photo in a few widths, as AVIF, WebP and JPEG.

Two steps, so that rendering never waits for an encoder:

- `plan_images` (cheap: hashes the source files) decides every variant's public
  name and pixel size; the `picture` macro turns the plan into `<picture>` markup.
- `generate_images` makes the files, in parallel, through a cache under
  `.cache/images/<source hash>/`: a source whose bytes were already encoded is
  never processed again, and cached files are never rewritten.

Variant names carry the hash of the source bytes and of the encoder settings
(`images/trail-shoe-1-640.3f9a1c2b7d.webp`), so they are served as immutable; all
variants of one source share that hash, which keeps srcset lists compressible.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path, PurePosixPath

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from storefront.errors import ContentError, ContentErrors
from storefront.image_cache import INDEX_NAME, mark_used, prune_cache
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


def _encode(source: Path, image: ResponsiveImage, entry: Path) -> str | None:
    """Encode every variant of `source` into the cache folder `entry`; an error message or None.

    Runs in a worker process. Files are written under temporary names and renamed,
    and the index last, so a crash or a concurrent build never leaves a half entry.
    """
    try:
        with PILImage.open(source) as opened:
            picture = ImageOps.exif_transpose(opened)
            picture.load()
    except (UnidentifiedImageError, OSError, PILImage.DecompressionBombError) as exc:
        return f"cannot decode the image ({exc}); expected a readable JPEG, PNG or WebP file"
    if picture.size != (image.width, image.height):
        return (
            f"expected {image.width}×{image.height} pixels as measured at validation, "
            f"decoded {picture.width}×{picture.height}"
        )
    if picture.mode.startswith("I;16") or picture.mode in ("I", "F"):
        picture = _to_8_bit_grey(picture)
    if picture.mode not in ("RGB", "RGBA"):  # CMYK, greyscale, palette (maybe transparent)
        transparent = "A" in picture.getbands() or "transparency" in picture.info
        picture = picture.convert("RGBA" if transparent else "RGB")
    entry.mkdir(parents=True, exist_ok=True)
    for pillow_format, _, mime, options in FORMATS:
        for variant in (v for v in image.variants if v.mime == mime):
            resized = picture.resize((variant.width, variant.height), PILImage.Resampling.LANCZOS)
            if pillow_format == "JPEG" and resized.mode == "RGBA":
                resized = _on_white(resized)  # JPEG has no alpha
            _save_atomically(
                entry / PurePosixPath(variant.path).name, resized, pillow_format, options
            )
    index = json.dumps([PurePosixPath(v.path).name for v in image.variants])
    _write_atomically(entry / INDEX_NAME, index.encode())
    return None


def _to_8_bit_grey(picture: PILImage.Image) -> PILImage.Image:
    """16-bit (or integer, float) greyscale scaled to 8 bits: converting clips, turning it white."""
    if picture.mode.startswith("I;16"):
        top = 65535.0
    else:
        extrema = picture.getextrema()
        top = float(max(extrema[1], 1)) if isinstance(extrema[1], int | float) else 255.0
    return picture.convert("F").point(lambda value: value * 255 / top).convert("L")


def _on_white(picture: PILImage.Image) -> PILImage.Image:
    """An RGBA picture flattened onto white, as it shows on the shop's white cards."""
    flat = PILImage.new("RGB", picture.size, "white")
    flat.paste(picture, mask=picture.getchannel("A"))
    return flat


def _save_atomically(
    target: Path, picture: PILImage.Image, pillow_format: str, options: dict[str, int | bool]
) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            picture.save(out, pillow_format, **options)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_atomically(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, target)


def is_cached(image: ResponsiveImage, cache_dir: Path) -> bool:
    """True when the cache holds every variant of `image` (its index was written last)."""
    entry = cache_dir / image.digest
    return (entry / INDEX_NAME).is_file() and all(
        (entry / PurePosixPath(v.path).name).is_file() for v in image.variants
    )


def generate_images(
    plan: ImagePlan, content_dir: Path, cache_dir: Path, workers: int = 0
) -> GeneratedImages:
    """Every variant's file: encoded (in parallel) for new sources, read from the cache else.

    Raises ContentErrors naming every source image that cannot be decoded.
    """
    missing = [image for image in plan.images.values() if not is_cached(image, cache_dir)]
    failures = _encode_all(missing, content_dir, cache_dir, workers or os.cpu_count() or 1)
    if failures:
        raise ContentErrors(
            ContentError(content_dir / image.src, None, "images", message)
            for image, message in failures
        )
    # Two source files with the same bytes and name stem (x.jpg, x.jpeg) name the same
    # variants (the name carries the bytes' hash): one file serves both.
    paths = {v.path: image for image in plan.images.values() for v in image.variants}
    files = tuple(
        OutputFile(path, (cache_dir / image.digest / PurePosixPath(path).name).read_bytes())
        for path, image in paths.items()
    )
    mark_used(cache_dir / image.digest for image in plan.images.values())
    prune_cache(cache_dir)
    return GeneratedImages(files, processed=len(missing), reused=len(plan.images) - len(missing))


def _encode_all(
    images: Iterable[ResponsiveImage], content_dir: Path, cache_dir: Path, workers: int
) -> list[tuple[ResponsiveImage, str]]:
    """Encode `images`, in `workers` processes when there is more than one; the failures."""
    jobs = [(content_dir / i.src, i, cache_dir / i.digest) for i in images]
    if len(jobs) <= 1 or workers <= 1:
        results = [_encode(*job) for job in jobs]
    else:
        # fork is cheap but only safe in a single-threaded process (a CLI build); the dev
        # server rebuilds from a thread beside others, so there workers are spawned.
        method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
        with ProcessPoolExecutor(min(workers, len(jobs)), get_context(method)) as pool:
            results = list(pool.map(_encode, *zip(*jobs, strict=True)))
    return [(job[1], message) for job, message in zip(jobs, results, strict=True) if message]


def thumbnail_path(plan: ImagePlan | None, src: str) -> str:
    """The path a thumbnail of `src` loads: a small variant, or the original without a plan."""
    public = image_path(src)
    image = plan.get(public) if plan is not None else None
    return image.thumbnail_src() if image is not None else public


def prepare_images(
    catalog: Catalog, cache_dir: Path | None
) -> tuple[ImagePlan | None, tuple[OutputFile, ...]]:
    """The build's image stage: the plan and the variant files, or (None, ()) without a cache."""
    if cache_dir is None:
        return None, ()
    plan = plan_images(catalog)
    try:
        return plan, generate_images(plan, catalog.content_dir, cache_dir).files
    except ContentErrors as failed:
        raise ContentErrors(_naming_users(error, catalog) for error in failed) from None


def _naming_users(error: ContentError, catalog: Catalog) -> ContentError:
    """The image's error, naming the product files that show it (the ones to fix or edit)."""
    users = sorted(
        product.source_path.as_posix()
        for product in catalog.products
        if any(catalog.content_dir / image.src == error.path for image in product.images)
    )
    if not users:
        return error
    return replace(error, message=f"{error.message}; used by {', '.join(users)}")
