"""Draw the example shop's product images: `python -m storefront.example_images.draw`.

Run once; the output in content/images/ is committed. Each picture is a flat,
vector-like silhouette of the product type on a soft background, so files stay
small and nothing is downloaded. Which picture a product gets is read from its
front matter: image N shows the N-th value of its `color` option (or the colour
in DEFAULT_COLOURS when it has none); images past the last colour are close-ups
of the first. The alt texts in content/products/*.md describe exactly that.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import yaml
from PIL import Image, ImageDraw, ImageFilter

from storefront.example_images.shapes import RGB, SHAPES, Pen, ShapeFn, shade

ROOT = Path(__file__).resolve().parents[2]
SIZE = 1200  # final square size in pixels
SCALE = 2  # drawn at twice the size and scaled down: cheap anti-aliasing
QUALITY = 70

PALETTE: dict[str, RGB] = {
    "Black": (43, 45, 50),
    "Moss": (104, 122, 62),
    "Lake Blue": (44, 122, 168),
    "Coral": (232, 110, 90),
    "Slate": (92, 107, 122),
    "Brown": (122, 82, 52),
    "Grey": (128, 130, 134),
    "Olive": (112, 112, 58),
    "Red": (196, 48, 44),
    "Navy": (36, 52, 92),
    "Ochre": (204, 148, 44),
    "Lime": (170, 200, 50),
    "Teal": (30, 132, 130),
    "Charcoal": (66, 68, 72),
    "Sage": (146, 166, 134),
    "Rust": (176, 84, 44),
    "Plum": (110, 52, 92),
    "Stone": (184, 172, 150),
    "Graphite": (78, 82, 88),
    "Forest": (42, 92, 64),
    "Yellow": (236, 190, 40),
    "Glacier": (150, 196, 214),
    "Sand": (206, 184, 140),
    "Orange": (232, 120, 36),
    "White": (236, 236, 232),
    "Cream": (236, 226, 200),
    "Titanium": (160, 162, 168),
}
# Products without a `color` option: the colour their alt text names (or a neutral one).
DEFAULT_COLOURS: dict[str, str] = {
    "transit-travel-pack-40": "Graphite",
    "lakeside-2-tent": "Forest",
    "bivouac-1-tent": "Sand",
    "basecamp-3-tent": "Sand",
    "insulated-air-mat": "Orange",
    "nuit-blanche-down-bag": "Red",
    "refuge-synthetic-bag": "Teal",
    "packing-cubes-set": "Slate",
    "titanium-pot-750": "Titanium",
    "compact-canister-stove": "Lake Blue",
    "carbon-trekking-poles": "Black",
    "loose-chalk-300": "White",
}


def draw_product(shape: ShapeFn, colour: RGB, close_up: bool) -> Image.Image:
    """One product picture: soft tinted background, shadow, silhouette; optionally a close-up."""
    big = SIZE * SCALE
    tint = shade(colour, 1.88)
    img = Image.new("RGB", (big, big), tint)
    draw = ImageDraw.Draw(img)
    for y in range(0, big, 8):  # a gentle vertical gradient, lighter at the top
        draw.rectangle((0, y, big, y + 8), fill=shade(tint, 1 + 0.5 * (1 - y / big)))
    # The soft shadow is blurred small and scaled up: the same look, far faster.
    small = big // 8
    shadow = Image.new("L", (small, small), 0)
    ImageDraw.Draw(shadow).ellipse((0.2 * small, 0.82 * small, 0.8 * small, 0.9 * small), fill=70)
    shadow = shadow.filter(ImageFilter.GaussianBlur(small // 40)).resize((big, big))
    img.paste((0, 0, 0), mask=shadow)
    shape(Pen(draw, big, colour))
    if close_up:  # the lower-middle part, where most products carry their details
        img = img.crop((int(big * 0.25), int(big * 0.35), int(big * 0.75), int(big * 0.85)))
    return img.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


class PlannedImage(NamedTuple):
    """One picture to draw: where it goes, what it shows, in which colour."""

    dest: Path
    shape: ShapeFn
    colour: RGB
    close_up: bool


def plan_images(content: Path) -> list[PlannedImage]:
    """Every product image named in content/products/*.md, with what it must show."""
    plan = []
    for path in sorted((content / "products").glob("*.md")):
        if path.name.count(".") > 1:  # a translation: same images as its product
            continue
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        slug = path.stem
        shape = SHAPES.get(slug) or SHAPES[front["category"]]
        colours = next(
            (o["values"] for o in front.get("options", []) if o["name"] == "color"),
            [DEFAULT_COLOURS.get(slug, "Slate")],
        )
        for index, image in enumerate(front["images"]):
            name = colours[index] if index < len(colours) else colours[0]
            close_up = index >= len(colours)
            plan.append(PlannedImage(content / image["src"], shape, PALETTE[name], close_up))
    return plan


def encode_jpeg(image: Image.Image) -> bytes:
    """The picture as a small progressive JPEG."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """Draw every product image of a content folder; print each file's size and the total."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args(argv)
    plan = plan_images(args.content)
    total = 0
    for item in plan:
        data = encode_jpeg(draw_product(item.shape, item.colour, item.close_up))
        item.dest.parent.mkdir(parents=True, exist_ok=True)
        item.dest.write_bytes(data)
        total += len(data)
        print(f"{item.dest.relative_to(args.content)}  {len(data) // 1024} KB")
    print(f"{len(plan)} images, {total // 1024} KB in all", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
