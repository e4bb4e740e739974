"""The builds `serve` runs: in a child forked from a warm process, errors as the CLI prints them."""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from pathlib import Path

import pytest

from storefront.devserver.builder import BuildError, WarmBuilder, _build_in_child, run_build
from tests.devserver.serve_process import ROOT

pytestmark = [
    pytest.mark.slow,
    # Skipped only outside CI: CI runs on Linux, where a missing fork server is a failure.
    pytest.mark.skipif(
        not WarmBuilder.available() and os.environ.get("CI") != "true",
        reason="no fork server on this platform",
    ),
]

FIXTURES = ROOT / "tests" / "fixtures" / "content"
SITE = ROOT / "site"


def html_pages(out_dir: Path) -> list[Path]:
    return sorted(page.relative_to(out_dir) for page in out_dir.rglob("*.html"))


def test_warm_builds_write_the_same_site_as_the_build_command(tmp_path: Path) -> None:
    builder = WarmBuilder()

    seconds = builder.build(FIXTURES / "minimal", tmp_path / "warm", SITE)
    run_build(FIXTURES / "minimal", tmp_path / "cold", SITE)

    assert seconds > 0
    warm = json.loads((tmp_path / "warm" / "catalog.json").read_text())
    cold = json.loads((tmp_path / "cold" / "catalog.json").read_text())
    warm.pop("built_at", None)
    cold.pop("built_at", None)
    assert warm == cold
    pages = sorted(p.relative_to(tmp_path / "warm") for p in (tmp_path / "warm").rglob("*.html"))
    assert pages == sorted(
        p.relative_to(tmp_path / "cold") for p in (tmp_path / "cold").rglob("*.html")
    )
    # A second build from the same warm process works too (each build is a fresh child).
    builder.build(FIXTURES / "minimal", tmp_path / "warm", SITE)


def test_content_errors_come_back_as_the_build_printed_them(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as raised:
        WarmBuilder().build(FIXTURES / "bad_price", tmp_path / "dist", SITE)

    message = str(raised.value)
    assert "price" in message
    assert ".md:" in message  # file:line: field: …
    assert not (tmp_path / "dist").exists()  # nothing half-built is left


def test_a_theme_error_is_reported_naming_the_file(tmp_path: Path) -> None:
    # A theme folder without templates or strings: the build fails outside content validation.
    empty_theme = tmp_path / "theme"
    empty_theme.mkdir()

    with pytest.raises(BuildError) as raised:
        WarmBuilder().build(FIXTURES / "minimal", tmp_path / "dist", empty_theme)

    assert "i18n" in str(raised.value)


def test_a_crash_in_the_child_sends_back_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a build command that crashes (run here, in-process, to see what the child sends)
    def crash(arguments: list[str]) -> int:
        raise KeyError("boom")

    monkeypatch.setattr("storefront.cli.main", crash)
    monkeypatch.chdir(Path.cwd())  # the child moves to the project root; put it back after
    receiving, sending = multiprocessing.Pipe(duplex=False)

    _build_in_child(["build"], sending)

    status, out, err = receiving.recv()
    assert status == 1
    assert out == ""
    assert "Traceback" in err
    assert "KeyError: 'boom'" in err


def test_shown_output_reaches_the_terminal_as_it_comes_and_is_kept(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a build that reports progress and a result (run here, in-process)
    def build(arguments: list[str]) -> int:
        print("images 3/9", file=sys.stderr)
        print("Built 2 products")
        return 0

    monkeypatch.setattr("storefront.cli.main", build)
    monkeypatch.chdir(Path.cwd())
    receiving, sending = multiprocessing.Pipe(duplex=False)

    _build_in_child(["build"], sending, True)

    terminal = capsys.readouterr()
    assert terminal.err == "images 3/9\n"
    assert terminal.out == "Built 2 products\n"
    assert receiving.recv() == (0, "Built 2 products\n", "images 3/9\n")
