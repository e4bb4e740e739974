"""Write a small build (dist/public, manifest.json, catalog.json) for the deploy tests."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from tests.functions.shop.factories import make_sku, make_snapshot_data

HTML = "text/html; charset=utf-8"
REVALIDATE = "public, max-age=0, must-revalidate"
IMMUTABLE = "public, max-age=31536000, immutable"
IMAGE = "public, max-age=86400"


@dataclass
class ShopBuild:
    """The content of a tiny two-locale shop; change a field and write it again."""

    products: dict[str, str] = field(
        default_factory=lambda: {"trail-shoe": "Ridge Trail Shoe", "alpine-gaiter": "Gaiter"}
    )
    stock: dict[str, int] = field(default_factory=lambda: {"TRS-42-BLK": 12, "GAI-M": 5})
    css: str = "body{margin:0}"
    image_bytes: dict[str, bytes] = field(
        default_factory=lambda: {"trail-shoe": b"\xff\xd8shoe", "alpine-gaiter": b"\xff\xd8gaiter"}
    )
    html_cache_control: str = REVALIDATE
    base_url: str | None = None

    def files(self) -> dict[str, tuple[bytes, str, str]]:
        """Public path -> (bytes, content type, cache control)."""
        digest = hashlib.sha256(self.css.encode()).hexdigest()[:8]
        css_name = f"assets/site.{digest}.css"
        listing = "".join(f"<li>{title}</li>" for title in sorted(self.products.values()))
        files: dict[str, tuple[bytes, str, str]] = {
            css_name: (self.css.encode(), "text/css; charset=utf-8", IMMUTABLE),
            "robots.txt": (b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8", REVALIDATE),
            "404.html": (b"<h1>Not found</h1>", HTML, self.html_cache_control),
            "sitemap.xml": (
                "".join(f"<url>{slug}</url>" for slug in sorted(self.products)).encode(),
                "application/xml; charset=utf-8",
                REVALIDATE,
            ),
        }
        for prefix in ("", "fr/"):
            page = f'<link rel="stylesheet" href="/{css_name}"><ul>{listing}</ul>'.encode()
            files[f"{prefix}index.html"] = (page, HTML, self.html_cache_control)
            files[f"{prefix}categories/all/index.html"] = (page, HTML, self.html_cache_control)
            for slug, title in self.products.items():
                body = f'<h1>{prefix}{title}</h1><img src="/images/{slug}.jpg">'.encode()
                files[f"{prefix}products/{slug}/index.html"] = (body, HTML, self.html_cache_control)
        for slug, data in self.image_bytes.items():
            files[f"images/{slug}.jpg"] = (data, "image/jpeg", IMAGE)
        return files

    def write(self, out: Path) -> Path:
        """Write the build into `out` (replacing any previous one) and return `out`."""
        public = out / "public"
        if public.exists():
            for old in sorted(public.rglob("*"), reverse=True):
                old.unlink() if old.is_file() else old.rmdir()
        manifest: dict[str, dict[str, str]] = {}
        for path, (data, content_type, cache_control) in self.files().items():
            target = public / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            manifest[path] = {"content_type": content_type, "cache_control": cache_control}
        (out / "manifest.json").write_text(json.dumps({"format": 1, "files": manifest}))
        # A whole snapshot, as the build writes it: deploy checks every entry.
        snapshot = make_snapshot_data(
            skus={
                sku: make_sku(sku, "trail-shoe", "Ridge Trail Shoe", 8990, n)
                for sku, n in self.stock.items()
            }
        )
        if self.base_url:
            snapshot["store"]["base_url"] = self.base_url
        (out / "catalog.json").write_text(json.dumps(snapshot, sort_keys=True))
        return out
