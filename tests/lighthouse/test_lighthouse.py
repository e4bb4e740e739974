"""Lighthouse on the example shop: SEO, speed, accessibility and best practices all at 100.

Targets from the issues: SEO 100 on home, category, product and content pages in
both locales; performance 100 on the English home, category, product and cart pages;
accessibility and best-practices 100 everywhere; no layout shift and no
render-blocking request anywhere.
The cart is `noindex` on purpose (issue 3: it is no landing page for search), so
Lighthouse's "is crawlable" audit fails there and only that SEO audit may.
"""

from __future__ import annotations

import pytest

from tests.lighthouse.conftest import CATEGORIES, Lighthouse, Report, cpu_multiplier

# Runs Debian's Chromium, like the browser tests: the merchant's pull-request workflow
# (GitHub's runners have no /usr/bin/chromium) leaves it to the project's own CI.
pytestmark = pytest.mark.e2e

# (report name, path, performance asserted). Performance is asserted where issue 4 asks
# for it (home, category, product, cart); the French and content pages' performance
# is measured and printed, and their other three categories are asserted.
PAGES = [
    ("home-en", "/", True),
    ("home-fr", "/fr/", False),
    ("category-en", "/categories/footwear/", True),
    ("category-fr", "/fr/categories/footwear/", False),
    ("product-en", "/products/aravis-mid-hiking-boot/", True),
    ("product-fr", "/fr/products/aravis-mid-hiking-boot/", False),
    ("content-en", "/pages/shipping/", False),
    ("content-fr", "/fr/pages/shipping/", False),
    ("cart-en", "/cart/", True),
]
NOINDEX_BY_DESIGN = {"cart-en"}


def below_100(report: Report, categories: tuple[str, ...]) -> list[str]:
    """`category: score` for each category under 100, then the audits that cost the points."""
    low = [c for c in categories if report.score(c) != 1]
    lines = [f"{c}: {report.score(c)}" for c in low]
    for category in low:
        lines += [f"  {audit}" for audit in report.failed_audits(category)]
    return lines


@pytest.mark.parametrize(("name", "path", "fast"), PAGES, ids=[page[0] for page in PAGES])
def test_page_scores_100_without_layout_shift_or_render_blocking(
    lighthouse: Lighthouse, name: str, path: str, fast: bool
) -> None:
    report = lighthouse.audit(name, path, settle_performance=fast)

    categories = CATEGORIES if fast else tuple(c for c in CATEGORIES if c != "performance")
    problems: list[str] = []
    if name in NOINDEX_BY_DESIGN:
        problems += below_100(report, tuple(c for c in categories if c != "seo"))
        problems += [a for a in report.failed_audits("seo") if "/is-crawlable " not in a]
        crawlable = report.audit("is-crawlable")
        if crawlable["score"] != 0:
            problems.append("seo/is-crawlable passes: the cart must be noindex (issue 3)")
    else:
        problems += below_100(report, categories)

    shift = report.audit("cumulative-layout-shift")["numericValue"]
    if shift != 0:
        shifted = report.audit("layout-shifts").get("details", {}).get("items", [])
        nodes = [item.get("node", {}).get("selector", "?") for item in shifted]
        problems.append(f"cumulative layout shift {shift:.4f} (moved: {nodes})")

    blocking = report.audit("render-blocking-insight")
    blocking_urls = [item["url"] for item in blocking.get("details", {}).get("items", [])]
    if blocking_urls or (blocking["score"] is not None and blocking["score"] < 1):
        problems.append(f"render-blocking requests: {blocking_urls}")

    assert not problems, f"{path} (Lighthouse, mobile):\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("benchmark_index", "multiplier"), [(2200, 4), (1500, 4), (1300, 2), (1000, 2), (760, 1)]
)
def test_the_cpu_slowdown_follows_lighthouses_calibration_table(
    benchmark_index: float, multiplier: int
) -> None:
    assert cpu_multiplier(benchmark_index) == multiplier
