"""`python build.py orders erase` on moto: a shopper's personal data out of their orders (GDPR)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storefront.cli import main
from tests.build.test_orders_command import desk, local_desk, subjects
from tests.functions.orders.test_orders_api import get
from tests.functions.payments import PaymentEnv, StreamReader, payment_env

__all__ = ["desk", "local_desk", "payment_env"]  # the fixtures, imported for pytest

EMAIL = "claire@example.org"


def order_page_status(order: dict[str, Any]) -> int:
    """What the order status page's function answers for the order's own link."""
    status, _ = get("/api/orders/1001", {"t": order["access_token"]["S"]})
    return status


def test_a_shipped_orders_personal_data_is_erased_and_its_accounts_kept(
    payment_env: PaymentEnv,
    desk: StreamReader,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    assert main(["orders", "ship", "1001", "--carrier", "Colissimo", "--tracking", "6A123"]) == 0
    [before] = payment_env.order_items("ORDER#", "ORDER")
    assert order_page_status(before) == 200
    capsys.readouterr()

    # Without --yes, it only says what it would erase
    assert main(["orders", "erase", "--email", "Claire@Example.org"]) == 0
    dry = capsys.readouterr().out
    assert "order #1001 (shipped" in dry
    assert f"would erase {EMAIL}, Claire Martin, 3 rue Royale, 74000 Annecy" in dry
    assert "run the same command with --yes" in dry
    assert payment_env.order_items("ORDER#", "ORDER") == [before]

    assert main(["orders", "erase", "--email", EMAIL, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "order #1001: personal data erased" in out
    assert "Stripe keeps its own copy" in out

    [order] = payment_env.order_items("ORDER#", "ORDER")
    stored = json.dumps(payment_env.items(payment_env.tables["ORDERS_TABLE"]))
    for personal in ("claire", "Claire", "Martin", "rue Royale", "Annecy", "74000", "6A123"):
        assert personal not in stored, personal
    # What the accounts need stays: number, amounts, lines, status, destination country
    assert (order["number"], order["total"]) == (before["number"], before["total"])
    assert order["lines"] == before["lines"]
    assert order["status"]["S"] == "shipped"
    assert order["address"]["M"]["country"]["S"] == "FR"
    assert order["tracking"]["M"]["carrier"]["S"] == "Colissimo"
    assert "erased_at" in order
    history = payment_env.order_items("ORDER#", "HISTORY#")
    assert [h["note"]["S"] for h in history][-1] == "personal data erased"
    emails = payment_env.order_items("ORDER#", "EMAIL#")
    assert {e["to"]["S"] for e in emails} == {""}
    # The pending shipping email is never sent; the status page no longer shows the order
    assert {e["email_status"]["S"] for e in emails} == {"sent", "erased"}
    assert subjects(payment_env, desk) == ["Your order #1001 is confirmed"]
    assert order_page_status(order) == 404
    assert main(["orders", "show", "1001"]) == 0
    assert "Claire" not in capsys.readouterr().out


def test_an_erased_order_sends_no_more_emails(
    payment_env: PaymentEnv, local_desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    # Paid in the local stand-in: the refund is recorded here, and would email the shopper.
    assert main(["orders", "ship", "1001", "--carrier", "Colissimo", "--tracking", "6A123"]) == 0
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


def test_an_order_still_to_send_is_not_erased_and_the_command_exits_1(
    payment_env: PaymentEnv, desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    [before] = payment_env.order_items("ORDER#", "ORDER")

    assert main(["orders", "erase", "#1001", "--yes"]) == 1

    out = capsys.readouterr().out
    assert "order #1001: personal data not erased: it is paid" in out
    assert "ship it or cancel it (and refund it) first" in out
    assert payment_env.order_items("ORDER#", "ORDER") == [before]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["orders", "erase"], "expected order numbers or --email ADDRESS"),
        (["orders", "erase", "1001", "--email", EMAIL], "expected order numbers or --email"),
        (["orders", "erase", "--email", "claire"], 'expected an email address, got "claire"'),
        (["orders", "erase", "--email", "nobody@example.org"], "no order to erase"),
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
