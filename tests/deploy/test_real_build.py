"""The example shop, really built, deployed twice to moto with one product edited in between."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from storefront.cli import main
from storefront.deploy.publish import deploy_build
from tests.deploy.conftest import FakeStack

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = "aravis-mid-hiking-boot"

# Files that list or index every product: allowed to change with any product.
INDEX_FILES = re.compile(
    r"^(fr/)?(index\.html|categories/.*|search/.*)$|^(feeds|pagefind)/|^sitemap\.xml$"
)


def build(content: Path, out: Path) -> Path:
    """Run the real build command; returns the output folder."""
    status = main(["build", "--content", str(content), "--out", str(out)])
    assert status == 0
    return out


@pytest.mark.slow
def test_editing_one_product_redeploys_only_its_pages_and_the_indexes(
    stack: FakeStack, tmp_path: Path
) -> None:
    source = ROOT / "content" / "products" / f"{PRODUCT}.md"
    assert source.exists(), f"the example shop lost {PRODUCT}, which this test edits"
    # Given the example shop built and deployed
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    first = deploy_build(
        build(content, tmp_path / "dist1"), stack.outputs, stack.clients, say=lambda _: None
    )
    assert len(first.plan.uploads) > 100

    # When an editor rewrites that product's summary and the shop is rebuilt and deployed
    product = content / "products" / f"{PRODUCT}.md"
    text = product.read_text(encoding="utf-8")
    edited = re.sub(r"(?m)^summary: .*$", "summary: Rebuilt for the deploy test.", text, count=1)
    assert edited != text
    product.write_text(edited, encoding="utf-8")
    second = deploy_build(
        build(content, tmp_path / "dist2"), stack.outputs, stack.clients, say=lambda _: None
    )

    # Then only its own pages and the shop-wide indexes are uploaded...
    uploaded = {upload.file.path for upload in second.plan.uploads}
    assert f"products/{PRODUCT}/index.html" in uploaded
    others = {
        path
        for path in uploaded
        if not INDEX_FILES.search(path) and f"products/{PRODUCT}/" not in path
    }
    assert others == set()
    assert len(uploaded) < len(first.plan.uploads) / 5
    # ...and no other product's page is invalidated
    for path in second.plan.invalidations:
        assert "/products/" not in path or f"/products/{PRODUCT}/" in path, path
    assert f"/products/{PRODUCT}/" in second.plan.invalidations
