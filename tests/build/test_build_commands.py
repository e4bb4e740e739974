"""`python build.py check` and `python build.py build` as a person runs them (subprocess)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.build.content_fixtures import BAD_INPUT, FIXTURES, MINIMAL, expected_line

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build.py", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def _relative(path: Path) -> Path:
    return path.relative_to(ROOT)


@pytest.mark.parametrize("scenario", sorted(BAD_INPUT))
def test_check_on_a_bad_fixture_prints_the_error_and_exits_non_zero(scenario: str) -> None:
    content = _relative(FIXTURES / scenario)
    result = _run("check", "--content", str(content))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines == [expected_line(content, scenario), f"1 error in {content}; nothing was built"]
    assert result.stdout == ""


def test_check_reports_every_error_of_the_run_with_a_count() -> None:
    content = _relative(FIXTURES / "many_errors")
    result = _run("check", "--content", str(content))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 4
    assert lines[-1] == f"3 errors in {content}; nothing was built"
    assert all(line.startswith(f"{content}/") for line in lines[:3])


def test_check_on_valid_content_exits_zero_with_a_summary() -> None:
    result = _run("check", "--content", str(_relative(MINIMAL)))
    assert result.returncode == 0, result.stderr
    assert "is valid: 2 products, 3 SKUs, 3 categories, 1 page; locales en, fr" in result.stdout


def test_check_lists_sales_that_are_over_for_the_editor_to_tidy(tmp_path: Path) -> None:
    # Built at the regular price from the day after, but the file still reads as on sale.
    content = tmp_path / "content"
    shutil.copytree(MINIMAL, content)
    shoe = content / "products" / "trail-shoe.md"
    text = shoe.read_text(encoding="utf-8")
    shoe.write_text(
        text.replace("compare_at: 149.00", "compare_at: 149.00\nsale_ends: 2025-01-31"), "utf-8"
    )

    result = _run("check", "--content", str(content))

    assert result.returncode == 0, result.stderr
    assert (
        "sales over, shown at the regular price (in each file, set price to compare_at's value, "
        "then delete compare_at and sale_ends): trail-shoe (last day 2025-01-31)"
    ) in result.stdout


def test_build_says_what_the_editor_should_know_sales_over_and_pages_gone(
    tmp_path: Path,
) -> None:
    # A sale past its last day, then a product deleted: both change the shop unasked.
    content, out = tmp_path / "content", tmp_path / "dist"
    shutil.copytree(MINIMAL, content)
    shoe = content / "products" / "trail-shoe.md"
    text = shoe.read_text(encoding="utf-8")
    shoe.write_text(
        text.replace("compare_at: 149.00", "compare_at: 149.00\nsale_ends: 2025-01-31")
        .replace("related: [wool-sock]\n", "")
        .replace("Pair it with our\n[wool socks](/products/wool-sock/) and read", "Read"),
        "utf-8",
    )
    french = content / "products" / "trail-shoe.fr.md"
    text = french.read_text(encoding="utf-8")
    french.write_text(text.replace(" Avec nos\n[chaussettes en laine](/products/wool-sock/).", ""))
    first = _run("build", "--no-images", "--content", str(content), "--out", str(out))
    (content / "products" / "wool-sock.md").unlink()

    second = _run("build", "--no-images", "--content", str(content), "--out", str(out))

    assert (first.returncode, second.returncode) == (0, 0), second.stderr
    over = "sales over, shown at the regular price"
    assert over in first.stdout
    assert "pages no longer built" not in first.stdout
    assert over in second.stdout
    gone = [line for line in second.stdout.splitlines() if line.startswith("pages no longer")]
    assert gone == [
        "pages no longer built (links and bookmarks to them now find nothing; if one moved, add "
        "a redirect under redirects: in catalog.yaml): /fr/products/wool-sock/, "
        "/products/wool-sock/"
    ]


def test_build_of_bad_content_exits_non_zero_and_keeps_the_previous_output(
    tmp_path: Path,
) -> None:
    out = tmp_path / "dist"
    (out / "public").mkdir(parents=True)
    (out / "public" / "index.html").write_text("previous", encoding="utf-8")
    (out / ".build-state.json").write_text('{"format": 0}', encoding="utf-8")
    result = _run("--content", str(_relative(FIXTURES / "bad_price")), "--out", str(out))
    assert result.returncode == 1
    assert f"1 error in {_relative(FIXTURES / 'bad_price')}; {out} left unchanged" in result.stderr
    assert (out / "public" / "index.html").read_text(encoding="utf-8") == "previous"


@pytest.mark.slow
def test_build_with_no_command_builds_content_into_out(tmp_path: Path) -> None:
    out = tmp_path / "site-out"
    result = _run("--content", str(_relative(MINIMAL)), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Built 2 products into {out}:")
    snapshot = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    assert sorted(snapshot["skus"]) == ["MWS-01", "RTS-41-BLK", "RTS-42-MOS"]
    assert (out / "public" / "products" / "trail-shoe" / "index.html").is_file()


def test_check_can_print_github_annotations_for_pull_requests() -> None:
    content = _relative(FIXTURES / "bad_price")
    result = _run("check", "--content", str(content), "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"::error file={content}/products/wool-sock.md,line=5,title=price::"
        'price: expected a decimal like 89.90, got "89,9O"'
    ]
    assert result.stderr.splitlines()[0] == expected_line(content, "bad_price")


def test_a_reader_that_closes_the_pipe_early_ends_the_command_without_a_traceback() -> None:
    # Like `build.py stock list | head -1`: a command printing more than the reader takes.
    command = (
        "import argparse, sys\n"
        "from storefront import cli\n"
        "def run(_):\n"
        "    for number in range(200_000):\n"
        "        print('line', number)\n"
        "    return 0\n"
        "parser = argparse.ArgumentParser()\n"
        "parser.set_defaults(run=run)\n"
        "parser.add_argument('command')\n"
        "cli.make_parser = lambda only=None: parser\n"
        "sys.exit(cli.main(['build']))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # the reader goes away, as `head` does
    status = process.wait(timeout=60)
    errors = process.stderr.read().decode()
    assert first == b"line 0\n"
    assert status == 141, errors
    assert "Traceback" not in errors
    assert "BrokenPipeError" not in errors
