"""Build benchmark: `python bench/build_bench.py [N ...]` prints build figures for each N.

For each catalog size (default 1,000 and 10,000 products, generated with
bench/make_catalog.py) it prints the full build time and pages per second, the
peak memory of the build process, and the time to rebuild (incrementally, the
default) with nothing changed, after editing one product's price, and after
editing one template, with how many files each rebuild wrote; then, as CI does
on each deploy, a build of a fresh checkout (every file's modification time new)
after one more price edit, with the previous dist/ and caches restored; and a
build into a new folder after one more price edit with the caches kept (CI's
first run, or one whose dist/ cache GitHub evicted). Builds run without image processing
(`--no-images`), as the issue's targets are stated.
Every build runs as a child process (`build.py --content ... --out ...`), so the
peak memory is the largest of the build processes and their render workers
(getrusage RUSAGE_CHILDREN maxrss). Figures on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import os
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


WRITTEN = re.compile(r"(\d+) written|nothing written")


def run_build(content: Path, out: Path, site: Path, *flags: str) -> tuple[float, int, str]:
    """Run one build in a child process; (seconds, peak RSS in MB so far, files written).

    It runs in the benchmark's own folder, so its caches (.cache/, relative like dist/)
    start empty: the first full build is a cold one, as on a new machine.
    """
    command = [
        sys.executable,
        str(ROOT / "build.py"),
        "build",
        "--no-images",
        "--content",
        str(content),
        "--out",
        str(out),
        "--site",
        str(site),
        *flags,
    ]
    started = time.perf_counter()
    result = subprocess.run(
        command, capture_output=True, text=True, check=False, cwd=content.parent
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build of {content} failed ({result.returncode}):\n{result.stderr}")
    # ru_maxrss is in KiB on Linux and is the largest of all waited-for children.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    found = WRITTEN.search(result.stdout)
    written = (found.group(1) or "0") if found else "?"
    return seconds, peak_mb, written


def edit_one_price(content: Path) -> None:
    """Raise the price of the first product by 1.00 (an editor's typical change)."""
    # The default-locale file (bench-000000.md), not its translation (bench-000000.fr.md).
    product = sorted(p for p in (content / "products").glob("*.md") if p.name.count(".") == 1)[0]
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
    full, peak, _ = run_build(content, out, site, "--full")
    pages = sum(1 for _ in (out / "public").rglob("*.html"))
    print(f"N={count}: full build {full:.2f} s, {pages} pages, {pages / full:.0f} pages/s")
    print(f"N={count}: peak memory (largest build process so far) {peak} MB", flush=True)
    unchanged, _, written = run_build(content, out, site)
    print(f"N={count}: rebuild with nothing changed {unchanged:.2f} s, {written} files written")
    edit_one_price(content)
    price, _, written = run_build(content, out, site)
    print(f"N={count}: rebuild after one price edit {price:.2f} s, {written} files written")
    edit_one_template(site)
    template, _, written = run_build(content, out, site)
    print(
        f"N={count}: rebuild after one template edit {template:.2f} s, {written} files written",
        flush=True,
    )
    # CI (.github/workflows/) restores the previous run's dist/ and .cache/ into a fresh
    # checkout, whose files are all new to the build (the checkout's modification times):
    # it digests every content file again, then builds incrementally.
    edit_one_price(content)
    for path in content.rglob("*"):
        os.utime(path)
    ci, _, written = run_build(content, out, site)
    print(
        f"N={count}: as CI, a fresh checkout after one price edit with the previous dist/ "
        f"and caches restored {ci:.2f} s, {written} files written",
        flush=True,
    )
    # CI's first run, or one after GitHub evicted the dist/ cache: a new folder, caches kept.
    edit_one_price(content)
    fresh, _, _ = run_build(content, work / f"ci-dist-{count}", site)
    print(
        f"N={count}: full build into a new folder after one price edit, caches kept "
        f"(CI without its dist/ cache) {fresh:.2f} s",
        flush=True,
    )


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
