"""Static assets: minified, named by content hash, and the product images they show.

A hashed name (`/assets/site.3f9a1c2b7d.js`) changes whenever the content
does, so the CDN can cache assets forever and a deploy never serves a stale
script next to a new page.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from storefront.model import Catalog
from storefront.output import OutputFile
from storefront.urls import image_path

HASH_LENGTH = 10
# A string literal ending in "_" in a script, e.g. t("sort_" + value): every key it starts is used.
_KEY_PREFIX = re.compile(r"""["']([a-z][a-z0-9_]*_)["']""")
_QUOTED_WORD = re.compile(r"""["']([A-Za-z0-9_]+)["']""")
_Entry = TypeVar("_Entry")


@dataclass(frozen=True, slots=True)
class SiteAssets:
    """The theme's assets: public paths by source name, inline CSS, and the files to write."""

    paths: dict[str, str]  # "js/site.js" -> "/assets/site.3f9a1c2b7d.js"
    stylesheets: dict[str, str]  # "css/site.css" -> minified text, for inlining in <head>
    files: tuple[OutputFile, ...]
    scripts: dict[str, str]  # "/assets/site.3f9a1c2b7d.js" -> its minified text

    def fields_read_by(self, scripts: Iterable[str], config: Mapping[str, Any]) -> dict[str, Any]:
        """The fields of `config` the `scripts` read (`config.paths`), and always `strings`.

        Property names survive minification; a field no script reads (the product page's
        script formats no money: no `exponent`) stays out of the page's 14 KB.
        """
        text = "\n".join(self.scripts[path] for path in scripts)
        return {
            key: value
            for key, value in config.items()
            if key == "strings" or re.search(rf"""\.{key}\b|["']{key}["']""", text)
        }

    def strings_used_by(
        self, scripts: Iterable[str], strings: Mapping[str, _Entry]
    ) -> dict[str, _Entry]:
        """The client strings that the `scripts` (public paths) name, so a page carries no others.

        A key counts as used where a script names it in quotes (`t("added")`, a map's
        values) or starts it with a literal prefix (`t("sort_" + value)`); a method named
        like a key (`classList.remove`) does not carry "remove". Scripts are read
        minified, where local names are renamed: `strings.in_stock` would not be found,
        so scripts name keys in quotes.
        """
        text = "\n".join(self.scripts[path] for path in scripts)
        words = set(_QUOTED_WORD.findall(text))
        prefixes = tuple(_KEY_PREFIX.findall(text))
        return {
            key: entry
            for key, entry in strings.items()
            if key in words or (prefixes and key.startswith(prefixes))
        }


def minify_script(source: str) -> str:
    """A script minified: local names shortened where it parses as ES5, else whitespace only.

    calmjs.parse renames function-local variables (never globals or properties), which
    is most of what gzip cannot squeeze out; scripts using newer syntax (`import()`,
    arrow functions) keep their names and lose only comments and spaces (rjsmin).
    """
    # Imported here: a build whose assets come from the cache (storefront/asset_cache.py)
    # minifies nothing, and calmjs.parse alone takes 0.1 s to import.
    import rjsmin
    from calmjs.parse import es5  # type: ignore[import-untyped]
    from calmjs.parse.exceptions import (  # type: ignore[import-untyped]
        ECMARegexSyntaxError,
        ECMASyntaxError,
    )
    from calmjs.parse.unparsers.es5 import minify_print  # type: ignore[import-untyped]

    try:
        program = es5(source)
    except (ECMASyntaxError, ECMARegexSyntaxError):
        return str(rjsmin.jsmin(source))
    return str(minify_print(program, obfuscate=True, obfuscate_globals=False))


def _minify(name: str, data: bytes) -> bytes:
    # Only our own text assets are minified; anything else is copied byte for byte.
    if name.endswith(".css"):
        import rcssmin  # here, like the script minifiers

        return str(rcssmin.cssmin(data.decode("utf-8"))).encode("utf-8")
    if name.endswith(".js"):
        return minify_script(data.decode("utf-8")).encode("utf-8")
    return data


def hashed_name(name: str, data: bytes) -> str:
    """`js/site.js` → `site.<hash>.js`, the hash taken from the content."""
    path = PurePosixPath(name)
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    return f"{path.stem}.{digest}{path.suffix}"


def collect_assets(assets_dir: Path) -> SiteAssets:
    """Read everything under `assets_dir`: minify, hash, and gather the CSS for inlining."""
    paths: dict[str, str] = {}
    files: list[OutputFile] = []
    css: dict[str, str] = {}
    scripts: dict[str, str] = {}
    if assets_dir.is_dir():
        for source in sorted(p for p in assets_dir.rglob("*") if p.is_file()):
            name = source.relative_to(assets_dir).as_posix()
            data = _minify(name, source.read_bytes())
            public = f"assets/{hashed_name(name, data)}"
            if public in {f.path for f in files}:
                raise ValueError(f"{source}: two assets would be served as /{public}")
            paths[name] = "/" + public
            files.append(OutputFile(public, data))
            if name.endswith(".css"):
                css[name] = data.decode("utf-8")
            if name.endswith(".js"):
                scripts["/" + public] = data.decode("utf-8")
    return SiteAssets(paths, css, tuple(files), scripts)


def product_images(catalog: Catalog) -> Iterator[OutputFile]:
    """Every product image, copied to its public path under /images/ (once each)."""
    seen: set[str] = set()
    for product in catalog.products:
        for image in product.images:
            public = image_path(image.src).lstrip("/")
            if public in seen:
                continue
            seen.add(public)
            yield OutputFile(public, (catalog.content_dir / image.src).read_bytes())
