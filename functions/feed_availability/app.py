"""Availability feed (scheduled): live stock as a Merchant Center supplemental feed.

Every hour, reads each catalog SKU's available units from the inventory table and
writes `feeds/availability.xml` to the site bucket (shop.availability_feed), so
Merchant Center advertises what the product pages show rather than the stock of
the last build. An unchanged feed is not written again.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from shop.adapters.dynamodb_inventory import DynamoDBInventory
from shop.adapters.s3_public_file import S3PublicFile
from shop.availability_feed import (
    AVAILABILITY_FEED_KEY,
    FEED_CACHE_CONTROL,
    FEED_CONTENT_TYPE,
    feed_units,
    render_availability_feed,
)
from shop.aws_clients import dynamodb_client, s3_client
from shop.catalog import CatalogSnapshot
from shop.catalog_source import get_catalog
from shop.config import METRICS_NAMESPACE, get_config, require
from shop.errors import ConfigError
from shop.ports import InventoryStore, PublicFile
from shop.stock import merchant_availability

logger = Logger()
metrics = Metrics(namespace=METRICS_NAMESPACE)


@dataclass(frozen=True, slots=True)
class FeedRefresh:
    """What one run did."""

    skus: int
    out_of_stock: int
    written: bool


@functools.cache
def inventory_store() -> DynamoDBInventory:
    """The inventory adapter, built once per container."""
    config = get_config()
    return DynamoDBInventory(
        dynamodb_client(config.region), require(config.inventory_table, "INVENTORY_TABLE")
    )


@functools.cache
def feed_file() -> S3PublicFile:
    """The feed's object in the site bucket, built once per container."""
    config = get_config()
    if not config.site_bucket:
        raise ConfigError("SITE_BUCKET", "expected the site bucket's name, got nothing")
    return S3PublicFile(
        s3_client(config.region),
        config.site_bucket,
        AVAILABILITY_FEED_KEY,
        content_type=FEED_CONTENT_TYPE,
        cache_control=FEED_CACHE_CONTROL,
    )


def refresh_feed(
    catalog: CatalogSnapshot, inventory: InventoryStore, target: PublicFile
) -> FeedRefresh:
    """Render the feed from live stock and publish it if its bytes changed."""
    units = feed_units(catalog, inventory.list_records())
    body = render_availability_feed(catalog.store.name, catalog.store.base_url, units)
    written = target.publish(body)
    out = sum(merchant_availability(count) == "out_of_stock" for count in units.values())
    return FeedRefresh(skus=len(units), out_of_stock=out, written=written)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Lambda entry point for the EventBridge schedule."""
    run = refresh_feed(get_catalog(), inventory_store(), feed_file())
    logger.info(
        "availability feed done",
        extra={"skus": run.skus, "out_of_stock": run.out_of_stock, "written": run.written},
    )
    metrics.add_metric(name="FeedSkusOutOfStock", unit=MetricUnit.Count, value=run.out_of_stock)
    return {"skus": run.skus, "out_of_stock": run.out_of_stock, "written": run.written}
