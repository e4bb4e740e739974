"""Stock API handler: GET /api/stock?sku=A&sku=B, cacheable for a few seconds at the CDN."""

from __future__ import annotations

import functools
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import Response
from shop.adapters.dynamodb_inventory import DynamoDBInventory
from shop.aws_clients import dynamodb_client
from shop.catalog_source import get_catalog
from shop.config import get_config, require
from shop.http_responses import json_response
from shop.lambda_app import HttpFunction
from shop.stock_lookup import read_sku_list, stock_json

# Short enough that "only 2 left" is fresh, long enough that a busy product page
# costs one Lambda call per SKU set every few seconds rather than per view.
STOCK_CACHE_CONTROL = "public, max-age=5"

function = HttpFunction("stock")
app = function.app


@functools.cache
def inventory() -> DynamoDBInventory:
    """The inventory adapter, built once per container."""
    config = get_config()
    table = require(config.inventory_table, "INVENTORY_TABLE")
    return DynamoDBInventory(dynamodb_client(config.region), table)


@app.get("/api/stock")
def get_stock() -> Response[str]:
    """GET /api/stock?sku=A&sku=B."""
    # rawQueryString keeps repeated parameters apart (queryStringParameters joins them).
    query = parse_qs(app.current_event.raw_query_string, keep_blank_values=True)
    skus = read_sku_list(query.get("sku", []))
    body = stock_json(skus, get_catalog(), inventory())
    return json_response(200, body, cache_control=STOCK_CACHE_CONTROL)


handler = function.lambda_handler()
