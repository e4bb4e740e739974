"""Markup and script in every editor- or shopper-controlled text field show as text, nowhere run.

tests/fixtures/content/hostile/ puts `</script><script>alert(…)`, event handlers,
links whose addresses carry markup, and quotes in the store name, tagline, category, product
title, summary, brand, image alt, specs, features, reviews, Markdown bodies and
a page. A full build of it must hold no active content in any page, JSON-LD
or JSON block, and the feeds must carry the text escaped; order emails must
do the same with names and addresses that come from Stripe.
"""

from __future__ import annotations

import html
import json
from dataclasses import replace
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from shop.emails import compose_email
from shop.orders import Address, EmailKind, OrderLine

from tests.build.content_fixtures import FIXTURES
from tests.functions.order_emails.test_email_content import SHOP, eur, make_order
from tests.security.child_build import build_in_child
from tests.security.inert_html import active_content

HOSTILE = FIXTURES / "hostile"
TITLE = 'Ridge </script><script>alert("title")</script> Shoe'
REVIEWER = '<script>alert("review")</script>'
STORE = 'Evil </script><script>alert("store")</script> & Co'
TAGLINE = '<img src=x onerror=alert("tagline")>'
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile") / "dist"
    build_in_child(HOSTILE, out)
    return out / "public"


def _page(public: Path, relative: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((public / relative).read_bytes())


@pytest.mark.parametrize(
    "markup",
    [
        "<p>hi</p><script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href=" JavaScript:alert(1)">x</a>',
        '<script type="application/ld+json">{"name": "</script>"}</script>',
        '<script src="https://evil.example/x.js"></script>',
        "<iframe src=/x></iframe>",
    ],
)
def test_the_checker_finds_active_content(markup: str) -> None:
    doc = lxml.html.fromstring(f"<html><head></head><body>{markup}</body></html>")
    assert active_content(doc) != []


def test_no_page_of_the_hostile_shop_holds_active_content(public: Path) -> None:
    pages = sorted(public.rglob("*.html"))
    assert len(pages) > 10
    problems = {
        str(path.relative_to(public)): found
        for path in pages
        if (found := active_content(lxml.html.fromstring(path.read_bytes())))
    }
    assert problems == {}


def test_hostile_text_is_shown_as_text_on_the_product_page(public: Path) -> None:
    page = _page(public, "products/trail-shoe/index.html")
    assert page.findtext(".//title") is not None
    assert TITLE in page.findtext(".//title")
    assert page.xpath("string(//h1)").strip() == TITLE
    body = page.xpath("string(//body)")
    for shown in (REVIEWER, '<iframe src=javascript:alert("reviewbody")>', STORE):
        assert shown in body
    # A link whose address carries markup stays one link, that address its data.
    [link] = page.xpath('//a[text()="link"]')
    assert link.get("href").startswith("https://example.com/?q=")
    assert "<script" not in link.get("href")
    # (A `javascript:` link is refused before any build: tests/build/test_markdown.py.)


def test_json_ld_carries_hostile_text_as_data(public: Path) -> None:
    page = _page(public, "products/trail-shoe/index.html")
    blocks = page.xpath('//script[@type="application/ld+json"]')
    assert blocks
    raw = "".join(block.text for block in blocks)
    assert "</script" not in raw.lower()
    names = {
        node.get("name")
        for block in blocks
        for node in json.loads(block.text).get("@graph", [])
        if isinstance(node, dict)
    }
    assert TITLE in names


def test_feeds_carry_hostile_text_escaped(public: Path) -> None:
    atom = lxml.etree.parse(str(public / "feeds" / "new.atom")).getroot()
    assert atom.findtext(f"{ATOM}title") == STORE
    titles = [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")]
    assert TITLE in titles
    for content in atom.iter(f"{ATOM}content"):
        assert content.get("type") == "html"
        assert active_content(lxml.html.fragment_fromstring(content.text, create_parent=True)) == []

    rss = lxml.etree.parse(str(public / "feeds" / "products.xml")).getroot()
    assert rss.findtext("channel/title") == STORE
    # Readers render RSS <description> as HTML: once decoded as HTML it is still the text.
    description = rss.findtext("channel/description")
    assert description is not None
    assert html.unescape(description) == TAGLINE
    assert active_content(lxml.html.fragment_fromstring(description, create_parent=True)) == []


@pytest.mark.parametrize("kind", list(EmailKind))
def test_order_emails_show_names_and_addresses_from_stripe_as_text(kind: EmailKind) -> None:
    # Given an order whose shipping name and address (typed by the shopper on
    # Stripe's page) and a line title are markup
    name = '</td><script>alert("name")</script>'
    order = make_order(
        address=Address(
            name, '<img src=x onerror=alert("line1")>', "", "74000", "Annecy", "", "FR"
        ),
        lines=(OrderLine("TRS-42-BLK", TITLE, '"><svg onload=alert(1)>', 1, eur(8990)),),
    )
    hostile_shop = replace(SHOP, name=STORE)
    email = compose_email(order, kind, hostile_shop)
    document = lxml.html.fromstring(email.html)
    assert active_content(document) == []
    text = document.xpath("string(//body)")
    if kind == EmailKind.CONFIRMATION:
        assert name in text
        assert TITLE in text
    assert STORE in text
