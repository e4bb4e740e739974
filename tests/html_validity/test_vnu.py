"""Every HTML file the build writes, and every order email, passes the W3C Nu HTML Checker.

vnu comes from the npm package vnu-jar (pinned in package-lock.json) and runs
on the machine's Java, once for all files: one JVM start instead of hundreds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from shop.emails import compose_email
from shop.orders import EmailKind, OrderStatus, Tracking

from tests.functions.order_emails.test_email_content import SHOP, make_order
from tests.node_tools import ROOT, node_packages, package_path, require_program

__all__ = ["node_packages"]  # the fixture, imported so pytest finds it here


@pytest.fixture(scope="module")
def html_files(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, str]:
    """The example shop built into a temporary folder, plus the order emails: file -> label."""
    out = tmp_path_factory.mktemp("vnu")
    # `build.py build` in its own process, as a person runs it: no module state
    # left by other tests in this process can change what gets built.
    folders = ("--content", str(ROOT / "content"), "--site", str(ROOT / "site"))
    built = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", *folders, "--out", str(out / "dist")],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, f"the example shop did not build:\n{built.stdout}{built.stderr}"
    public = out / "dist" / "public"
    files = {path: path.relative_to(public).as_posix() for path in sorted(public.rglob("*.html"))}
    emails = out / "emails"
    emails.mkdir()
    for locale in ("en", "fr"):
        order = make_order(
            locale=locale,
            status=OrderStatus.SHIPPED,
            tracking=Tracking("Colissimo", "6A12345678901"),
        )
        for kind in EmailKind:
            path = emails / f"{kind}.{locale}.html"
            path.write_text(compose_email(order, kind, SHOP).html, encoding="utf-8")
            files[path] = f"email {kind} ({locale})"
    return files


def run_vnu(node_modules: Path, files: list[Path]) -> list[dict[str, Any]]:
    """vnu's messages (errors only) for `files`, in one JVM."""
    java = require_program("java", "default-jre-headless")
    node = require_program("node", "nodejs")
    jar = package_path(node, "vnu-jar")
    assert jar.is_file(), f"vnu-jar did not install its jar at {jar} (see {node_modules})"
    done = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # vnu writes its report to stderr; exit status 1 only means "errors were found".
    assert done.returncode in (0, 1), f"vnu failed to run:\n{done.stdout}\n{done.stderr}"
    report: dict[str, Any] = json.loads(done.stderr)
    messages: list[dict[str, Any]] = report["messages"]
    return messages


def describe(message: dict[str, Any], labels: dict[Path, str]) -> str:
    """One vnu message as `file:line: message (at "…source…")` (minified pages are one line)."""
    url = message.get("url", "")
    path = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else None
    where = labels.get(path, url) if path else url
    extract = " ".join(str(message.get("extract", "")).split())
    text = f"{where}:{message.get('lastLine', '?')}: {message.get('message', message)}"
    return f'{text} (at "{extract}")' if extract else text


def test_every_generated_page_and_email_has_zero_html_errors(
    node_packages: Path, html_files: dict[Path, str]
) -> None:
    pages = [p for p, label in html_files.items() if not label.startswith("email ")]
    assert len(pages) > 100, f"the example shop should build well over 100 pages, got {pages}"
    messages = run_vnu(node_packages, list(html_files))
    errors = [describe(m, html_files) for m in messages if m.get("type") != "info"]
    if errors:
        pytest.fail(f"{len(errors)} HTML errors (W3C Nu checker):\n" + "\n".join(errors))
