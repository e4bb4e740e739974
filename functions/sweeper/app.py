"""Sweeper (scheduled): releases held reservations whose session expired without an event.

Stripe normally sends `checkout.session.expired`; this catches the ones that
never arrive. Release is guarded by the reservation's status, so racing the
webhook (or another sweep) is harmless. A grace period after expiry lets the
event win in the normal case.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.aws_clients import dynamodb_client
from shop.config import get_config, require
from shop.errors import StoreUnavailableError
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


@dataclass(frozen=True, slots=True)
class SweepResult:
    """What one run did."""

    released: int  # units back on sale
    skipped: int  # released or sold meanwhile by the webhook or another run
    failed: tuple[str, ...] = ()  # reservation ids whose release kept failing


def sweep(store: ReservationStore, now: int, limit: int = MAX_PER_RUN) -> SweepResult:
    """Release expired held reservations, each on its own: one that fails never stops the rest.

    The index lists the oldest first, so a reservation whose release always fails (a
    stock row deleted or restored from a backup) would otherwise come first in every
    run and stop every later expired hold from ever going back on sale.
    """
    released = skipped = 0
    failed: dict[str, None] = {}
    while released + skipped + len(failed) < limit:
        listed = store.list_expired_held(now - SWEEP_GRACE_SECONDS, limit=100 + len(failed))
        batch = [r for r in listed if r.reservation_id not in failed]
        if not batch:
            break
        progress = new_failures = 0
        for reservation in batch:
            try:
                done = store.release(reservation)
            except StoreUnavailableError:
                logger.exception(
                    "reservation release failed", extra={"reservation": reservation.reservation_id}
                )
                failed[reservation.reservation_id] = None
                new_failures += 1
                continue
            if done:
                progress += 1
            else:
                skipped += 1
        released += progress
        if progress == 0 and new_failures == 0:
            break  # only stale index entries left; the index catches up by the next run
    return SweepResult(released, skipped, tuple(failed))


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Lambda entry point for the EventBridge schedule."""
    result = sweep(reservation_store(), int(time.time()))
    logger.info(
        "sweep done",
        extra={"released": result.released, "skipped": result.skipped, "failed": result.failed},
    )
    metrics.add_metric(name="ReservationsSwept", unit=MetricUnit.Count, value=result.released)
    metrics.add_metric(
        name="ReservationReleaseFailed", unit=MetricUnit.Count, value=len(result.failed)
    )
    return {"released": result.released, "skipped": result.skipped, "failed": len(result.failed)}
