"""Making the planned image variants (storefront/images.py): encoded once, cached by source hash.

Each source photo's variants are encoded in a worker process into
`.cache/images/<source hash>/`, written under temporary names and renamed, the index
last, so a crash or a concurrent build never leaves a half entry; a source whose bytes
were encoded before is read back from there, never processed again.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path, PurePosixPath

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from storefront.errors import ContentError, ContentErrors
from storefront.image_cache import INDEX_NAME, mark_used, prune_cache
from storefront.images import FORMATS, GeneratedImages, ImagePlan, ResponsiveImage, plan_images
from storefront.model import Catalog
from storefront.output import OutputFile


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
