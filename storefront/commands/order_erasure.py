"""`python build.py orders erase`: erase a shopper's personal data from their orders (GDPR).

By order number, or by the email address the shopper writes from (every order placed
with it, whatever the case of its letters). Without `--yes` it only says what it
would erase. Orders not over yet (to be sent, in transit, owed a refund) are named
with the reason and left as they are; the command exits 1 then, so the request is
not taken as done. An order already erased counts as done, and anything its erasure
left halfway (a crash between transactions) is finished. The rules are
shop.personal_data's; DynamoOrders.save_erasure stores them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from shop.adapters.dynamodb_outbox import DynamoOutbox
from shop.errors import ConcurrentUpdateError
from shop.fulfilment import ATTEMPTS
from shop.orders import Order, OrderConflictError, now_iso
from shop.personal_data import ErasureRefusedError, erase_personal_data

from storefront.commands.order_desk import Desk, OrdersCommandError

STRIPE_NOTE = (
    "Stripe keeps its own copy of each payment (Checkout Session, PaymentIntent, Charge): "
    "ask Stripe to redact it (docs.stripe.com/privacy), naming {payments}."
)


def find_orders_of(desk: Desk, email: str) -> list[Order]:
    """Every order placed with `email` (compared in lower case), oldest first."""
    wanted = email.strip().lower()
    local, _, domain = wanted.partition("@")
    if not local or "." not in domain:
        raise OrdersCommandError(f'--email: expected an email address, got "{email}"')
    everything = desk.orders.list_orders(limit=sys.maxsize)
    found = sorted((o for o in everything if o.email.lower() == wanted), key=lambda o: o.number)
    if not found:
        raise OrdersCommandError(
            f"--email {email.strip()}: no order placed with it in {desk.where}"
        )
    return found


def erase(desk: Desk, orders: Sequence[Order], confirmed: bool) -> int:
    """Erase (or, unconfirmed, list) the personal data of `orders`; the exit status."""
    unique = list({order.order_id: order for order in orders}.values())
    refused: list[str] = []
    erased: list[Order] = []
    for order in unique:
        if order.erased_at is not None:
            if confirmed:
                _erase_one(desk, order.order_id)  # finishes one stopped halfway
            print(
                f"order {order.display_number}: personal data already erased on {order.erased_at}"
            )
            continue
        try:
            erase_personal_data(order, now_iso())  # the check the stored change makes too
        except ErasureRefusedError as exc:
            refused.append(str(exc))
            continue
        if confirmed:
            _erase_one(desk, order.order_id)
            erased.append(order)
            print(f"order {order.display_number}: personal data erased")
        else:
            kept_country = order.address.country
            address = [line for line in order.address.lines() if line != kept_country]
            print(
                f"order {order.display_number} ({order.status}, {order.created_at[:10]}): "
                f"would erase {', '.join([order.email, *address])}"
            )
    for reason in refused:
        print(f"orders erase: {reason}", file=sys.stderr)
    if not confirmed and len(refused) < len(unique):
        print("Nothing erased yet: run the same command with --yes to erase it.")
    payments = [o.payment_intent for o in erased if o.payment_intent]
    if payments:
        print(STRIPE_NOTE.format(payments=", ".join(payments)))
    return 1 if refused else 0


def _erase_one(desk: Desk, order_id: str) -> None:
    """Erase one order's personal data; redone if the order or its emails moved meanwhile."""
    outbox = DynamoOutbox(desk.orders.client, desk.orders.table)
    for _ in range(ATTEMPTS):
        found = desk.orders.get_order(order_id)
        if found is None:
            raise OrdersCommandError(f"order #{order_id}: not found in {desk.where}")
        order, emails = found[0], outbox.emails_of(order_id)
        try:
            if order.erased_at is not None:
                desk.orders.finish_erasure(order, emails)
            else:
                desk.orders.save_erasure(found, erase_personal_data(order, now_iso()), emails)
        except OrderConflictError:
            continue
        except ErasureRefusedError as exc:  # it moved on meanwhile (a refund in flight)
            raise OrdersCommandError(str(exc)) from exc
        return
    raise ConcurrentUpdateError(f"order {order_id}", ATTEMPTS)
