"""`python build.py orders erase` on moto: a shopper's personal data out of their orders (GDPR)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from shop.adapters.dynamodb_outbox import DynamoOutbox
from shop.errors import StoreUnavailableError

from storefront.cli import main
from tests.build.test_orders_command import desk, local_desk, subjects
from tests.functions.orders.test_orders_api import get
from tests.functions.payments import PaymentEnv, StreamReader, payment_env

__all__ = ["desk", "local_desk", "payment_env"]  # the fixtures, imported for pytest

EMAIL = "claire@example.org"
PERSONAL = ("claire", "Claire", "Martin", "rue Royale", "Annecy", "74000", "6A123")


def order_page_status(order: dict[str, Any]) -> int:
    """What the order status page's function answers for the order's own link."""
    status, _ = get("/api/orders/1001", {"t": order["access_token"]["S"]})
    return status


def deliver_order() -> None:
    """Ship #1001 (its shipping email left pending) and mark it delivered: it is over."""
    assert main(["orders", "ship", "1001", "--carrier", "Colissimo", "--tracking", "6A123"]) == 0
    assert main(["orders", "mark", "1001", "delivered"]) == 0


def stored_text(env: PaymentEnv) -> str:
    return json.dumps(env.items(env.tables["ORDERS_TABLE"]))


def test_a_delivered_orders_personal_data_is_erased_and_its_accounts_kept(
    payment_env: PaymentEnv, desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    deliver_order()
    [before] = payment_env.order_items("ORDER#", "ORDER")
    assert order_page_status(before) == 200
    # A failed send's last error quotes the address (SES's words)
    [confirmation] = [
        e for e in payment_env.order_items("ORDER#", "EMAIL#") if e["kind"]["S"] == "confirmation"
    ]
    payment_env.dynamodb.update_item(
        TableName=payment_env.tables["ORDERS_TABLE"],
        Key={"pk": confirmation["pk"], "sk": confirmation["sk"]},
        UpdateExpression="SET last_error = :e",
        ExpressionAttributeValues={":e": {"S": f"MessageRejected: not verified: {EMAIL}"}},
    )
    capsys.readouterr()

    # Without --yes, it only says what it would erase
    assert main(["orders", "erase", "--email", "Claire@Example.org"]) == 0
    dry = capsys.readouterr().out
    assert "order #1001 (delivered" in dry
    assert f"would erase {EMAIL}, Claire Martin, 3 rue Royale, 74000 Annecy" in dry
    assert "run the same command with --yes" in dry
    assert payment_env.order_items("ORDER#", "ORDER") == [before]

    assert main(["orders", "erase", "--email", EMAIL, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "order #1001: personal data erased" in out
    assert (
        f"ask Stripe to redact it (docs.stripe.com/privacy), naming {before['payment_intent']['S']}"
        in out
    )

    [order] = payment_env.order_items("ORDER#", "ORDER")
    for personal in PERSONAL:
        assert personal not in stored_text(payment_env), personal
    # What the accounts need stays: number, amounts, lines, status, destination country
    assert (order["number"], order["total"]) == (before["number"], before["total"])
    assert order["lines"] == before["lines"]
    assert order["payment_intent"] == before["payment_intent"]
    assert order["status"]["S"] == "delivered"
    assert order["address"]["M"]["country"]["S"] == "FR"
    assert order["tracking"]["M"]["carrier"]["S"] == "Colissimo"
    assert "erased_at" in order
    history = payment_env.order_items("ORDER#", "HISTORY#")
    assert [h["note"]["S"] for h in history][-1] == "personal data erased"
    emails = payment_env.order_items("ORDER#", "EMAIL#")
    assert {e["to"]["S"] for e in emails} == {""}
    assert not [e for e in emails if "last_error" in e]
    # The pending shipping email is never sent; the status page no longer shows the order
    assert {e["email_status"]["S"] for e in emails} == {"sent", "erased"}
    assert subjects(payment_env, desk) == ["Your order #1001 is confirmed"]
    assert order_page_status(before) == 404
    assert main(["orders", "show", "1001"]) == 0
    shown = capsys.readouterr().out
    assert "personal data erased on" in shown
    assert "Claire" not in shown
    assert main(["orders", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["erased_at"] == order["erased_at"]["S"]


def test_an_erased_order_sends_no_more_emails(
    payment_env: PaymentEnv, local_desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    # Paid in the local stand-in: the refund is recorded here, and would email the shopper.
    deliver_order()
    sent_before = subjects(payment_env, local_desk)
    assert main(["orders", "erase", "1001", "--yes"]) == 0
    capsys.readouterr()

    assert main(["orders", "refund", "1001"]) == 0
    assert main(["orders", "resend", "1001", "--kind", "confirmation"]) == 1
    assert "email address was erased" in capsys.readouterr().err

    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "refunded"
    assert subjects(payment_env, local_desk) == sent_before
    kinds = [e["kind"]["S"] for e in payment_env.order_items("ORDER#", "EMAIL#")]
    assert "refund" not in kinds


def test_a_resend_racing_the_erasure_cannot_queue_the_address_again(
    payment_env: PaymentEnv, desk: StreamReader
) -> None:
    deliver_order()
    outbox = DynamoOutbox(payment_env.dynamodb, payment_env.tables["ORDERS_TABLE"])
    [confirmation] = [e for e in outbox.emails_of("1001") if e.kind == "confirmation"]
    assert main(["orders", "erase", "1001", "--yes"]) == 0

    # Read before the erasure, queued after it: refused, nothing written
    with pytest.raises(StoreUnavailableError):
        outbox.queue_again(confirmation, "2027-01-05T10:00:00+00:00")
    assert EMAIL not in stored_text(payment_env)


@pytest.mark.parametrize(
    ("before", "reason"),
    [
        ([], "it is paid: its address is still needed to send it"),
        (
            [["orders", "ship", "1001", "--carrier", "Colissimo", "--tracking", "6A123"]],
            "it is shipped: its tracking number may still be needed to find the parcel",
        ),
        (
            [["orders", "mark", "1001", "cancelled"]],
            "it is cancelled: its shopper is still owed the payment back; refund it first",
        ),
    ],
)
def test_an_order_not_over_is_not_erased_and_the_command_exits_1(
    payment_env: PaymentEnv,
    desk: StreamReader,
    capsys: pytest.CaptureFixture[str],
    before: list[list[str]],
    reason: str,
) -> None:
    for command in before:
        assert main(command) == 0
    [stored] = payment_env.order_items("ORDER#", "ORDER")
    capsys.readouterr()

    assert main(["orders", "erase", "#1001", "--yes"]) == 1

    assert f"order #1001: personal data not erased: {reason}" in capsys.readouterr().err
    assert payment_env.order_items("ORDER#", "ORDER") == [stored]


def test_erasing_twice_or_naming_an_order_twice_counts_as_done(
    payment_env: PaymentEnv, desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    deliver_order()
    assert main(["orders", "erase", "1001", "#1001", "--yes"]) == 0
    assert capsys.readouterr().out.count("personal data erased") == 1

    assert main(["orders", "erase", "1001", "--yes"]) == 0
    assert "personal data already erased on" in capsys.readouterr().out


def test_an_order_with_a_history_longer_than_one_transaction_is_erased_whole(
    payment_env: PaymentEnv, desk: StreamReader
) -> None:
    # 50 tracking corrections, each with its history entry and shipping email: more items
    # than one transaction's 100.
    assert main(["orders", "ship", "1001", "--carrier", "Colissimo", "--tracking", "6A123"]) == 0
    for n in range(50):
        command = ["orders", "ship", "1001", "--carrier", "Colissimo", "--tracking", f"6A123{n}"]
        assert main([*command, "--correct"]) == 0
    assert main(["orders", "mark", "1001", "delivered"]) == 0

    assert main(["orders", "erase", "1001", "--yes"]) == 0

    assert "6A123" not in stored_text(payment_env)
    notes = [h["note"]["S"] for h in payment_env.order_items("ORDER#", "HISTORY#")]
    assert len(notes) == 54
    assert set(notes[:-1]) == {""}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["orders", "erase"], "expected order numbers or --email ADDRESS"),
        (["orders", "erase", "1001", "--email", EMAIL], "expected order numbers or --email"),
        (["orders", "erase", "--email", "claire"], 'expected an email address, got "claire"'),
        (
            ["orders", "erase", "--email", "nobody@example.org"],
            "--email nobody@example.org: no order placed with it in",
        ),
    ],
)
def test_erase_says_what_it_needs(
    payment_env: PaymentEnv,
    desk: StreamReader,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    assert main(args) == 1
    assert message in capsys.readouterr().err
