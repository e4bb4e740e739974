"""`python build.py stock …` against a moto table: list, set, add, seed, and its refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from shop.adapters.dynamodb_inventory import DynamoDBInventory

from storefront.cli import main
from tests.functions.shop.aws import INVENTORY_TABLE, REGION, mocked_dynamodb
from tests.functions.shop.factories import NOW, write_snapshot

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient


@pytest.fixture
def shop_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DynamoDBClient]:
    """A shop folder with a built snapshot and no local shop running, and a moto table."""
    (tmp_path / "dist").mkdir()
    write_snapshot(tmp_path / "dist" / "catalog.json")
    monkeypatch.chdir(tmp_path)
    for name in ("INVENTORY_TABLE", "AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mocked_dynamodb() as client:
        yield client


def stock(*args: str) -> int:
    return main(["stock", *args, "--table", INVENTORY_TABLE, "--region", REGION])


def available(client: DynamoDBClient) -> dict[str, int]:
    return {r.sku: r.available for r in DynamoDBInventory(client, INVENTORY_TABLE).list_records()}


def test_seed_adds_catalog_skus_and_keeps_live_counts(
    shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str]
) -> None:
    DynamoDBInventory(shop_dir, INVENTORY_TABLE).set_available("SOCK-M", 3, NOW)
    assert stock("seed") == 0
    assert available(shop_dir) == {"CAP-1": 2, "GAIT-0": 0, "SOCK-M": 3, "TRS-42-BLK": 12}
    assert "seeded 3 new SKU(s)" in capsys.readouterr().out


def test_set_then_add_then_remove(
    shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str]
) -> None:
    assert stock("set", "SOCK-M", "7") == 0
    assert stock("add", "SOCK-M", "5") == 0
    assert stock("add", "SOCK-M", "-2") == 0
    assert available(shop_dir)["SOCK-M"] == 10
    assert capsys.readouterr().out.splitlines()[-1] == "SOCK-M: 10 available (0 reserved, 0 sold)"


def test_set_reminds_that_units_held_by_checkouts_are_not_part_of_it(
    shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str]
) -> None:
    # A shelf count set as is would offer the 2 held units a second time.
    stock("set", "SOCK-M", "5")
    shop_dir.update_item(
        TableName=INVENTORY_TABLE,
        Key={"sku": {"S": "SOCK-M"}},
        UpdateExpression="SET reserved = :two",
        ExpressionAttributeValues={":two": {"N": "2"}},
    )
    capsys.readouterr()
    assert stock("set", "SOCK-M", "5") == 0
    assert capsys.readouterr().out.splitlines() == [
        "SOCK-M: 5 available (2 reserved, 0 sold)",
        "  note: 2 more held by open checkouts are not part of the 5 set; if 5 is a shelf "
        "count, subtract them (and units of paid orders not yet shipped)",
    ]


def test_flags_may_come_before_the_action(shop_dir: DynamoDBClient) -> None:
    assert main(["stock", "set", "--table", INVENTORY_TABLE, "--region", REGION, "CAP-1", "4"]) == 0
    assert available(shop_dir)["CAP-1"] == 4


def test_inventory_table_from_the_environment(
    shop_dir: DynamoDBClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INVENTORY_TABLE", INVENTORY_TABLE)
    monkeypatch.setenv("AWS_REGION", REGION)
    assert main(["stock", "set", "CAP-1", "9"]) == 0
    assert available(shop_dir)["CAP-1"] == 9


def test_going_below_zero_is_refused_and_changes_nothing(
    shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str]
) -> None:
    stock("set", "CAP-1", "2")
    assert stock("add", "CAP-1", "-3") == 1
    assert available(shop_dir)["CAP-1"] == 2
    assert 'stock for "CAP-1": adding -3 to 2 would go below zero' in capsys.readouterr().err


def test_negative_set_is_refused(shop_dir: DynamoDBClient) -> None:
    assert stock("set", "CAP-1", "-1") == 1
    assert "CAP-1" not in available(shop_dir)


def test_unknown_sku_is_refused_unless_allowed(
    shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str]
) -> None:
    assert stock("set", "SOCK-XX", "1") == 1
    assert '"SOCK-XX" is not in dist/catalog.json' in capsys.readouterr().err
    assert available(shop_dir) == {}
    assert stock("set", "SOCK-XX", "1", "--any-sku") == 0


def test_adding_to_a_catalog_sku_not_seeded_yet_adds_to_the_catalogs_count(
    shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str]
) -> None:
    # Until seeded, the shop shows TRS-42-BLK's catalog count (12): the add created its
    # row from 0, and the 12 units were lost without a word (`seed` then skipped it).
    assert stock("add", "TRS-42-BLK", "6") == 0
    assert stock("add", "CAP-1", "-2") == 0  # catalog 2: down to 0, not refused

    assert available(shop_dir) == {"TRS-42-BLK": 18, "CAP-1": 0}
    assert capsys.readouterr().out.splitlines() == [
        "TRS-42-BLK: no stock row yet; started from the catalog's 12",
        "TRS-42-BLK: 18 available (0 reserved, 0 sold)",
        "CAP-1: no stock row yet; started from the catalog's 2",
        "CAP-1: 0 available (0 reserved, 0 sold)",
    ]
    assert stock("add", "TRS-42-BLK", "1") == 0  # seeded now: a plain add
    assert available(shop_dir)["TRS-42-BLK"] == 19


def test_adding_to_a_sku_no_catalog_lists_starts_from_zero(shop_dir: DynamoDBClient) -> None:
    assert stock("add", "NEW-1", "4", "--any-sku") == 0
    assert available(shop_dir) == {"NEW-1": 4}


@pytest.mark.parametrize("units", ["1_0", "١٢", "1.5", "12abc"])
def test_units_are_written_in_ascii_digits(
    shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str], units: str
) -> None:
    with pytest.raises(SystemExit):
        stock("set", "SOCK-M", units)
    assert f'expected a whole number like 12 or -3, got "{units}"' in capsys.readouterr().err
    assert available(shop_dir) == {}


def test_list_names_the_catalog_skus_not_seeded_yet(
    shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str]
) -> None:
    stock("set", "CAP-1", "2")
    capsys.readouterr()
    assert stock("list") == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "3 catalog SKU(s) have no stock row yet (GAIT-0, SOCK-M, TRS-42-BLK): the shop shows "
        "their catalog counts until `python build.py stock seed` (or the deploy) creates them"
    )


def test_list_prints_counts_and_status(
    shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str]
) -> None:
    stock("seed")
    capsys.readouterr()
    assert stock("list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["SKU", "available", "reserved", "sold", "status"]
    assert lines[1].split() == ["CAP-1", "2", "0", "0", "low_stock"]


def test_list_as_json(shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str]) -> None:
    stock("set", "CAP-1", "2")
    capsys.readouterr()
    assert stock("list", "--json") == 0
    [record] = json.loads(capsys.readouterr().out)
    assert (record["sku"], record["available"], record["status"]) == ("CAP-1", 2, "low_stock")


def test_without_any_table_the_command_says_how_to_get_one(
    shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stock", "list"]) == 1
    assert capsys.readouterr().err == (
        "stock list: no inventory table: pass --stack NAME (the deployed stack's) or "
        "--table NAME, set INVENTORY_TABLE, or start the local shop with "
        "`python build.py serve`\n"
    )


def test_without_a_catalog_set_and_add_say_to_build_first_or_pass_any_sku(
    shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("dist/catalog.json").unlink()

    assert stock("set", "CAP-1", "4") == 1
    err = capsys.readouterr().err
    assert err.startswith('stock set: sku: cannot check "CAP-1": dist/catalog.json')
    assert "run `python build.py` first, or pass --any-sku" in err
    assert stock("add", "CAP-1", "4") == 1
    assert "run `python build.py` first, or pass --any-sku" in capsys.readouterr().err
    assert available(shop_dir) == {}

    assert stock("set", "CAP-1", "4", "--any-sku") == 0
    assert available(shop_dir) == {"CAP-1": 4}


@pytest.mark.parametrize(
    "sku", ["cap-1", "CAP 1", "CAP-", "CAP_1", "CAPÉ", "CAP-1\n", "", "A" * 65]
)
def test_any_sku_still_needs_the_catalogs_sku_shape(
    sku: str, shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str]
) -> None:
    assert stock("set", sku, "4", "--any-sku") == 1
    assert "expected a SKU of uppercase letters, digits and hyphens" in capsys.readouterr().err
    assert available(shop_dir) == {}


def test_setting_below_zero_says_stock_cannot_be_set_below_zero(
    shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str]
) -> None:
    assert stock("set", "CAP-1", "-5") == 1
    err = capsys.readouterr().err
    assert "stock set: units: stock cannot be set below zero" in err
    assert "expected a whole number of units, 0 or more, got -5" in err
    assert "adding" not in err
    assert "CAP-1" not in available(shop_dir)


@pytest.mark.parametrize(
    ("action", "units"),
    [
        ("set", "99999999999999999999999999999999999999999"),
        ("set", "1000001"),
        ("add", "1000001"),
        ("add", "-1000001"),
    ],
)
def test_units_beyond_a_million_are_refused(
    action: str, units: str, shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str]
) -> None:
    assert stock(action, "CAP-1", units) == 1
    assert "expected at most 1,000,000 units" in capsys.readouterr().err
    assert "CAP-1" not in available(shop_dir)


def test_a_million_units_is_the_largest_stock_take(shop_dir: DynamoDBClient) -> None:
    assert stock("set", "CAP-1", "1000000") == 0
    assert available(shop_dir)["CAP-1"] == 1_000_000


def test_a_stacks_inventory_is_found_from_its_outputs_for_the_live_stock_export(
    shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the site deploy workflow runs before its build: no table name to look up
    from tests.deploy.test_outputs import OUTPUTS, create_stack_with_outputs

    outputs = {**OUTPUTS, "InventoryTableName": INVENTORY_TABLE}
    create_stack_with_outputs("shop", outputs, region=REGION)
    stock("set", "CAP-1", "2")
    capsys.readouterr()
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)  # as from the AWS config

    assert main(["stock", "list", "--json", "--stack", "shop"]) == 0

    [record] = json.loads(capsys.readouterr().out)
    assert (record["sku"], record["available"]) == ("CAP-1", 2)


def test_an_unknown_stack_is_one_line_naming_it(
    shop_dir: DynamoDBClient, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stock", "list", "--stack", "nope", "--region", REGION]) == 1
    assert "stack 'nope': cannot be read" in capsys.readouterr().err


@pytest.mark.parametrize("how", ["aws-config", "trailing-space"])
def test_the_region_may_come_from_the_aws_config_or_carry_a_stray_space(
    shop_dir: DynamoDBClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    # As `build.py deploy` takes it: the stock command said "expected an AWS region" for
    # a region set by `aws configure`, and gave a traceback for "eu-west-1 ".
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    if how == "aws-config":
        config = tmp_path / "aws-config"
        config.write_text(f"[default]\nregion = {REGION}\n", encoding="utf-8")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    else:
        monkeypatch.setenv("AWS_REGION", f"{REGION} ")

    assert main(["stock", "set", "CAP-1", "3", "--table", INVENTORY_TABLE]) == 0
    assert available(shop_dir)["CAP-1"] == 3
