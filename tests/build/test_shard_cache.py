"""Search shards kept in the bucket cache: a build without dist/ indexes only what changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from storefront import product_buckets, search_index
from storefront.build_state import BuildState
from storefront.index_groups import produce_indexes
from storefront.input_digest import product_digests
from storefront.model import Catalog
from storefront.output import OutputFile
from storefront.output_groups import SiteOutputs
from storefront.packed_files import pack_files, unpack_files
from tests.build.index_factories import eur, make_catalog, make_product

IndexRun = Callable[[Catalog, Path, BuildState | None], BuildState]


@pytest.fixture
def shop(monkeypatch: pytest.MonkeyPatch) -> Catalog:
    """Six products in three search shards."""
    monkeypatch.setattr(product_buckets, "PRODUCTS_PER_BUCKET", 2)
    products = tuple(make_product(slug=f"p-{i:02}") for i in range(6))
    return replace(make_catalog(), products=products)


@pytest.fixture
def indexed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs of the records Pagefind indexed in this test (each language apart)."""
    urls: list[str] = []
    index_language = search_index._index_language

    def counting(records: list[search_index.SearchRecord]) -> dict[str, bytes]:
        urls.extend(record.url for record in records)
        return index_language(records)

    monkeypatch.setattr(search_index, "_index_language", counting)
    return urls


@pytest.fixture
def run(tmp_path: Path) -> IndexRun:
    """Make the indexes into `out` (after `previous`), with one cache folder for all runs."""

    def make(catalog: Catalog, out: Path, previous: BuildState | None) -> BuildState:
        out.mkdir(parents=True, exist_ok=True)
        outputs = SiteOutputs(previous, out)
        produce_indexes(outputs, catalog, "code", product_digests(catalog), tmp_path / "cache")
        return BuildState("inputs", outputs.groups)

    return make


def _edit_first(catalog: Catalog) -> Catalog:
    first = catalog.products[0]
    cheaper = replace(first.variants[0], price=eur(100))
    return replace(catalog, products=(replace(first, variants=(cheaper,)), *catalog.products[1:]))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_build_without_previous_output_takes_every_unchanged_shard_from_the_cache(
    shop: Catalog, tmp_path: Path, run: IndexRun, indexed: list[str]
) -> None:
    run(shop, tmp_path / "first", None)
    assert len(indexed) == 2 * 6 + 2 * 1  # each product and the content page, in en and fr
    indexed.clear()

    run(shop, tmp_path / "second", None)

    assert indexed == []
    assert _files(tmp_path / "second") == _files(tmp_path / "first")
    assert any(path.startswith("pagefind/shards/") for path in _files(tmp_path / "second"))


def test_an_edited_product_re_indexes_its_own_shard_only(
    shop: Catalog, tmp_path: Path, run: IndexRun, indexed: list[str]
) -> None:
    run(shop, tmp_path / "first", None)
    indexed.clear()
    edited = _edit_first(shop)

    run(edited, tmp_path / "second", None)

    shard = product_buckets.bucket_of("p-00", 3)
    in_shard = [p.slug for p in edited.products if product_buckets.bucket_of(p.slug, 3) == shard]
    assert sorted(indexed) == sorted(
        url for slug in in_shard for url in (f"/products/{slug}/", f"/fr/products/{slug}/")
    ) + (["/fr/pages/shipping/", "/pages/shipping/"] if shard == 0 else [])
    run(edited, tmp_path / "cold", None)  # the same output as indexing everything afresh
    assert _files(tmp_path / "second") == _files(tmp_path / "cold")


def test_an_incremental_build_keeps_the_entries_of_the_shards_it_did_not_remake(
    shop: Catalog, tmp_path: Path, run: IndexRun, indexed: list[str]
) -> None:
    # Given an incremental build after an edit: two shards are current, so not read
    state = run(shop, tmp_path / "dist", None)
    run(_edit_first(shop), tmp_path / "dist", state)
    indexed.clear()

    # When the edited shop is built without its dist/ (as CI does)
    run(_edit_first(shop), tmp_path / "fresh", None)

    # Then no shard is indexed again: the current shards' entries were kept, not removed
    assert indexed == []


def test_a_damaged_entry_is_indexed_again(
    shop: Catalog, tmp_path: Path, run: IndexRun, indexed: list[str]
) -> None:
    run(shop, tmp_path / "first", None)
    indexed.clear()
    shards = [p for p in (tmp_path / "cache").iterdir() if p.read_bytes().startswith(b"storefront")]
    assert len(shards) == 3
    shards[0].write_bytes(shards[0].read_bytes()[:-10])  # cut short

    run(shop, tmp_path / "second", None)

    # One shard only, all of it: its products (and the content page of the primary one)
    shards_of = {
        product_buckets.bucket_of(url.strip("/").split("/")[-1], 3)
        for url in indexed
        if "/products/" in url
    }
    assert len(shards_of) == 1
    (shard,) = shards_of
    assert len(indexed) == 2 * sum(
        1 for p in shop.products if product_buckets.bucket_of(p.slug, 3) == shard
    ) + (2 if shard == 0 else 0)
    assert _files(tmp_path / "second") == _files(tmp_path / "first")


def test_packed_files_come_back_as_they_were_and_a_damaged_blob_reads_as_none() -> None:
    files = [OutputFile("pagefind/a.pf_fragment", b"\x00\x01"), OutputFile("é/b", b"")]
    blob = pack_files(files)

    assert unpack_files(blob) == files
    assert unpack_files(pack_files([])) == []
    assert unpack_files(blob[:-1]) is None
    assert unpack_files(blob[:25]) is None
    assert unpack_files(pack_files(files[:1]) + blob[len(pack_files([])) :]) is None
    assert unpack_files(blob[: len(pack_files(files[:1]))]) is None  # cut at a file's end
    assert unpack_files(b"other" + blob) is None
