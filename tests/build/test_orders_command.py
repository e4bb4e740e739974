"""`python build.py orders …` on moto: list, show, ship (queues the email), mark, refund."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storefront.cli import main
from tests.functions.payments import (
    PaymentEnv,
    RecordingStripeHttp,
    StreamReader,
    deliver,
    install_stripe,
    paid_checkout,
    payment_env,
    run_email_function,
    stripe_event,
)

__all__ = ["payment_env"]  # the fixture, imported for pytest

SKU = "TRS-42-BLK"


@pytest.fixture
def desk(payment_env: PaymentEnv, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> StreamReader:
    """One paid order #1001 in the tables named by the environment; no Stripe key."""
    payment_env.set_stock(SKU, 3)
    http = RecordingStripeHttp()
    install_stripe(http)
    reader = StreamReader(payment_env)
    deliver(stripe_event("checkout.session.completed", paid_checkout(payment_env, http, {SKU: 1})))
    run_email_function(reader)
    monkeypatch.delenv("STRIPE_SECRET_KEY")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "catalog.json").write_bytes(payment_env.snapshot_path.read_bytes())
    return reader


def subjects(env: PaymentEnv, reader: StreamReader) -> list[str]:
    run_email_function(reader)
    return [str(m["Subject"]).split(" — ")[0] for m in env.sent_emails()]


def test_list_and_show_print_the_order(
    payment_env: PaymentEnv, desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["orders", "list"]) == 0
    listing = capsys.readouterr().out
    assert "#1001" in listing
    assert "paid" in listing
    assert "claire@example.org" in listing

    assert main(["orders", "show", "#1001"]) == 0
    shown = capsys.readouterr().out
    assert "Order #1001  paid" in shown
    assert "1 × TRS-42-BLK" in shown
    assert "Claire Martin / 3 rue Royale / 74000 Annecy / FR" in shown

    assert main(["orders", "show", "1001", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "paid"


def test_ship_records_tracking_and_sends_the_shipping_email_once(
    payment_env: PaymentEnv, desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["orders", "ship", "1001", "--carrier", "Colissimo", "--tracking", "6A123"]) == 0
    assert "shipped with Colissimo 6A123" in capsys.readouterr().out

    assert main(["orders", "ship", "1001", "--carrier", "Colissimo", "--tracking", "6A123"]) == 1
    assert "cannot go from shipped to shipped" in capsys.readouterr().err

    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "shipped"
    assert order["tracking"]["M"]["number"]["S"] == "6A123"
    assert subjects(payment_env, desk) == [
        "Your order #1001 is confirmed",
        "Your order #1001 is on its way",
    ]


def test_mark_moves_along_the_state_machine_only(
    payment_env: PaymentEnv, desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["orders", "mark", "1001", "preparing"]) == 0
    assert main(["orders", "mark", "1001", "delivered"]) == 1
    assert "cannot go from preparing to delivered" in capsys.readouterr().err
    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "preparing"


def test_local_refund_marks_refunded_restocks_and_queues_the_refund_email(
    payment_env: PaymentEnv, desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["orders", "refund", "1001"]) == 0
    assert "refunded 94.80 EUR" in capsys.readouterr().out
    assert main(["orders", "refund", "1001"]) == 0
    assert "already refunded" in capsys.readouterr().out

    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "refunded"
    assert payment_env.stock(SKU) == (3, 0, 0)
    assert subjects(payment_env, desk) == [
        "Your order #1001 is confirmed",
        "Your refund for order #1001",
    ]


def test_unknown_order_exits_1_naming_it(
    payment_env: PaymentEnv, desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["orders", "show", "4242"]) == 1
    assert "order #4242: not found" in capsys.readouterr().err
    assert main(["orders", "show", "abc"]) == 1
    assert 'expected a number like 1042, got "abc"' in capsys.readouterr().err
