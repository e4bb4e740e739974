"""Build benchmark: `python bench/build_bench.py [N ...]` prints build figures for each N.

For each catalog size (default 1,000 and 10,000 products, generated with
bench/make_catalog.py) it prints the full build time and pages per second, the
peak memory of the build process, and the time to rebuild after editing one
product's price, after editing one template, and with nothing changed. Every
build runs as a child process (`build.py --content ... --out ...`), so the
peak memory is that child's own (getrusage RUSAGE_CHILDREN maxrss).
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRICE_LINE = re.compile(r'^price: "(\d+)\.(\d\d)"$', re.MULTILINE)


def run_build(content: Path, out: Path, site: Path) -> tuple[float, int]:
    """Run one build in a child process; return (seconds, peak RSS in MB so far)."""
    command = [
        sys.executable,
        str(ROOT / "build.py"),
        "build",
        "--content",
        str(content),
        "--out",
        str(out),
        "--site",
        str(site),
    ]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build of {content} failed ({result.returncode}):\n{result.stderr}")
    # ru_maxrss is in KiB on Linux and is the largest of all waited-for children.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return seconds, peak_mb


def edit_one_price(content: Path) -> None:
    """Raise the price of the first product by 1.00 (an editor's typical change)."""
    product = sorted((content / "products").glob("*.md"))[0]
    text = product.read_text(encoding="utf-8")
    match = PRICE_LINE.search(text)
    if match is None:
        raise SystemExit(f'{product}: expected a line like price: "184.00"')
    new_price = f'price: "{int(match.group(1)) + 1}.{match.group(2)}"'
    product.write_text(text[: match.start()] + new_price + text[match.end() :], encoding="utf-8")


def edit_one_template(site: Path) -> None:
    """Append a comment to the product template (changes what every product page depends on)."""
    template = site / "templates" / "product.html"
    template.write_text(
        template.read_text(encoding="utf-8") + "\n{# bench edit #}\n", encoding="utf-8"
    )


def bench_size(count: int, work: Path) -> None:
    """Generate a catalog of `count` products and print its build figures."""
    content = work / f"content-{count}"
    site = work / f"site-{count}"
    out = work / f"dist-{count}"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_catalog.py"), str(count), str(content)],
        check=True,
        capture_output=True,
    )
    shutil.copytree(ROOT / "site", site)
    full, peak = run_build(content, out, site)
    pages = sum(1 for _ in (out / "public").rglob("*.html"))
    print(f"N={count}: full build {full:.2f} s, {pages} pages, {pages / full:.0f} pages/s")
    print(f"N={count}: peak memory (largest build child so far) {peak} MB")
    unchanged, _ = run_build(content, out, site)
    print(f"N={count}: rebuild with nothing changed {unchanged:.2f} s")
    edit_one_price(content)
    price, _ = run_build(content, out, site)
    print(f"N={count}: rebuild after one price edit {price:.2f} s")
    edit_one_template(site)
    template, _ = run_build(content, out, site)
    print(f"N={count}: rebuild after one template edit {template:.2f} s")


def main(argv: list[str] | None = None) -> int:
    """Parse the sizes and run the benchmark for each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="build-bench-") as tmp:
        for count in args.sizes:
            bench_size(count, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
