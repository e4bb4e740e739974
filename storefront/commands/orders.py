"""`python build.py orders …`: the merchant's order desk (list, show, ship, mark, refund, erase).

Where the orders live, in order: the tables named by ORDERS_TABLE,
RESERVATIONS_TABLE and INVENTORY_TABLE (with AWS_REGION or --region), else
the running local shop (`python build.py serve` writes `.cache/local-aws.json`).
Every change is one conditional transaction through `shop.fulfilment`, the same
code the webhook runs: shipping queues the shipping email in the outbox, and a
refund goes through Stripe when a Stripe key is given (STRIPE_SECRET_KEY, or
STRIPE_SECRET_KEY_PARAM naming the SSM parameter the stack reads; Stripe's
`charge.refunded` webhook then records it). Only the local shop's orders paid in
the stand-in are refunded by recording it directly, whatever key the shell holds:
other orders' payments are at Stripe, so without a key their refund is refused
rather than recorded unpaid.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from shop.adapters.dynamodb_outbox import DynamoOutbox
from shop.errors import CatalogSnapshotError, ShopError
from shop.fulfilment import Fulfilment, Outcome, change_status, change_tracking
from shop.money import Money
from shop.order_view import order_json
from shop.orders import EmailKind, Order, OrderStatus, OrderTransitionError, Tracking, now_iso
from shop.refunds import record_refund
from shop.snapshot_format import load_snapshot_file

from storefront.commands.order_desk import (
    Desk,
    OrdersCommandError,
    resolve_desk,
    stripe_key,
)
from storefront.commands.order_erasure import erase, find_orders_of
from storefront.commands.order_output import (
    email_json,
    money_text,
    print_emails,
    print_order,
    print_order_list,
)

DEFAULT_CATALOG = Path("dist") / "catalog.json"
_MARKABLE = ("preparing", "delivered", "cancelled")
DEFAULT_LIST_LIMIT = 50


def _positive_count(text: str) -> int:
    """argparse type of --limit: a whole number of orders, 1 or more."""
    cleaned = text.strip()
    # isascii: str.isdigit also accepts digits such as "²" that int() refuses.
    if not (cleaned.isascii() and cleaned.isdigit()) or int(cleaned) < 1:
        raise argparse.ArgumentTypeError(
            f'expected a whole number of orders, 1 or more, got "{text}"'
        )
    return int(cleaned)


def register(subparsers: Any) -> None:
    """Add the `orders` subcommand and its actions."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--region", help="AWS region of the tables (default: AWS_REGION)")
    common.add_argument("--catalog", type=Path, default=DEFAULT_CATALOG, help="catalog snapshot")
    parser = subparsers.add_parser(
        "orders",
        help="list, show, ship, mark, refund orders, resend their emails, erase a shopper's "
        "data (local shop or AWS)",
        description="The order desk. Uses ORDERS_TABLE, RESERVATIONS_TABLE and INVENTORY_TABLE "
        "from the environment, else the local shop started by `python build.py serve`.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="recent orders, newest first")
    listing.add_argument("--status", choices=[s.value for s in OrderStatus])
    listing.add_argument(
        "--limit",
        type=_positive_count,
        default=DEFAULT_LIST_LIMIT,
        help=f"how many orders at most (default: {DEFAULT_LIST_LIMIT})",
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    show = actions.add_parser("show", parents=[common], help="one order in full")
    show.add_argument("number", help="order number, e.g. 1042 or #1042")
    show.add_argument("--json", action="store_true")
    ship = actions.add_parser(
        "ship", parents=[common], help="mark shipped and email the tracking number"
    )
    ship.add_argument("number")
    ship.add_argument("--carrier", required=True, help="e.g. Colissimo")
    ship.add_argument("--tracking", required=True, help="the parcel's tracking number")
    ship.add_argument(
        "--correct",
        action="store_true",
        help="replace a shipped order's carrier and tracking number (a typo) and email the "
        "shopper the corrected ones",
    )
    mark = actions.add_parser("mark", parents=[common], help="set preparing, delivered, cancelled")
    mark.add_argument("number")
    mark.add_argument("status", choices=_MARKABLE)
    refund = actions.add_parser("refund", parents=[common], help="refund an order in full")
    refund.add_argument("number")
    resend = actions.add_parser(
        "resend",
        parents=[common],
        help="send an order's unsent emails again (after fixing SES), or one kind again",
    )
    resend.add_argument("number")
    resend.add_argument(
        "--kind",
        choices=[str(kind) for kind in EmailKind],
        help="send this email again even if it was sent (the shopper lost it)",
    )
    erase = actions.add_parser(
        "erase",
        parents=[common],
        help="erase a shopper's personal data from their sent, delivered, refunded or "
        "cancelled orders, keeping the accounts (GDPR)",
    )
    erase.add_argument("number", nargs="*", help="order numbers (or give --email)")
    erase.add_argument("--email", help="every order placed with this email address")
    erase.add_argument(
        "--yes", action="store_true", help="erase (without it, only say what would be erased)"
    )
    parser.set_defaults(run=run)


def _order_id(number: str) -> str:
    cleaned = number.strip().removeprefix("#")
    # isascii: str.isdigit also accepts "²" (which int() refuses) and other scripts' digits.
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise OrdersCommandError(f'order: expected a number like 1042, got "{number}"')
    return str(int(cleaned))


# Carrier names and tracking numbers are a few dozen characters; a longer one is a paste gone wrong.
_SHIPPING_TEXT_MAX = 80


def _filled(flag: str, value: str, expected: str) -> str:
    """`value` without surrounding spaces, as the shipping email will show it.

    Refused: a blank, a line break or other control character (the email would show it
    raw), or more than _SHIPPING_TEXT_MAX characters.
    """
    cleaned = value.strip()
    if not cleaned or not cleaned.isprintable() or len(cleaned) > _SHIPPING_TEXT_MAX:
        shown = json.dumps(value if len(value) <= 100 else value[:100] + "…")
        raise OrdersCommandError(
            f"{flag}: expected {expected}, on one line, at most {_SHIPPING_TEXT_MAX} "
            f"characters; got {shown}"
        )
    return cleaned


def _load(desk: Desk, number: str) -> Order:
    found = desk.orders.get_order(_order_id(number))
    if found is None:
        raise OrdersCommandError(f"order #{_order_id(number)}: not found in {desk.where}")
    return found[0]


def _fulfilment(desk: Desk, catalog_path: Path) -> Fulfilment:
    try:
        catalog = load_snapshot_file(catalog_path)
    except CatalogSnapshotError as exc:
        raise OrdersCommandError(f"{exc} (run `python build.py` first)") from exc
    return Fulfilment(orders=desk.orders, reservations=desk.reservations, catalog=catalog)


def _outbox(desk: Desk) -> DynamoOutbox:
    return DynamoOutbox(desk.orders.client, desk.orders.table)


def _refund(desk: Desk, args: argparse.Namespace, order: Order) -> int:
    if desk.stand_in_payments:
        # Paid in the local stand-in: Stripe holds no such payment, whatever key the
        # operator's shell has, so the refund is recorded here.
        return _record_local_refund(desk, args, order)
    key = stripe_key(args.region)
    if not key:
        raise OrdersCommandError(
            f"order {order.display_number}: the refund must go through Stripe (its payment "
            f"is at Stripe: {desk.where}); expected STRIPE_SECRET_KEY, or "
            "STRIPE_SECRET_KEY_PARAM naming the SSM parameter that holds it. Nothing was changed"
        )
    if not order.payment_intent:
        raise OrdersCommandError(f"order {order.display_number}: no payment to refund")
    from shop.adapters.stripe_gateway import StripeGateway

    gateway = StripeGateway(key, api_base=os.environ.get("STRIPE_API_BASE") or None)
    refund_id = gateway.refund_payment(order.payment_intent, f"refund-order-{order.order_id}")
    print(
        f"order {order.display_number}: refund {refund_id} requested from Stripe; "
        "the order turns refunded when Stripe's charge.refunded webhook arrives"
    )
    return 0


def _record_local_refund(desk: Desk, args: argparse.Namespace, order: Order) -> int:
    """Refund an order paid in the local stand-in: record it (restock, refund email)."""
    outcome = record_refund(
        _fulfilment(desk, args.catalog),
        order.order_id,
        order.total.amount,
        event_id=None,
        event_type="merchant_refund",
    )
    if outcome is Outcome.ALREADY_DONE:
        print(f"order {order.display_number}: already refunded")
    else:
        print(
            f"order {order.display_number}: refunded {money_text(order.total)} (local, no Stripe); "
            "refund email queued"
        )
    return 0


def execute(args: argparse.Namespace, desk: Desk) -> int:
    """Run one orders action against resolved tables."""
    if args.action == "list":
        status = OrderStatus(args.status) if args.status else None
        orders = desk.orders.list_orders(limit=args.limit, status=status)
        if args.json:
            print(json.dumps([_desk_json(o) for o in orders], indent=2))
        else:
            print_order_list(orders, args.status)
        return 0
    if args.action == "erase":
        if bool(args.number) == bool(args.email):
            raise OrdersCommandError("expected order numbers or --email ADDRESS, one of the two")
        orders = [_load(desk, n) for n in args.number] if args.number else []
        return erase(desk, orders or find_orders_of(desk, args.email), args.yes)
    order = _load(desk, args.number)
    if args.action == "show":
        emails = _outbox(desk).emails_of(order.order_id)
        if args.json:
            facts = _desk_json(order)
            print(json.dumps(facts | {"emails": [email_json(e) for e in emails]}, indent=2))
        else:
            print_order(order)
            print_emails(emails)
        return 0
    if args.action == "refund":
        return _refund(desk, args, order)
    if args.action == "resend":
        return _resend(desk, order, args.kind)
    if args.action == "ship":
        tracking = Tracking(
            _filled("--carrier", args.carrier, "a carrier name like Colissimo"),
            _filled("--tracking", args.tracking, "the parcel's tracking number"),
        )
        ctx = _fulfilment(desk, args.catalog)
        if args.correct:
            after = change_tracking(ctx, order.order_id, tracking)
            print(
                f"order {after.display_number}: tracking corrected to {tracking.carrier} "
                f"{tracking.number}; shipping email with it queued"
            )
            return 0
        after = change_status(ctx, order.order_id, OrderStatus.SHIPPED, tracking)
        print(
            f"order {after.display_number}: shipped with {tracking.carrier} {tracking.number}; "
            "shipping email queued"
        )
        return 0
    ctx = _fulfilment(desk, args.catalog)
    after = change_status(ctx, order.order_id, OrderStatus(args.status))
    print(f"order {after.display_number}: {after.status}")
    if after.status is OrderStatus.CANCELLED:
        print(_cancel_follow_up(after))
    return 0


def _desk_json(order: Order) -> dict[str, Any]:
    """The order as the desk's JSON shows it: the status page's, plus the merchant's facts."""
    return order_json(order) | {"flags": list(order.flags), "erased_at": order.erased_at}


def _resend(desk: Desk, order: Order, kind: str | None) -> int:
    """Queue an order's emails again: the unsent ones, or the latest of `kind`."""
    if order.erased_at is not None:
        raise OrdersCommandError(
            f"order {order.display_number}: its shopper's email address was erased on "
            f"{order.erased_at}; it gets no more emails"
        )
    outbox = _outbox(desk)
    emails = [e for e in outbox.emails_of(order.order_id) if e.status != "superseded"]
    if kind is not None:
        chosen = [e for e in emails if e.kind == kind][-1:]
        if not chosen:
            raise OrdersCommandError(
                f"order {order.display_number}: no {kind} email; it has "
                f"{', '.join(sorted({e.kind for e in emails})) or 'none'}"
            )
    else:
        # An email left `sending` may have gone out (SES accepted it, marking it sent
        # failed): it is queued again too, as the operator asked; `show` tells them apart.
        chosen = [e for e in emails if e.status != "sent"]
        if not chosen:
            raise OrdersCommandError(
                f"order {order.display_number}: every email was sent "
                f"({', '.join(e.kind for e in emails) or 'none'}); "
                "pass --kind to send one again"
            )
    for email in chosen:
        outbox.queue_again(email, now_iso())
        print(
            f"order {order.display_number}: {email.kind} email to {order.email} queued again "
            f"(it was {email.status}); the email function sends it within seconds"
        )
    return 0


def _cancel_follow_up(order: Order) -> str:
    """What a cancel leaves undone, and the command that does it."""
    # Cancel stays a status of its own rather than being refused for paid orders (and
    # every recorded order is paid): the state machine (shop.orders.TRANSITIONS) and
    # docs/orders.md have an order cancelled before shipping and refunded afterwards,
    # and only the refund moves money and stock, through Stripe's charge.refunded or
    # the local record. So the merchant is told, not left to guess.
    already = order.refunded.amount if order.refunded else 0
    unpaid_back = Money(order.total.amount - already, order.total.currency)
    # Cancelled before it was sent, its units never left: the refund always restocks them.
    return (
        f"  the payment of {money_text(unpaid_back)} is not refunded, its units are not back in "
        f"stock and the shopper is not told: run `python build.py orders refund "
        f"{order.order_id}` to refund it and put the units back on sale"
    )


def _commands_for(refused: OrderTransitionError) -> list[str]:
    """The command that makes each move the order may make instead (`mark` makes only some)."""
    number = refused.order_id
    correcting = []
    if refused.current is OrderStatus.SHIPPED and refused.requested is OrderStatus.SHIPPED:
        correcting = [
            "to correct its tracking: python build.py "
            f"orders ship {number} --carrier NAME --tracking NUMBER --correct"
        ]
    commands = {
        OrderStatus.SHIPPED: f"orders ship {number} --carrier NAME --tracking NUMBER",
        OrderStatus.REFUNDED: f"orders refund {number}",
    }
    return correcting + [
        f"to make it {status}: python build.py "
        + commands.get(status, f"orders mark {number} {status}")
        for status in sorted(refused.allowed)
    ]


def run(args: argparse.Namespace) -> int:
    """Resolve the tables and run the action; problems print one line and exit 1."""
    try:
        return execute(args, resolve_desk(args))
    except OrderTransitionError as exc:
        print(f"orders {args.action}: {exc}", file=sys.stderr)
        for command in _commands_for(exc):
            print(f"  {command}", file=sys.stderr)
        return 1
    except (OrdersCommandError, ShopError) as exc:
        print(f"orders {args.action}: {exc}", file=sys.stderr)
        return 1
