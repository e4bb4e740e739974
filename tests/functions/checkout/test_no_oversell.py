"""Many shoppers check out at once for more units than exist: none is sold twice."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from shop.adapters.dynamodb_carts import DynamoDBCartStore
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.adapters.stripe_gateway import StripeGateway
from shop.checkout_flow import CheckoutContext, start_checkout
from shop.errors import ShopError
from shop.http_errors import http_error_for
from shop.snapshot_format import load_snapshot_file

from tests.functions.payments import SITE, PaymentEnv, RecordingStripeHttp, put_cart

SKU = "TRS-42-BLK"


@pytest.mark.parametrize(("shoppers", "units_each", "stock"), [(20, 1, 7), (16, 2, 7)])
def test_concurrent_checkouts_reserve_exactly_the_stock_and_refuse_the_rest_with_409(
    payment_env: PaymentEnv, shoppers: int, units_each: int, stock: int
) -> None:
    # Given one SKU with `stock` units and `shoppers` carts each wanting `units_each`
    payment_env.set_stock(SKU, stock)
    carts = [put_cart(payment_env, {SKU: units_each}, cart_id=f"{i:032x}") for i in range(shoppers)]
    http = RecordingStripeHttp()
    ctx = CheckoutContext(
        carts=DynamoDBCartStore(payment_env.dynamodb, payment_env.tables["CARTS_TABLE"]),
        reservations=DynamoReservations(
            payment_env.dynamodb,
            payment_env.tables["RESERVATIONS_TABLE"],
            payment_env.tables["INVENTORY_TABLE"],
        ),
        gateway=StripeGateway("sk_test_123", http_client=http, max_network_retries=0),
        catalog=load_snapshot_file(payment_env.snapshot_path),
        site_url=SITE,
    )

    def attempt(cart_id: str) -> int:
        try:
            start_checkout(ctx, cart_id, None, int(time.time()))
        except ShopError as exc:
            return http_error_for(exc).status
        return 200

    # When they all check out at the same time
    with ThreadPoolExecutor(max_workers=shoppers) as pool:
        statuses = list(pool.map(attempt, carts))

    # Then exactly as many as the stock allows got a session, the others a 409
    winners = stock // units_each
    assert sorted(statuses) == [200] * winners + [409] * (shoppers - winners)
    available, reserved, sold = payment_env.stock(SKU)
    assert (available, reserved, sold) == (stock - winners * units_each, winners * units_each, 0)
    assert available >= 0
    held = [r for r in payment_env.reservations() if r["status"]["S"] == "held"]
    assert len(held) == winners
    assert len(http.requests) == winners
