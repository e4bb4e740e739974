"""Write dist/manifest.json: the Content-Type and Cache-Control of every file in dist/public.

Deploy uploads each file with these headers; the local server serves them the
same way. Files whose name carries a content hash never change under that
name, so browsers and the CDN may keep them for a year; everything else
(HTML, feeds, sitemap, search index entry points) is revalidated on every
visit so a new build shows at once. Format: docs/architecture.md.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

MANIFEST_FORMAT = 1
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"
# Product images keep their editor-given names (no hash), so a replaced photo must not
# stay cached for a year: a day in browsers, and deploy invalidates changed paths at the CDN.
UNHASHED_IMAGE = "public, max-age=86400"
# Folders whose hashed files (name.<hex hash>.ext) are immutable.
HASHED_FOLDERS = ("assets/", "images/")
_HASHED_NAME = re.compile(r"\.[0-9a-f]{8,}\.[A-Za-z0-9]+$")
# Pagefind's chunks and per-language meta are named after their content (the build makes
# the filter and meta names content-derived too, storefront/pagefind_bundle.py); its
# entry file, scripts and wasm keep fixed names and are revalidated. Shards of a large
# index (storefront/search_shards.py) have the same layout under pagefind/shards/<n>/.
_PAGEFIND_HASHED = re.compile(
    r"^pagefind/(shards/\d+/)?((fragment|index|filter)/[\w-]+_[0-9a-f]{7,}\.pf_\w+"
    r"|pagefind\.[\w-]+_[0-9a-f]{10,}\.pf_meta)$"
)

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml; charset=utf-8",
    ".xsl": "application/xslt+xml",
    ".atom": "application/atom+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".wasm": "application/wasm",
    ".pdf": "application/pdf",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"  # e.g. Pagefind's .pf_fragment files


def content_type(path: str) -> str:
    """The Content-Type for a public file path."""
    suffix = os.path.splitext(path)[1].lower()  # not Path(): 40,000 of them per build
    return CONTENT_TYPES.get(suffix, DEFAULT_CONTENT_TYPE)


def cache_control(path: str) -> str:
    """The Cache-Control for a public file path (relative, posix)."""
    if path.startswith(HASHED_FOLDERS) and _HASHED_NAME.search(path):
        return IMMUTABLE
    if _PAGEFIND_HASHED.match(path):
        return IMMUTABLE
    if path.startswith("images/"):
        return UNHASHED_IMAGE
    return REVALIDATE


def build_manifest(paths: list[str]) -> dict[str, Any]:
    """The manifest for the given public file paths."""
    return {
        "format": MANIFEST_FORMAT,
        "files": {
            path: {"content_type": content_type(path), "cache_control": cache_control(path)}
            for path in sorted(paths)
        },
    }


def manifest_bytes(paths: list[str]) -> bytes:
    """The manifest file's bytes for the public files `paths` (relative, posix).

    Exactly `json.dumps(build_manifest(paths), indent=1) + "\\n"`, spelled out: with an
    indent, json falls back to its pure-Python encoder, which took 0.6 s for the
    40,000 paths of a 10,000-product shop on every build. Each entry is one string
    template filled with the C encoder's quoted strings (a test holds them equal).
    """
    entries = [
        _ENTRY.format(
            path=_quoted(path),
            content_type=_quoted(content_type(path)),
            cache_control=_quoted(cache_control(path)),
        )
        for path in sorted(paths)
    ]
    body = ",\n".join(entries)
    files = f"{{\n{body}\n }}" if entries else "{}"
    return f'{{\n "format": {MANIFEST_FORMAT},\n "files": {files}\n}}\n'.encode()


_quoted = json.JSONEncoder().encode  # a str: its JSON string literal, ASCII-escaped like dumps
_ENTRY = (
    '  {path}: {{\n   "content_type": {content_type},\n   "cache_control": {cache_control}\n  }}'
)
