"""Serve dist/public like the CDN does: pretty URLs, the site's 404 page, cheap revalidation.

Content-Type comes from the build's headers manifest (dist/manifest.json), the
same table deploy uploads with, so a wrong type shows up locally first. Text
is gzipped for clients that accept it, as CloudFront does in production, so
page weights and Lighthouse's figures measured locally match what shoppers get.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import mimetypes
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any
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


# CloudFront compresses these types (and any text/*) when the viewer accepts it,
# only for bodies of 1,000 bytes or more: smaller ones gain nothing.
_COMPRESSIBLE = frozenset(
    {
        "application/atom+xml",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "application/rss+xml",
        "application/wasm",
        "application/xhtml+xml",
        "application/xml",
        "image/svg+xml",
        "image/x-icon",
    }
)
MIN_COMPRESSED_BYTES = 1000

FileHeaders = Mapping[str, Mapping[str, str]]  # relative path -> {content_type, cache_control}


class Manifest:
    """dist/manifest.json, re-read whenever a rebuild replaces it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: float | None = None
        self._files: FileHeaders = {}

    def files(self) -> FileHeaders:
        """The manifest's files (empty when the build wrote none)."""
        with self._lock:
            try:
                stamp = self.path.stat().st_mtime
            except OSError:
                return {}
            if stamp != self._stamp:
                data: Any = json.loads(self.path.read_text(encoding="utf-8"))
                self._files = data.get("files", {}) if isinstance(data, dict) else {}
                self._stamp = stamp
            return self._files


def content_type(path: Path) -> str:
    """The Content-Type for a file the manifest does not list (by extension)."""
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


def _file_response(
    status: int, path: Path, request: Request, listed: Mapping[str, str] | None
) -> Response:
    data = path.read_bytes()
    etag = '"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'
    cache = (listed or {}).get("cache_control", "")
    # Hashed assets keep their year-long immutable caching (a rebuild renames
    # them); everything else revalidates so an edit shows on the next reload.
    headers = [
        ("Content-Type", (listed or {}).get("content_type") or content_type(path)),
        ("Cache-Control", cache if "immutable" in cache else "no-cache"),
        ("ETag", etag),
    ]
    # A gzipped response carries its own ETag (see `compress`); either names this file.
    if status == 200 and request.header("if-none-match") in (etag, _gzip_etag(etag)):
        return Response(304, headers)
    # The whole body even for HEAD: the server sends its length and leaves it out.
    return Response(status, headers, data)


def serve_static(root: Path, request: Request, manifest: FileHeaders | None = None) -> Response:
    """Answer a GET/HEAD for a file under root, a redirect to add a slash, or the 404 page."""
    manifest = manifest or {}
    if request.method not in ("GET", "HEAD"):
        return Response(405, [("Allow", "GET, HEAD"), ("Content-Type", "text/plain")], b"")
    path = request.path
    found = resolve(root, path)
    if found is not None:
        if not path.endswith("/") and found.name == "index.html" and not path.endswith(".html"):
            # /products/x → /products/x/ so relative links resolve as in production.
            location = path + "/" + (f"?{request.query}" if request.query else "")
            return Response(301, [("Location", location), ("Content-Length", "0")])
        relative = found.resolve().relative_to(root.resolve()).as_posix()
        return _file_response(200, found, request, manifest.get(relative))
    not_found = root / "404.html"
    if not_found.is_file():
        return _file_response(404, not_found, request, manifest.get("404.html"))
    return Response(404, [("Content-Type", "text/plain; charset=utf-8")], b"Not found\n")


def _gzip_etag(etag: str) -> str:
    """The ETag of the gzipped form of a body whose ETag is `etag` (Apache's convention)."""
    return etag[:-1] + '-gzip"' if etag.endswith('"') else etag


def accepts_gzip(accept_encoding: str | None) -> bool:
    """True when an Accept-Encoding header allows gzip (by name or `*`, with q above 0)."""
    allowed: dict[str, bool] = {}
    for item in (accept_encoding or "").split(","):
        coding, _, params = item.strip().partition(";")
        quality = params.strip().removeprefix("q=").strip() if params.strip() else "1"
        try:
            allowed[coding.strip().lower()] = float(quality) > 0
        except ValueError:
            allowed[coding.strip().lower()] = False
    for name in ("gzip", "x-gzip", "*"):
        if name in allowed:
            return allowed[name]
    return False


def is_compressible(content_type_header: str) -> bool:
    """True for the text types CloudFront compresses."""
    media_type = content_type_header.split(";", 1)[0].strip().lower()
    return media_type.startswith("text/") or media_type in _COMPRESSIBLE


def compress(request: Request, response: Response) -> Response:
    """Gzip a text response for a client that accepts it, as the CDN does (mutates `response`).

    Every compressible response says `Vary: Accept-Encoding`, compressed or not, so
    no cache hands a gzipped body to a client that cannot read it.
    """
    if not is_compressible(response.header("content-type") or ""):
        return response
    response.headers.append(("Vary", "Accept-Encoding"))
    if (
        response.header("content-encoding") is not None
        or len(response.body) < MIN_COMPRESSED_BYTES
        or not accepts_gzip(request.header("accept-encoding"))
    ):
        return response
    response.body = gzip.compress(response.body, compresslevel=6, mtime=0)
    response.headers = [
        (name, _gzip_etag(value) if name.lower() == "etag" else value)
        for name, value in response.headers
    ]
    response.headers.append(("Content-Encoding", "gzip"))
    return response
