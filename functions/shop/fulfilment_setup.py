"""Fulfilment's collaborators on DynamoDB, as the webhook and orders functions build them."""

from __future__ import annotations

from shop.adapters.dynamodb_carts import DynamoDBCartStore
from shop.adapters.dynamodb_orders import DynamoOrders
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.aws_clients import dynamodb_client
from shop.catalog_source import get_catalog
from shop.config import ShopConfig, require
from shop.fulfilment import Fulfilment


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
    return Fulfilment(orders=orders, reservations=reservations, catalog=get_catalog(), carts=carts)
