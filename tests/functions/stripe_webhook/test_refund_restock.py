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
