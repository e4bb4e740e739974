"""Seed the inventory table with the initial stock of SKUs it has never seen."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError
from shop.adapters.dynamodb_inventory import DynamoDBInventory
from shop.errors import StoreUnavailableError

from storefront.deploy.errors import DeployError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


@dataclass(frozen=True, slots=True)
class SeedResult:
    """SKUs given their initial stock, and SKUs whose live count was left alone."""

    seeded: tuple[str, ...]
    kept: int


def read_initial_stock(catalog_path: Path) -> dict[str, int]:
    """SKU -> initial_stock from dist/catalog.json."""
    try:
        snapshot = json.loads(catalog_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DeployError(f"{catalog_path}: not found; expected the build's catalog") from exc
    except json.JSONDecodeError as exc:
        raise DeployError(f"{catalog_path}:{exc.lineno}: expected JSON ({exc.msg})") from exc
    skus = snapshot.get("skus") if isinstance(snapshot, dict) else None
    if not isinstance(skus, dict):
        raise DeployError(f'{catalog_path}: expected a "skus" object (docs/architecture.md)')
    stock: dict[str, int] = {}
    for sku, entry in skus.items():
        initial = entry.get("initial_stock") if isinstance(entry, dict) else None
        if not isinstance(initial, int) or isinstance(initial, bool) or initial < 0:
            raise DeployError(
                f"{catalog_path}: skus.{sku}.initial_stock: expected an integer >= 0, "
                f"got {initial!r}"
            )
        stock[sku] = initial
    return stock


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
