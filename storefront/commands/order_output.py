"""How the order desk (`python build.py orders`) shows orders and their emails on the terminal."""

from __future__ import annotations

from shop.adapters.dynamodb_outbox import OutboxEmail
from shop.money import Money
from shop.orders import Order, is_pickup


def money_text(value: Money) -> str:
    """An amount as the desk prints it: "89.90 EUR"."""
    return f"{value.to_decimal_string()} {value.currency}"


def print_order_list(orders: list[Order], status: str | None = None) -> None:
    """The orders as a table, one line each, flags last; a line saying so when there are none."""
    if not orders:
        print(f"no {status} orders" if status else "no orders yet")
        return
    print(f"{'order':<7}  {'date':<10}  {'status':<9}  {'total':>12}  {'items':>5}  email")
    for order in orders:
        items = sum(line.quantity for line in order.lines)
        flags = f"  ! {' '.join(order.flags)}" if order.flags else ""
        print(
            f"{order.display_number:<7}  {order.created_at[:10]:<10}  {order.status:<9}  "
            f"{money_text(order.total):>12}  {items:>5}  "
            f"{order.email or '(erased)'}{flags}"
        )


def print_order(order: Order) -> None:
    """One order in full: address, lines, totals, tracking, flags and history."""
    print(f"Order {order.display_number}  {order.status}  {order.created_at}  ({order.locale})")
    if order.erased_at is not None:
        print(f"  personal data erased on {order.erased_at}")
    print(f"  email     {order.email or '-'}")
    if is_pickup(order) and order.shipping is not None:
        # Collected at the shop: the shopper's own address is only their billing details.
        print(f"  collect   {' / '.join(order.shipping.address) or order.shipping.name}")
        print(f"  customer  {' / '.join(order.address.lines())}")
    else:
        print(f"  ship to   {' / '.join(order.address.lines())}")
    if order.shipping:
        window = order.delivery_window()
        estimate = f", estimate {window[0]}..{window[1]}" if window else ""
        print(f"  shipping  {order.shipping.name} ({money_text(order.shipping_amount)}{estimate})")
    for line in order.lines:
        label = f" ({line.variant_label})" if line.variant_label else ""
        print(f"  {line.quantity} × {line.sku}  {line.title}{label}  {money_text(line.total)}")
    print(
        f"  subtotal {money_text(order.subtotal)}  discount {money_text(order.discount)}  "
        f"total {money_text(order.total)}"
    )
    if order.refunded:
        print(f"  refunded  {money_text(order.refunded)}")
    if order.tracking:
        print(f"  tracking  {order.tracking.carrier} {order.tracking.number}".rstrip())
    if order.flags:
        print(f"  FLAGS     {' '.join(order.flags)}  (check stock before shipping)")
    print(f"  payment   {order.payment_intent or '-'}   session {order.session_id}")
    if order.access_token:  # none once erased: the page answers 404
        print(f"  status page  /order/?o={order.order_id}&t={order.access_token}")
    print("  history")
    for entry in order.history:
        note = f"  {entry.note}" if entry.note else ""
        print(f"    {entry.at}  {entry.status}{note}")


def email_json(email: OutboxEmail) -> dict[str, object]:
    """An outbox email as `orders show --json` prints it."""
    return {
        "kind": email.kind,
        "status": email.status,
        "queued_at": email.created_at,
        "attempts": email.attempts,
        "last_error": email.last_error,
    }


def print_emails(emails: list[OutboxEmail]) -> None:
    """Each email and how it went: a failed one says why (`resend` after fixing it)."""
    print("  emails")
    for email in emails:
        tries = f"  {email.attempts} attempt(s)" if email.attempts != 1 else ""
        print(f"    {email.created_at}  {email.kind}  {email.status}{tries}")
        if email.last_error and email.status != "sent":
            print(f"      last error: {email.last_error}")
