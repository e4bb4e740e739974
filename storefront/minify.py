"""HTML minification with minify-html, tuned so pages stay valid HTML (the W3C checker passes).

minify-html may drop optional tags and quotes that HTML allows to be left out;
the options below keep what the validator and our tests rely on: the `<html>`
and `<head>` opening tags (they carry `lang` and must not vanish), closing tags,
and the `<!doctype html>`. Inline CSS and JS are not rewritten here: the theme's
CSS is already minified by rcssmin, and JSON-LD / the i18n JSON are written
compact by the templates (a JS minifier must never touch JSON data blocks).
"""

from __future__ import annotations

import minify_html


def minify_page(html: str) -> str:
    """`html` without the whitespace and comments a browser ignores."""
    return str(
        minify_html.minify(
            html,
            keep_html_and_head_opening_tags=True,
            keep_closing_tags=True,
            minify_css=False,
            minify_js=False,
            keep_comments=False,
        )
    )
