"""Product images: a safe file name under content/, a JPEG, PNG or WebP file, and its size."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from storefront.fields import Fields

# MPO: what many cameras write (a JPEG with a second frame); it decodes as its JPEG.
_IMAGE_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
# The path shows in URLs and in `srcset`, which splits on spaces and commas: letters,
# digits, `_`, `-`, `.` and `/` only, so no file name can break a page, feed or sitemap.
_SAFE_PATH = re.compile(r"[\w./-]+")
_ORIENTATION = 0x0112  # EXIF tag


@dataclass(frozen=True, slots=True)
class ImageDraft:
    """A checked image: its file under content/, default alt text and pixel size."""

    src: str
    alt: str
    width: int
    height: int


def _displayed_size(image: PILImage.Image) -> tuple[int, int]:
    """The size as shown: a photo whose EXIF orientation turns it a quarter is taller than wide."""
    width, height = image.size
    turned = image.getexif().get(_ORIENTATION) in (5, 6, 7, 8)
    return (height, width) if turned else (width, height)


def image_size(
    content_dir: Path, src: str, cache: dict[str, tuple[int, int] | str]
) -> tuple[int, int] | str:
    """(width, height) of an image under content/, or what is wrong with it."""
    cached = cache.get(src)
    if cached is not None:
        return cached
    result: tuple[int, int] | str
    relative = PurePosixPath(src)
    if relative.is_absolute() or ".." in relative.parts:
        result = f'expected a path inside the content folder like images/x.jpg, got "{src}"'
    elif not _SAFE_PATH.fullmatch(src):
        result = (
            "expected a file name of letters, digits, dashes, underscores and dots (it is "
            f'part of the image\'s address), got "{src}": rename it like images/chalk-bag-1.jpg'
        )
    elif (content_dir / relative).is_dir():
        result = f'expected an image file like images/x.jpg, got the folder "{src}"'
    elif not (content_dir / relative).is_file():
        result = f"image file not found: expected {(content_dir / relative).as_posix()} to exist"
        result += _same_name_but_case(content_dir, relative)
    else:
        try:  # Pillow reads only the header here: cheap even for thousands of images.
            with PILImage.open(content_dir / relative) as image:
                result = (
                    _displayed_size(image)
                    if image.format in _IMAGE_FORMATS
                    else (f"expected a JPEG, PNG or WebP image, got {image.format} in {src}")
                )
                if not isinstance(result, str) and _cut_short(content_dir / relative, image.format):
                    result = _cut_short_message(src)
        except (UnidentifiedImageError, OSError):
            # Pillow reads further into some formats to open them (a PNG's chunks, a WebP):
            # one cut short fails here, and is named as what it is.
            sniffed = _sniffed_format(content_dir / relative)
            result = (
                _cut_short_message(src)
                if sniffed and _cut_short(content_dir / relative, sniffed)
                else f"expected a JPEG, PNG or WebP image, {src} is not one"
            )
        except PILImage.DecompressionBombError as exc:
            limit = (PILImage.MAX_IMAGE_PIXELS or 0) * 2 // 1_000_000
            result = f"expected an image of at most {limit} megapixels, {src} is larger ({exc})"
    cache[src] = result
    return result


# How each format's file ends. A JPEG's end-of-image marker can be followed by padding
# (and cannot occur inside its compressed data), so it is looked for in the last KiB.
_TAIL = 1024
_JPEG_END = b"\xff\xd9"
_PNG_END = b"IEND\xaeB`\x82"


def _cut_short_message(src: str) -> str:
    return (
        f"expected a whole image file, {src} is cut short (an upload that broke off?): "
        "upload it again"
    )


def _sniffed_format(path: Path) -> str | None:
    """The format a file's first bytes announce (JPEG, PNG, WEBP), else None."""
    with open(path, "rb") as file:
        head = file.read(12)
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def _cut_short(path: Path, image_format: str | None) -> bool:
    """Whether the file stops before its format's end: a broken upload, which the header
    alone does not show (Pillow decodes nothing until the pixels are asked for)."""
    with open(path, "rb") as file:
        head = file.read(12)
        size = file.seek(0, os.SEEK_END)
        file.seek(max(0, size - _TAIL))
        tail = file.read()
    if image_format in ("JPEG", "MPO"):
        return _JPEG_END not in tail
    if image_format == "PNG":
        return _PNG_END not in tail
    if image_format == "WEBP":  # RIFF: bytes 4-8 give the size of what follows them
        return size < 8 + int.from_bytes(head[4:8], "little")
    return False


def _same_name_but_case(content_dir: Path, relative: PurePosixPath) -> str:
    """` (found images/Shoe.JPG…)` when a file differs only by case (a Mac finds it, S3 not)."""
    folder = content_dir / relative.parent
    try:
        names = [entry.name for entry in os.scandir(folder)]
    except OSError:
        return ""
    found = next((n for n in names if n.casefold() == relative.name.casefold()), None)
    return (
        f" (found {(relative.parent / found).as_posix()}: names are case-sensitive)"
        if found
        else ""
    )


def read_images(
    doc: Fields, content_dir: Path, cache: dict[str, tuple[int, int] | str]
) -> tuple[ImageDraft, ...] | None:
    """A product's images: each file checked and measured; None when any is wrong."""
    images: list[ImageDraft] = []
    items = list(doc.records("images", min_items=1))
    first_at: dict[str, int] = {}
    for index, item in enumerate(items):
        item.check_keys(("src", "alt"))
        src, alt = item.text("src"), item.text("alt")
        if src is None:
            continue
        if src in first_at:
            # A copied entry left pointing at the first photo: the variant its alt names
            # (and its feed item) would show another colour's photo.
            item.error("src", f"expected each image once, already given as images[{first_at[src]}]")
            continue
        first_at[src] = index
        size = image_size(content_dir, src, cache)
        if isinstance(size, str):
            item.error("src", size)
        elif alt is not None:
            images.append(ImageDraft(src, alt, size[0], size[1]))
    return tuple(images) if images and len(images) == len(items) else None
