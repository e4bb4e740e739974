"""Render a catalog in memory and look at the result as parsed HTML (lxml), not strings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html

from storefront.feeds import build_feeds
from storefront.model import Catalog
from storefront.render import render_site

SITE_DIR = Path(__file__).resolve().parents[2] / "site"


@dataclass(frozen=True)
class RenderedSite:
    """The files `render_site` produced, by relative path."""

    files: dict[str, bytes]

    def page(self, path: str) -> lxml.html.HtmlElement:
        """The parsed page served at public `path` ("/fr/cart/")."""
        return lxml.html.fromstring(self.files[file_for(path)])

    def html_paths(self) -> list[str]:
        """Relative paths of every HTML file."""
        return sorted(p for p in self.files if p.endswith(".html"))

    def serves(self, path: str) -> bool:
        """True when a request for `path` (query and fragment ignored) finds a file."""
        return file_for(path) in self.files


def file_for(path: str) -> str:
    """The file a CDN serves for a public path: directories end in index.html."""
    clean = urlsplit(path).path.lstrip("/")
    return clean + "index.html" if clean == "" or clean.endswith("/") else clean


def render(catalog: Catalog, site_dir: Path = SITE_DIR) -> RenderedSite:
    """Render `catalog` with the theme, and its feeds (pages link to them), refusing
    duplicate output paths."""
    files: dict[str, bytes] = {}
    for output in chain(render_site(catalog, site_dir), build_feeds(catalog)):
        assert output.path not in files, f"{output.path}: rendered twice"
        files[output.path] = output.data
    return RenderedSite(files)


def json_ld(page: lxml.html.HtmlElement) -> list[Any]:
    """Every JSON-LD document of a page, parsed."""
    return [json.loads(s.text) for s in page.xpath('//script[@type="application/ld+json"]')]


def graph_nodes(page: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    """All top-level JSON-LD nodes of a page (documents and @graph members)."""
    nodes: list[dict[str, Any]] = []
    for document in json_ld(page):
        nodes.extend(document.get("@graph", [document]))
    return nodes
