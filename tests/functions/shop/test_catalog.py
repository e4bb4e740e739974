"""Loading the catalog snapshot: strict format checks that name the bad field."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from shop.catalog_source import load_catalog
from shop.config import load_config
from shop.errors import CatalogSnapshotError, StoreUnavailableError, UnknownSkuError
from shop.money import Money
from shop.snapshot_format import load_snapshot_file, parse_snapshot

from tests.functions.shop.factories import eur, make_snapshot, make_snapshot_data, write_snapshot


def test_snapshot_is_typed_with_money_in_minor_units() -> None:
    catalog = make_snapshot()
    assert catalog.skus["TRS-42-BLK"].price == Money(8990, "EUR")
    assert catalog.shipping.free_threshold == Money(7500, "EUR")
    assert catalog.store.locales == ("en", "fr")


def test_entry_of_an_unknown_sku_raises_with_the_sku() -> None:
    with pytest.raises(UnknownSkuError) as caught:
        make_snapshot().entry("NOPE-1")
    assert caught.value.sku == "NOPE-1"


def test_title_falls_back_to_the_default_locale() -> None:
    entry = make_snapshot().skus["CAP-1"]
    assert entry.title("de", "en") == "Alpine Cap"
    assert entry.variant_label("fr", "en") == ""


def test_wrong_format_version_is_refused() -> None:
    with pytest.raises(CatalogSnapshotError, match="format"):
        parse_snapshot(make_snapshot_data(format=2))


def test_a_float_price_is_refused_naming_the_sku_field() -> None:
    data = make_snapshot_data()
    data["skus"]["SOCK-M"]["price"] = {"amount": 14.5, "currency": "EUR"}
    with pytest.raises(CatalogSnapshotError) as caught:
        parse_snapshot(data, "dist/catalog.json")
    assert caught.value.field == "skus.SOCK-M.price"
    assert str(caught.value).startswith("dist/catalog.json: skus.SOCK-M.price: expected money")


def test_a_price_in_another_currency_is_refused() -> None:
    data = make_snapshot_data()
    data["skus"]["SOCK-M"]["price"] = {"amount": 1450, "currency": "USD"}
    with pytest.raises(CatalogSnapshotError, match="store currency EUR"):
        parse_snapshot(data)


def test_a_sku_key_that_differs_from_its_entry_is_refused() -> None:
    data = make_snapshot_data()
    data["skus"]["SOCK-M"]["sku"] = "SOCK-L"
    with pytest.raises(CatalogSnapshotError, match=r"skus\.SOCK-M\.sku"):
        parse_snapshot(data)


def test_without_checking_every_sku_a_bad_entry_is_refused_when_read_naming_its_field() -> None:
    # What a cold start does: settings now, each SKU entry when a request first reads it.
    data = make_snapshot_data()
    data["skus"]["SOCK-M"]["price"] = {"amount": 14.5, "currency": "EUR"}
    catalog = parse_snapshot(data, "dist/catalog.json", check_every_sku=False)

    assert catalog.entry("TRS-42-BLK").price == Money(8990, "EUR")
    assert "SOCK-M" in catalog.skus
    assert len(catalog.skus) == 4
    with pytest.raises(CatalogSnapshotError) as caught:
        catalog.entry("SOCK-M")
    assert str(caught.value).startswith("dist/catalog.json: skus.SOCK-M.price: expected money")
    with pytest.raises(CatalogSnapshotError, match=r"skus\.SOCK-M\.price"):
        catalog.skus.get("SOCK-M")  # every way of reading it checks it
    with pytest.raises(UnknownSkuError):
        catalog.entry("NOPE-1")


def test_without_checking_every_sku_entries_are_typed_once_and_equal_the_strict_ones() -> None:
    lazy = parse_snapshot(make_snapshot_data(), check_every_sku=False)
    first = lazy.entry("CAP-1")
    assert lazy.entry("CAP-1") is first  # checked once, then kept
    assert dict(lazy.skus) == dict(make_snapshot().skus)
    assert lazy.initial_stock() == {"TRS-42-BLK": 12, "SOCK-M": 40, "CAP-1": 2, "GAIT-0": 0}


def test_the_settings_are_checked_at_once_even_without_checking_every_sku() -> None:
    data = make_snapshot_data()
    data["store"]["currency"] = ""
    with pytest.raises(CatalogSnapshotError, match=r"store\.currency"):
        parse_snapshot(data, check_every_sku=False)
    data = make_snapshot_data(skus=[])
    with pytest.raises(CatalogSnapshotError, match="skus: expected an object"):
        parse_snapshot(data, check_every_sku=False)


def test_the_functions_load_reads_a_bad_entry_only_when_it_is_used(tmp_path: Path) -> None:
    data = make_snapshot_data()
    data["skus"]["GAIT-0"]["initial_stock"] = -1
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CatalogSnapshotError, match=r"skus\.GAIT-0\.initial_stock"):
        load_snapshot_file(path)  # strict by default (deploy, commands)

    catalog = load_catalog(load_config({"CATALOG_PATH": str(path)}))
    assert catalog.entry("SOCK-M").initial_stock == 40
    with pytest.raises(CatalogSnapshotError, match=r"skus\.GAIT-0\.initial_stock"):
        catalog.entry("GAIT-0")


def test_missing_free_threshold_is_allowed() -> None:
    data = make_snapshot_data()
    data["shipping"]["free_threshold"] = None
    assert parse_snapshot(data).shipping.free_threshold is None


def test_shipping_options_keep_free_over() -> None:
    option = make_snapshot().shipping.options[0]
    assert option.free_over == Money.from_json(eur(7500))


def test_load_from_catalog_path(tmp_path: Path) -> None:
    path = write_snapshot(tmp_path / "catalog.json")
    catalog = load_catalog(load_config({"CATALOG_PATH": str(path)}))
    assert "SOCK-M" in catalog.skus


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogSnapshotError, match=r"missing\.json"):
        load_snapshot_file(tmp_path / "missing.json")


def test_invalid_json_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogSnapshotError, match="expected JSON"):
        load_snapshot_file(path)


def test_load_from_s3_uri() -> None:
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-west-1")
        s3.create_bucket(
            Bucket="shop-private",
            CreateBucketConfiguration={"LocationConstraint": "eu-west-1"},
        )
        s3.put_object(
            Bucket="shop-private", Key="catalog/catalog.json", Body=json.dumps(make_snapshot_data())
        )
        config = load_config({"CATALOG_S3_URI": "s3://shop-private/catalog/catalog.json"})
        assert "SOCK-M" in load_catalog(config).skus


def test_missing_s3_object_is_a_store_error_with_its_cause() -> None:
    with mock_aws():
        config = load_config({"CATALOG_S3_URI": "s3://no-bucket/catalog.json"})
        with pytest.raises(StoreUnavailableError) as caught:
            load_catalog(config)
        assert caught.value.__cause__ is not None


def _on_sale_until(day: str) -> dict[str, Any]:
    data = make_snapshot_data()
    entry = data["skus"]["TRS-42-BLK"]
    entry["price"], entry["compare_at"], entry["sale_ends"] = eur(6990), eur(8990), day
    return data


def test_a_sale_is_charged_through_its_last_day_and_at_the_regular_price_after() -> None:
    catalog = parse_snapshot(_on_sale_until("2026-12-15"), check_every_sku=False)

    catalog.skus.price_on(date(2026, 12, 15))
    last_day = catalog.skus["TRS-42-BLK"]
    catalog.skus.price_on(date(2026, 12, 16))
    after = catalog.skus["TRS-42-BLK"]

    assert (last_day.price, last_day.compare_at) == (Money(6990, "EUR"), Money(8990, "EUR"))
    assert (after.price, after.compare_at, after.sale_ends) == (Money(8990, "EUR"), None, None)


def test_a_sale_end_that_is_not_a_date_is_refused_naming_its_field() -> None:
    with pytest.raises(CatalogSnapshotError, match=r"skus\.TRS-42-BLK\.sale_ends"):
        parse_snapshot(_on_sale_until("15/12/2026"))
