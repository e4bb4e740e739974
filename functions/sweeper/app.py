"""Sweeper (scheduled): releases held reservations whose session expired without an event.

The rules (Stripe's word before the clock's, each hold on its own) are in
shop/sweeping.py; this wires them to the shop's tables, Stripe and the metrics
whose alarm tells the operator about holds that could not be released.
"""

from __future__ import annotations

import functools
import time
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.aws_clients import dynamodb_client
from shop.config import METRICS_NAMESPACE, get_config, require
from shop.fulfilment import Fulfilment
from shop.fulfilment_setup import dynamodb_fulfilment
from shop.payment_setup import payment_gateway
from shop.ports import PaymentGateway
from shop.sweeping import asking_stripe, sweep

logger = Logger()
metrics = Metrics(namespace=METRICS_NAMESPACE)
# Stripe calls take a while: stop looking at new holds this long into a run. The
# function's timeout is 60 s, and one more hold may take three calls of up to 12 s
# (retrieve the session, expire it, retrieve it again when expiring is refused): past
# the timeout the run's metrics, its alarm's count, would be lost.
RUN_SECONDS = 20.0


@functools.cache
def sweeper_fulfilment() -> Fulfilment:
    """Fulfilment on the shop's tables and catalog, as the webhook runs it."""
    return dynamodb_fulfilment(get_config())


@functools.cache
def sweeper_gateway() -> PaymentGateway:
    """Stripe's client, with its secret read from SSM once per container."""
    return payment_gateway(get_config())


@functools.cache
def reservation_store() -> DynamoReservations:
    """The reservations adapter, built once per container."""
    config = get_config()
    return DynamoReservations(
        dynamodb_client(config.region),
        require(config.reservations_table, "RESERVATIONS_TABLE"),
        require(config.inventory_table, "INVENTORY_TABLE"),
    )


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Lambda entry point for the EventBridge schedule."""
    may_release = asking_stripe(sweeper_fulfilment, sweeper_gateway, logger)
    deadline = time.monotonic() + RUN_SECONDS
    result = sweep(
        reservation_store(),
        int(time.time()),
        may_release=may_release,
        deadline=deadline,
        log=logger,
    )
    logger.info(
        "sweep done",
        extra={
            "released": result.released,
            "skipped": result.skipped,
            "failed": result.failed,
            "uncounted": result.uncounted,
        },
    )
    metrics.add_metric(name="ReservationsSwept", unit=MetricUnit.Count, value=result.released)
    # One alarm for the holds that need the operator: those that could not be released,
    # and those released while a stock row no longer counted them (its count to check).
    metrics.add_metric(
        name="ReservationReleaseFailed",
        unit=MetricUnit.Count,
        value=len(result.failed) + len(result.uncounted),
    )
    return {
        "released": result.released,
        "skipped": result.skipped,
        "failed": len(result.failed),
        "uncounted": len(result.uncounted),
    }
