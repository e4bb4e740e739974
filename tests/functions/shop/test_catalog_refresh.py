"""A warm function sees a deployed snapshot within a minute: a published price is the price charged.

Containers live for hours. The snapshot is checked again (file size and mtime, or
the S3 object's ETag) at most every CATALOG_RECHECK_SECONDS, and read again only
when it changed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import shop.catalog_source
import shop.config
from moto import mock_aws
from shop.catalog_source import CATALOG_RECHECK_SECONDS, forget_catalog, get_catalog
from shop.errors import CatalogSnapshotError
from shop.money import Money

from tests.functions.shop.factories import make_snapshot_data

SKU = "TRS-42-BLK"


class Clock:
    """time.monotonic for shop.catalog_source, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    moved = Clock()
    monkeypatch.setattr(shop.catalog_source, "recheck_clock", moved)
    shop.config.get_config.cache_clear()
    forget_catalog()
    yield moved
    shop.config.get_config.cache_clear()
    forget_catalog()


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An emulated bucket that CATALOG_S3_URI names; the snapshot is for each test to put."""
    monkeypatch.delenv("CATALOG_PATH", raising=False)
    monkeypatch.setenv("CATALOG_S3_URI", "s3://shop-private/catalog.json")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-1")
        client.create_bucket(
            Bucket="shop-private", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        yield client


@pytest.fixture
def snapshot_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file CATALOG_PATH names; each test writes the snapshot it needs."""
    path = tmp_path / "catalog.json"
    monkeypatch.setenv("CATALOG_PATH", str(path))
    return path


def snapshot_with_price(amount: int) -> str:
    data = make_snapshot_data()
    data["skus"][SKU]["price"]["amount"] = amount
    return json.dumps(data)


def test_a_replaced_snapshot_file_is_read_after_the_recheck_interval(
    clock: Clock, snapshot_file: Path
) -> None:
    path = snapshot_file
    path.write_text(snapshot_with_price(8990), encoding="utf-8")
    first = get_catalog()

    path.write_text(snapshot_with_price(7990), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a new mtime even on a coarse clock
    assert get_catalog() is first  # within the interval: no disk access at all
    clock.now += CATALOG_RECHECK_SECONDS

    assert get_catalog().skus[SKU].price == Money(7990, "EUR")


def test_an_unchanged_snapshot_is_not_read_again(clock: Clock, snapshot_file: Path) -> None:
    path = snapshot_file
    path.write_text(snapshot_with_price(8990), encoding="utf-8")
    first = get_catalog()
    clock.now += CATALOG_RECHECK_SECONDS * 3

    assert get_catalog() is first


def test_a_snapshot_deployed_to_s3_is_read_after_the_recheck_interval(
    clock: Clock, s3: Any
) -> None:
    s3.put_object(Bucket="shop-private", Key="catalog.json", Body=snapshot_with_price(8990))
    assert get_catalog().skus[SKU].price == Money(8990, "EUR")

    s3.put_object(Bucket="shop-private", Key="catalog.json", Body=snapshot_with_price(7990))
    clock.now += CATALOG_RECHECK_SECONDS

    assert get_catalog().skus[SKU].price == Money(7990, "EUR")


def test_every_check_asks_s3_through_the_containers_one_client_with_short_timeouts(
    clock: Clock, s3: Any
) -> None:
    # A new client per check, with the SDK's 60 s timeouts and 5 tries, outlived the
    # function's 10 s on a slow S3: the snapshot in hand was never fallen back to.
    import shop.aws_clients

    s3.put_object(Bucket="shop-private", Key="catalog.json", Body=snapshot_with_price(8990))
    shop.aws_clients.s3_client.cache_clear()
    get_catalog()
    for _ in range(3):
        clock.now += CATALOG_RECHECK_SECONDS
        get_catalog()

    assert shop.aws_clients.s3_client.cache_info().misses == 1  # one client, reused
    # Set on the instance by botocore (its stubs do not declare them): read them as such.
    config = vars(shop.aws_clients.s3_client("eu-west-1").meta.config)
    assert (config["connect_timeout"], config["read_timeout"]) == (2, 5)
    assert config["retries"] == {"total_max_attempts": 4, "mode": "standard"}  # 3 retries


def test_when_s3_cannot_be_reached_the_snapshot_in_hand_keeps_selling(
    clock: Clock, s3: Any
) -> None:
    s3.put_object(Bucket="shop-private", Key="catalog.json", Body=snapshot_with_price(8990))
    first = get_catalog()
    s3.delete_object(Bucket="shop-private", Key="catalog.json")
    clock.now += CATALOG_RECHECK_SECONDS

    assert get_catalog() is first


def test_a_snapshot_this_code_cannot_read_keeps_the_one_in_hand_and_says_so(
    clock: Clock, s3: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # The site deployed before its functions, in a newer format: every request failed.
    s3.put_object(Bucket="shop-private", Key="catalog.json", Body=snapshot_with_price(8990))
    first = get_catalog()
    newer = {**make_snapshot_data(), "format": 999}
    s3.put_object(Bucket="shop-private", Key="catalog.json", Body=json.dumps(newer))
    clock.now += CATALOG_RECHECK_SECONDS

    assert get_catalog() is first
    assert "unusable, kept the previous one" in caplog.text
    forget_catalog()  # a container starting now has none in hand: it fails, as it must
    with pytest.raises(CatalogSnapshotError):
        get_catalog()


def test_the_functions_charge_the_regular_price_once_a_sale_has_ended(
    clock: Clock, snapshot_file: Path
) -> None:
    # Between midnight and the nightly build's deploy, the snapshot still lists the sale.
    data = make_snapshot_data()
    entry = data["skus"][SKU]
    entry["price"]["amount"], entry["compare_at"], entry["sale_ends"] = (
        6990,
        {"amount": 8990, "currency": "EUR"},
        "2020-01-31",
    )
    snapshot_file.write_text(json.dumps(data), encoding="utf-8")

    assert get_catalog().skus[SKU].price == Money(8990, "EUR")
