"""The template environment, interface strings and assets behave as the theme relies on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import lxml.html
import pytest
from jinja2 import UndefinedError
from shop.money import Money

from storefront.errors import UiStringsError
from storefront.render import page_scripts
from storefront.site_assets import collect_assets, hashed_name
from storefront.templating import format_money, json_for_script, make_environment
from storefront.ui_strings import UiStrings, load_ui_strings
from tests.build.catalog_factory import make_catalog
from tests.build.rendered_site import SITE_DIR, render


def _nbsp_to_space(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_money_is_formatted_for_each_locale_and_currency() -> None:
    assert format_money(Money(12900, "EUR"), "en") == "€129.00"
    assert _nbsp_to_space(format_money(Money(12900, "EUR"), "fr")) == "129,00 €"
    assert format_money(Money(1500, "JPY"), "en") == "¥1,500"


def test_a_template_using_an_unknown_variable_fails_instead_of_printing_nothing(
    tmp_path: Path,
) -> None:
    (tmp_path / "page.html").write_text("<p>{{ price_typo }}</p>")
    with pytest.raises(UndefinedError, match="price_typo"):
        make_environment(tmp_path).get_template("page.html").render()


def test_templates_escape_content_by_default(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<p>{{ text }}</p>")
    html = make_environment(tmp_path).get_template("page.html").render(text="<b>x</b>")
    assert html == "<p>&lt;b&gt;x&lt;/b&gt;</p>"


def test_json_for_script_escapes_what_could_end_the_script_element() -> None:
    text = str(json_for_script({"title": "</script><!-- & >"}))
    assert "<" not in text
    assert ">" not in text
    assert json.loads(text) == {"title": "</script><!-- & >"}


def test_ui_strings_pick_plural_forms_by_the_locale_rules() -> None:
    strings = load_ui_strings(SITE_DIR / "i18n", ("en", "fr"))
    assert strings["en"].plural("product_count", 1) == "1 product"
    assert strings["en"].plural("product_count", 0) == "0 products"
    assert strings["fr"].plural("product_count", 0) == "0 produit"  # French: 0 is singular
    assert strings["fr"].plural("product_count", 2) == "2 produits"


def test_the_shipped_locale_files_have_the_same_keys() -> None:
    strings = load_ui_strings(SITE_DIR / "i18n", ("fr", "en"))
    assert set(strings["fr"].ui) == set(strings["en"].ui)
    assert set(strings["fr"].js) == set(strings["en"].js)


def test_a_missing_translation_is_reported_with_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "en.yaml").write_text("ui: {home: Home, cart: Cart}\njs: {}\n")
    (tmp_path / "fr.yaml").write_text("ui: {home: Accueil}\njs: {}\n")
    with pytest.raises(UiStringsError, match=r"fr\.yaml: ui: .*missing: cart"):
        load_ui_strings(tmp_path, ("en", "fr"))


def test_a_store_locale_without_a_strings_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "en.yaml").write_text("ui: {home: Home}\njs: {}\n")
    with pytest.raises(UiStringsError, match=r"de\.yaml: file: missing"):
        load_ui_strings(tmp_path, ("en", "de"))


def test_an_unknown_string_key_names_the_locale_file() -> None:
    strings = UiStrings("en", {}, {})
    with pytest.raises(UiStringsError, match=r"site/i18n/en\.yaml: ui\.nope"):
        strings.text("nope")


def test_asset_names_change_with_their_content() -> None:
    assert hashed_name("js/site.js", b"a") != hashed_name("js/site.js", b"b")
    assert hashed_name("js/site.js", b"a").startswith("site.")
    assert hashed_name("js/site.js", b"a").endswith(".js")


def test_assets_are_minified_and_served_under_assets(tmp_path: Path) -> None:
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "site.js").write_text("function  f ( a ) {\n  return a ;\n}\n")
    assets = collect_assets(tmp_path)
    public = assets.paths["js/site.js"]
    assert public.startswith("/assets/site.")
    [written] = [f for f in assets.files if "/" + f.path == public]
    assert written.data == b"function f(a){return a;}"


def test_pages_load_only_the_scripts_that_exist_for_their_kind(tmp_path: Path) -> None:
    (tmp_path / "js").mkdir()
    for name in ("site.js", "filters.js", "search.js"):
        (tmp_path / "js" / name).write_text(f"/* {name} */")
    assets = collect_assets(tmp_path)

    def names(kind: str) -> list[str]:
        return [p.split("/")[-1].split(".")[0] for p in page_scripts(kind, assets)]

    assert names("category") == ["site", "filters"]  # its kind's extra script
    assert names("product") == ["site"]  # no product.js in this theme folder: not referenced
    assert names("search") == ["site", "search"]  # no spelling.js here: not referenced


def test_a_theme_without_scripts_still_renders_every_page(tmp_path: Path) -> None:
    # Given a copy of the theme with no JavaScript at all
    theme = tmp_path / "site"
    shutil.copytree(SITE_DIR, theme)
    shutil.rmtree(theme / "assets" / "js")
    # When the shop is rendered with it
    site = render(make_catalog(tmp_path / "content"), theme)
    # Then pages come out without script tags pointing at missing files
    page = lxml.html.fromstring(site.files["products/trail-shoe/index.html"])
    assert page.xpath("//script[@src]") == []
