"""Memoised fragments: rendered once per key, and pages come out as if minified whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment

from storefront.minify import minify_page
from storefront.page_fragments import CHECKED_PAGES, PageFragments
from storefront.pipeline import check_content
from storefront.render import Renderer

ROOT = Path(__file__).resolve().parents[2]

PAGE = """<!doctype html>
<html lang="en"><head><title>{{ title }}</title></head>
<body>
<ul class="grid">
{% for card in cards %}
  {% call memo("card", card) %}
  <li class="card" data-x="{{ card }}">  <a href="/p/{{ card }}/">  Card   {{ card }} </a>
    <span>{{ calls.append(card) or "" }}</span></li>
  {% endcall %}
{% endfor %}
</ul>
<p>before {% call memo("inline-text", 1) %} some   <b>bold</b>  text {% endcall %} after</p>
{% if with_pre %}
<pre>{% call memo("in-pre", 1) %}<span>  keep   this  </span>{% endcall %}</pre>
{% endif %}
</body></html>
"""


def _render(fragments: PageFragments, **context: object) -> str:
    env = Environment(loader=DictLoader({"page.html": PAGE}), autoescape=True)
    env.globals["memo"] = fragments.memo
    return env.get_template("page.html").render(**{"with_pre": False, **context})


def test_a_fragment_body_is_rendered_once_per_key() -> None:
    fragments = PageFragments()
    calls: list[str] = []
    for title in ("one", "two", "three"):
        fragments.minify(_render(fragments, title=title, cards=["a", "b", "a"], calls=calls))
    assert calls == ["a", "b"]


@pytest.mark.parametrize("title", ["one", "two"])
def test_spliced_pages_equal_pages_minified_whole(title: str) -> None:
    # Given pages rendered past the checked pages, when kinds are trusted
    fragments = PageFragments()
    pages = [
        fragments.minify(_render(fragments, title=f"{title}{i}", cards=["a", "b"], calls=[]))
        for i in range(CHECKED_PAGES + 2)
    ]
    # Then every page has the bytes of the page minified whole (no placeholder left)
    env = Environment(loader=DictLoader({"page.html": PAGE}), autoescape=True)
    plain: dict[tuple[object, ...], str] = {}

    def memo(*key: object, caller: object) -> str:
        return plain.setdefault(key, caller())  # type: ignore[operator]

    env.globals["memo"] = memo
    for i, page in enumerate(pages):
        whole = env.get_template("page.html").render(
            title=f"{title}{i}", cards=["a", "b"], calls=[], with_pre=False
        )
        assert page == minify_page(whole)
        assert "memo-fragment" not in page
    assert not fragments._inline
    assert fragments._checked == dict.fromkeys(("card", "inline-text"), CHECKED_PAGES)


def test_a_kind_that_minifies_differently_spliced_is_inlined() -> None:
    fragments = PageFragments()
    fragments.minify(_render(fragments, title="t", cards=["a"], calls=[], with_pre=True))
    # Whitespace inside <pre> is kept in the page but not in a fragment minified alone.
    assert "in-pre" in fragments._inline
    page = fragments.minify(_render(fragments, title="t", cards=["a"], calls=[], with_pre=True))
    assert "<pre><span>  keep   this  </span></pre>" in page


def test_example_shop_pages_equal_pages_minified_whole() -> None:
    catalog = check_content(ROOT / "content")
    renderer = Renderer(catalog, ROOT / "site")
    plain = Renderer(catalog, ROOT / "site")
    plain.env.globals["memo"] = lambda *key, caller: caller()
    for page in renderer.pages:
        expected = minify_page(
            plain.env.get_template(page.template).render({**plain._shared(page), **page.context()})
        ).encode("utf-8")
        assert renderer.render(page) == expected, page.output
