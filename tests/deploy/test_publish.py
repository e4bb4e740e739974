"""`deploy_build` against emulated S3, CloudFront and DynamoDB (moto)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from shop.availability_feed import AVAILABILITY_FEED_KEY

from storefront.deploy import cdn
from storefront.deploy.errors import DeployError
from storefront.deploy.publish import DeployResult, deploy_build
from tests.deploy.conftest import FakeStack
from tests.deploy.site_factory import IMMUTABLE, ShopBuild


def deploy(stack: FakeStack, out: Path, *, dry_run: bool = False) -> tuple[DeployResult, str]:
    """Run a deploy and return its result and everything it printed."""
    lines: list[str] = []
    result = deploy_build(out, stack.outputs, stack.clients, dry_run=dry_run, say=lines.append)
    return result, "\n".join(lines)


def test_first_deploy_uploads_every_file_with_its_manifest_headers(
    stack: FakeStack, tmp_path: Path
) -> None:
    build = ShopBuild()
    out = build.write(tmp_path / "dist")

    result, _ = deploy(stack, out)

    s3 = stack.clients.s3
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="shop-site")["Contents"]}
    assert keys == set(build.files())
    page = s3.head_object(Bucket="shop-site", Key="products/trail-shoe/index.html")
    assert page["ContentType"] == "text/html; charset=utf-8"
    assert page["CacheControl"] == "public, max-age=0, must-revalidate"
    css_key = next(k for k in keys if k.startswith("assets/"))
    assert s3.head_object(Bucket="shop-site", Key=css_key)["CacheControl"] == IMMUTABLE
    assert len(result.plan.uploads) == len(keys)
    # Nothing was cached under paths that did not exist: no invalidation needed.
    assert result.invalidation_id is None
    assert stack.invalidated_paths() == []


def test_first_deploy_uploads_assets_before_pages(stack: FakeStack, tmp_path: Path) -> None:
    deploy(stack, ShopBuild().write(tmp_path / "dist"))

    site_keys = set(ShopBuild().files())
    puts = stack.s3_calls.site_puts(site_keys)
    first_page = min(i for i, key in enumerate(puts) if key.endswith(".html"))
    assert all(not key.endswith(".html") for key in puts[:first_page])
    assert all(key.endswith(".html") for key in puts[first_page:])


def test_second_deploy_with_one_product_changed_uploads_and_invalidates_only_its_pages_and_indexes(
    stack: FakeStack, tmp_path: Path
) -> None:
    # Given a deployed shop
    build = ShopBuild()
    deploy(stack, build.write(tmp_path / "dist"))
    stack.s3_calls.clear()

    # When one product's title changes and the shop is built and deployed again
    build.products["trail-shoe"] = "Ridge Trail Shoe GTX"
    result, _ = deploy(stack, build.write(tmp_path / "dist"))

    # Then only that product's pages and the pages listing it are uploaded
    changed = {
        "products/trail-shoe/index.html",
        "fr/products/trail-shoe/index.html",
        "index.html",
        "fr/index.html",
        "categories/all/index.html",
        "fr/categories/all/index.html",
    }
    assert {u.file.path for u in result.plan.uploads} == changed
    assert set(stack.s3_calls.site_puts(set(build.files()))) == changed
    assert result.plan.deletes == ()
    # and only those paths are invalidated, in both spellings of a folder URL
    assert stack.invalidated_paths() == [
        sorted(
            [
                "/",
                "/index.html",
                "/fr/",
                "/fr/index.html",
                "/products/trail-shoe/",
                "/products/trail-shoe/index.html",
                "/fr/products/trail-shoe/",
                "/fr/products/trail-shoe/index.html",
                "/categories/all/",
                "/categories/all/index.html",
                "/fr/categories/all/",
                "/fr/categories/all/index.html",
            ]
        )
    ]
    stored = stack.clients.s3.get_object(Bucket="shop-site", Key="products/trail-shoe/index.html")
    assert b"Ridge Trail Shoe GTX" in stored["Body"].read()


def test_deploying_the_same_build_again_changes_nothing(stack: FakeStack, tmp_path: Path) -> None:
    out = ShopBuild().write(tmp_path / "dist")
    deploy(stack, out)
    stack.s3_calls.clear()

    result, printed = deploy(stack, out)

    assert result.plan.uploads == ()
    assert result.plan.deletes == ()
    assert result.plan.unchanged == len(ShopBuild().files())
    assert not result.catalog_changed
    assert result.invalidation_id is None
    assert stack.s3_calls.site_puts(set(ShopBuild().files())) == []
    assert "nothing to do" in printed


def test_removed_product_files_are_deleted_only_after_the_new_files_are_up(
    stack: FakeStack, tmp_path: Path
) -> None:
    build = ShopBuild()
    deploy(stack, build.write(tmp_path / "dist"))
    stack.s3_calls.clear()

    del build.products["alpine-gaiter"]
    del build.image_bytes["alpine-gaiter"]
    build.css = "body{margin:1px}"  # a new hashed stylesheet replaces the old one
    result, _ = deploy(stack, build.write(tmp_path / "dist"))

    gone = {
        "products/alpine-gaiter/index.html",
        "fr/products/alpine-gaiter/index.html",
        "images/alpine-gaiter.jpg",
    }
    assert gone <= set(result.plan.deletes)
    site_calls = [
        (op, key) for op, key in stack.s3_calls.calls if key not in ("site-manifest.json",)
    ]
    last_put = max(
        i for i, (op, key) in enumerate(site_calls) if op == "put" and key != "catalog.json"
    )
    first_delete = min(i for i, (op, _) in enumerate(site_calls) if op == "delete")
    assert last_put < first_delete
    keys = {o["Key"] for o in stack.clients.s3.list_objects_v2(Bucket="shop-site")["Contents"]}
    assert keys == set(build.files())
    (paths,) = stack.invalidated_paths()
    assert "/products/alpine-gaiter/" in paths
    assert "/images/alpine-gaiter.jpg" in paths
    # The old hashed stylesheet is immutable: deleted, but nothing to invalidate.
    assert not any(path.startswith("/assets/") for path in paths)


def test_a_deploy_keeps_the_availability_feed_the_function_wrote(
    stack: FakeStack, tmp_path: Path
) -> None:
    # Given a deployed site and the feed_availability function's file beside it
    out = ShopBuild().write(tmp_path / "dist")
    deploy(stack, out)
    feed = b"<rss/>"
    stack.clients.s3.put_object(Bucket="shop-site", Key=AVAILABILITY_FEED_KEY, Body=feed)

    # When the same build (which never has the feed) is deployed again
    result, _ = deploy(stack, out)

    # Then the feed is neither deleted nor touched
    assert result.plan.deletes == ()
    assert AVAILABILITY_FEED_KEY not in set(ShopBuild().files())
    stored = stack.clients.s3.get_object(Bucket="shop-site", Key=AVAILABILITY_FEED_KEY)
    assert stored["Body"].read() == feed


def test_a_header_only_change_is_uploaded_again_and_invalidated(
    stack: FakeStack, tmp_path: Path
) -> None:
    build = ShopBuild()
    deploy(stack, build.write(tmp_path / "dist"))

    build.html_cache_control = "public, max-age=60"
    result, _ = deploy(stack, build.write(tmp_path / "dist"))

    html = {path for path in build.files() if path.endswith(".html")}
    assert {u.file.path for u in result.plan.uploads} == html
    assert {u.reason for u in result.plan.uploads} == {"headers"}
    page = stack.clients.s3.head_object(Bucket="shop-site", Key="404.html")
    assert page["CacheControl"] == "public, max-age=60"


def test_catalog_snapshot_goes_to_the_key_the_functions_read_only_when_it_changed(
    stack: FakeStack, tmp_path: Path
) -> None:
    build = ShopBuild()
    out = build.write(tmp_path / "dist")
    first, _ = deploy(stack, out)
    stored = stack.clients.s3.get_object(Bucket="shop-data", Key="catalog.json")["Body"].read()
    assert stored == (out / "catalog.json").read_bytes()
    assert first.catalog_changed

    second, _ = deploy(stack, build.write(tmp_path / "dist"))
    assert not second.catalog_changed

    build.stock["NEW-SKU"] = 3
    third, _ = deploy(stack, build.write(tmp_path / "dist"))
    assert third.catalog_changed
    snapshot = json.loads(
        stack.clients.s3.get_object(Bucket="shop-data", Key="catalog.json")["Body"].read()
    )
    assert "NEW-SKU" in snapshot["skus"]


def test_stock_is_seeded_for_new_skus_and_live_counts_are_never_overwritten(
    stack: FakeStack, tmp_path: Path
) -> None:
    build = ShopBuild()
    first, _ = deploy(stack, build.write(tmp_path / "dist"))
    assert first.seeded == ("GAI-M", "TRS-42-BLK")
    assert stack.stock("TRS-42-BLK") == {
        "sku": {"S": "TRS-42-BLK"},
        "available": {"N": "12"},
        "reserved": {"N": "0"},
        "sold": {"N": "0"},
        "updated_at": stack.stock("TRS-42-BLK")["updated_at"],  # type: ignore[index]
    }

    # Shoppers buy: the live count moves away from the catalog's initial stock.
    stack.clients.dynamodb.update_item(
        TableName="shop-inventory",
        Key={"sku": {"S": "TRS-42-BLK"}},
        UpdateExpression="SET available = :a, sold = :s",
        ExpressionAttributeValues={":a": {"N": "1"}, ":s": {"N": "11"}},
    )
    build.stock["TRS-43-BLK"] = 7
    second, _ = deploy(stack, build.write(tmp_path / "dist"))

    assert second.seeded == ("TRS-43-BLK",)
    assert stack.stock("TRS-42-BLK")["available"] == {"N": "1"}  # type: ignore[index]
    assert stack.stock("TRS-43-BLK")["available"] == {"N": "7"}  # type: ignore[index]


def test_dry_run_prints_the_plan_and_changes_nothing(stack: FakeStack, tmp_path: Path) -> None:
    build = ShopBuild()
    deploy(stack, build.write(tmp_path / "dist"))
    build.products["trail-shoe"] = "Changed"
    build.stock["NEW-1"] = 4
    stack.s3_calls.clear()

    result, printed = deploy(stack, build.write(tmp_path / "dist"), dry_run=True)

    assert "  + products/trail-shoe/index.html (changed)" in printed
    assert "  + stock for new SKU NEW-1" in printed
    assert "  ~ invalidate /products/trail-shoe/" in printed
    assert result.new_skus == ("NEW-1",)
    assert stack.s3_calls.calls == []
    assert stack.stock("NEW-1") is None
    assert len(stack.invalidated_paths()) == 0
    assert "Would upload 6 file(s)" in result.summary()


def test_a_build_file_missing_from_the_manifest_stops_the_deploy_before_any_write(
    stack: FakeStack, tmp_path: Path
) -> None:
    out = ShopBuild().write(tmp_path / "dist")
    (out / "public" / "stray.html").write_text("<p>not in the manifest</p>")

    with pytest.raises(DeployError, match=r"missing from the manifest, e\.g\. stray\.html"):
        deploy(stack, out)
    assert stack.s3_calls.calls == []


def test_manifest_files_missing_from_the_build_stop_the_deploy_before_any_write_or_delete(
    stack: FakeStack, tmp_path: Path
) -> None:
    # Given a first deploy that put the whole shop live
    out = ShopBuild().write(tmp_path / "dist")
    deploy(stack, out)
    stack.s3_calls.clear()
    # When the product pages vanish from dist/public but the manifest still lists them
    for page in sorted((out / "public").rglob("products/*/index.html")):
        page.unlink()

    # Then nothing is uploaded or deleted, and the error says how many and to rebuild
    with pytest.raises(DeployError) as raised:
        deploy(stack, out)
    message = str(raised.value)
    assert "4 file(s) listed in the manifest are missing" in message
    assert "fr/products/alpine-gaiter/index.html" in message
    assert "run `python build.py` again" in message
    assert stack.s3_calls.calls == []


def test_a_dry_run_reports_manifest_files_missing_from_the_build(
    stack: FakeStack, tmp_path: Path
) -> None:
    out = ShopBuild().write(tmp_path / "dist")
    (out / "public" / "robots.txt").unlink()

    with pytest.raises(DeployError, match=r"1 file\(s\) listed in the manifest are missing"):
        deploy(stack, out, dry_run=True)


def test_a_missing_build_is_an_error_saying_to_build_first(
    stack: FakeStack, tmp_path: Path
) -> None:
    with pytest.raises(DeployError, match=r"manifest\.json: not found; expected a build"):
        deploy(stack, tmp_path / "nothing")


def test_a_build_for_another_address_than_the_stack_serves_is_flagged(
    stack: FakeStack, tmp_path: Path
) -> None:
    build = ShopBuild(base_url="https://shop.example.com")
    _, printed = deploy(stack, build.write(tmp_path / "dist"), dry_run=True)
    assert "warning: the build's store.base_url is https://shop.example.com" in printed

    build.base_url = stack.outputs.site_url + "/"
    _, printed = deploy(stack, build.write(tmp_path / "dist"), dry_run=True)
    assert "warning" not in printed


def test_old_files_are_deleted_only_after_the_invalidation_has_reached_every_edge(
    stack: FakeStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = ShopBuild()
    deploy(stack, build.write(tmp_path / "dist"))
    steps: list[str] = []
    real_invalidate, real_wait = cdn.invalidate_paths, cdn.wait_for_invalidation

    def invalidate(*args: Any) -> str:
        steps.append("invalidate")
        return real_invalidate(*args)

    def wait(cloudfront: Any, distribution_id: str, invalidation_id: str) -> bool:
        steps.append("wait")
        return real_wait(cloudfront, distribution_id, invalidation_id)

    monkeypatch.setattr(cdn, "invalidate_paths", invalidate)
    monkeypatch.setattr(cdn, "wait_for_invalidation", wait)
    stack.clients.s3.meta.events.register(
        "provide-client-params.s3.DeleteObjects",
        lambda params, **_: steps.append(
            "delete " + " ".join(sorted(o["Key"] for o in params["Delete"]["Objects"]))
        ),
    )
    old_css = next(key for key in build.files() if key.endswith(".css"))
    build.css = "body{margin:2px}"  # a new hashed stylesheet replaces the old one
    del build.products["alpine-gaiter"]
    del build.image_bytes["alpine-gaiter"]

    deploy(stack, build.write(tmp_path / "dist"))

    # Removed pages first (see the next test), then the invalidation and its wait, and
    # only then what old pages at the edges may still link to: the stylesheet, the photo.
    assert steps == [
        "delete fr/products/alpine-gaiter/index.html products/alpine-gaiter/index.html",
        "invalidate",
        "wait",
        f"delete {old_css} images/alpine-gaiter.jpg",
    ]


def test_removed_pages_go_before_the_invalidation_that_drops_them(
    stack: FakeStack, tmp_path: Path
) -> None:
    # An edge request between the invalidation and a later delete cached the removed
    # page again for a day (MinTTL), still offering a product the catalog dropped.
    build = ShopBuild()
    deploy(stack, build.write(tmp_path / "dist"))
    order: list[str] = []
    stack.clients.s3.meta.events.register(
        "before-call.s3.DeleteObjects", lambda **_: order.append("delete")
    )
    stack.clients.cloudfront.meta.events.register(
        "before-call.cloudfront.CreateInvalidation", lambda **_: order.append("invalidate")
    )
    del build.products["alpine-gaiter"]

    deploy(stack, build.write(tmp_path / "dist"))

    assert order[:2] == ["delete", "invalidate"]


def test_when_the_invalidation_is_still_running_the_old_files_stay_for_the_next_deploy(
    stack: FakeStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = ShopBuild()
    deploy(stack, build.write(tmp_path / "dist"))
    monkeypatch.setattr(cdn, "wait_for_invalidation", lambda *args: False)
    build.css = "body{margin:1px}"  # a new hashed stylesheet replaces the old one
    del build.products["alpine-gaiter"]
    del build.image_bytes["alpine-gaiter"]

    result, printed = deploy(stack, build.write(tmp_path / "dist"))

    keys = {o["Key"] for o in stack.clients.s3.list_objects_v2(Bucket="shop-site")["Contents"]}
    # The removed pages went before the invalidation; the old stylesheet and image stay
    pages = {key for key in result.plan.deletes if key.endswith(".html")}
    assert (
        pages
        == set(result.plan.deletes_first)
        == {
            "products/alpine-gaiter/index.html",
            "fr/products/alpine-gaiter/index.html",
        }
    )
    assert not pages & keys
    assert set(result.plan.deletes) - pages <= keys
    assert f"the {len(result.plan.deletes) - len(pages)} file(s) no longer built stay" in printed
    monkeypatch.undo()
    again, _ = deploy(stack, build.write(tmp_path / "dist"))
    keys = {o["Key"] for o in stack.clients.s3.list_objects_v2(Bucket="shop-site")["Contents"]}
    assert keys == set(build.files())
    assert set(again.plan.deletes) == set(result.plan.deletes) - pages


def _deploy_stopped_before_its_invalidation(
    stack: FakeStack, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run a deploy that uploads, then fails to create its invalidation (a cancelled job)."""

    def cancelled(*args: object) -> str:
        raise DeployError("the job was cancelled")

    monkeypatch.setattr(cdn, "invalidate_paths", cancelled)
    with pytest.raises(DeployError):
        deploy(stack, out)
    monkeypatch.undo()


def test_a_retry_invalidates_what_a_stopped_deploy_uploaded_before_removing_old_assets(
    stack: FakeStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The retry found the bucket already current, invalidated nothing and deleted the old
    # stylesheet at once, while the edges kept serving the old pages (for a day) that
    # link to it: unstyled pages.
    build = ShopBuild()
    deploy(stack, build.write(tmp_path / "dist"))
    old_css = next(key for key in build.files() if key.startswith("assets/"))
    build.css = "body{margin:1px}"
    build.products["trail-shoe"] = "Ridge Trail Shoe GTX"
    out = build.write(tmp_path / "dist")
    _deploy_stopped_before_its_invalidation(stack, out, monkeypatch)
    waited: list[str] = []
    real_wait = cdn.wait_for_invalidation

    def recorded_wait(cloudfront: Any, distribution_id: str, invalidation_id: str) -> bool:
        waited.append(invalidation_id)
        return real_wait(cloudfront, distribution_id, invalidation_id)

    monkeypatch.setattr(cdn, "wait_for_invalidation", recorded_wait)

    retry, _ = deploy(stack, out)

    assert retry.plan.uploads == ()
    assert "/products/trail-shoe/" in retry.plan.invalidations
    assert "/" in retry.plan.invalidations
    assert old_css in retry.plan.deletes
    assert waited == [retry.invalidation_id]  # the old stylesheet went after the edges caught up
    again, _ = deploy(stack, out)  # and once complete, nothing is left to do
    assert (again.plan.invalidations, again.plan.deletes) == ((), ())
