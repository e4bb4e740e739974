"""`python build.py stock …`: the merchant's inventory commands (list, set, add, seed).

Where the inventory lives, in order: `--table` (a real DynamoDB table, with
`--region` or the usual AWS environment), else `INVENTORY_TABLE` from the
environment, else the running local shop (`python build.py serve` writes
`.cache/local-aws.json`). Every write is a single conditional DynamoDB
operation (see shop.adapters.dynamodb_inventory): a stock take never races a
checkout into negative stock, and seeding never overwrites a live count.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shop.adapters.dynamodb_inventory import DynamoDBInventory
from shop.catalog import CatalogSnapshot
from shop.errors import CatalogSnapshotError, NegativeStockError, StoreUnavailableError
from shop.snapshot_format import load_snapshot_file
from shop.stock import DEFAULT_LOW_STOCK_THRESHOLD, InventoryRecord, stock_status

from storefront.commands.aws_region import command_region, given_region
from storefront.sku_format import SKU_EXPECTED, is_catalog_sku

DEFAULT_CATALOG = Path("dist") / "catalog.json"
# No shop counts more units of one SKU than this: a larger number is a typo (an
# extra digit, a pasted barcode) and, past 38 digits, more than DynamoDB can store.
MAX_UNITS = 1_000_000
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


class StockCommandError(Exception):
    """A problem the merchant can fix (no table found, unknown SKU); printed, exit status 1."""


@dataclass(frozen=True, slots=True)
class Target:
    """The inventory table a command works on, and a human description of it."""

    inventory: DynamoDBInventory
    where: str


def _common_options() -> argparse.ArgumentParser:
    # Shared by every action so that flags may follow it: `stock set SKU 3 --table T`.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--table", help="DynamoDB inventory table name (a real AWS table)")
    common.add_argument(
        "--stack",
        help="the SAM stack whose inventory table to use (its InventoryTableName output); "
        "the region may then come from the AWS config too",
    )
    common.add_argument(
        "--region",
        help="AWS region of --table or --stack (default: AWS_REGION, AWS_DEFAULT_REGION)",
    )
    common.add_argument(
        "--catalog",
        type=Path,
        default=DEFAULT_CATALOG,
        help=f"catalog snapshot to check SKUs against and seed from (default: {DEFAULT_CATALOG})",
    )
    return common


def _whole_number(text: str) -> int:
    """argparse type of a count of units: ASCII digits, signed (int() also takes "1_0", "١٢")."""
    cleaned = text.strip()
    if not _WHOLE_NUMBER.fullmatch(cleaned):
        raise argparse.ArgumentTypeError(f'expected a whole number like 12 or -3, got "{text}"')
    return int(cleaned)


def register(subparsers: Any) -> None:
    """Add the `stock` subcommand and its actions."""
    common = _common_options()
    parser = subparsers.add_parser(
        "stock",
        help="list, set or adjust stock in the inventory table (local or AWS)",
        description="Manage units available per SKU. Without --table, uses INVENTORY_TABLE "
        "from the environment, else the local shop started by `python build.py serve`.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list", parents=[common], help="every SKU with available, reserved and sold units"
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    setter = actions.add_parser(
        "set",
        parents=[common],
        help="set the units available for sale (not counting units held by open checkouts "
        "or in paid orders not yet shipped)",
    )
    setter.add_argument("sku")
    setter.add_argument("units", type=_whole_number, help=f"units available, 0 to {MAX_UNITS:,}")
    adder = actions.add_parser(
        "add", parents=[common], help="add units (negative to remove), never below zero"
    )
    adder.add_argument("sku")
    adder.add_argument(
        "units",
        type=_whole_number,
        help=f"units to add, e.g. 12 or -3 (at most {MAX_UNITS:,} either way)",
    )
    for action in (setter, adder):
        action.add_argument(
            "--any-sku", action="store_true", help="allow a SKU that the catalog does not list"
        )
    actions.add_parser(
        "seed", parents=[common], help="create records for catalog SKUs not yet in inventory"
    )
    parser.set_defaults(run=run)


def _local_target() -> Target | None:
    # Imported here: the dev server module pulls in moto, which only this branch needs.
    from storefront.devserver.aws import find_local_aws

    local = find_local_aws(Path.cwd())
    if local is None:
        return None
    table = local.tables.get("INVENTORY_TABLE")
    if not table:
        return None
    client = local.client("dynamodb")
    return Target(DynamoDBInventory(client, table), f"local shop ({local.endpoint_url}) {table}")


def _stack_target(stack: str, region: str | None) -> Target:
    """The inventory table of a deployed stack, read from its outputs."""
    import boto3  # deferred: `stock --help` stays instant
    from botocore.exceptions import BotoCoreError

    from storefront.deploy.errors import DeployError
    from storefront.deploy.outputs import read_stack_outputs

    try:
        session = boto3.Session(region_name=region)
        outputs = read_stack_outputs(session.client("cloudformation"), stack)
        client = session.client("dynamodb")
    except DeployError as exc:
        raise StockCommandError(str(exc)) from exc
    except BotoCoreError as exc:  # no region or credentials anywhere
        raise StockCommandError(
            f"--stack {stack}: AWS: {exc} (pass --region, and credentials as for "
            "`build.py deploy`: the environment, AWS_PROFILE or the CI's role)"
        ) from exc
    table = outputs.inventory_table
    return Target(DynamoDBInventory(client, table), f"{table} (stack {stack})")


def resolve_target(args: argparse.Namespace) -> Target:
    """The inventory table named by flags, environment or the running local shop."""
    if getattr(args, "stack", None):
        return _stack_target(args.stack, given_region(args.region))
    table = args.table or os.environ.get("INVENTORY_TABLE", "").strip()
    if table:
        import boto3  # deferred: `stock --help` stays instant

        region = command_region(args.region)
        if not region:
            raise StockCommandError(
                "--region: expected an AWS region (or set AWS_REGION, or `aws configure`)"
            )
        return Target(DynamoDBInventory(boto3.client("dynamodb", region_name=region), table), table)
    local = _local_target()
    if local is None:
        raise StockCommandError(
            "no inventory table: pass --stack NAME (the deployed stack's) or --table NAME, "
            "set INVENTORY_TABLE, or start the local shop with `python build.py serve`"
        )
    return local


def _catalog(path: Path, required: bool) -> CatalogSnapshot | None:
    if not path.exists() and not required:
        return None
    try:
        return load_snapshot_file(path)
    except CatalogSnapshotError as exc:
        raise StockCommandError(f"{exc} (run `python build.py` first)") from exc


def _check_sku(args: argparse.Namespace) -> CatalogSnapshot | None:
    """Refuse a SKU the catalog could never sell; `--any-sku` waives only the listing check.

    Returns the catalog it read to check the listing (None with `--any-sku`).
    """
    shown = json.dumps(args.sku, ensure_ascii=False)  # quoted, control characters escaped
    # Even a SKU prepared before its product is published must be one the catalog
    # could hold: a stock row under "trs-42-blk " would never be read by any page.
    if not is_catalog_sku(args.sku):
        raise StockCommandError(f"sku: expected {SKU_EXPECTED} (as in the catalog), got {shown}")
    if args.any_sku:
        return None
    if not args.catalog.exists():
        # Without the snapshot there is nothing to check against: saying so is safer
        # than writing a misspelt SKU that no product will ever read.
        raise StockCommandError(
            f"sku: cannot check {shown}: {args.catalog} not found; "
            "run `python build.py` first, or pass --any-sku to skip the check"
        )
    catalog = _catalog(args.catalog, required=True)
    assert catalog is not None
    if args.sku not in catalog.skus:
        raise StockCommandError(
            f"sku: {shown} is not in {args.catalog} (check the spelling, rebuild, "
            "or pass --any-sku)"
        )
    return catalog


def _check_units(action: str, units: int) -> None:
    """Refuse a stock take below zero and any count or change beyond MAX_UNITS."""
    digits = str(units)
    # A pasted 40-digit number is named by its start and length, keeping the error one line.
    shown = digits if len(digits) <= 20 else f"{digits[:20]}… ({len(digits)} characters)"
    if action == "set" and units < 0:
        raise StockCommandError(
            "units: stock cannot be set below zero; "
            f"expected a whole number of units, 0 or more, got {shown}"
        )
    if abs(units) > MAX_UNITS:
        change = "" if action == "set" else " either way"
        raise StockCommandError(f"units: expected at most {MAX_UNITS:,} units{change}, got {shown}")


def _threshold(catalog: CatalogSnapshot | None) -> int:
    return catalog.store.low_stock_threshold if catalog else DEFAULT_LOW_STOCK_THRESHOLD


def _print_records(records: list[InventoryRecord], catalog: CatalogSnapshot | None) -> None:
    threshold = _threshold(catalog)
    width = max([len(r.sku) for r in records] + [3])
    print(f"{'SKU':<{width}}  {'available':>9}  {'reserved':>8}  {'sold':>6}  status")
    for r in records:
        status = stock_status(r.available, threshold)
        print(f"{r.sku:<{width}}  {r.available:>9}  {r.reserved:>8}  {r.sold:>6}  {status}")
    unseeded = sorted(set(catalog.skus) - {r.sku for r in records}) if catalog else []
    if unseeded:
        shown = ", ".join(unseeded[:5]) + (
            f" and {len(unseeded) - 5} more" if len(unseeded) > 5 else ""
        )
        print(
            f"{len(unseeded)} catalog SKU(s) have no stock row yet ({shown}): the shop shows "
            "their catalog counts until `python build.py stock seed` (or the deploy) creates them"
        )


def _seeded_for_add(
    args: argparse.Namespace, target: Target, now: datetime, checked: CatalogSnapshot | None
) -> int | None:
    """Create the row of a catalog SKU not seeded yet, at the catalog's count; that count.

    The shop shows an unseeded SKU's catalog count, so adding to it must add to that
    count: a row created by the add itself would start from 0 and lose it.
    """
    # The catalog the SKU check read, not read again (a large shop's takes a while to load).
    catalog = checked or _catalog(args.catalog, required=False)
    if catalog is None or args.sku not in catalog.skus:
        return None  # --any-sku: a SKU no page shows yet starts from 0
    initial = catalog.skus[args.sku].initial_stock
    return initial if target.inventory.seed({args.sku: initial}, now) else None


def _record_line(record: InventoryRecord) -> str:
    counts = f"{record.reserved} reserved, {record.sold} sold"
    return f"{record.sku}: {record.available} available ({counts})"


def execute(args: argparse.Namespace, target: Target) -> int:
    """Run one stock action against a resolved target."""
    now = datetime.now(UTC)
    if args.action == "list":
        records = target.inventory.list_records()
        if args.json:
            threshold = _threshold(_catalog(args.catalog, required=False))
            print(json.dumps([_as_dict(r, threshold) for r in records], indent=2))
        else:
            _print_records(records, _catalog(args.catalog, required=False))
        return 0
    if args.action == "seed":
        catalog = _catalog(args.catalog, required=True)
        assert catalog is not None
        added = target.inventory.seed(catalog.initial_stock(), now)
        print(f"seeded {len(added)} new SKU(s) into {target.where}; live counts left untouched")
        for sku in added:
            print(f"  {sku}: {catalog.skus[sku].initial_stock}")
        return 0
    _check_units(args.action, args.units)
    checked = _check_sku(args)
    if args.action == "set":
        record = target.inventory.set_available(args.sku, args.units, now)
    else:
        seeded = _seeded_for_add(args, target, now, checked)
        if seeded is not None:
            print(f"{args.sku}: no stock row yet; started from the catalog's {seeded}")
        record = target.inventory.add_available(args.sku, args.units, now)
    print(_record_line(record))
    if args.action == "set" and record.reserved:
        # A shelf count includes them: set as counted, they would be sold twice.
        print(
            f"  note: {record.reserved} more held by open checkouts are not part of the "
            f"{args.units} set; if {args.units} is a shelf count, subtract them (and units "
            "of paid orders not yet shipped)"
        )
    return 0


def _as_dict(record: InventoryRecord, threshold: int) -> dict[str, Any]:
    return {
        "sku": record.sku,
        "available": record.available,
        "reserved": record.reserved,
        "sold": record.sold,
        "status": stock_status(record.available, threshold),
        "updated_at": record.updated_at,
    }


def run(args: argparse.Namespace) -> int:
    """Resolve the table and run the action; problems print one line and exit 1."""
    try:
        return execute(args, resolve_target(args))
    except (StockCommandError, NegativeStockError, StoreUnavailableError) as exc:
        print(f"stock {args.action}: {exc}", file=sys.stderr)
        return 1
