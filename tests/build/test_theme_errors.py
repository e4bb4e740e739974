"""A broken theme is reported as the theme's error: its file, the line, the page."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from storefront import templating
from storefront.commands import build as build_command
from storefront.errors import ContentErrors, ErrorList, ThemeError, UiStringsError
from storefront.load_content import load_content
from storefront.pipeline import DEFAULT_SITE_DIR, build_site, check_theme_locales
from storefront.validate_catalog import validate_catalog
from tests.build.build_args import build_args
from tests.build.content_fixtures import MINIMAL


@pytest.fixture
def theme(tmp_path: Path) -> Path:
    """A private copy of the project's theme (site/)."""
    target = tmp_path / "site"
    shutil.copytree(DEFAULT_SITE_DIR, target)
    return target


def _insert_after(path: Path, marker: str, text: str) -> int:
    """Insert `text` on a line of its own after the line holding `marker`; its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if marker in line) + 1
    lines.insert(at, text + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return at + 1


def _theme_error(theme: Path, tmp_path: Path, text: str) -> tuple[str, str]:
    """Build with `text` added to product.html's main block: (the ThemeError, where it is)."""
    template = theme / "templates" / "product.html"
    line = _insert_after(template, "{% block main %}", text)
    with pytest.raises(ThemeError) as failed:
        build_site(MINIMAL, tmp_path / "dist", theme, image_cache=None)
    return str(failed.value), f"{template.as_posix()}:{line}: template: "


def _break_strings(theme: Path) -> Path:
    """Leave a list unclosed at the end of the theme's en.yaml; its path."""
    strings = theme / "i18n" / "en.yaml"
    strings.write_text(strings.read_text(encoding="utf-8") + "\nbroken: [\n", encoding="utf-8")
    return strings


def test_an_unknown_name_in_a_template_names_the_template_line_and_page(
    theme: Path, tmp_path: Path
) -> None:
    message, where = _theme_error(theme, tmp_path, "{{ product.no_such_field.x }}")

    assert message.startswith(where)
    assert "no_such_field" in message
    assert message.endswith("(rendering products/trail-shoe/index.html)")
    assert not (tmp_path / "dist").exists()


def test_a_template_syntax_error_names_the_template_and_line(theme: Path, tmp_path: Path) -> None:
    message, where = _theme_error(theme, tmp_path, "{% if %}")

    assert message.startswith(where)


def test_an_error_the_template_itself_raises_is_the_theme_error(
    theme: Path, tmp_path: Path
) -> None:
    message, where = _theme_error(theme, tmp_path, '{{ 1 + "a" }}')

    assert message.startswith(f"{where}TypeError: ")


def test_a_bug_in_code_a_template_calls_keeps_its_own_error_and_traceback(
    theme: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A filter of the build (not the theme) failing: blaming the template would hide it.
    def broken_money(*args: object) -> str:
        raise KeyError("bug in the build")

    monkeypatch.setattr(templating, "_money", broken_money)

    with pytest.raises(KeyError, match="bug in the build"):
        build_site(MINIMAL, tmp_path / "dist", theme, image_cache=None)


def test_the_command_prints_the_theme_error_and_exits_1(
    theme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _insert_after(theme / "templates" / "product.html", "{% block main %}", "{% if %}")
    args = build_args(MINIMAL, tmp_path / "dist", theme)

    assert build_command.run(args) == 1

    err = capsys.readouterr().err
    assert f"build failed: {(theme / 'templates' / 'product.html').as_posix()}:" in err
    assert "Traceback" not in err


def test_broken_interface_strings_are_reported_against_their_own_file(theme: Path) -> None:
    strings = _break_strings(theme)
    errors = ErrorList()
    catalog = validate_catalog(load_content(MINIMAL, errors), errors)

    with pytest.raises(ContentErrors) as failed:
        check_theme_locales(theme, catalog)

    [error] = failed.value.errors
    assert error.path == strings
    assert error.field == "yaml"
    lines = strings.read_text(encoding="utf-8").count("\n")
    assert error.line in (lines, lines + 1)  # the unclosed list, at the end
    assert error.message.startswith("invalid YAML: ")


def test_a_string_the_templates_ask_for_and_the_theme_lacks_names_the_themes_file(
    theme: Path, tmp_path: Path
) -> None:
    message, where = _theme_error(theme, tmp_path, '{{ t("no_such_string") }}')

    # The template that asks and the strings file of the theme being built (not site/).
    assert message.startswith(where)
    assert f"{(theme / 'i18n' / 'en.yaml').as_posix()}: ui.no_such_string: no such" in message


def test_the_commands_summary_says_where_the_errors_are(
    theme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A broken strings file is the theme's, a bad --live-stock file is that file: neither
    # is "in content".
    _break_strings(theme)
    out = tmp_path / "dist"
    assert build_command.run(build_args(MINIMAL, out, theme)) == 1
    assert capsys.readouterr().err.splitlines()[-1] == f"1 error in {theme}; {out} left unchanged"

    stock = tmp_path / "stock.json"
    stock.write_text("not json", encoding="utf-8")
    assert build_command.run(build_args(MINIMAL, out, live_stock=stock)) == 1
    assert capsys.readouterr().err.splitlines()[-1] == f"1 error in {stock}; {out} left unchanged"


def test_an_interface_strings_error_survives_being_sent_from_a_worker() -> None:
    error = UiStringsError("site/i18n/en.yaml", "ui.cart", "no such interface string", 3)

    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes

    assert (copy.path, copy.field, copy.message, copy.line) == (
        error.path,
        error.field,
        error.message,
        error.line,
    )
    assert str(copy) == "site/i18n/en.yaml:3: ui.cart: no such interface string"
