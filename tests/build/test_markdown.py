"""Markdown bodies: raw HTML rejected with its line, links checked and localized, output safe."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from storefront.errors import ErrorList
from storefront.markdown import parse_markdown, render_markdown
from storefront.site_links import check_site_links, site_page_paths

PATH = Path("content/products/x.md")
LOCALES = ("en", "fr")
PAGES = site_page_paths(["footwear"], ["trail-shoe", "wool-sock"], ["returns"])


def _errors(text: str, first_line: int = 10) -> list[str]:
    errors = ErrorList()
    parsed = parse_markdown(text, PATH, first_line, errors)
    check_site_links(parsed.links, PAGES, LOCALES, {"/images/shoe.jpg"}, errors)
    return [f"{e.line}: {e.message}" for e in errors.errors]


def _render(text: str, locale: str = "en") -> lxml_html.HtmlElement:
    errors = ErrorList()
    parsed = parse_markdown(text, PATH, 1, errors)
    assert not errors, errors.errors
    return lxml_html.fragment_fromstring(
        render_markdown(parsed, locale, "en", LOCALES), create_parent="div"
    )


def test_a_raw_html_block_is_rejected_with_its_file_line() -> None:
    assert _errors('Intro.\n\n<div class="promo">\nSale!\n</div>\n') == [
        '12: raw HTML is not allowed, got "<div class="promo"> Sale! </div>"; '
        "use Markdown instead (docs/content.md)"
    ]


def test_inline_raw_html_is_rejected_once_per_tag_on_its_own_line() -> None:
    assert _errors("First line\nsecond <b>bold</b> line\n") == [
        '11: raw HTML is not allowed, got "<b>"; use Markdown instead (docs/content.md)'
    ]


def test_a_script_is_rejected() -> None:
    errors = _errors("<script>alert(1)</script>\n")
    assert len(errors) == 1
    assert errors[0].startswith('10: raw HTML is not allowed, got "<script>alert(1)</script>"')


def test_html_comments_are_allowed_and_left_out_of_the_page() -> None:
    assert _errors("Text\n\n<!-- note for editors -->\n") == []
    root = _render("Text\n\n<!-- note for editors -->\n")
    assert "note for editors" not in lxml_html.tostring(root, encoding="unicode")


def test_site_links_to_pages_the_build_makes_pass() -> None:
    text = "[a](/products/trail-shoe/) [b](/pages/returns/#fees) [c](/fr/categories/footwear/)"
    assert _errors(text + " [d](/) [e](/cart/) [f](https://example.com) [g](mailto:a@b.c)") == []


def test_a_broken_site_link_names_what_is_missing_and_suggests_the_closest_page() -> None:
    assert _errors("See [shoe](/products/trail-shoes/).") == [
        '10: link "/products/trail-shoes/" points to nothing; expected a file '
        'products/trail-shoes.md in the content folder (did you mean "/products/trail-shoe/"?)'
    ]


def test_a_missing_trailing_slash_is_pointed_out() -> None:
    assert _errors("[r](/pages/returns)") == [
        '10: link "/pages/returns" points to nothing; expected "/pages/returns/" '
        "(page paths end with a slash)"
    ]


def test_a_link_to_an_unknown_category_names_catalog_yaml() -> None:
    assert _errors("[c](/categories/tents/)") == [
        '10: link "/categories/tents/" points to nothing; expected a category "tents" in '
        "catalog.yaml"
    ]


def test_a_relative_link_is_rejected_because_it_breaks_under_locale_folders() -> None:
    assert _errors("[r](../returns/)") == [
        '10: link "../returns/" is relative; expected a site path like /products/<slug>/ '
        "or an absolute URL (https://…)"
    ]


def test_a_link_with_a_scheme_a_shop_has_no_use_for_is_an_error_not_page_text() -> None:
    # markdown-it left these as literal Markdown on the page, without a word.
    assert _errors("[Buy](javascript:alert(1))\n\n![x](data:image/png;base64,AAAA)") == [
        '10: link "javascript:alert(1)" uses "javascript:"; expected an https://, http://, '
        "mailto: or tel: address, or a site path like /products/<slug>/",
        '12: image "data:image/png;base64,AAAA" uses "data:"; expected an https://, http://, '
        "mailto: or tel: address, or a site path like /products/<slug>/",
    ]


def test_links_are_rewritten_into_the_readers_locale() -> None:
    text = "[a](/products/trail-shoe/) [b](/sitemap.xml) [c](/fr/pages/returns/) [d](https://x.io/)"
    en = [a.get("href") for a in _render(text, "en").iter("a")]
    fr = [a.get("href") for a in _render(text, "fr").iter("a")]
    assert en == ["/products/trail-shoe/", "/sitemap.xml", "/fr/pages/returns/", "https://x.io/"]
    assert fr == [
        "/fr/products/trail-shoe/",
        "/sitemap.xml",
        "/fr/pages/returns/",
        "https://x.io/",
    ]


def test_body_headings_start_at_h2_because_the_page_title_is_the_h1() -> None:
    root = _render("# Story\n\n## Details\n")
    assert [h.tag for h in root.iter("h1", "h2", "h3")] == ["h2", "h3"]


def test_body_headings_never_skip_a_level_even_when_the_editor_starts_at_h2() -> None:
    root = _render("## Where\n\n#### Which\n\n## How\n")
    headings = [(h.tag, h.text) for h in root.iter("h1", "h2", "h3", "h4", "h5")]
    assert headings == [("h2", "Where"), ("h3", "Which"), ("h2", "How")]


def test_dangerous_link_schemes_never_reach_the_page_even_past_the_error() -> None:
    # The error stops the build; the sanitiser would still drop them if it did not.
    errors = ErrorList()
    parsed = parse_markdown("[x](javascript:alert(1)) [y](data:text/html,hi)", PATH, 1, errors)
    assert len(errors) == 2
    root = lxml_html.fragment_fromstring(
        render_markdown(parsed, "en", "en", LOCALES), create_parent="div"
    )
    assert [a.text for a in root.iter("a")] == ["x", "y"]
    assert all(not (a.get("href") or "").startswith(("javascript", "data")) for a in root.iter())


def test_tables_keep_their_column_alignment_and_nothing_else() -> None:
    root = _render("| a | b |\n|--:|---|\n| 1 | 2 |\n")
    cells = list(root.iter("td"))
    assert [c.get("style") for c in cells] == ["text-align:right", None]


def test_an_image_in_a_body_must_be_one_the_build_publishes() -> None:
    assert _errors("![Shoe](/images/shoe.jpg)\n\n![Other](/images/other.jpg)") == [
        '12: image "/images/other.jpg" points to nothing; expected the image of a product '
        "(only images that products list are published)"
    ]


def test_a_footnote_is_named_a_footnote_not_a_relative_link() -> None:
    text = "Warm even when wet.[^1]\n\n[^1]: Tested at 5 °C.\n"
    assert _errors(text) == [
        '12: expected no footnotes, found "[^1]:"; put the note in the text, in brackets'
    ]
