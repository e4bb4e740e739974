"""`python build.py orders erase`: erase a shopper's personal data from their orders (GDPR).

By order number, or by the email address the shopper writes from (every order of it,
whatever the case of its letters). Without `--yes` it only says what it would erase.
Orders that may still have to be sent (paid, preparing) are named and left as they
are; the command exits 1 then, so the request is not taken as done. The rules are
shop.personal_data's; each order is stored in one transaction (DynamoOrders.save_erasure).
"""

from __future__ import annotations

from collections.abc import Sequence

from shop.adapters.dynamodb_outbox import DynamoOutbox
from shop.errors import ConcurrentUpdateError
from shop.fulfilment import ATTEMPTS
from shop.orders import Order, OrderConflictError, now_iso
from shop.personal_data import ErasureRefusedError, erase_personal_data

from storefront.commands.order_desk import Desk, OrdersCommandError

STRIPE_NOTE = (
    "Stripe keeps its own copy of the customer and the payment: erase it there too "
    "(Dashboard > Customers, or Stripe's privacy request form)."
)


def orders_of(desk: Desk, email: str) -> list[Order]:
    """Every order placed with `email`, compared without regard to case, oldest first."""
    wanted = email.strip().casefold()
    if "@" not in wanted:
        raise OrdersCommandError(f'--email: expected an email address, got "{email}"')
    everything = desk.orders.list_orders(limit=10**9)
    return sorted((o for o in everything if o.email.casefold() == wanted), key=lambda o: o.number)


def erase(desk: Desk, orders: Sequence[Order], confirmed: bool) -> int:
    """Erase (or, unconfirmed, list) the personal data of `orders`; the exit status."""
    if not orders:
        raise OrdersCommandError("no order to erase")
    refused: list[str] = []
    for order in orders:
        try:
            erase_personal_data(order, now_iso())  # the same check the stored change makes
        except ErasureRefusedError as exc:
            refused.append(str(exc))
            continue
        if confirmed:
            _erase_one(desk, order.order_id)
            print(f"order {order.display_number}: personal data erased")
        else:
            kept_country = order.address.country
            address = [line for line in order.address.lines() if line != kept_country]
            print(
                f"order {order.display_number} ({order.status}, {order.created_at[:10]}): "
                f"would erase {', '.join([order.email, *address])}"
            )
    for reason in refused:
        print(f"orders erase: {reason}")
    if not confirmed and len(refused) < len(orders):
        print("Nothing erased yet: run the same command with --yes to erase it.")
    elif confirmed and len(refused) < len(orders):
        print(STRIPE_NOTE)
    return 1 if refused else 0


def _erase_one(desk: Desk, order_id: str) -> None:
    """Erase one order's personal data; redone if the order or its emails moved meanwhile."""
    outbox = DynamoOutbox(desk.orders.client, desk.orders.table)
    for _ in range(ATTEMPTS):
        found = desk.orders.get_order(order_id)
        if found is None:
            raise OrdersCommandError(f"order #{order_id}: not found in {desk.where}")
        after = erase_personal_data(found[0], now_iso())
        try:
            desk.orders.save_erasure(found, after, outbox.emails_of(order_id))
        except OrderConflictError:
            continue
        return
    raise ConcurrentUpdateError(f"order {order_id}", ATTEMPTS)
