"""Fulfilment's collaborators on DynamoDB, as the webhook and orders functions build them."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from shop.adapters.dynamodb_carts import DynamoDBCartStore
from shop.adapters.dynamodb_orders import DynamoOrders
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.aws_clients import dynamodb_client
from shop.catalog_source import get_catalog
from shop.config import METRICS_NAMESPACE, ShopConfig, require
from shop.fulfilment import Fulfilment
from shop.orders import Order

_logger = Logger()


def report_needs_attention(order: Order) -> None:
    """Log an order recorded with flags and count it (OrderNeedsAttention, with an alarm)."""
    _logger.warning(
        "order needs attention", extra={"order_id": order.order_id, "flags": list(order.flags)}
    )
    # Powertools' metrics are shared by every Metrics of the process: the function's
    # handler publishes this one with its own when the invocation ends.
    Metrics(namespace=METRICS_NAMESPACE).add_metric(
        name="OrderNeedsAttention", unit=MetricUnit.Count, value=1
    )


def dynamodb_fulfilment(config: ShopConfig) -> Fulfilment:
    """Orders, reservations and (when configured) carts on the configured tables."""
    client = dynamodb_client(config.region)
    reservations = DynamoReservations(
        client,
        require(config.reservations_table, "RESERVATIONS_TABLE"),
        require(config.inventory_table, "INVENTORY_TABLE"),
    )
    orders = DynamoOrders(client, require(config.orders_table, "ORDERS_TABLE"), reservations)
    # The cart is emptied after payment when the function knows the carts table.
    carts = DynamoDBCartStore(client, config.carts_table) if config.carts_table else None
    return Fulfilment(
        orders=orders,
        reservations=reservations,
        catalog=get_catalog(),
        carts=carts,
        needs_attention=report_needs_attention,
    )
