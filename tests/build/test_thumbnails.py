"""Cart and search thumbnails: a small JPEG variant with images on, the original without.

The cart lines (cart.js) and search results (search.js) show the product's first
image in a 96 px square; the snapshot (catalog.json, read back by the cart API) and
the search records (Pagefind's meta) say which file.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image
from shop.snapshot_format import parse_snapshot_text

from storefront.images import THUMBNAIL_SIZE, ImagePlan, plan_image, thumbnail_path
from storefront.pipeline import build_site
from tests.build.content_fixtures import MINIMAL

# Pagefind writes each fragment as gzip of this signature and the record's JSON.
FRAGMENT_SIGNATURE = b"pagefind_dcd"


def _photo(path: Path, size: tuple[int, int]) -> None:
    Image.linear_gradient("L").resize(size).convert("RGB").save(path)


def _content(root: Path, size: tuple[int, int] = (900, 600)) -> Path:
    """The minimal shop with its photos replaced by `size` ones."""
    content = root / "content"
    shutil.copytree(MINIMAL, content)
    for photo in (content / "images").iterdir():
        _photo(photo, size)
    return content


def snapshot_images(dist: Path) -> dict[str, str]:
    """SKU -> the image catalog.json gives it, checked readable by the functions' reader."""
    text = (dist / "catalog.json").read_bytes()
    parsed = parse_snapshot_text(text, "catalog.json")
    images = {sku: str(record["image"]) for sku, record in json.loads(text)["skus"].items()}
    assert {sku: parsed.entry(sku).image for sku in images} == images
    return images


def search_images(public: Path) -> dict[str, str]:
    """Product URL -> the image its search record shows, from every shard's fragments."""
    images = {}
    for fragment in public.glob("pagefind/**/*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(FRAGMENT_SIGNATURE), fragment
        record = json.loads(data[len(FRAGMENT_SIGNATURE) :])
        if record["meta"].get("kind") == "product":
            images[record["url"]] = record["meta"]["image"]
    assert images, "no product records found in the search index"
    return images


@pytest.fixture(scope="module")
def with_images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/ of the minimal shop (900×600 photos) built with responsive variants."""
    root = tmp_path_factory.mktemp("thumbnails")
    build_site(_content(root), root / "dist", image_cache=root / "cache")
    return root / "dist"


def test_with_images_the_snapshot_and_search_point_at_a_small_jpeg_variant(
    with_images: Path,
) -> None:
    public = with_images / "public"
    shown = set(snapshot_images(with_images).values()) | set(search_images(public).values())
    for path in shown:
        with Image.open(public / path.lstrip("/")) as image:
            assert image.format == "JPEG", path
            # The smallest width that still covers the 96 px square at 2x: 320 of 900.
            assert image.size == (320, 213), path
            assert min(image.size) >= 2 * THUMBNAIL_SIZE
    assert snapshot_images(with_images)["RTS-41-BLK"].startswith("/images/trail-shoe-1-320.")
    assert search_images(public)["/products/trail-shoe/"].startswith("/images/trail-shoe-1-320.")


def test_without_images_the_snapshot_and_search_point_at_the_original(tmp_path: Path) -> None:
    build_site(_content(tmp_path), tmp_path / "dist", image_cache=None)

    assert snapshot_images(tmp_path / "dist")["RTS-41-BLK"] == "/images/trail-shoe-1.png"
    assert search_images(tmp_path / "dist/public")["/fr/products/trail-shoe/"] == (
        "/images/trail-shoe-1.png"
    )
    assert (tmp_path / "dist/public/images/trail-shoe-1.png").is_file()


def test_turning_images_on_remakes_the_snapshot_and_search_records(tmp_path: Path) -> None:
    content, dist = _content(tmp_path), tmp_path / "dist"
    build_site(content, dist, image_cache=None)

    build_site(content, dist, image_cache=tmp_path / "cache")

    assert snapshot_images(dist)["RTS-41-BLK"].startswith("/images/trail-shoe-1-320.")
    assert search_images(dist / "public")["/products/trail-shoe/"].startswith(
        "/images/trail-shoe-1-320."
    )


@pytest.mark.parametrize(
    ("size", "expected_width"),
    [
        ((900, 600), 320),  # 320×213 covers 192×192
        ((2000, 250), 1280),  # a panorama: no variant is 192 px high, so the largest
        ((150, 150), 150),  # smaller than 2x: the largest there is, never upscaled
    ],
    ids=["photo", "panorama", "tiny"],
)
def test_the_thumbnail_is_the_smallest_jpeg_covering_the_square_at_2x_or_the_largest(
    size: tuple[int, int], expected_width: int
) -> None:
    image = plan_image("images/a.jpg", b"bytes", *size)
    plan = ImagePlan({"/images/a.jpg": image})

    chosen = thumbnail_path(plan, "images/a.jpg")

    assert chosen == f"/images/a-{expected_width}.{image.digest}.jpg"
    assert thumbnail_path(None, "images/a.jpg") == "/images/a.jpg"
    assert thumbnail_path(plan, "images/other.jpg") == "/images/other.jpg"
