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
        't("added"); strings.in_stock; t("sort_" + key); node.classList.remove("x");\n'
    )
    (js / "cart.js").write_text('t("checkout");\n')
    assets = collect_assets(tmp_path)
    strings = {"added": "A", "in_stock": "I", "checkout": "C", "sort_price": "P", "other": "O"}
    strings["remove"] = "R"  # named only as a method

    site_only = assets.strings_used_by([assets.paths["js/site.js"]], strings)
    both = assets.strings_used_by([assets.paths["js/site.js"], assets.paths["js/cart.js"]], strings)

    assert site_only == {"added": "A", "in_stock": "I", "sort_price": "P"}
    assert both == {"added": "A", "in_stock": "I", "checkout": "C", "sort_price": "P"}
