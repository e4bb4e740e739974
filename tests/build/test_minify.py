"""HTML minification keeps pages meaningful: same text, same data blocks, valid structure."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from storefront.minify import minify_page
from storefront.pipeline import check_content
from tests.build.rendered_site import RenderedSite, json_ld, render

ROOT = Path(__file__).resolve().parents[2]

PAGE = """<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <title>Veste  Summit | Northwind</title>
  <style>
    .a { color: red; }
  </style>
  <script type="application/json" id="i18n">{"strings": {"added": "Ajouté  au panier"}}</script>
</head>
<body class="page-product">
  <!-- a comment nobody needs -->
  <main id="main">
    <h1 class="product-title">Veste   Summit</h1>
    <p class="price">249,00&nbsp;€</p>
    <form data-add-to-cart action="/api/cart/items" method="post">
      <input name="quantity" type="number" value="1">
      <button type="submit" class="button">Ajouter au panier</button>
    </form>
    <pre>  keep
      this  </pre>
  </main>
  <script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product",
    "name": "Veste  Summit", "description": "<b>not markup</b> \\u003c/script>"}</script>
</body>
</html>
"""


def _text(html: str) -> list[str]:
    """The text of each element that shows some, whitespace runs collapsed as a browser does."""
    shown = ("title", "h1", "p", "button", "pre")
    return [" ".join(e.text_content().split()) for e in lxml.html.fromstring(html).iter(*shown)]


def test_minified_page_is_smaller_and_keeps_text_and_data() -> None:
    minified = minify_page(PAGE)

    assert len(minified) < len(PAGE)
    assert "a comment nobody needs" not in minified
    assert _text(minified) == _text(PAGE)
    page = lxml.html.fromstring(minified)
    assert json_ld(page) == json_ld(lxml.html.fromstring(PAGE))
    i18n = page.xpath('//script[@id="i18n"]')[0].text
    assert json.loads(i18n) == {"strings": {"added": "Ajouté  au panier"}}
    assert page.xpath("//pre")[0].text == "  keep\n      this  "  # preformatted text untouched


def test_minified_page_keeps_what_validity_and_scripts_rely_on() -> None:
    minified = minify_page(PAGE)

    assert minified.lower().startswith("<!doctype html>")
    assert "<html lang=fr>" in minified  # the language stays on an explicit <html> tag
    assert "<head>" in minified
    assert "</p>" in minified  # closing tags kept
    assert "</body></html>" in minified
    form = lxml.html.fromstring(minified).xpath("//form[@data-add-to-cart]")[0]
    assert form.get("method") == "post"
    assert form.xpath('.//button[not(@type="button")]')  # still a submit button


@pytest.fixture(scope="module")
def site() -> RenderedSite:
    return render(check_content(ROOT / "content"))


def test_every_built_page_is_minified_and_its_json_ld_parses(site: RenderedSite) -> None:
    for path in site.html_paths():
        html = site.files[path].decode("utf-8")
        assert "\n  <" not in html, f"{path}: indented markup left in"
        assert "<!--" not in html, f"{path}: comment left in"
        documents = json_ld(lxml.html.fromstring(html))  # json.loads raises if broken
        if "/products/" in f"/{path}":
            assert documents, f"{path}: no structured data"
