"""The image generator draws what the product files describe, small and reproducibly."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

from storefront.example_images.draw import (
    PALETTE,
    PlannedImage,
    draw_product,
    encode_jpeg,
    main,
    plan_images,
)

CONTENT = Path(__file__).resolve().parents[2] / "content"

PRODUCT = """---
title: Test Shoe
summary: A shoe.
category: trail-running
price: "10.00"
published: 2026-01-01
images:
  - src: images/test-shoe-1.jpg
    alt: Test Shoe in red, side view
  - src: images/test-shoe-2.jpg
    alt: Test Shoe in navy, side view
  - src: images/test-shoe-3.jpg
    alt: Test Shoe in red, close-up
options:
  - name: color
    label: Colour
    values: [Red, Navy]
variants:
  - {sku: TS-RED, options: {color: Red}, stock: 1}
  - {sku: TS-NVY, options: {color: Navy}, stock: 1}
---
Body.
"""


def _share_of_colour(picture: Image.Image, colour: tuple[int, int, int]) -> float:
    """Fraction of pixels within a small distance of `colour` (JPEG blurs edges a little)."""
    data = picture.convert("RGB").resize((200, 200)).tobytes()
    pixels = list(zip(data[0::3], data[1::3], data[2::3], strict=True))
    near = [p for p in pixels if sum(abs(a - b) for a, b in zip(p, colour, strict=True)) < 30]
    return len(near) / len(pixels)


def _by_name(plan: list[PlannedImage]) -> dict[str, PlannedImage]:
    return {item.dest.name: item for item in plan}


def test_plan_draws_every_image_the_products_name_and_nothing_else() -> None:
    plan = plan_images(CONTENT)
    named = {
        line.split("src:", 1)[1].strip()
        for path in (CONTENT / "products").glob("*.md")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("- src:")
    }
    assert {item.dest.relative_to(CONTENT).as_posix() for item in plan} == named


def test_image_n_shows_the_nth_colour_and_later_images_are_close_ups() -> None:
    plan = _by_name(plan_images(CONTENT))
    first, second, third = (plan[f"ridge-trail-shoe-{n}.jpg"] for n in (1, 2, 3))
    assert (first.colour, first.close_up) == (PALETTE["Black"], False)
    assert (second.colour, second.close_up) == (PALETTE["Moss"], False)
    assert (third.colour, third.close_up) == (PALETTE["Black"], True)


def test_a_drawn_product_is_mostly_background_with_a_clear_patch_of_its_colour() -> None:
    item = _by_name(plan_images(CONTENT))["summit-shell-jacket-1.jpg"]
    picture = draw_product(item.shape, item.colour, item.close_up)
    assert picture.size == (1200, 1200)
    assert 0.10 < _share_of_colour(picture, PALETTE["Red"]) < 0.6
    assert _share_of_colour(picture, PALETTE["Navy"]) < 0.01


def test_drawing_twice_gives_identical_bytes() -> None:
    item = _by_name(plan_images(CONTENT))["lakeside-2-tent-1.jpg"]
    first = encode_jpeg(draw_product(item.shape, item.colour, item.close_up))
    second = encode_jpeg(draw_product(item.shape, item.colour, item.close_up))
    assert first == second
    assert len(first) < 40_000


def test_committed_images_are_what_the_script_draws_today() -> None:
    plan = _by_name(plan_images(CONTENT))
    for name in ("ridge-trail-shoe-1.jpg", "col-22-daypack-3.jpg", "merino-beanie-2.jpg"):
        item = plan[name]
        drawn = Image.open(io.BytesIO(encode_jpeg(draw_product(item.shape, item.colour, False))))
        with Image.open(item.dest) as committed:
            difference = ImageChops.difference(drawn.convert("RGB"), committed.convert("RGB"))
            assert max(ImageStat.Stat(difference).mean) < 1.0, name


def test_main_writes_one_small_jpeg_per_image_of_a_content_folder(tmp_path: Path) -> None:
    (tmp_path / "products").mkdir()
    (tmp_path / "products" / "test-shoe.md").write_text(PRODUCT, encoding="utf-8")
    (tmp_path / "products" / "test-shoe.fr.md").write_text("---\ntitle: X\n---\n", encoding="utf-8")

    assert main(["--content", str(tmp_path)]) == 0

    written = sorted(p.name for p in (tmp_path / "images").iterdir())
    assert written == ["test-shoe-1.jpg", "test-shoe-2.jpg", "test-shoe-3.jpg"]
    with Image.open(tmp_path / "images" / "test-shoe-2.jpg") as navy:
        assert (navy.format, navy.size) == ("JPEG", (1200, 1200))
        assert _share_of_colour(navy, PALETTE["Navy"]) > 0.05
    assert all(p.stat().st_size < 40_000 for p in (tmp_path / "images").iterdir())
