"""Scripts are minified with local names shortened, and pages carry only the strings they use."""

from __future__ import annotations

from pathlib import Path

from storefront.site_assets import collect_assets, minify_script

ES5 = """(function () {
  "use strict";
  var configuration = { strings: {} };
  function translateKey(keyName) { return configuration.strings[keyName] || keyName; }
  window.exported = translateKey("added");
})();
"""
MODERN = "const load = () => import('/x.js');\nwindow.go = load; // a comment\n"


def test_es5_scripts_get_shorter_local_names_and_keep_globals() -> None:
    minified = minify_script(ES5)
    assert len(minified) < len(ES5) * 0.6
    assert "configuration" not in minified
    assert "translateKey" not in minified
    assert "window.exported" in minified
    assert '"added"' in minified


def test_newer_syntax_is_minified_without_renaming() -> None:
    minified = minify_script(MODERN)
    assert "comment" not in minified
    assert "import('/x.js')" in minified
    assert "load" in minified


def test_a_page_carries_the_strings_its_scripts_name(tmp_path: Path) -> None:
    js = tmp_path / "js"
    js.mkdir()
    (js / "site.js").write_text(
        '(function () { var strings = {}; t("added"); t(ok ? "in_stock" : "x");\n'
        't("sort_" + key); node.classList.remove("x"); strings.checkout; })();\n'
    )
    (js / "cart.js").write_text('t("checkout");\n')
    assets = collect_assets(tmp_path)
    strings = {"added": "A", "in_stock": "I", "checkout": "C", "sort_price": "P", "other": "O"}
    strings["remove"] = "R"  # named only as a method

    # `strings.checkout` is no way to name a key: minified, the local `strings` is renamed.
    site_only = assets.strings_used_by([assets.paths["js/site.js"]], strings)
    both = assets.strings_used_by([assets.paths["js/site.js"], assets.paths["js/cart.js"]], strings)

    assert site_only == {"added": "A", "in_stock": "I", "sort_price": "P"}
    assert both == {"added": "A", "in_stock": "I", "checkout": "C", "sort_price": "P"}


def test_every_string_a_theme_script_names_reaches_its_pages() -> None:
    # Read minified, `strings.unavailable` had become `d.unavailable`: product pages lost
    # "No longer available". Each key a script's source names must be carried.
    import re

    from storefront.ui_strings import load_ui_strings

    site = Path(__file__).resolve().parents[2] / "site"
    assets = collect_assets(site / "assets")
    keys = dict(load_ui_strings(site / "i18n", ("en",))["en"].js)
    for name, public in assets.paths.items():
        if not name.endswith(".js"):
            continue
        source = (site / "assets" / name).read_text(encoding="utf-8")
        named = {key for key in keys if re.search(rf"""["']{key}["']|\bstrings\.{key}\b""", source)}
        missing = named - set(assets.strings_used_by([public], keys))
        assert not missing, (name, sorted(missing))
