"""The availability feed function: live stock to feeds/availability.xml, written only on change."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from lxml import etree
from shop.adapters.s3_public_file import S3PublicFile
from shop.availability_feed import (
    AVAILABILITY_FEED_KEY,
    FEED_CACHE_CONTROL,
    FEED_CONTENT_TYPE,
    GOOGLE_NAMESPACE,
)
from shop.errors import StoreUnavailableError
from shop.in_memory import InMemoryInventory

from tests.functions.payments import REGION, FakeLambdaContext, PaymentEnv, reset_caches
from tests.functions.shop.factories import make_snapshot

SITE_BUCKET = "test-site"
CATALOG_BUCKET = "test-catalog"
G = f"{{{GOOGLE_NAMESPACE}}}"


def availability(body: bytes) -> dict[str, str]:
    """g:id -> g:availability of every item."""
    return {
        item.findtext(f"{G}id", ""): item.findtext(f"{G}availability", "")
        for item in etree.fromstring(body).iter("item")
    }


@pytest.fixture
def s3(payment_env: PaymentEnv, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The site bucket (versioned, as in infra) and the catalog snapshot in its own bucket."""
    client = boto3.client("s3", region_name=REGION)
    location = {"LocationConstraint": REGION}
    for bucket in (SITE_BUCKET, CATALOG_BUCKET):
        client.create_bucket(Bucket=bucket, CreateBucketConfiguration=location)  # type: ignore[arg-type]
    client.put_bucket_versioning(Bucket=SITE_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    client.put_object(
        Bucket=CATALOG_BUCKET, Key="catalog.json", Body=payment_env.snapshot_path.read_bytes()
    )
    # As deployed: the catalog comes from S3, not from a file.
    monkeypatch.delenv("CATALOG_PATH")
    monkeypatch.setenv("CATALOG_S3_URI", f"s3://{CATALOG_BUCKET}/catalog.json")
    monkeypatch.setenv("SITE_BUCKET", SITE_BUCKET)
    reset_caches()
    return client


def versions(s3: Any) -> int:
    """How many versions of the feed the bucket holds."""
    listed = s3.list_object_versions(Bucket=SITE_BUCKET, Prefix=AVAILABILITY_FEED_KEY)
    return len(listed.get("Versions", []))


def test_handler_writes_live_availability_of_catalog_skus_with_the_feed_headers(
    payment_env: PaymentEnv, s3: Any
) -> None:
    # Given live stock: one sold out since the build, one restocked, one not seeded yet
    payment_env.set_stock("TRS-42-BLK", 0)
    payment_env.set_stock("SOCK-M", 40)
    payment_env.set_stock("GAIT-0", 6)
    payment_env.set_stock("RETIRED-1", 3)  # no longer in the catalog
    from feed_availability.app import handler

    # When the schedule fires
    result = handler({}, FakeLambdaContext())

    # Then the feed lists every catalog SKU, and only those, by live stock
    assert result == {"skus": 4, "out_of_stock": 1, "written": True}
    stored = s3.get_object(Bucket=SITE_BUCKET, Key=AVAILABILITY_FEED_KEY)
    body = stored["Body"].read()
    assert availability(body) == {
        "CAP-1": "in_stock",  # unseeded: its initial stock of 2, as /api/stock says
        "GAIT-0": "in_stock",
        "SOCK-M": "in_stock",
        "TRS-42-BLK": "out_of_stock",
    }
    assert stored["ContentType"] == FEED_CONTENT_TYPE
    assert stored["CacheControl"] == FEED_CACHE_CONTROL


def test_an_unchanged_feed_is_not_uploaded_again_and_a_change_is(
    payment_env: PaymentEnv, s3: Any
) -> None:
    payment_env.set_stock("TRS-42-BLK", 5)
    from feed_availability.app import handler

    first = handler({}, FakeLambdaContext())
    # Units change but availability does not: same bytes, nothing written
    payment_env.set_stock("TRS-42-BLK", 4)
    second = handler({}, FakeLambdaContext())
    assert (first["written"], second["written"]) == (True, False)
    assert versions(s3) == 1

    # The last unit sells: the next run writes a new version
    payment_env.set_stock("TRS-42-BLK", 0)
    third = handler({}, FakeLambdaContext())
    assert third["written"] is True
    assert versions(s3) == 2
    body = s3.get_object(Bucket=SITE_BUCKET, Key=AVAILABILITY_FEED_KEY)["Body"].read()
    assert availability(body)["TRS-42-BLK"] == "out_of_stock"


def test_a_missing_site_bucket_setting_is_a_configuration_error(
    payment_env: PaymentEnv, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SITE_BUCKET")
    reset_caches()
    from feed_availability.app import handler

    # Imported with the handler: the local server's tests drop the shop's modules, and the
    # class the handler raises is the one in sys.modules now.
    from shop.errors import ConfigError as CurrentConfigError

    with pytest.raises(CurrentConfigError, match="SITE_BUCKET"):
        handler({}, FakeLambdaContext())


def test_refresh_over_in_memory_stores_counts_out_of_stock_skus() -> None:
    from feed_availability.app import refresh_feed

    class FakePublicFile:
        def __init__(self) -> None:
            self.bodies: list[bytes] = []

        def publish(self, body: bytes) -> bool:
            changed = not self.bodies or self.bodies[-1] != body
            if changed:
                self.bodies.append(body)
            return changed

    target = FakePublicFile()
    inventory = InMemoryInventory({"TRS-42-BLK": 0, "SOCK-M": 0, "CAP-1": 1, "GAIT-0": 0})
    run = refresh_feed(make_snapshot(), inventory, target)
    assert (run.skus, run.out_of_stock, run.written) == (4, 3, True)
    assert refresh_feed(make_snapshot(), inventory, target).written is False
    assert len(target.bodies) == 1


def _stubbed_file() -> tuple[S3PublicFile, Stubber]:
    client = boto3.client(
        "s3", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
    )
    target = S3PublicFile(
        client, SITE_BUCKET, AVAILABILITY_FEED_KEY, content_type="a/b", cache_control="c"
    )
    return target, Stubber(client)


def test_head_refused_for_a_missing_key_without_list_permission_still_uploads() -> None:
    # Without s3:ListBucket, S3 answers HeadObject of a missing key with 403, not 404.
    target, stubber = _stubbed_file()
    stubber.add_client_error("head_object", service_error_code="403", http_status_code=403)
    stubber.add_response("put_object", {"ETag": '"x"'})
    with stubber:
        assert target.publish(b"<rss/>") is True
    stubber.assert_no_pending_responses()


def test_a_failing_upload_is_a_store_error_naming_the_object() -> None:
    target, stubber = _stubbed_file()
    stubber.add_client_error("head_object", service_error_code="404", http_status_code=404)
    stubber.add_client_error("put_object", service_error_code="SlowDown", http_status_code=503)
    with stubber, pytest.raises(StoreUnavailableError, match=r"s3://test-site/feeds/availability"):
        target.publish(b"<rss/>")
