"""Planning: which files to upload or delete, and which CDN paths to invalidate."""

from __future__ import annotations

from pathlib import Path

from shop.availability_feed import AVAILABILITY_FEED_KEY

from storefront.deploy.manifest import FileHeaders, LocalFile
from storefront.deploy.plan import WILDCARD_THRESHOLD, cdn_paths, plan_site

PAGE = FileHeaders("text/html; charset=utf-8", "public, max-age=0, must-revalidate")
ASSET = FileHeaders("text/css; charset=utf-8", "public, max-age=31536000, immutable")


def local(path: str, md5: str, headers: FileHeaders = PAGE) -> LocalFile:
    """A built file with a given MD5 (its bytes are not read by the planner)."""
    return LocalFile(path, Path("/nonexistent") / path, md5, 10, headers)


def test_folder_pages_are_invalidated_under_both_their_urls() -> None:
    assert cdn_paths("index.html") == ["/", "/index.html"]
    assert cdn_paths("fr/products/x/index.html") == ["/fr/products/x/", "/fr/products/x/index.html"]
    assert cdn_paths("404.html") == ["/404.html"]
    assert cdn_paths("images/été 1.jpg") == ["/images/%C3%A9t%C3%A9%201.jpg"]


def test_files_are_new_changed_or_unchanged_by_their_md5() -> None:
    plan = plan_site(
        [local("a/index.html", "1"), local("b/index.html", "2"), local("c/index.html", "3")],
        {"a/index.html": "1", "b/index.html": "old"},
        None,
    )
    assert [(u.file.path, u.reason) for u in plan.uploads] == [
        ("b/index.html", "changed"),
        ("c/index.html", "new"),
    ]
    assert plan.unchanged == 1
    assert plan.invalidations == ("/b/", "/b/index.html")


def test_changed_immutable_files_are_uploaded_but_never_invalidated() -> None:
    plan = plan_site(
        [local("assets/x.abcdef12.css", "new", ASSET)], {"assets/x.abcdef12.css": "o"}, None
    )
    assert len(plan.uploads) == 1
    assert plan.invalidations == ()


def test_deleted_files_are_invalidated_unless_the_last_manifest_says_immutable() -> None:
    previous = {"assets/old.12345678.css": ASSET, "gone/index.html": PAGE}
    plan = plan_site(
        [], {"assets/old.12345678.css": "1", "gone/index.html": "2", "unknown.txt": "3"}, previous
    )
    assert plan.deletes == ("assets/old.12345678.css", "gone/index.html", "unknown.txt")
    assert plan.invalidations == ("/gone/", "/gone/index.html", "/unknown.txt")


def test_the_live_availability_feed_is_never_deleted_or_invalidated_as_no_longer_built() -> None:
    # The feed_availability function writes it between builds; no build ever has it.
    assert AVAILABILITY_FEED_KEY == "feeds/availability.xml"
    plan = plan_site(
        [local("feeds/products.xml", "1")],
        {"feeds/products.xml": "1", AVAILABILITY_FEED_KEY: "2", "old.xml": "3"},
        None,
    )
    assert plan.deletes == ("old.xml",)
    assert plan.invalidations == ("/old.xml",)


def test_many_changed_paths_become_one_wildcard_invalidation() -> None:
    count = WILDCARD_THRESHOLD  # two paths per folder page: well past the threshold
    files = [local(f"p{i}/index.html", "new") for i in range(count)]
    plan = plan_site(files, {f"p{i}/index.html": "old" for i in range(count)}, None)
    assert plan.invalidations == ("/*",)
    assert len(plan.uploads) == count


def test_html_pages_are_uploaded_after_every_other_file() -> None:
    plan = plan_site(
        [local("index.html", "1"), local("assets/a.11111111.css", "2", ASSET), local("z.xml", "3")],
        {},
        None,
    )
    assert [u.file.path for u in plan.uploads] == ["assets/a.11111111.css", "z.xml", "index.html"]
