"""The sweeper releases held reservations whose session expired without an event."""

from __future__ import annotations

import time

from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.reservations import SWEEP_GRACE_SECONDS, ReservationLine, new_reservation

from tests.functions.payments import FakeLambdaContext, PaymentEnv

SKU = "TRS-42-BLK"


def test_sweeper_releases_only_held_reservations_past_expiry_and_grace(
    payment_env: PaymentEnv,
) -> None:
    # Given three reservations: long expired, just expired (in grace), and live
    payment_env.set_stock(SKU, 10)
    store = DynamoReservations(
        payment_env.dynamodb,
        payment_env.tables["RESERVATIONS_TABLE"],
        payment_env.tables["INVENTORY_TABLE"],
    )
    now = int(time.time())
    old = new_reservation("a" * 32, [ReservationLine(SKU, 2)], now - 3600)
    recent = new_reservation("b" * 32, [ReservationLine(SKU, 3)], now - 31 * 60 - 10)
    live = new_reservation("c" * 32, [ReservationLine(SKU, 1)], now)
    for reservation in (old, recent, live):
        store.reserve(reservation)
    committed = new_reservation("d" * 32, [ReservationLine(SKU, 1)], now - 7200)
    store.reserve(committed)
    from shop.adapters.dynamo_wire import transact_write

    transact_write(payment_env.dynamodb, store.commit_items(committed))
    assert payment_env.stock(SKU) == (3, 6, 1)
    assert recent.expires_at + SWEEP_GRACE_SECONDS > now

    # When the schedule fires (twice: the second run finds nothing to do)
    from sweeper.app import handler, reservation_store

    reservation_store.cache_clear()
    first = handler({}, FakeLambdaContext())
    second = handler({}, FakeLambdaContext())

    # Then only the long-expired reservation went back on sale
    assert first == {"released": 1, "skipped": 0, "failed": 0}
    assert second == {"released": 0, "skipped": 0, "failed": 0}
    assert payment_env.stock(SKU) == (5, 4, 1)
    statuses = {
        item["reservation_id"]["S"]: item["status"]["S"] for item in payment_env.reservations()
    }
    assert statuses[old.reservation_id] == "released"
    assert statuses[recent.reservation_id] == "held"
    assert statuses[live.reservation_id] == "held"
    assert statuses[committed.reservation_id] == "committed"


def test_a_reservation_that_cannot_be_released_does_not_stop_the_ones_behind_it(
    payment_env: PaymentEnv,
) -> None:
    # The oldest hold's stock row is gone (deleted, or a restore from a backup): its
    # release fails every time, and the index lists it first in every run.
    # Imported here, with the sweeper: the local server's tests drop the shop's modules, and
    # the adapter must raise the StoreUnavailableError class the sweeper catches.
    from shop.adapters.dynamodb_reservations import DynamoReservations
    from sweeper.app import sweep

    payment_env.set_stock(SKU, 10)
    payment_env.set_stock("SOCK-M", 10)
    store = DynamoReservations(
        payment_env.dynamodb,
        payment_env.tables["RESERVATIONS_TABLE"],
        payment_env.tables["INVENTORY_TABLE"],
    )
    now = int(time.time())
    poisoned = new_reservation("a" * 32, [ReservationLine("SOCK-M", 1)], now - 7200)
    behind = new_reservation("b" * 32, [ReservationLine(SKU, 2)], now - 3600)
    store.reserve(poisoned)
    store.reserve(behind)
    payment_env.dynamodb.delete_item(
        TableName=payment_env.tables["INVENTORY_TABLE"], Key={"sku": {"S": "SOCK-M"}}
    )

    result = sweep(store, now)

    assert (result.released, result.failed) == (1, (poisoned.reservation_id,))
    assert payment_env.stock(SKU) == (10, 0, 0)
