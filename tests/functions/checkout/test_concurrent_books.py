"""Threads on the DynamoDB adapters (moto): checkouts, racing payments, expiries, sweeps, refunds.

Shoppers check out two SKUs at once while Stripe's events arrive concurrently,
duplicated and out of order, the sweeper runs and some orders are refunded.
Afterwards the books hold for every SKU: available + reserved + sold equals
the stock, nothing is negative, `reserved` is what held reservations hold,
`sold` is what recorded orders sold; one order and one confirmation per paid
session.
"""

from __future__ import annotations

import random
import secrets
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest
from moto.dynamodb.models import DynamoDBBackend

from tests.functions.payments import (
    SITE,
    PaymentEnv,
    RecordingStripeHttp,
    _locked,
    completed_session,
    put_cart,
)

SHOE, SOCK = "TRS-42-BLK", "SOCK-M"
STOCK = {SHOE: 5, SOCK: 6}
SHOPPERS = 12


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_concurrent_shopping_keeps_the_books(
    payment_env: PaymentEnv, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Imported now, not at collection: the local server's tests drop the functions'
    # modules from sys.modules, and this must use the same copies as the handlers.
    from shop.adapters.stripe_gateway import StripeGateway
    from shop.checkout_flow import CheckoutContext, start_checkout
    from shop.config import get_config
    from shop.errors import ShopError
    from shop.fulfilment_setup import dynamodb_fulfilment
    from shop.snapshot_format import load_snapshot_file
    from shop.stripe_event_handling import handle_event
    from shop.sweeping import sweep
    from shop.webhook_events import ChargeRefundedEvent, SessionEvent, parse_session

    # moto's reads iterate items that its writes change: serialise them too, as
    # payment_env does for the writes (DynamoDB itself reads consistently).
    for method in ("query", "get_item", "scan"):
        monkeypatch.setattr(DynamoDBBackend, method, _locked(getattr(DynamoDBBackend, method)))
    rng = random.Random(seed)
    for sku, units in STOCK.items():
        payment_env.set_stock(sku, units)
    carts = [
        put_cart(payment_env, {SHOE: rng.randint(1, 2), SOCK: rng.randint(0, 2) or 1}, f"{i:032x}")
        for i in range(SHOPPERS)
    ]
    http = RecordingStripeHttp()
    fulfilment = dynamodb_fulfilment(get_config())
    ctx = CheckoutContext(
        carts=fulfilment.carts,  # type: ignore[arg-type]
        reservations=fulfilment.reservations,
        gateway=StripeGateway("sk_test_123", http_client=http, max_network_retries=0),
        catalog=load_snapshot_file(payment_env.snapshot_path),
        site_url=SITE,
    )

    def check_out(cart_id: str) -> str | None:
        try:
            return start_checkout(ctx, cart_id, None, int(time.time())).session_id
        except ShopError:
            return None

    with ThreadPoolExecutor(max_workers=8) as pool:
        sessions = [s for s in pool.map(check_out, carts) if s]
    assert sessions, "nobody could check out"

    # Stripe: per session pay (maybe twice), expire, or both racing; plus a sweeper run
    deliveries: list[Any] = []
    for session_id in sessions:
        fate = rng.choice(["pay", "pay_twice", "expire", "race"])
        paid = parse_session(completed_session(http.sessions[session_id]))
        unpaid = parse_session({**http.sessions[session_id], "status": "expired"})
        done = SessionEvent("evt_" + secrets.token_hex(6), "checkout.session.completed", 0, paid)
        gone = SessionEvent("evt_" + secrets.token_hex(6), "checkout.session.expired", 0, unpaid)
        deliveries += {
            "pay": [done],
            "pay_twice": [done, done],
            "expire": [gone],
            "race": [gone, done],
        }[fate]
    rng.shuffle(deliveries)

    def deliver(event: Any) -> None:
        handle_event(fulfilment, event)

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures: list[Future[Any]] = [pool.submit(deliver, event) for event in deliveries]
        futures.append(pool.submit(sweep, fulfilment.reservations, int(time.time()) + 3600))
        for future in futures:
            future.result()

    # Some orders are refunded in full (restocked), concurrently, each event twice
    order_ids = sorted(o.order_id for o in fulfilment.orders.list_orders(limit=100))
    assert order_ids, "no payment was recorded"
    refunds = []
    for order_id in rng.sample(order_ids, k=len(order_ids) // 2):
        order, _ = fulfilment.orders.get_order(order_id)  # type: ignore[misc]
        refund = ChargeRefundedEvent(
            event_id="evt_" + secrets.token_hex(6),
            created=0,
            charge_id="ch_" + secrets.token_hex(6),
            payment_intent=order.payment_intent,
            currency="EUR",
            amount=order.total.amount,
            amount_refunded=order.total.amount,
            refunded=True,
            metadata={"reservation_id": order.reservation_id},  # from the PaymentIntent
        )
        refunds += [refund, refund]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(deliver, refunds))

    assert_books(payment_env, fulfilment)


def assert_books(env: PaymentEnv, fulfilment: Any) -> None:
    from shop.adapters.dynamo_wire import from_item

    held: Counter[str] = Counter()
    for item in env.reservations():
        reservation = from_item(item)
        if reservation["status"] == "held":
            for line in reservation["lines"]:
                held[line["sku"]] += int(line["quantity"])
    sold: Counter[str] = Counter()
    orders = fulfilment.orders.list_orders(limit=100)
    for order in orders:
        if order.status == "refunded":
            continue
        short = {s for f in order.flags if f.startswith("stock_short:") for s in f[12:].split(",")}
        for line in order.lines:
            if line.sku not in short:
                sold[line.sku] += line.quantity
    for sku, units in STOCK.items():
        available, reserved, sold_units = env.stock(sku)
        assert min(available, reserved, sold_units) >= 0, (sku, available, reserved, sold_units)
        assert available + reserved + sold_units == units, sku
        assert reserved == held[sku], sku
        assert sold_units == sold[sku], sku
    sessions = [o.session_id for o in orders]
    assert len(sessions) == len(set(sessions))
    confirmations = Counter(
        item["order_id"]["S"] for item in env.order_items("ORDER#", "EMAIL#confirmation")
    )
    assert all(confirmations[o.order_id] == 1 for o in orders), confirmations
