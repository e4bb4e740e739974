"""Write a large synthetic catalog (for build benchmarks): `python bench/make_catalog.py N OUT`."""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

from PIL import Image, ImageDraw

ADJECTIVES = (
    "Alpine",
    "Ridge",
    "Summit",
    "Glacier",
    "Canyon",
    "Forest",
    "Harbour",
    "Meadow",
    "Granite",
    "Cirrus",
    "Boreal",
    "Tundra",
    "Coastal",
    "Highland",
    "Valley",
    "Nordic",
    "Basalt",
    "Juniper",
)
NOUNS = (
    ("Trail Shoe", "shoes"),
    ("Hiking Boot", "shoes"),
    ("Shell Jacket", "jackets"),
    ("Down Jacket", "jackets"),
    ("Merino Tee", "layers"),
    ("Fleece", "layers"),
    ("Daypack", "packs"),
    ("Duffel", "packs"),
    ("Tent", "tents"),
    ("Sleeping Bag", "sleep"),
    ("Trekking Pole", "accessories"),
    ("Beanie", "accessories"),
    ("Harness", "climbing"),
    ("Chalk Bag", "climbing"),
)
SIZES = ("XS", "S", "M", "L", "XL")
COLOURS = ("Black", "Moss", "Sand", "Slate", "Rust")
SENTENCES = (
    "Built for long days above the tree line, it keeps weight down without giving up comfort.",
    "We tested it through a wet spring in the Aravis and a dry, dusty summer in the Vercors.",
    "The fabric is bluesign approved and the trims are recycled wherever it made no difference"
    " to durability.",
    "Every seam that matters is taped, and every zip can be worked with gloves on.",
    "It packs small, dries fast and shrugs off the abuse of granite and bramble alike.",
    "Fit runs true to size; choose one up if you like to layer underneath.",
    "Repairs are free for two years at our Annecy workshop, because gear should last.",
)


def write_catalog(out: Path, groups: int) -> None:
    """Write catalog.yaml with `groups` top-level categories of three children each."""
    lines = [
        "store:",
        "  name: Benchmark Outfitters",
        "  base_url: https://bench.example.com",
        "  currency: EUR",
        "  default_locale: en",
        "  locales: [en, fr]",
        "  contact:",
        "    email: hello@bench.example.com",
        "  legal:",
        "    name: Benchmark Outfitters SAS",
        "categories:",
    ]
    for g in range(groups):
        lines += [
            f"  - slug: group-{g}",
            f"    name: {{en: Group {g}, fr: Groupe {g}}}",
            "    children:",
        ]
        lines += [
            f"      - slug: group-{g}-{c}\n        name: {{en: Group {g}.{c}, fr: Groupe {g}.{c}}}"
            for c in range(3)
        ]
    lines += [
        "shipping:",
        "  countries: [FR, BE, DE]",
        '  free_threshold: "75.00"',
        "  options:",
        "    - id: standard",
        "      kind: delivery",
        "      name: {en: Standard delivery, fr: Livraison standard}",
        '      price: "4.90"',
        "      days: [2, 4]",
        "returns:",
        "  days: 30",
        "  free: true",
    ]
    (out / "catalog.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_images(out: Path, count: int) -> list[str]:
    """Write a few small JPEGs that products share (so image work stays bounded)."""
    images = out / "images"
    images.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(count):
        img = Image.new("RGB", (800, 800), (230 - i * 20, 225, 215))
        ImageDraw.Draw(img).ellipse((200, 200, 600, 600), fill=(60 + i * 30, 90, 80))
        name = f"images/bench-{i}.jpg"
        img.save(out / name, quality=70)
        names.append(name)
    return names


def product_markdown(
    i: int, total: int, rng: random.Random, categories: list[str], images: list[str]
) -> str:
    """One product file with variants, specs, features and a realistic-length body.

    Published in a past year: a later day would schedule the product (left out of the
    build until then, storefront/scheduled.py) and the benchmark would build fewer.
    """
    adjective = ADJECTIVES[i % len(ADJECTIVES)]
    noun, _ = NOUNS[(i // len(ADJECTIVES)) % len(NOUNS)]
    price = f"{rng.randint(19, 349)}.{rng.choice(('00', '50', '90'))}"
    sizes = SIZES[: rng.randint(2, 5)]
    colours = COLOURS[: rng.randint(1, 3)]
    variants = "\n".join(
        f"  - sku: B{i:06d}-{s}-{c[:3].upper()}\n"
        f"    options: {{size: {s}, color: {c}}}\n"
        f"    stock: {rng.randint(0, 40)}"
        for s in sizes
        for c in colours
    )
    body = "\n\n".join(" ".join(rng.choice(SENTENCES) for _ in range(4)) for _ in range(3))
    related = ", ".join(f"bench-{(i + k) % total:06d}" for k in (1, 2)) if total > 2 else ""
    return f"""---
title: {adjective} {noun} {i}
summary: The {adjective.lower()} {noun.lower()} number {i}, made for long days outside.
category: {categories[i % len(categories)]}
brand: {rng.choice(("Northwind", "Aiguille", "Fjellkraft"))}
price: "{price}"
published: 2025-{1 + i % 12:02d}-{1 + i % 28:02d}
images:
  - src: {images[i % len(images)]}
    alt: {adjective} {noun} {i}, side view
options:
  - name: size
    label: Size
    values: [{", ".join(sizes)}]
  - name: color
    label: Colour
    values: [{", ".join(colours)}]
variants:
{variants}
specs:
  - [Weight, {rng.randint(120, 1900)} g]
  - [Material, Recycled polyamide]
features:
  - Taped seams
  - Two-year repair guarantee
tags: [bench, {noun.split()[-1].lower()}]
{"related: [" + related + "]" if related else ""}
---
{body}
"""


def french_markdown(i: int, rng: random.Random) -> str:
    """The product's French translation: a bilingual shop translates every product (an
    untranslated one is noindex in French and left out of the French feed)."""
    adjective = ADJECTIVES[i % len(ADJECTIVES)]
    noun, _ = NOUNS[(i // len(ADJECTIVES)) % len(NOUNS)]
    body = "\n\n".join(" ".join(rng.choice(SENTENCES) for _ in range(4)) for _ in range(3))
    return f"""---
title: {noun} {adjective.lower()} n° {i}
summary: Le modèle {i}, fait pour les longues journées dehors.
---
{body}
"""


def generate(out: Path, products: int, seed: int = 7) -> None:
    """Write a complete content tree with `products` products into `out`."""
    if out.exists():
        shutil.rmtree(out)
    (out / "products").mkdir(parents=True)
    (out / "pages").mkdir()
    groups = 8
    write_catalog(out, groups)
    images = write_images(out, 4)
    categories = [f"group-{g}-{c}" for g in range(groups) for c in range(3)]
    rng = random.Random(seed)
    for i in range(products):
        text = product_markdown(i, products, rng, categories, images)
        (out / "products" / f"bench-{i:06d}.md").write_text(text, encoding="utf-8")
        french = french_markdown(i, rng)
        (out / "products" / f"bench-{i:06d}.fr.md").write_text(french, encoding="utf-8")
    for slug in ("shipping", "returns", "privacy", "terms", "legal", "about", "contact"):
        (out / "pages" / f"{slug}.md").write_text(
            f"---\ntitle: {slug.title()}\ndescription: About {slug}.\n"
            f"updated: 2026-01-01\n---\n{SENTENCES[0]}\n",
            encoding="utf-8",
        )
        (out / "pages" / f"{slug}.fr.md").write_text(
            f"---\ntitle: {slug.title()} (fr)\n---\n{SENTENCES[1]}\n", encoding="utf-8"
        )


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("products", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    generate(args.out, args.products)
    print(f"wrote {args.products} products to {args.out}")


if __name__ == "__main__":
    main()
