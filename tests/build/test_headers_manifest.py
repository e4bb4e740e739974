"""dist/manifest.json: Content-Type and Cache-Control for every public file."""

from __future__ import annotations

import json

import pytest

from storefront.deploy.manifest import parse_manifest
from storefront.headers_manifest import (
    IMMUTABLE,
    REVALIDATE,
    UNHASHED_IMAGE,
    build_manifest,
    cache_control,
    content_type,
    manifest_bytes,
)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("assets/site.5529272a19.js", IMMUTABLE),
        ("assets/fonts/inter.0123abcd89.woff2", IMMUTABLE),
        ("images/trail-shoe-1.3f9a1c2b7d.webp", IMMUTABLE),
        ("images/trail-shoe-1.jpg", UNHASHED_IMAGE),
        ("assets/site.js", REVALIDATE),
        ("index.html", REVALIDATE),
        ("fr/products/trail-shoe/index.html", REVALIDATE),
        ("feeds/products.xml", REVALIDATE),
        ("sitemap.xml", REVALIDATE),
        ("pagefind/pagefind.js", REVALIDATE),
        ("pagefind/pagefind-entry.json", REVALIDATE),
        ("pagefind/wasm.en.pagefind", REVALIDATE),
        ("pagefind/fragment/en_386cfc9.pf_fragment", IMMUTABLE),
        ("pagefind/index/fr_2c5ab78.pf_index", IMMUTABLE),
        ("pagefind/filter/en_c615e29.pf_filter", IMMUTABLE),
        ("pagefind/pagefind.en_7d71e4bab3.pf_meta", IMMUTABLE),
        ("pagefind/pagefind.pt-br_7d71e4bab3.pf_meta", IMMUTABLE),
        ("pagefind/shards/3/pagefind-entry.json", REVALIDATE),
        ("pagefind/shards/3/fragment/en_386cfc9.pf_fragment", IMMUTABLE),
        ("pagefind/shards/12/pagefind.fr_7d71e4bab3.pf_meta", IMMUTABLE),
        ("pagefind/shards/x/pagefind.fr_7d71e4bab3.pf_meta", REVALIDATE),
    ],
)
def test_only_content_hashed_files_are_cached_forever(path: str, expected: str) -> None:
    assert cache_control(path) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("assets/site.5529272a19.css", "text/css; charset=utf-8"),
        ("assets/site.5529272a19.js", "text/javascript; charset=utf-8"),
        ("feeds/new.atom", "application/atom+xml; charset=utf-8"),
        ("sitemap.xml", "application/xml; charset=utf-8"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("images/a.JPG", "image/jpeg"),
        ("images/a.webp", "image/webp"),
        ("search/vocabulary-en.json", "application/json"),
        ("pagefind/fragment/en_1a2b.pf_fragment", "application/octet-stream"),
    ],
)
def test_content_types_follow_the_file_extension(path: str, expected: str) -> None:
    assert content_type(path) == expected


def test_manifest_lists_every_file_sorted_and_deploy_reads_it() -> None:
    manifest = build_manifest(["products/x/index.html", "assets/a.0123456789.css", "404.html"])
    assert manifest["format"] == 1
    assert list(manifest["files"]) == [
        "404.html",
        "assets/a.0123456789.css",
        "products/x/index.html",
    ]
    headers = parse_manifest(manifest, "manifest.json")
    assert headers["assets/a.0123456789.css"].immutable
    assert not headers["404.html"].immutable


@pytest.mark.parametrize(
    "paths",
    [
        [],
        ["index.html"],
        ['z/é "quoted".html', "assets/site.5529272a19.js", "images/a.JPG", "feeds/new.atom"],
    ],
)
def test_manifest_bytes_are_the_indented_json_of_the_manifest(paths: list[str]) -> None:
    expected = (json.dumps(build_manifest(paths), indent=1) + "\n").encode("utf-8")
    assert manifest_bytes(paths) == expected
