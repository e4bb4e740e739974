"""Serve dist/public like the CDN does: pretty URLs, the site's 404 page, cheap revalidation."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path
from urllib.parse import unquote

from storefront.devserver.http import Request, Response

# Types the stdlib may not know on a minimal system, and Pagefind's index files.
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".woff2": "font/woff2",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
}


def content_type(path: Path) -> str:
    """The Content-Type the CDN sends for a file (by extension)."""
    known = _TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def resolve(root: Path, url_path: str) -> Path | None:
    """The file a URL path maps to under root (dir/ → dir/index.html), or None.

    Never leaves root: `..` segments and symlinks pointing outside are refused.
    """
    relative = unquote(url_path).lstrip("/")
    candidate = (root / relative).resolve()
    base = root.resolve()
    if candidate != base and base not in candidate.parents:
        return None
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def _file_response(status: int, path: Path, request: Request) -> Response:
    data = path.read_bytes()
    etag = '"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'
    # Hashed assets are immutable in production; locally everything revalidates
    # so an edit shows up on the next reload.
    headers = [
        ("Content-Type", content_type(path)),
        ("Cache-Control", "no-cache"),
        ("ETag", etag),
    ]
    if status == 200 and request.header("if-none-match") == etag:
        return Response(304, headers)
    body = b"" if request.method == "HEAD" else data
    return Response(status, headers, body)


def serve_static(root: Path, request: Request) -> Response:
    """Answer a GET/HEAD for a file under root, a redirect to add a slash, or the 404 page."""
    if request.method not in ("GET", "HEAD"):
        return Response(405, [("Allow", "GET, HEAD"), ("Content-Type", "text/plain")], b"")
    path = request.path
    found = resolve(root, path)
    if found is not None:
        if not path.endswith("/") and found.name == "index.html" and not path.endswith(".html"):
            # /products/x → /products/x/ so relative links resolve as in production.
            location = path + "/" + (f"?{request.query}" if request.query else "")
            return Response(301, [("Location", location), ("Content-Length", "0")])
        return _file_response(200, found, request)
    not_found = root / "404.html"
    if not_found.is_file():
        return _file_response(404, not_found, request)
    return Response(404, [("Content-Type", "text/plain; charset=utf-8")], b"Not found\n")
