"""A product published on a later day is checked now and goes on the shop on that day.

The example shop's Transit pack is published on 2026-11-03 and three products list
it as related; its compact stove (2026-10-05) is linked from the titanium pot's
body, in English and French.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from storefront.errors import ContentErrors, ErrorList
from storefront.markdown import SiteLink
from storefront.pipeline import build_site, check_content
from storefront.scheduled import check_links_to_scheduled
from tests.build.test_incremental_build import _contents

ROOT = Path(__file__).resolve().parents[2]
PACK = "transit-travel-pack-40"
LAUNCH = date(2026, 11, 3)
EVE = date(2026, 11, 2)


def test_a_product_published_after_today_is_validated_but_left_out() -> None:
    catalog = check_content(ROOT / "content", today=EVE)

    assert PACK not in {p.slug for p in catalog.products}
    assert catalog.scheduled == {PACK: LAUNCH}
    on_the_day = check_content(ROOT / "content", today=LAUNCH)
    assert PACK in {p.slug for p in on_the_day.products}
    assert on_the_day.scheduled == {}
    assert len(check_content(ROOT / "content").products) == len(on_the_day.products)


def test_a_link_shown_before_the_product_it_leads_to_is_an_error() -> None:
    with pytest.raises(ContentErrors) as raised:
        check_content(ROOT / "content", today=date(2026, 10, 4))

    found = [(e.path.name, e.line, e.message) for e in raised.value]
    message = (
        'link "/products/compact-canister-stove/" leads to a product published only on '
        "2026-10-05 (it has no page until then); expected the link to be added on that day, "
        "or in a product published on it or later"
    )
    assert ("titanium-pot-750.md", 42, message) in found
    assert any(name == "titanium-pot-750.fr.md" for name, _, _ in found)
    assert all("compact-canister-stove" in text for _, _, text in found)


def test_a_product_published_the_same_day_or_later_may_link_to_it(tmp_path: Path) -> None:
    scheduled = {"stove": date(2026, 10, 5), "pot": date(2026, 10, 5), "lid": date(2026, 10, 9)}
    products = tmp_path / "products"

    def link(source: str, href: str) -> SiteLink:
        return SiteLink(products / source, 3, href, is_image=False)

    errors = ErrorList()
    check_links_to_scheduled(
        [
            link("pot.md", "/products/stove/"),  # the same day
            link("lid.fr.md", "/fr/products/stove/#specs"),  # later, localized
            link("pot.md", "/products/lid/"),  # earlier: an error
            link("pot.md", "/products/other/"),  # not scheduled
        ],
        scheduled,
        ("en", "fr"),
        errors,
    )

    assert [(e.path.name, e.message.split(" (")[0]) for e in errors.errors] == [
        ("pot.md", 'link "/products/lid/" leads to a product published only on 2026-10-09')
    ]


def _page(dist: Path, slug: str) -> Path:
    return dist / "public" / "products" / slug / "index.html"


def _shown_anywhere(dist: Path) -> list[str]:
    """The whole-shop files that name the pack."""
    files = ["public/sitemap.xml", "public/feeds/products.xml", "public/feeds/new.atom"]
    named = [f for f in files if PACK in (dist / f).read_text(encoding="utf-8")]
    skus = json.loads((dist / "catalog.json").read_text(encoding="utf-8"))["skus"]
    named += [f"catalog.json: {sku}" for sku in skus if sku.startswith("TTP40-")]
    return named


def test_the_first_build_on_the_day_publishes_it_like_a_full_build(tmp_path: Path) -> None:
    content, site, dist = tmp_path / "content", tmp_path / "site", tmp_path / "dist"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "site", site)

    build_site(content, dist, site, None, today=EVE)

    assert not _page(dist, PACK).exists()
    assert _shown_anywhere(dist) == []
    # Related products that list it show others meanwhile: no link leads nowhere.
    related_pages = [
        path.read_text(encoding="utf-8") for path in (dist / "public").rglob("index.html")
    ]
    assert not any(f"/products/{PACK}/" in html for html in related_pages)
    assert build_site(content, dist, site, None, today=EVE).mode == "unchanged"

    report = build_site(content, dist, site, None, today=LAUNCH)

    assert report.mode == "incremental"
    assert _page(dist, PACK).exists()
    assert len(_shown_anywhere(dist)) == 4
    build_site(content, tmp_path / "full", site, None, full=True, today=LAUNCH)
    assert _contents(dist) == _contents(tmp_path / "full")
    assert build_site(content, dist, site, None, today=LAUNCH).mode == "unchanged"


def test_future_previews_the_launch(tmp_path: Path) -> None:
    content, site, dist = tmp_path / "content", tmp_path / "site", tmp_path / "dist"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "site", site)
    build_site(content, dist, site, None, today=EVE)

    preview = build_site(content, dist, site, None, today=EVE, future=True)

    assert preview.mode == "incremental"  # not "unchanged": the option is an input
    assert _page(dist, PACK).exists()


def test_a_redirect_to_a_product_not_yet_published_is_an_error(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    catalog = content / "catalog.yaml"
    catalog.write_text(
        catalog.read_text(encoding="utf-8")
        + f"\nredirects:\n  /products/old-pack/: /products/{PACK}/\n",
        encoding="utf-8",
    )

    with pytest.raises(ContentErrors) as raised:
        check_content(content, today=EVE)

    [error] = list(raised.value)
    assert (error.path.name, error.field) == ("catalog.yaml", "redirects./products/old-pack/")
    assert error.message.startswith(f"/products/{PACK}/ is a product published only on {LAUNCH}")
    assert check_content(content, today=LAUNCH).redirects  # on the day, it is fine
