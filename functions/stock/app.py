"""Stock API handler: GET /api/stock?sku=A&sku=B, cacheable for a few seconds at the CDN."""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import parse_qs

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext
from shop.adapters.dynamodb_inventory import DynamoDBInventory
from shop.aws_clients import dynamodb_client
from shop.catalog import get_catalog
from shop.config import get_config, require
from shop.errors import ShopConfigError, ShopError, StoreUnavailableError
from shop.http_responses import (
    error_response,
    internal_error_response,
    json_response,
    not_found_response,
)
from shop.stock_lookup import read_sku_list, stock_json

# Short enough that "only 2 left" is fresh, long enough that a busy product page
# costs one Lambda call per SKU set every few seconds rather than per view.
STOCK_CACHE_CONTROL = "public, max-age=5"

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Storefront")
app = APIGatewayHttpResolver()


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


@app.exception_handler(ShopError)  # type: ignore[untyped-decorator]
def handle_shop_error(exc: ShopError) -> Response[str]:
    """Every domain error becomes its documented status and code."""
    if isinstance(exc, StoreUnavailableError | ShopConfigError):
        logger.exception("stock request failed on the server side")
    return error_response(exc)


@app.exception_handler(Exception)  # type: ignore[untyped-decorator]
def handle_bug(exc: Exception) -> Response[str]:
    """A bug, not a request problem: logged with its traceback, answered in the API's shape."""
    logger.exception("stock request failed unexpectedly")
    return internal_error_response()


@app.not_found
def handle_not_found(_: Exception) -> Response[str]:
    """Unknown paths and methods."""
    event = app.current_event
    return not_found_response(event.request_context.http.method, event.path)


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Lambda entry point for API Gateway HTTP API v2 events."""
    return app.resolve(event, context)
