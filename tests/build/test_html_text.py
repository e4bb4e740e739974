"""plain_text: the visible text of sanitised HTML fragments."""

from storefront.html_text import plain_text


def test_plain_text_drops_tags_decodes_entities_and_collapses_whitespace() -> None:
    html = (
        "<p>Born on the <a href='/x/'>ridges</a>&nbsp;above\n Annecy &amp; Aravis.</p>"
        "<ul><li>A</li></ul>"
    )

    assert plain_text(html) == "Born on the ridges above Annecy & Aravis. A"


def test_plain_text_of_an_empty_fragment_is_empty() -> None:
    assert plain_text("<p> </p>") == ""
