"""A cold start's cost of loading the catalog snapshot: `python bench/snapshot_load.py [N ...]`.

For each catalog size N (default 1,000 and 10,000 products, 7 SKUs each, the
shape `build.py` writes to catalog.json), it prints the snapshot's size, the time
to decode its JSON, to check every SKU entry (what deploy does), and to load it
as the functions do (store settings checked, each SKU entry checked when a request
first reads it) and price a cart of three SKUs. Each figure is the best of 5 runs.
A Lambda function of 512 MB gets about a third of a CPU, so it pays roughly three
times these figures on the first request of each container.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "functions"))

from shop.snapshot_format import load_snapshot_file  # noqa: E402 - needs functions/ on sys.path first

SIZES = ("XS", "S", "M", "L", "XL", "XXL", "3XL")
RUNS = 5


def _money(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "EUR"}


def snapshot_document(products: int) -> dict[str, Any]:
    """A snapshot of `products` products with 7 SKUs each, two locales."""
    skus: dict[str, Any] = {}
    for number in range(products):
        slug = f"bench-{number:06d}"
        for size in SIZES:
            sku = f"B{number:06d}-{size}"
            skus[sku] = {
                "sku": sku,
                "product": slug,
                "titles": {"en": f"Trail Jacket {number}", "fr": f"Veste trail {number}"},
                "variant_labels": {"en": f"{size} / Black", "fr": f"{size} / Noir"},
                "urls": {"en": f"/products/{slug}/", "fr": f"/fr/products/{slug}/"},
                "image": f"/images/{slug}-1-320.jpg",
                "price": _money(8990 + number % 500),
                "compare_at": None,
                "initial_stock": 12,
                "options": {"size": size, "color": "Black"},
            }
    return {
        "format": 1,
        "store": {
            "name": "Benchmark Outfitters",
            "base_url": "https://bench.example.com",
            "currency": "EUR",
            "default_locale": "en",
            "locales": ["en", "fr"],
            "low_stock_threshold": 3,
            "contact_email": "hello@bench.example.com",
        },
        "shipping": {"countries": ["FR"], "free_threshold": None, "options": []},
        "returns": {"days": 30, "free": True, "restock_on_refund": True},
        "skus": skus,
    }


def best_of(run: Callable[[], object]) -> float:
    """The shortest of RUNS timings of `run()`, in seconds."""
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return min(timings)


def bench_size(products: int, folder: Path) -> None:
    """Print the snapshot figures for a catalog of `products` products."""
    path = folder / f"catalog-{products}.json"
    path.write_text(json.dumps(snapshot_document(products), separators=(",", ":")))
    text = path.read_bytes()
    cart = [f"B{n:06d}-M" for n in (0, products // 2, products - 1)]

    def cold_start() -> None:
        catalog = load_snapshot_file(path, check_every_sku=False)
        for sku in cart:
            catalog.entry(sku)

    decode = best_of(lambda: json.loads(text))
    strict = best_of(lambda: load_snapshot_file(path))
    lazy = best_of(cold_start)
    skus = products * len(SIZES)
    print(f"N={products}: catalog.json {len(text) / 1e6:.1f} MB, {skus} SKUs")
    print(f"N={products}: JSON decode alone {decode:.3f} s")
    print(f"N={products}: read and check every SKU (deploy) {strict:.3f} s")
    print(f"N={products}: cold start, read and price a 3-SKU cart (functions) {lazy:.3f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("products", nargs="*", type=int, default=[1000, 10000])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="snapshot-bench-") as folder:
        for products in args.products:
            bench_size(products, Path(folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
