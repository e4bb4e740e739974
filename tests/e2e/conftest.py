"""The shop as a shopper meets it: `build.py serve` on a free port, driven by Debian's Chromium.

The example shop is built once per session into a temporary folder and served
by the real `serve` command in a child process (pages, functions, moto, the
Checkout stand-in, the outbox). Each test gets a fresh browser context, so
no cookie or cart leaks from one test into another. Screenshots go to
`test-artifacts/` (gitignored). The browser is never downloaded: without
/usr/bin/chromium these tests fail, saying how to install it.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    ViewportSize,
    sync_playwright,
)

from tests.devserver.serve_process import ROOT, ServeProcess, run_serve

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}


@dataclass(frozen=True)
class Shop:
    """The running local shop: its URL, its build output, and the serve process."""

    url: str
    out_dir: Path
    process: ServeProcess

    def snapshot(self) -> dict[str, Any]:
        """The catalog snapshot the functions price from (dist/catalog.json)."""
        data: dict[str, Any] = json.loads((self.out_dir / "catalog.json").read_text())
        return data

    def outbox(self) -> list[dict[str, Any]]:
        """The emails sent so far, from /_dev/outbox.json."""
        with urllib.request.urlopen(self.url + "/_dev/outbox.json", timeout=10) as response:  # noqa: S310
            emails: list[dict[str, Any]] = json.loads(response.read())
        return emails


@pytest.fixture(scope="session")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """The example shop, built and served by `python build.py serve` on a free port."""
    workdir = tmp_path_factory.mktemp("e2e-shop")
    out_dir = workdir / "dist"
    args = ("--content", str(ROOT / "content"), "--site", str(ROOT / "site"))
    with run_serve(*args, "--out", str(out_dir), "--no-watch", cwd=workdir, timeout=240) as serve:
        yield Shop(serve.url, out_dir, serve)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium from Debian's packages (module scope: one Playwright per module)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
            "(apt-get install -y chromium); nothing is downloaded at run time"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser, shop: Shop) -> Iterator[BrowserContext]:
    """A fresh browser profile (no cookies, no cart) pointed at the shop."""
    fresh = browser.new_context(base_url=shop.url, viewport=DESKTOP, locale="en-GB")
    fresh.set_default_timeout(15_000)
    yield fresh
    fresh.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page that fails the test on any uncaught script error or CSP violation."""
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))

    def on_console(message: ConsoleMessage) -> None:
        # The pages are served under production's Content-Security-Policy.
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(message.text)

    opened.on("console", on_console)
    yield opened
    assert errors == [], f"script errors on the page: {errors}"


def save_screenshots(page: Page, name: str) -> list[Path]:
    """Full-page screenshots at phone and desktop widths under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    saved = []
    original = page.viewport_size or DESKTOP
    for label, size in (("390", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        path = ARTIFACTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        saved.append(path)
    page.set_viewport_size(original)
    return saved
