"""Seed the inventory table with the initial stock of SKUs it has never seen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError
from shop.adapters.dynamodb_inventory import DynamoDBInventory
from shop.errors import CatalogSnapshotError, StoreUnavailableError
from shop.snapshot_format import load_snapshot_file

from storefront.deploy.errors import DeployError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


@dataclass(frozen=True, slots=True)
class SeedResult:
    """SKUs given their initial stock, and SKUs whose live count was left alone."""

    seeded: tuple[str, ...]
    kept: int


def read_initial_stock(catalog_path: Path) -> dict[str, int]:
    """SKU -> initial_stock from dist/catalog.json, once every entry is checked.

    The functions check a SKU's entry only when a request first reads it (checking
    all of a large shop's on each cold start took seconds), so this is where a
    snapshot the functions would refuse stops: before anything is uploaded.
    """
    try:
        snapshot = load_snapshot_file(catalog_path)  # every entry, strictly
    except CatalogSnapshotError as exc:
        raise DeployError(f"{exc}; expected the snapshot `build.py` writes") from exc
    return snapshot.initial_stock()


def existing_skus(dynamodb: DynamoDBClient, table: str) -> set[str]:
    """Every SKU already in the inventory table (keys only)."""
    skus: set[str] = set()
    try:
        pages = dynamodb.get_paginator("scan").paginate(TableName=table, ProjectionExpression="sku")
        for page in pages:
            skus.update(item["sku"]["S"] for item in page.get("Items", []))
    except ClientError as exc:
        raise DeployError(f"table {table}: cannot be read: {exc}") from exc
    return skus


def seed_stock(
    dynamodb: DynamoDBClient, table: str, new_stock: dict[str, int], now: datetime | None = None
) -> SeedResult:
    """Create an inventory item for each new SKU; never overwrite a live count."""
    # The functions' own adapter writes the item (one definition of its shape), with
    # attribute_not_exists(sku): another deploy or the merchant may have created it.
    store = DynamoDBInventory(dynamodb, table)
    try:
        added = store.seed(new_stock, now or datetime.now(UTC))
    except StoreUnavailableError as exc:
        raise DeployError(f"table {table}: seeding stock failed: {exc}") from exc
    return SeedResult(tuple(added), len(new_stock) - len(added))
