"""The local shop's DynamoDB (moto over HTTP) keeps conditional writes atomic across threads.

moto applies a transaction as check-then-write on shared Python objects and
rolls a failed one back by swapping whole tables, so concurrent requests
could interleave inside it and oversell. DynamoDB itself cannot; `run_moto`
serialises DynamoDB requests so the local shop cannot either.
"""

from __future__ import annotations

import sys
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from storefront.devserver import aws as local
from storefront.devserver.tables import INVENTORY, RESERVATIONS

SKU = "RACE-1"
SOLD_OUT = "GONE-1"
STOCK = 25
SHOPPERS = 12
ATTEMPTS_EACH = 6  # 48 attempts at one unit each for 25 units (and 24 doomed ones)


@pytest.fixture
def emulation() -> Iterator[local.LocalAws]:
    # moto runs in this process: switching threads every few microseconds (instead of
    # every 5 ms) makes the interleavings a real server would see show up at once.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with local.run_moto() as endpoint:
            aws = local.local_aws(endpoint)
            local.create_tables(aws)
            yield aws
    finally:
        sys.setswitchinterval(interval)


def _hold(sku: str) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": INVENTORY.name,
            "Key": {"sku": {"S": sku}},
            "UpdateExpression": "SET available = available - :q, reserved = reserved + :q",
            "ConditionExpression": "available >= :q",
            "ExpressionAttributeValues": {":q": {"N": "1"}},
        }
    }


def _reserve_one(dynamodb: Any, *, with_sold_out_line: bool = False) -> bool:
    """The checkout's reservation: one transaction, conditional on stock; True if held.

    With a second line on a sold-out SKU the whole transaction is cancelled, as
    a checkout whose cart has one short line is (moto then rolls back).
    """
    extra = [_hold(SOLD_OUT)] if with_sold_out_line else []
    try:
        dynamodb.transact_write_items(
            TransactItems=[
                _hold(SKU),
                *extra,
                {
                    "Put": {
                        "TableName": RESERVATIONS.name,
                        "Item": {
                            "reservation_id": {"S": uuid.uuid4().hex},
                            "status": {"S": "held"},
                        },
                        "ConditionExpression": "attribute_not_exists(reservation_id)",
                    }
                },
            ]
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "TransactionCanceledException":
            return False
        raise
    return True


def _sell_one(dynamodb: Any) -> bool:
    """A plain conditional decrement (`stock` commands and commits use this shape)."""
    try:
        dynamodb.update_item(
            TableName=INVENTORY.name,
            Key={"sku": {"S": SKU}},
            UpdateExpression="SET available = available - :q, sold = sold + :q",
            ConditionExpression="available >= :q",
            ExpressionAttributeValues={":q": {"N": "1"}},
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def test_racing_conditional_decrements_never_oversell(emulation: local.LocalAws) -> None:
    # Given one SKU with STOCK units
    setup = emulation.client("dynamodb")
    for sku, stock in ((SKU, STOCK), (SOLD_OUT, 0)):
        setup.put_item(
            TableName=INVENTORY.name,
            Item={
                "sku": {"S": sku},
                "available": {"N": str(stock)},
                "reserved": {"N": "0"},
                "sold": {"N": "0"},
            },
        )
    # When SHOPPERS threads race transactions (some cancelled by a sold-out line)
    # and plain conditional decrements for it
    start = threading.Barrier(SHOPPERS)
    wins: list[str] = []
    errors: list[BaseException] = []
    record = threading.Lock()

    def shopper(index: int) -> None:
        dynamodb = emulation.client("dynamodb")
        try:
            start.wait()
            for attempt in range(ATTEMPTS_EACH):
                if index % 3 == 0:
                    # never succeeds, but makes moto roll back in the middle of the race
                    assert not _reserve_one(dynamodb, with_sold_out_line=True)
                    continue
                if (index + attempt) % 2 == 0:
                    won = _reserve_one(dynamodb)
                    kind = "reserved"
                else:
                    won = _sell_one(dynamodb)
                    kind = "sold"
                if won:
                    with record:
                        wins.append(kind)
        except BaseException as exc:  # reported below, with the thread's failure
            errors.append(exc)

    threads = [threading.Thread(target=shopper, args=(i,)) for i in range(SHOPPERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []

    # Then exactly STOCK units were handed out, the counts agree, none is negative
    item = setup.get_item(TableName=INVENTORY.name, Key={"sku": {"S": SKU}}, ConsistentRead=True)
    counts = {k: int(item["Item"][k]["N"]) for k in ("available", "reserved", "sold")}
    held = setup.scan(TableName=RESERVATIONS.name, Select="COUNT")["Count"]
    assert len(wins) == STOCK
    assert counts == {
        "available": 0,
        "reserved": wins.count("reserved"),
        "sold": wins.count("sold"),
    }
    assert held == wins.count("reserved")
