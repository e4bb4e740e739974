"""An edit rebuilds the shop and reloads the open tab; a content error shows, then clears."""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.devserver.serve_process import ROOT, ServeProcess, run_serve
from tests.e2e.conftest import DESKTOP

pytestmark = pytest.mark.e2e

MINIMAL = ROOT / "tests" / "fixtures" / "content" / "minimal"


@pytest.fixture(scope="module")
def watched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServeProcess, Path]]:
    """`serve` watching a copy of the minimal shop's content."""
    workdir = tmp_path_factory.mktemp("live-reload")
    content = workdir / "content"
    shutil.copytree(MINIMAL, content)
    args = ("--content", str(content), "--site", str(ROOT / "site"), "--out", "dist")
    with run_serve(*args, cwd=workdir, timeout=180) as serve:
        yield serve, content


@pytest.fixture
def tab(browser: Browser, watched: tuple[ServeProcess, Path]) -> Iterator[Page]:
    context = browser.new_context(base_url=watched[0].url, viewport=DESKTOP)
    yield context.new_page()
    context.close()


def file_states(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Each file under `folder` with what changes when it is rewritten (inode, mtime, size)."""
    states = {}
    for path in folder.rglob("*"):
        if path.is_file():
            status = path.stat()
            states[path.relative_to(folder).as_posix()] = (
                status.st_ino,
                status.st_mtime_ns,
                status.st_size,
            )
    return states


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edit_reloads_the_tab_and_content_error_shows_then_clears(
    tab: Page, watched: tuple[ServeProcess, Path]
) -> None:
    serve, content = watched
    product = content / "products" / "trail-shoe.md"
    tab.goto("/products/trail-shoe/")
    expect(tab.locator("h1")).to_have_text("Ridge Trail Shoe")
    tab.wait_for_function("() => document.querySelector('script[src=\"/_dev/reload.js\"]')")

    # An edit: the open tab reloads by itself and shows the new title.
    started = time.monotonic()
    edit(product, "title: Ridge Trail Shoe", "title: Ridge Trail Shoe II")
    expect(tab.locator("h1")).to_have_text("Ridge Trail Shoe II", timeout=60_000)
    print(f"edit → reloaded tab: {time.monotonic() - started:.1f}s")

    # A content error: the tab keeps the last good page under an overlay naming the place.
    edit(product, 'price: "129.00"', 'price: "12,9O"')
    overlay = tab.locator("#dev-build-error")
    expect(overlay).to_be_visible(timeout=60_000)
    expect(overlay).to_contain_text("trail-shoe.md")
    expect(overlay).to_contain_text("price")
    assert serve.process.poll() is None, "a content error must not stop the server"
    assert "trail-shoe.md" in serve.text()

    # The fix: the overlay goes and the page is live again.
    edit(product, 'price: "12,9O"', 'price: "129.00"')
    expect(overlay).to_be_hidden(timeout=60_000)
    expect(tab.locator("h1")).to_have_text("Ridge Trail Shoe II")


def test_rebuild_never_overwrites_live_stock(tab: Page, watched: tuple[ServeProcess, Path]) -> None:
    _, content = watched
    before = json.loads(tab.request.get("/api/stock?sku=RTS-41-BLK").text())
    assert before["skus"]["RTS-41-BLK"]["available"] == 4
    tab.goto("/products/trail-shoe/")
    edit(content / "products" / "trail-shoe.md", "stock: 4", "stock: 40")
    tab.wait_for_event("load", timeout=60_000)  # the reload after the rebuild
    after = json.loads(tab.request.get("/api/stock?sku=RTS-41-BLK").text())
    assert after["skus"]["RTS-41-BLK"]["available"] == 4


def test_after_a_rebuild_the_functions_read_the_new_catalog_and_checkout_still_works(
    tab: Page, watched: tuple[ServeProcess, Path]
) -> None:
    _, content = watched
    tab.goto("/products/trail-shoe/")
    # A price change is a new catalog snapshot: fresh function containers must price with it.
    edit(content / "products" / "trail-shoe.md", 'price: "129.00"', 'price: "99.00"')
    tab.wait_for_event("load", timeout=60_000)
    added = tab.request.post("/api/cart/items", data={"sku": "RTS-41-BLK", "quantity": 1})
    assert added.ok, added.text()
    assert json.loads(added.text())["subtotal"]["amount"] == 9900
    checkout = tab.request.post("/api/checkout", data={})
    assert checkout.ok, checkout.text()
    assert "/_dev/checkout/cs_" in checkout.json()["url"]


def test_a_price_edit_shows_in_the_open_tab_and_rewrites_only_what_shows_the_product(
    tab: Page, watched: tuple[ServeProcess, Path]
) -> None:
    _, content = watched
    public = content.parent / "dist" / "public"
    product = content / "products" / "trail-shoe.md"
    price = re.search(r'^price: "(\d+)\.00"$', product.read_text(encoding="utf-8"), re.MULTILINE)
    assert price, "the fixture's price line"
    new_price = str(int(price.group(1)) + 7)
    tab.goto("/products/trail-shoe/")
    tab.wait_for_function("() => document.querySelector('script[src=\"/_dev/reload.js\"]')")
    before = file_states(public)

    # When the editor saves a new price
    started = time.monotonic()
    edit(product, f'price: "{price.group(1)}.00"', f'price: "{new_price}.00"')

    # Then the open tab reloads by itself and shows it
    expect(tab.locator("[data-price-box] [data-price]")).to_contain_text(new_price, timeout=60_000)
    print(f"price edit → reloaded tab: {time.monotonic() - started:.1f}s")
    after = file_states(public)
    rewritten = sorted(path for path in after if before.get(path) != after[path])
    pages = [path for path in rewritten if path.endswith(".html")]
    # ...and only pages that show the product were rewritten (its own, listings,
    # neighbours), plus indexes: an incremental build, not the whole site again.
    assert "products/trail-shoe/index.html" in pages
    untouched = [path for path in after if path.endswith(".html") and path not in pages]
    assert "pages/about/index.html" in untouched, pages
    for page in pages:
        assert "/products/trail-shoe/" in (public / page).read_text(encoding="utf-8"), page


def test_a_tab_whose_stream_connects_after_the_rebuild_still_reloads(
    tab: Page, watched: tuple[ServeProcess, Path]
) -> None:
    _, content = watched
    about = content / "pages" / "about.md"
    # Given a tab whose live-reload stream has not connected yet
    tab.route("**/_dev/reload", lambda route: route.abort())
    tab.goto("/pages/about/")
    expect(tab.locator("h1")).to_have_text("About us")

    # When the page changes and the rebuild is over before the stream connects
    edit(about, "title: About us", "title: About the shop")
    deadline = time.monotonic() + 60
    while "About the shop" not in tab.request.get("/pages/about/").text():
        assert time.monotonic() < deadline, "the rebuild did not finish"
        time.sleep(0.25)
    expect(tab.locator("h1")).to_have_text("About us")  # the tab still shows the old page

    # Then, once its stream connects, the tab learns it is stale and reloads
    tab.unroute("**/_dev/reload")
    expect(tab.locator("h1")).to_have_text("About the shop", timeout=30_000)
