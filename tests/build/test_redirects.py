"""catalog.yaml `redirects`: a renamed page's old address leads to its new one."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest

from storefront.errors import ContentErrors
from storefront.pipeline import build_site, check_content
from tests.build.content_fixtures import MINIMAL
from tests.build.test_incremental_build import _contents

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://shop.example.com"


def _with_redirects(tmp_path: Path, lines: str, source: Path = MINIMAL) -> Path:
    root = tmp_path / "content"
    shutil.copytree(source, root)
    with (root / "catalog.yaml").open("a", encoding="utf-8") as catalog:
        catalog.write("\nredirects:\n" + lines)
    return root


def _errors(root: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        check_content(root)
    return [str(e).removeprefix(root.as_posix() + "/") for e in caught.value]


def test_an_old_address_sends_browsers_and_search_engines_to_the_new_page_in_each_locale(
    tmp_path: Path,
) -> None:
    # Given the chalk bag was renamed from old-chalk-bag
    content = _with_redirects(
        tmp_path, "  /products/old-chalk-bag/: /products/chalk-bag/\n", ROOT / "content"
    )
    site, dist = ROOT / "site", tmp_path / "dist"

    build_site(content, dist, site, None)

    for locale_prefix in ("", "/fr"):
        page = dist / f"public{locale_prefix}/products/old-chalk-bag/index.html"
        head = lxml.html.fromstring(page.read_bytes()).head
        target = f"{locale_prefix}/products/chalk-bag/"
        [refresh] = head.xpath("meta[@http-equiv='refresh']/@content")
        assert refresh == f"0; url={target}"  # at once: Google takes it as a permanent move
        assert head.xpath("link[@rel='canonical']/@href") == [BASE + target]
        assert (dist / f"public{target}index.html").is_file()
    sitemap = (dist / "public/sitemap.xml").read_text(encoding="utf-8")
    assert "old-chalk-bag" not in sitemap  # only pages worth indexing are listed
    # Adding one later is an incremental build like any other
    with (content / "catalog.yaml").open("a", encoding="utf-8") as catalog:
        catalog.write("  /categories/old-tents/: /categories/tents/\n")
    assert build_site(content, dist, site, None).mode == "incremental"
    assert (dist / "public/fr/categories/old-tents/index.html").is_file()
    build_site(content, tmp_path / "full", site, None, full=True)
    assert _contents(dist) == _contents(tmp_path / "full")


def test_a_closed_category_may_lead_to_the_home_page(tmp_path: Path) -> None:
    catalog = check_content(_with_redirects(tmp_path, "  /categories/old-boots/: /\n"))
    assert catalog.redirects == {"/categories/old-boots/": "/"}


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            "  /products/trail-shoe/: /products/wool-sock/\n",
            "/products/trail-shoe/ is a page the build makes; a redirect is for an address",
        ),
        (
            "  /products/old-shoe/: /products/trail-shoes/\n",
            "expected the address of a page the build makes, got /products/trail-shoes/",
        ),
        (
            "  /products/a/: /products/b/\n  /products/b/: /products/trail-shoe/\n",
            "/products/b/ is itself redirected; point at the page it leads to",
        ),
        (
            "  products/old-shoe: /products/trail-shoe/\n",
            "expected a site path like /products/old-chalk-bag/ (lowercase, starting and "
            'ending with "/", at most 100 characters between slashes), got "products/old-shoe"',
        ),
        (
            # A folder name of 300 characters failed the build in the middle
            "  /" + "a" * 300 + "/: /products/trail-shoe/\n",
            "at most 100 characters between slashes",
        ),
        (
            "  /fr/produits/chaussure/: /products/trail-shoe/\n",
            'without the "/fr/" prefix (a redirect applies in every language)',
        ),
        (
            # A page 2 that is gone today may be built again when the category grows
            "  /categories/trail-running/page/2/: /products/trail-shoe/\n",
            "/categories/trail-running/page/2/ is part of the listing /categories/trail-running/",
        ),
        (
            # The CDN sends /api/* to the functions: the page would never be served
            "  /api/cart/: /products/trail-shoe/\n",
            "/api/cart/ is under /api/, which the CDN sends to the shop's functions",
        ),
        (
            # Asked for as a file (robots.txt): its page would clash with the file
            "  /robots.txt/: /products/trail-shoe/\n",
            '"/robots.txt" is requested as a file, so a redirect there is never served',
        ),
    ],
    ids=[
        "source-is-a-page",
        "unknown-target",
        "chain",
        "not-a-path",
        "too-long",
        "locale-prefix",
        "listing-page",
        "under-api",
        "file-name",
    ],
)
def test_a_redirect_that_cannot_work_is_an_error_on_its_line(
    tmp_path: Path, lines: str, message: str
) -> None:
    root = _with_redirects(tmp_path, lines)
    first_line = len((MINIMAL / "catalog.yaml").read_text(encoding="utf-8").splitlines()) + 3

    [error] = _errors(root)

    assert error.startswith("catalog.yaml:")
    assert int(error.split(":")[1]) >= first_line
    assert ": redirects." in error
    assert message in error
