"""Moto-backed AWS for the functions' tests: the cart and inventory tables as infra defines them."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import boto3
from moto import mock_aws
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

from storefront.devserver.tables import RESERVATIONS

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

REGION = "eu-west-1"
CARTS_TABLE = "test-carts"
INVENTORY_TABLE = "test-inventory"
RESERVATIONS_TABLE = "test-reservations"


def create_shop_tables(client: DynamoDBClient) -> None:
    """Create the carts (TTL on expires_at), inventory and reservations tables, on-demand."""
    client.create_table(
        TableName=CARTS_TABLE,
        AttributeDefinitions=[{"AttributeName": "cart_id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "cart_id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.update_time_to_live(
        TableName=CARTS_TABLE,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
    )
    client.create_table(
        TableName=INVENTORY_TABLE,
        AttributeDefinitions=[{"AttributeName": "sku", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "sku", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    # The cart reads its own checkout's hold from it (shop.cart_actions).
    client.create_table(**{**RESERVATIONS.create_table_args(), "TableName": RESERVATIONS_TABLE})


@contextmanager
def mocked_dynamodb() -> Iterator[DynamoDBClient]:
    """A moto DynamoDB with the shop's tables, and a client on it."""
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        create_shop_tables(client)
        yield client


def table_item_count(client: DynamoDBClient, table: str) -> int:
    """How many items a table holds (to prove that a refused request wrote nothing)."""
    return len(client.scan(TableName=table)["Items"])


@contextmanager
def serialising_moto_server() -> Iterator[DynamoDBClient]:
    """Moto as a single-threaded HTTP server, and a client on it, with the shop's tables.

    In-process moto checks a ConditionExpression and writes in two steps that
    threads can interleave, so two conditional writes may both "win" - which
    real DynamoDB never allows. Served one request at a time, each write is
    atomic as in DynamoDB, while the clients still race over real HTTP.
    """
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", 0, app, threaded=False, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{server.server_port}"
    # moto keeps its state in module globals: start from empty tables every time.
    reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")  # noqa: S310
    with urllib.request.urlopen(reset, timeout=10) as answer:  # noqa: S310 - local emulator
        answer.read()
    try:
        client = boto3.client(
            "dynamodb",
            region_name=REGION,
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        create_shop_tables(client)
        yield client
    finally:
        server.shutdown()
        thread.join()
