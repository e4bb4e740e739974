"""The product cache: an edit re-reads one file, and the catalog equals a cold load's.

Each test copies the example shop's content, checks it once with a cache folder
(which fills the cache), edits the copy, and checks it again with the cache,
comparing with a check that uses no cache at all.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image as PillowImage

from storefront.commands import check as check_command
from storefront.errors import ContentErrors
from storefront.input_digest import content_digests, digest_value, product_digests
from storefront.model import Catalog
from storefront.pipeline import build_site, check_content
from storefront.product_cache import ProductCache
from tests.build.catalog_factory import eur

CODE = "code-digest"


def _check(content: Path, cache: Path) -> Catalog:
    return check_content(content, content_digests(content, {}, 0), CODE, cache)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_validates_only_the_edited_file_and_equals_a_cold_load(
    content: Path, tmp_path: Path, validated: list[str]
) -> None:
    cache = tmp_path / "cache"
    _check(content, cache)
    assert len(validated) > 30  # the first check validated every product
    validated.clear()

    _edit(content / "products" / "basecamp-3-tent.md", 'price: "389.00"', 'price: "379.00"')
    warm = _check(content, cache)

    assert validated == ["basecamp-3-tent"]
    assert warm == check_content(content)
    tent = next(p for p in warm.products if p.slug == "basecamp-3-tent")
    assert tent.variants[0].price.amount == 37900


def test_nothing_changed_validates_nothing_and_equals_a_cold_load(
    content: Path, tmp_path: Path, validated: list[str], translated: list[str]
) -> None:
    cache = tmp_path / "cache"
    _check(content, cache)
    validated.clear()
    translated.clear()

    warm = _check(content, cache)

    assert (validated, translated) == ([], [])
    assert warm == check_content(content)
    # A translation's own body and a product's both come back from the cache.
    tent = next(p for p in warm.products if p.slug == "basecamp-3-tent")
    assert tent.texts["fr"].body_html != tent.texts["en"].body_html


def test_the_check_command_fills_the_cache_so_the_build_after_it_validates_nothing(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validated: list[str]
) -> None:
    # As in CI: `build.py check`, then `build.py` from the same folder (.cache/ is relative).
    monkeypatch.chdir(tmp_path)
    args = argparse.Namespace(content=content, format="text")

    assert check_command.run(args) == 0
    checked = sorted(validated)
    validated.clear()
    report = build_site(content, tmp_path / "dist", image_cache=None)

    assert checked == sorted(
        p.stem for p in (content / "products").glob("*.md") if "." not in p.stem
    )
    assert report.products == len(checked)
    assert validated == []


def test_the_check_command_through_the_cache_still_runs_the_cross_file_checks(
    content: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    validated: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    args = argparse.Namespace(content=content, format="text")
    assert check_command.run(args) == 0
    validated.clear()

    # The tent (unchanged, so taken from the cache) names the deleted product as related.
    (content / "products" / "lakeside-2-tent.md").unlink()
    for translation in (content / "products").glob("lakeside-2-tent.*.md"):
        translation.unlink()
    capsys.readouterr()

    assert check_command.run(args) == 1
    assert validated == []
    printed = capsys.readouterr()
    assert 'unknown product "lakeside-2-tent"' in printed.out + printed.err
    assert "basecamp-3-tent.md" in printed.out + printed.err


def test_an_edited_translation_validates_only_that_file_and_equals_a_cold_load(
    content: Path, tmp_path: Path, validated: list[str], translated: list[str]
) -> None:
    cache = tmp_path / "cache"
    _check(content, cache)
    assert len(translated) > 30  # the first check validated every translation
    validated.clear()
    translated.clear()

    _edit(content / "products" / "chalk-bag.fr.md", "Un sac à magnésie doit", "Un sac doit")
    warm = _check(content, cache)

    assert (validated, translated) == ([], ["products/chalk-bag.fr.md"])
    assert warm == check_content(content)
    bag = next(p for p in warm.products if p.slug == "chalk-bag")
    assert "Un sac doit" in bag.texts["fr"].body_html
    # Its product file's own body is still the English one, taken from the cache.
    assert "Un sac" not in bag.texts["en"].body_html


def test_an_edited_product_file_checks_its_translations_against_it_again(
    content: Path, tmp_path: Path, translated: list[str]
) -> None:
    # chalk-bag.fr.md gives three alt texts; its product file now shows two images.
    cache = tmp_path / "cache"
    _check(content, cache)
    translated.clear()
    _edit(
        content / "products" / "chalk-bag.md",
        "  - src: images/chalk-bag-3.jpg\n"
        "    alt: Chalk Bag with Brush Holder in black, front view\n",
        "",
    )

    with pytest.raises(ContentErrors) as warm:
        _check(content, cache)
    with pytest.raises(ContentErrors) as cold:
        check_content(content)

    assert "products/chalk-bag.fr.md" in translated
    assert str(warm.value) == str(cold.value)
    assert "chalk-bag.fr.md:5: image_alts: expected at most 2 alt text(s)" in str(warm.value)


def test_a_deleted_translation_leaves_its_product_untranslated_as_a_cold_load(
    content: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _check(content, cache)
    (content / "products" / "chalk-bag.fr.md").unlink()

    warm = _check(content, cache)

    assert warm == check_content(content)
    bag = next(p for p in warm.products if p.slug == "chalk-bag")
    assert bag.untranslated == {"fr"}
    # The English body, its links kept in French pages.
    assert bag.texts["fr"].body_html.startswith("<p>A chalk bag")
    assert 'href="/fr/products/loose-chalk-300/"' in bag.texts["fr"].body_html


def test_a_cache_folder_that_cannot_be_written_only_costs_the_speed_up(
    content: Path, tmp_path: Path, validated: list[str]
) -> None:
    # `check` in a read-only checkout: here the cache folder's place is taken by a file.
    blocked = tmp_path / "cache"
    blocked.write_text("not a folder", encoding="utf-8")

    assert _check(content, blocked) == check_content(content)
    validated.clear()
    assert _check(content, blocked) == check_content(content)

    assert blocked.read_text(encoding="utf-8") == "not a folder"
    assert len(validated) > 30  # nothing was cached: every product validated again


@pytest.mark.parametrize("damage", ["flip a byte", "truncate", "empty"])
def test_a_corrupt_cache_is_ignored(
    content: Path, tmp_path: Path, validated: list[str], damage: str
) -> None:
    cache = tmp_path / "cache"
    _check(content, cache)
    [stored] = cache.glob("*.pickle")
    data = stored.read_bytes()
    if damage == "flip a byte":
        middle = len(data) // 2
        data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]
    elif damage == "truncate":
        data = data[: len(data) - 100]
    else:
        data = b""
    stored.write_bytes(data)
    validated.clear()

    warm = _check(content, cache)

    assert len(validated) > 30  # everything read again
    assert warm == check_content(content)


def test_a_corrupt_entry_is_ignored_and_its_file_read_again(
    content: Path, tmp_path: Path, validated: list[str]
) -> None:
    # Given a cache file intact as a whole (checksum right) but one entry's bytes garbage
    cache_dir = tmp_path / "cache"
    _check(content, cache_dir)
    cache = ProductCache.open(cache_dir, content, CODE, content_digests(content, {}, 0))
    entry = cache.entries["products/chalk-bag.md"]
    cache.entries["products/chalk-bag.md"] = replace(entry, pickled=b"\x80\x05garbage")
    cache.changed = True
    cache.save()
    validated.clear()

    warm = _check(content, cache_dir)

    assert validated == ["chalk-bag"]
    assert warm == check_content(content)


def test_a_catalog_yaml_edit_validates_every_product_again(
    content: Path, tmp_path: Path, validated: list[str]
) -> None:
    # Products are checked against catalog.yaml (categories, currency, locales).
    cache = tmp_path / "cache"
    _check(content, cache)
    validated.clear()
    catalog = content / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")

    assert _check(content, cache) == check_content(content)
    assert len(validated) > 30


def test_an_edited_image_revalidates_the_products_that_show_it(
    content: Path, tmp_path: Path, validated: list[str]
) -> None:
    cache = tmp_path / "cache"
    _check(content, cache)
    validated.clear()
    PillowImage.new("RGB", (30, 20), (1, 2, 3)).save(content / "images" / "chalk-bag-2.jpg")

    warm = _check(content, cache)

    assert validated == ["chalk-bag"]
    assert warm == check_content(content)
    bag = next(p for p in warm.products if p.slug == "chalk-bag")
    assert (bag.images[1].width, bag.images[1].height) == (30, 20)


def test_an_error_against_a_cached_file_reads_as_from_a_cold_load(
    content: Path, tmp_path: Path
) -> None:
    # Given chalk-bag.md cached, and crag-helmet.md edited to reuse one of its SKUs
    cache = tmp_path / "cache"
    _check(content, cache)
    _edit(content / "products" / "crag-helmet.md", "sku: CCH-SM-WHT", "sku: CB-TEL")

    with pytest.raises(ContentErrors) as warm:
        _check(content, cache)
    with pytest.raises(ContentErrors) as cold:
        check_content(content)

    assert str(warm.value) == str(cold.value)
    assert "crag-helmet.md:23: variants[0].sku: duplicate SKU" in str(warm.value)
    assert "chalk-bag.md:21" in str(warm.value)


def test_errors_name_files_as_this_check_was_asked_whoever_filled_the_cache(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `serve` fills the cache with the content folder's absolute path; an editor's
    # `check content` then named cached files by their absolute path, the rest relatively.
    cache = tmp_path / "cache"
    _check(content.resolve(), cache)
    _edit(content / "products" / "crag-helmet.md", "sku: CCH-SM-WHT", "sku: CB-TEL")
    monkeypatch.chdir(content.parent)

    with pytest.raises(ContentErrors) as caught:
        _check(Path(content.name), cache)

    message = str(caught.value)
    assert f"{content.name}/products/chalk-bag.md:21" in message
    assert str(content.resolve()) not in message


def test_a_deleted_product_leaves_the_catalog_and_breaks_links_to_it(
    content: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _check(content, cache)
    (content / "products" / "chalk-bag.md").unlink()
    (content / "products" / "chalk-bag.fr.md").unlink()

    with pytest.raises(ContentErrors) as warm:
        _check(content, cache)
    with pytest.raises(ContentErrors) as cold:
        check_content(content)

    assert str(warm.value) == str(cold.value)


def test_product_digests_change_with_the_files_a_product_is_made_from(
    content: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    before = product_digests(_check(content, cache))
    _edit(content / "products" / "chalk-bag.fr.md", "title:", "title: Le")
    PillowImage.new("RGB", (30, 20), (1, 2, 3)).save(content / "images" / "crag-helmet-1.jpg")
    _edit(content / "products" / "basecamp-3-tent.md", 'price: "389.00"', 'price: "379.00"')

    after = product_digests(_check(content, cache))

    changed = {slug for slug in before if before[slug] != after[slug]}
    assert changed == {"chalk-bag", "crag-helmet", "basecamp-3-tent"}


def test_a_catalog_copied_with_other_products_digests_them_whole(
    content: Path, tmp_path: Path
) -> None:
    catalog = _check(content, tmp_path / "cache")
    tent = next(p for p in catalog.products if p.slug == "basecamp-3-tent")
    cheaper = replace(tent, variants=(replace(tent.variants[0], price=eur("1.00")),))
    others = tuple(p for p in catalog.products if p is not tent)
    copied = replace(catalog, products=(*others, cheaper))

    assert product_digests(copied)["basecamp-3-tent"] != product_digests(catalog)["basecamp-3-tent"]
    assert product_digests(copied)["chalk-bag"] == digest_value(
        next(p for p in catalog.products if p.slug == "chalk-bag")
    )
