"""A full refund puts units back on sale only where they are: on the shelf.

Units of an order not yet sent never left (paid, preparing, cancelled): a full
refund always restocks them, whatever `returns.restock_on_refund` says. Units sent
come back only as a return, which that setting says the merchant refunds on receipt:
with it false, a refund of a shipped order (a parcel lost in transit) leaves them sold.
"""

from __future__ import annotations

import json

import pytest

from tests.functions.payments import (
    PaymentEnv,
    RecordingStripeHttp,
    StreamReader,
    deliver,
    dynamo_fulfilment,
    install_stripe,
    paid_checkout,
    refunded_charge,
    reset_caches,
    stripe_event,
)
from tests.functions.stripe_webhook.conftest import SKU


def _restock_returns(env: PaymentEnv, http: RecordingStripeHttp, restock: bool) -> None:
    data = json.loads(env.snapshot_path.read_text(encoding="utf-8"))
    data["returns"]["restock_on_refund"] = restock
    env.snapshot_path.write_text(json.dumps(data), encoding="utf-8")
    reset_caches()  # the functions read the snapshot again, and Stripe's client anew
    install_stripe(http)


def _paid_then(env: PaymentEnv, http: RecordingStripeHttp, status: str | None) -> str:
    """Pay for one unit, move the order to `status`; its PaymentIntent."""
    from shop.fulfilment import change_status
    from shop.orders import OrderStatus, Tracking

    session = paid_checkout(env, http, {SKU: 1})
    deliver(stripe_event("checkout.session.completed", session))
    if status == "shipped":
        change_status(
            dynamo_fulfilment(env), "1001", OrderStatus.SHIPPED, Tracking("Colissimo", "6A1")
        )
    elif status is not None:
        change_status(dynamo_fulfilment(env), "1001", OrderStatus(status))
    return str(session["payment_intent"])


@pytest.mark.parametrize("status", [None, "preparing", "cancelled"])
def test_a_refund_before_sending_restocks_even_when_returns_are_not_restocked(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader], status: str | None
) -> None:
    env, http, _ = shop
    _restock_returns(env, http, False)
    intent = _paid_then(env, http, status)
    assert env.stock(SKU) == (2, 0, 1)

    deliver(stripe_event("charge.refunded", refunded_charge(intent, 9480, 9480)))

    assert env.stock(SKU) == (3, 0, 0)  # it never left the shelf


@pytest.mark.parametrize(("restock", "after"), [(False, (2, 0, 1)), (True, (3, 0, 0))])
def test_a_refund_of_a_shipped_order_restocks_as_the_returns_setting_says(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
    restock: bool,
    after: tuple[int, int, int],
) -> None:
    # False: a parcel lost in transit, refunded, is on no shelf (the next buyer of that
    # unit would be oversold); true: the merchant refunds returns on receipt.
    env, http, _ = shop
    _restock_returns(env, http, restock)
    intent = _paid_then(env, http, "shipped")

    deliver(stripe_event("charge.refunded", refunded_charge(intent, 9480, 9480)))

    assert env.stock(SKU) == after


def test_a_refund_never_restocks_units_an_order_paid_too_late_never_got(
    shop: tuple[PaymentEnv, RecordingStripeHttp, StreamReader],
) -> None:
    # Paid after its hold was released and the units sold to someone else: the order
    # is recorded short (stock_short) and sold nothing. Refunding it must not put two
    # units on sale that the shop does not have (they would be sold twice).
    from tests.functions.stripe_webhook.conftest import orders

    env, http, _ = shop
    session = paid_checkout(env, http, {SKU: 2})
    deliver(stripe_event("checkout.session.expired", {**session, "status": "expired"}))
    env.set_stock(SKU, 1)
    deliver(stripe_event("checkout.session.completed", session))
    [order] = orders(env)
    assert [f["S"] for f in order["flags"]["L"]][-1] == f"stock_short:{SKU}"
    total = int(order["total"]["N"])

    intent = str(session["payment_intent"])
    deliver(stripe_event("charge.refunded", refunded_charge(intent, total, total)))

    [order] = orders(env)
    assert order["status"]["S"] == "refunded"
    assert env.stock(SKU) == (1, 0, 0)  # the one unit on the shelf, nothing more
