"""The sweeper releases held reservations whose session expired without an event."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.reservations import (
    ASYNC_PAYMENT_HOLD_SECONDS,
    SWEEP_GRACE_SECONDS,
    Reservation,
    ReservationLine,
    new_reservation,
)

from tests.functions.payments import (
    FakeLambdaContext,
    PaymentEnv,
    RecordingStripeHttp,
    checkout,
    completed_session,
    deliver,
    install_stripe,
    put_cart,
    stripe_event,
)

SKU = "TRS-42-BLK"


def _reservations(env: PaymentEnv) -> DynamoReservations:
    """The reservations adapter on the emulated tables.

    Imported when called, like the sweeper: the local server's tests drop the shop's
    modules, and the adapter must raise the StoreUnavailableError class the sweeper catches.
    """
    from shop.adapters.dynamodb_reservations import DynamoReservations as Adapter

    return Adapter(env.dynamodb, env.tables["RESERVATIONS_TABLE"], env.tables["INVENTORY_TABLE"])


def _older_hold_and_one_behind(
    env: PaymentEnv, older_lines: list[ReservationLine]
) -> tuple[DynamoReservations, int, Reservation, Reservation]:
    """(store, now, older, behind): a hold of `older_lines` expired two hours ago, listed
    first, and one of 2 x SKU expired an hour ago behind it; 10 of SKU in stock before."""
    env.set_stock(SKU, 10)
    store = _reservations(env)
    now = int(time.time())
    older = new_reservation("a" * 32, older_lines, now - 7200)
    behind = new_reservation("b" * 32, [ReservationLine(SKU, 2)], now - 3600)
    store.reserve(older)
    store.reserve(behind)
    return store, now, older, behind


def test_sweeper_releases_only_held_reservations_past_expiry_and_grace(
    payment_env: PaymentEnv,
) -> None:
    # Given three reservations: long expired, just expired (in grace), and live
    payment_env.set_stock(SKU, 10)
    store = _reservations(payment_env)
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
    assert first == {"released": 1, "skipped": 0, "failed": 0, "uncounted": 0}
    assert second == {"released": 0, "skipped": 0, "failed": 0, "uncounted": 0}
    assert payment_env.stock(SKU) == (5, 4, 1)
    statuses = {
        item["reservation_id"]["S"]: item["status"]["S"] for item in payment_env.reservations()
    }
    assert statuses[old.reservation_id] == "released"
    assert statuses[recent.reservation_id] == "held"
    assert statuses[live.reservation_id] == "held"
    assert statuses[committed.reservation_id] == "committed"


@pytest.mark.parametrize("row", ["deleted", "seeded again"])
def test_a_hold_a_stock_row_no_longer_counts_is_released_for_its_other_lines(
    payment_env: PaymentEnv, row: str
) -> None:
    # The oldest hold's sock row is gone (deleted) or no longer counts it (seeded again,
    # a restore from a backup); its shoe line is counted as usual.
    from shop.sweeping import sweep

    payment_env.set_stock("SOCK-M", 10)
    store, now, drifted, behind = _older_hold_and_one_behind(
        payment_env, [ReservationLine("SOCK-M", 1), ReservationLine(SKU, 3)]
    )
    assert payment_env.stock(SKU) == (5, 5, 0)
    if row == "deleted":
        payment_env.dynamodb.delete_item(
            TableName=payment_env.tables["INVENTORY_TABLE"], Key={"sku": {"S": "SOCK-M"}}
        )
    else:
        payment_env.set_stock("SOCK-M", 7)  # reserved 0: the hold is not counted any more

    result = sweep(store, now)

    # Both holds are released: the shoe units of both go back on sale (they stayed
    # reserved for good when one uncounted line failed the whole release), and the one
    # the row no longer counted is named for the operator (logged, counted by the alarm)
    assert (result.released, result.failed) == (2, ())
    assert result.uncounted == (drifted.reservation_id,)
    assert payment_env.stock(SKU) == (10, 0, 0)
    # The row that no longer counts the hold is left as it is: never a negative
    # reservation, nor units put on sale twice (nor a row made up for a deleted SKU).
    if row == "seeded again":
        assert payment_env.stock("SOCK-M") == (7, 0, 0)
    else:
        assert not payment_env.dynamodb.get_item(
            TableName=payment_env.tables["INVENTORY_TABLE"], Key={"sku": {"S": "SOCK-M"}}
        ).get("Item")
    items = {i["reservation_id"]["S"]: i for i in payment_env.reservations()}
    assert items[drifted.reservation_id]["status"]["S"] == "released"
    assert items[drifted.reservation_id]["uncounted_skus"] == {"L": [{"S": "SOCK-M"}]}
    assert items[behind.reservation_id]["status"]["S"] == "released"
    assert "uncounted_skus" not in items[behind.reservation_id]
    # Released once: a second sweep finds nothing, and the counts stay.
    assert sweep(store, now).released == 0
    assert payment_env.stock(SKU) == (10, 0, 0)


def test_a_release_that_the_tables_refuse_does_not_stop_the_ones_behind_it(
    payment_env: PaymentEnv,
) -> None:
    # The oldest hold's release fails every time (here its reservation row cannot be
    # updated: the table refuses it), and the index lists it first in every run.
    from shop.errors import StoreUnavailableError
    from shop.sweeping import sweep

    store, now, poisoned, _ = _older_hold_and_one_behind(payment_env, [ReservationLine(SKU, 1)])

    class Refusing(type(store)):  # type: ignore[misc]
        def release(self, reservation: Any) -> Any:
            if reservation.reservation_id == poisoned.reservation_id:
                raise StoreUnavailableError("reservations", "release", "refused")
            return super().release(reservation)

    refusing = Refusing(store.client, store.reservations_table, store.inventory_table)
    result = sweep(refusing, now)

    assert (result.released, result.failed) == (1, (poisoned.reservation_id,))
    assert payment_env.stock(SKU) == (9, 1, 0)  # the hold behind it went back on sale


def test_a_hold_whose_session_cannot_be_read_does_not_stop_the_ones_behind_it(
    payment_env: PaymentEnv,
) -> None:
    # Stripe answering with a session the shop cannot read (no id) raised a
    # WebhookPayloadError, a ValueError the sweeper did not isolate: the whole run stopped.
    from shop.sweeping import sweep
    from shop.webhook_events import parse_session

    store, now, unreadable, behind = _older_hold_and_one_behind(
        payment_env, [ReservationLine(SKU, 1)]
    )
    for reservation, session in ((unreadable, "cs_test_unreadable"), (behind, "cs_test_behind")):
        store.attach_session(reservation.reservation_id, session, {})

    def may_release(reservation: Any) -> bool:
        if reservation.session_id == "cs_test_unreadable":
            parse_session({"object": "checkout.session"})  # raises: no id
        return True

    result = sweep(store, now, may_release=may_release)

    assert (result.released, result.failed) == (1, (unreadable.reservation_id,))
    assert payment_env.stock(SKU) == (9, 1, 0)  # the hold behind it went back on sale


# --- holds with a Checkout Session: Stripe decides, not the clock -----------------------


@pytest.fixture
def stripe_http(payment_env: PaymentEnv) -> Iterator[RecordingStripeHttp]:
    """Stripe's API, answered by the recording HTTP layer under the real SDK."""
    from sweeper.app import sweeper_fulfilment, sweeper_gateway

    http = RecordingStripeHttp()
    install_stripe(http)
    sweeper_fulfilment.cache_clear()
    sweeper_gateway.cache_clear()
    yield http
    sweeper_fulfilment.cache_clear()
    sweeper_gateway.cache_clear()


def _checked_out(env: PaymentEnv, http: RecordingStripeHttp) -> dict[str, Any]:
    """One unit of SKU held for an open session (3 in stock); returns Stripe's session."""
    env.set_stock(SKU, 3)
    put_cart(env, {SKU: 1})
    status, body = checkout()
    assert status == 200, body
    assert env.stock(SKU) == (2, 1, 0)
    return http.sessions[body["session_id"]]


def _sweep_after_expiry() -> tuple[int, int, tuple[str, ...]]:
    """Run the sweeper an hour later (the hold and its grace are over); (released, kept, failed)."""
    from shop.sweeping import asking_stripe, sweep
    from sweeper.app import reservation_store, sweeper_fulfilment, sweeper_gateway

    reservation_store.cache_clear()
    may_release = asking_stripe(sweeper_fulfilment, sweeper_gateway)
    result = sweep(reservation_store(), int(time.time()) + 3600, may_release=may_release)
    return result.released, result.skipped, result.failed


def test_a_hold_whose_session_was_paid_is_fulfilled_not_put_back_on_sale(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    # Given the shopper paid, and Stripe's completed event has not arrived (retried for days)
    session = _checked_out(payment_env, stripe_http)
    stripe_http.sessions[session["id"]] = completed_session(session)

    # When the sweeper comes after the hold expired
    assert _sweep_after_expiry() == (0, 1, ())

    # Then the order is recorded and its unit sold, not offered to someone else
    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["session_id"]["S"] == session["id"]
    assert order["status"]["S"] == "paid"
    assert payment_env.stock(SKU) == (2, 0, 1)


def test_a_delayed_payment_still_settling_keeps_its_hold(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    session = _checked_out(payment_env, stripe_http)
    completed = completed_session(session, payment_status="unpaid")
    stripe_http.sessions[session["id"]] = completed
    stripe_http.payment_intents[completed["payment_intent"]] = "processing"

    assert _sweep_after_expiry() == (0, 1, ())

    assert payment_env.stock(SKU) == (2, 1, 0)
    [held] = payment_env.reservations()
    assert held["status"]["S"] == "held"
    assert int(held["expires_at"]["N"]) > time.time() + 13 * 24 * 3600  # extended again
    assert payment_env.order_items("ORDER#", "ORDER") == []


def test_a_delayed_payment_pending_past_its_deadline_goes_back_on_sale_and_may_still_be_sold(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    # Given a bank transfer never funded: completed, unpaid, its payment still pending
    session = _checked_out(payment_env, stripe_http)
    completed = completed_session(session, payment_status="unpaid")
    stripe_http.sessions[session["id"]] = completed
    stripe_http.payment_intents[completed["payment_intent"]] = "requires_action"
    status, body = deliver(stripe_event("checkout.session.completed", completed))
    assert (status, body["outcome"]) == (200, "awaiting_payment")
    [held] = payment_env.reservations()
    deadline = int(held["created_at"]["N"]) + ASYNC_PAYMENT_HOLD_SECONDS
    assert int(held["expires_at"]["N"]) == deadline  # held until the deadline, no longer

    # When the hold is a day past its deadline: the completed event delivered again does
    # not renew it, and the sweeper comes by
    now = int(time.time())
    payment_env.dynamodb.update_item(
        TableName=payment_env.tables["RESERVATIONS_TABLE"],
        Key={"reservation_id": held["reservation_id"]},
        UpdateExpression="SET created_at = :c, expires_at = :e",
        ExpressionAttributeValues={
            ":c": {"N": str(now - ASYNC_PAYMENT_HOLD_SECONDS - 24 * 3600)},
            ":e": {"N": str(now - 24 * 3600)},
        },
    )
    assert deliver(stripe_event("checkout.session.completed", completed))[0] == 200
    [aged] = payment_env.reservations()
    assert int(aged["expires_at"]["N"]) == now - 24 * 3600
    assert _sweep_after_expiry() == (1, 0, ())

    # Then its unit is back on sale
    assert payment_env.stock(SKU) == (3, 0, 0)
    [released] = payment_env.reservations()
    assert released["status"]["S"] == "released"

    # And should the transfer arrive after all, the order is recorded from the stock left
    paid = completed_session(session, payment_status="paid")
    status, body = deliver(stripe_event("checkout.session.async_payment_succeeded", paid))
    assert (status, body["outcome"]) == (200, "recorded")
    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert "paid_after_release" in [flag["S"] for flag in order["flags"]["L"]]
    assert payment_env.stock(SKU) == (2, 0, 1)


@pytest.mark.parametrize("intent_status", ["requires_payment_method", "canceled"])
def test_a_delayed_payment_that_failed_releases_its_hold(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp, intent_status: str
) -> None:
    # Given a SEPA debit that failed, and its `async_payment_failed` event never arrived
    session = _checked_out(payment_env, stripe_http)
    completed = completed_session(session, payment_status="unpaid")
    stripe_http.sessions[session["id"]] = completed
    stripe_http.payment_intents[completed["payment_intent"]] = intent_status

    # When the sweeper comes after the hold expired
    assert _sweep_after_expiry() == (1, 0, ())

    # Then its unit is back on sale (extended again, it would have been held for good)
    assert payment_env.stock(SKU) == (3, 0, 0)
    [released] = payment_env.reservations()
    assert released["status"]["S"] == "released"
    assert payment_env.order_items("ORDER#", "ORDER") == []


def test_a_session_still_open_past_its_expiry_is_expired_at_stripe_then_released(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    session = _checked_out(payment_env, stripe_http)

    assert _sweep_after_expiry() == (1, 0, ())

    # It can no longer be paid, so its unit is back on sale
    assert stripe_http.sessions[session["id"]]["status"] == "expired"
    expired = [r for r in stripe_http.requests if r.url.endswith(f"{session['id']}/expire")]
    assert len(expired) == 1
    assert payment_env.stock(SKU) == (3, 0, 0)


def test_an_expired_session_releases_its_hold(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    session = _checked_out(payment_env, stripe_http)
    stripe_http.sessions[session["id"]]["status"] = "expired"

    assert _sweep_after_expiry() == (1, 0, ())
    assert payment_env.stock(SKU) == (3, 0, 0)


def test_while_stripe_cannot_be_asked_the_hold_is_kept(
    payment_env: PaymentEnv, stripe_http: RecordingStripeHttp
) -> None:
    _checked_out(payment_env, stripe_http)
    [held] = payment_env.reservations()
    stripe_http.fail_with = (500, {"error": {"type": "api_error", "message": "Stripe is down"}})

    assert _sweep_after_expiry() == (0, 0, (held["reservation_id"]["S"],))
    assert payment_env.stock(SKU) == (2, 1, 0)


def test_a_run_past_its_deadline_leaves_the_rest_to_the_next_run(
    payment_env: PaymentEnv,
) -> None:
    from shop.sweeping import sweep

    payment_env.set_stock(SKU, 10)
    store = _reservations(payment_env)
    now = int(time.time())
    store.reserve(new_reservation("a" * 32, [ReservationLine(SKU, 2)], now - 3600))

    late = sweep(store, now, deadline=time.monotonic() - 1)
    assert (late.released, late.skipped, late.failed) == (0, 0, ())
    assert payment_env.stock(SKU) == (8, 2, 0)
    assert sweep(store, now).released == 1
    assert payment_env.stock(SKU) == (10, 0, 0)
