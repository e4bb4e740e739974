"""Sweeper (scheduled): releases held reservations whose session expired without an event.

Stripe normally sends `checkout.session.expired`; this catches the ones that
never arrive. Release is guarded by the reservation's status, so racing the
webhook (or another sweep) is harmless. A grace period after expiry lets the
event win in the normal case.
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
from shop.config import get_config, require
from shop.ports import ReservationStore
from shop.reservations import SWEEP_GRACE_SECONDS

logger = Logger()
metrics = Metrics(namespace="Storefront")
MAX_PER_RUN = 500  # a run is bounded; the next schedule continues


@functools.cache
def reservation_store() -> DynamoReservations:
    """The reservations adapter, built once per container."""
    config = get_config()
    return DynamoReservations(
        dynamodb_client(config.region),
        require(config.reservations_table, "RESERVATIONS_TABLE"),
        require(config.inventory_table, "INVENTORY_TABLE"),
    )


def sweep(store: ReservationStore, now: int, limit: int = MAX_PER_RUN) -> tuple[int, int]:
    """Release expired held reservations; returns (released, already handled elsewhere)."""
    released = skipped = 0
    while released + skipped < limit:
        batch = store.list_expired_held(now - SWEEP_GRACE_SECONDS, limit=100)
        if not batch:
            break
        progress = 0
        for reservation in batch:
            if store.release(reservation):
                progress += 1
            else:
                skipped += 1
        released += progress
        if progress == 0:
            break  # only stale index entries left; the index catches up by the next run
    return released, skipped


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Lambda entry point for the EventBridge schedule."""
    released, skipped = sweep(reservation_store(), int(time.time()))
    logger.info("sweep done", extra={"released": released, "skipped": skipped})
    metrics.add_metric(name="ReservationsSwept", unit=MetricUnit.Count, value=released)
    return {"released": released, "skipped": skipped}
