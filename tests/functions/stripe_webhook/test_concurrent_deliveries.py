"""Stripe retries overlap: the same completion delivered by several workers at once."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from shop.adapters.dynamodb_orders import DynamoOrders
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.fulfilment import Fulfilment, Outcome
from shop.snapshot_format import load_snapshot_file
from shop.stripe_event_handling import handle_event
from shop.webhook_events import parse_event

from tests.functions.payments import (
    PaymentEnv,
    RecordingStripeHttp,
    StreamReader,
    install_stripe,
    paid_checkout,
    run_email_function,
    stripe_event,
)

SKU = "TRS-42-BLK"


def test_simultaneous_duplicates_and_a_racing_expiry_end_in_one_paid_order(
    payment_env: PaymentEnv,
) -> None:
    # Given a held reservation and its completion event, plus a late expiry of the same session
    payment_env.set_stock(SKU, 3)
    http = RecordingStripeHttp()
    install_stripe(http)
    session = paid_checkout(payment_env, http, {SKU: 2})
    reader = StreamReader(payment_env)
    completed = json.dumps(stripe_event("checkout.session.completed", session)).encode()
    expired = json.dumps(stripe_event("checkout.session.expired", session)).encode()
    reservations = DynamoReservations(
        payment_env.dynamodb,
        payment_env.tables["RESERVATIONS_TABLE"],
        payment_env.tables["INVENTORY_TABLE"],
    )
    ctx = Fulfilment(
        orders=DynamoOrders(payment_env.dynamodb, payment_env.tables["ORDERS_TABLE"], reservations),
        reservations=reservations,
        catalog=load_snapshot_file(payment_env.snapshot_path),
    )

    # When eight workers handle them at the same moment
    payloads = [completed] * 6 + [expired] * 2
    with ThreadPoolExecutor(max_workers=len(payloads)) as pool:
        outcomes = list(pool.map(lambda body: handle_event(ctx, parse_event(body)), payloads))

    # Then exactly one order exists, its units are sold once, and one email leaves
    assert outcomes.count(Outcome.RECORDED) == 1
    orders = payment_env.order_items("ORDER#", "ORDER")
    assert [o["status"]["S"] for o in orders] == ["paid"]
    available, reserved, sold = payment_env.stock(SKU)
    assert (reserved, sold) == (0, 2)
    # An expiry that won the race released the units; the paid order then sold them again.
    assert available == 1
    run_email_function(reader)
    assert len(payment_env.sent_emails()) == 1
