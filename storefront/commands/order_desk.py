"""Where the order desk's orders live: the stack's tables, or the running local shop's.

The tables named by ORDERS_TABLE, RESERVATIONS_TABLE and INVENTORY_TABLE (with
AWS_REGION or --region), else the local shop (`python build.py serve` writes
`.cache/local-aws.json`). Some of the three set but not all is refused: the
operator meant the real tables, and the local shop's orders would be the wrong shop's.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

from shop.adapters.dynamodb_orders import DynamoOrders
from shop.adapters.dynamodb_reservations import DynamoReservations

from storefront.commands.aws_region import command_region

TABLE_VARS = ("ORDERS_TABLE", "RESERVATIONS_TABLE", "INVENTORY_TABLE")


class OrdersCommandError(Exception):
    """A problem the merchant can fix (no tables, unknown order); printed, exit status 1."""


@dataclass(frozen=True, slots=True)
class Desk:
    """The tables a command works on, and a human description of them."""

    orders: DynamoOrders
    reservations: DynamoReservations
    where: str
    # The running local shop's tables, its checkouts paid in the stand-in: no payment at
    # Stripe to refund (False for the stack's tables and a local shop on Stripe's test mode).
    stand_in_payments: bool


def resolve_desk(args: argparse.Namespace) -> Desk:
    """The tables named by the environment, else the running local shop's."""
    names = {var: os.environ.get(var, "").strip() for var in TABLE_VARS}
    if any(names.values()) and not all(names.values()):
        # Some set means the operator meant the real tables: falling back to the local
        # shop would show, ship or refund orders of the wrong shop without a word.
        given = [var for var in TABLE_VARS if names[var]]
        missing = ", ".join(var for var in TABLE_VARS if not names[var])
        raise OrdersCommandError(
            f"{missing}: not set, while {', '.join(given)} {'is' if len(given) == 1 else 'are'}; "
            f"expected all of {', '.join(TABLE_VARS)} (the stack's tables), "
            "or none of them to use the local shop"
        )
    if all(names.values()):
        import boto3  # deferred: `orders --help` stays instant

        client = boto3.client("dynamodb", region_name=desk_region(args.region))
        where, stand_in_payments = names["ORDERS_TABLE"], False
    else:
        from storefront.devserver.aws import find_local_aws  # pulls in moto: only here

        local_aws = find_local_aws(Path.cwd())
        if local_aws is None or not all(local_aws.tables.get(var) for var in TABLE_VARS):
            raise OrdersCommandError(
                "no orders table: set ORDERS_TABLE, RESERVATIONS_TABLE and INVENTORY_TABLE, "
                "or start the local shop with `python build.py serve`"
            )
        names = {var: local_aws.tables[var] for var in TABLE_VARS}
        client = local_aws.client("dynamodb")
        stand_in_payments = local_aws.stand_in_payments
        where = f"local shop ({local_aws.endpoint_url})"
    reservations = DynamoReservations(client, names["RESERVATIONS_TABLE"], names["INVENTORY_TABLE"])
    orders = DynamoOrders(client, names["ORDERS_TABLE"], reservations)
    return Desk(orders, reservations, where, stand_in_payments)


def desk_region(given: str | None) -> str:
    """--region, the environment's or the AWS config's; refused when there is none."""
    region = command_region(given)
    if not region:
        raise OrdersCommandError(
            "--region: expected an AWS region (or set AWS_REGION, or `aws configure`)"
        )
    return region


def stripe_key(region: str | None) -> str | None:
    """STRIPE_SECRET_KEY, else the SSM parameter STRIPE_SECRET_KEY_PARAM names (as the stack)."""
    from shop.payment_setup import resolve_secret

    key = os.environ.get("STRIPE_SECRET_KEY", "").strip()
    parameter = os.environ.get("STRIPE_SECRET_KEY_PARAM", "").strip()
    if key or not parameter:
        return key or None
    try:
        return (resolve_secret(None, parameter, desk_region(region)) or "").strip() or None
    except Exception as exc:
        raise OrdersCommandError(
            f"STRIPE_SECRET_KEY_PARAM: could not read the SSM parameter {parameter} ({exc})"
        ) from exc
