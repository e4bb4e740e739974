"""dist/public is served like the CDN serves it: pretty URLs, 404 page, no escape from the root."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from storefront.devserver.app import DevApp
from storefront.devserver.http import Request
from storefront.devserver.runtime import LocalRuntime
from storefront.devserver.static import accepts_gzip, resolve, serve_static
from tests.devserver.small_build import write_small_build


@pytest.fixture
def public(tmp_path: Path) -> Path:
    """A small built site's public folder."""
    return write_small_build(tmp_path / "dist") / "public"


def test_folder_url_serves_its_index_html(public: Path) -> None:
    response = serve_static(public, Request("GET", "/products/tee/"))
    assert response.status == 200
    assert b"<h1>Tee</h1>" in response.body
    assert response.header("content-type") == "text/html; charset=utf-8"


def test_folder_url_without_slash_redirects_keeping_the_query(public: Path) -> None:
    response = serve_static(public, Request("GET", "/products/tee?ref=home"))
    assert response.status == 301
    assert response.header("location") == "/products/tee/?ref=home"


def test_unknown_path_gets_the_sites_404_page_with_status_404(public: Path) -> None:
    response = serve_static(public, Request("GET", "/products/nope/"))
    assert response.status == 404
    assert b"Page not found" in response.body


@pytest.mark.parametrize("target", ["/../catalog.json", "/%2e%2e/catalog.json", "/assets/../../x"])
def test_paths_outside_public_are_never_served(public: Path, target: str) -> None:
    assert resolve(public, Request("GET", target).path) is None
    assert serve_static(public, Request("GET", target)).status == 404


def test_matching_etag_answers_304_without_body(public: Path) -> None:
    first = serve_static(public, Request("GET", "/assets/site.abc123.css"))
    etag = first.header("etag")
    assert first.header("content-type") == "text/css; charset=utf-8"
    assert etag
    again = serve_static(
        public, Request("GET", "/assets/site.abc123.css", (("If-None-Match", etag),))
    )
    assert again.status == 304
    assert again.body == b""


def test_head_answers_as_get_does_and_post_is_refused(public: Path) -> None:
    # The same response, body included: the server sends its length and leaves it out.
    head = serve_static(public, Request("HEAD", "/"))
    get = serve_static(public, Request("GET", "/"))
    assert (head.status, head.headers, head.body) == (200, get.headers, get.body)
    assert serve_static(public, Request("POST", "/")).status == 405


def test_manifest_headers_are_used_and_only_hashed_assets_stay_cached(public: Path) -> None:
    manifest = {
        "assets/site.abc123.css": {
            "content_type": "text/css; charset=utf-8",
            "cache_control": "public, max-age=31536000, immutable",
        },
        "index.html": {
            "content_type": "text/html; charset=utf-8",
            "cache_control": "public, max-age=0, must-revalidate",
        },
        "products/tee/index.html": {
            "content_type": "application/xhtml+xml",
            "cache_control": "public, max-age=86400",
        },
    }
    asset = serve_static(public, Request("GET", "/assets/site.abc123.css"), manifest)
    assert asset.header("cache-control") == "public, max-age=31536000, immutable"
    page = serve_static(public, Request("GET", "/products/tee/"), manifest)
    assert page.header("content-type") == "application/xhtml+xml"
    assert page.header("cache-control") == "no-cache"


def test_pages_carry_the_cdn_security_headers_minus_https_only_parts(public: Path) -> None:
    app = DevApp(public, LocalRuntime("eu-west-1"), live_reload=False)
    response = app(Request("GET", "/"))
    csp = response.header("content-security-policy")
    assert csp is not None
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "upgrade-insecure-requests" not in csp  # would break http://localhost
    assert response.header("x-content-type-options") == "nosniff"


LONG_PAGE = (
    '<!doctype html><html lang="en"><head><title>Shipping</title></head><body>'
    + "<p>We pack every order ourselves in our workshop.</p>" * 40
    + "</body></html>"
)
BROWSER = (("Accept-Encoding", "gzip, deflate, br, zstd"),)


@pytest.fixture
def app(public: Path) -> DevApp:
    """The dev server's request handler with live reload on, as `serve` runs by default."""
    (public / "pages" / "shipping").mkdir(parents=True)
    (public / "pages" / "shipping" / "index.html").write_text(LONG_PAGE, encoding="utf-8")
    (public / "images").mkdir()
    (public / "images" / "tent.webp").write_bytes(b"RIFF" + bytes(range(256)) * 8)
    return DevApp(public, LocalRuntime("eu-west-1"), live_reload=True)


def test_text_is_gzipped_for_a_browser_after_the_reload_script_went_in(app: DevApp) -> None:
    response = app(Request("GET", "/pages/shipping/", BROWSER))
    assert response.status == 200
    assert response.header("content-encoding") == "gzip"
    assert response.header("vary") == "Accept-Encoding"
    html = gzip.decompress(response.body).decode()
    assert html.startswith("<!doctype html>")
    assert "/_dev/reload.js" in html  # injected into the text, then compressed
    assert len(response.body) < len(html) / 4


def test_without_accept_encoding_the_body_stays_plain_and_still_varies(app: DevApp) -> None:
    response = app(Request("GET", "/pages/shipping/"))
    assert response.header("content-encoding") is None
    assert response.header("vary") == "Accept-Encoding"
    assert response.body.startswith(b"<!doctype html>")


def test_images_and_bodies_under_1000_bytes_are_sent_as_they_are(app: DevApp) -> None:
    image = app(Request("GET", "/images/tent.webp", BROWSER))
    assert image.status == 200
    assert image.header("content-encoding") is None
    assert image.header("vary") is None
    small_css = app(Request("GET", "/assets/site.abc123.css", BROWSER))
    assert small_css.header("content-encoding") is None
    assert small_css.body == b"body{margin:0}"


def test_the_gzipped_pages_etag_revalidates_to_304(app: DevApp) -> None:
    first = app(Request("GET", "/pages/shipping/", BROWSER))
    etag = first.header("etag")
    assert etag is not None
    assert etag.endswith('-gzip"')
    again = app(Request("GET", "/pages/shipping/", (*BROWSER, ("If-None-Match", etag))))
    assert again.status == 304
    assert again.body == b""


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("deflate, gzip;q=0.5", True),
        ("*", True),
        ("br, x-gzip", True),
        ("gzip;q=0", False),
        ("*, gzip;q=0", False),
        ("*;q=0", False),
        ("br, deflate", False),
        ("identity", False),
        ("", False),
        (None, False),
    ],
)
def test_accept_encoding_is_read_with_its_quality_values(
    header: str | None, accepted: bool
) -> None:
    assert accepts_gzip(header) is accepted
