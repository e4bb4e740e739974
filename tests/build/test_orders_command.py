"""`python build.py orders …` on moto: list, show, ship (queues the email), mark, refund."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from shop.adapters.dynamodb_orders import DynamoOrders
from shop.adapters.dynamodb_reservations import DynamoReservations
from shop.orders import OrderStatus

from storefront.cli import main
from storefront.commands import order_desk
from storefront.commands import orders as orders_command
from storefront.devserver.tables import INVENTORY, ORDERS, RESERVATIONS
from tests.functions.payments import (
    SENDER,
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


@pytest.fixture
def local_desk(desk: StreamReader, monkeypatch: pytest.MonkeyPatch) -> StreamReader:
    """The same order, with the tables taken for the local shop's (paid in the stand-in)."""
    as_found = order_desk.resolve_desk
    monkeypatch.setattr(
        orders_command,
        "resolve_desk",
        lambda args: replace(as_found(args), stand_in_payments=True),
    )
    return desk


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
    refused = capsys.readouterr().err.splitlines()
    assert "cannot go from shipped to shipped" in refused[0]
    assert refused[1] == (
        "  to correct its tracking: python build.py "
        "orders ship 1001 --carrier NAME --tracking NUMBER --correct"
    )

    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "shipped"
    assert order["tracking"]["M"]["number"]["S"] == "6A123"
    assert subjects(payment_env, desk) == [
        "Your order #1001 is confirmed",
        "Your order #1001 is on its way",
    ]


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--carrier", "Colis\nsimo"),
        ("--tracking", "6A1\t23"),
        ("--tracking", "6A1" * 30),
    ],
)
def test_ship_refuses_a_carrier_or_tracking_number_the_email_could_not_show(
    payment_env: PaymentEnv,
    desk: StreamReader,
    capsys: pytest.CaptureFixture[str],
    flag: str,
    value: str,
) -> None:
    given = {"--carrier": "Colissimo", "--tracking": "6A123", flag: value}

    assert main(["orders", "ship", "1001", *[a for pair in given.items() for a in pair]]) == 1

    error = capsys.readouterr().err
    assert error.startswith(f"orders ship: {flag}: expected ")
    assert "on one line, at most 80 characters" in error
    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "paid"


def test_an_order_number_is_written_with_one_hash_at_most(
    desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["orders", "show", "##1001"]) == 1
    assert 'expected a number like 1042, got "##1001"' in capsys.readouterr().err


def test_mark_moves_along_the_state_machine_only(
    payment_env: PaymentEnv, desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["orders", "mark", "1001", "preparing"]) == 0
    assert main(["orders", "mark", "1001", "delivered"]) == 1
    # Each move it may make instead comes with the command that makes it: `mark` cannot
    # ship or refund.
    assert capsys.readouterr().err.splitlines() == [
        "orders mark: order #1001: cannot go from preparing to delivered; "
        "allowed: cancelled, refunded, shipped",
        "  to make it cancelled: python build.py orders mark 1001 cancelled",
        "  to make it refunded: python build.py orders refund 1001",
        "  to make it shipped: python build.py orders ship 1001 --carrier NAME --tracking NUMBER",
    ]
    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "preparing"


def test_local_refund_marks_refunded_restocks_and_queues_the_refund_email(
    payment_env: PaymentEnv, local_desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["orders", "refund", "1001"]) == 0
    assert "refunded 94.80 EUR" in capsys.readouterr().out
    assert main(["orders", "refund", "1001"]) == 0
    assert "already refunded" in capsys.readouterr().out

    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "refunded"
    assert payment_env.stock(SKU) == (3, 0, 0)
    assert subjects(payment_env, local_desk) == [
        "Your order #1001 is confirmed",
        "Your refund for order #1001",
    ]


def test_an_order_paid_in_the_stand_in_is_refunded_locally_whatever_key_the_shell_holds(
    payment_env: PaymentEnv,
    local_desk: StreamReader,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The operator's shell has a live key for other work: Stripe was asked to refund a
    # payment only the stand-in ever saw, and the refund failed with Stripe's words.
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_from_the_shell")
    monkeypatch.setenv("STRIPE_API_BASE", "http://127.0.0.1:9")  # nothing listens

    assert main(["orders", "refund", "1001"]) == 0

    assert "refunded 94.80 EUR (local, no Stripe)" in capsys.readouterr().out
    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "refunded"


def test_refunding_an_order_of_the_stacks_tables_without_a_stripe_key_changes_nothing(
    payment_env: PaymentEnv, desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    # Recorded without Stripe, the shopper would be told of a refund that never left.
    assert main(["orders", "refund", "1001"]) == 1
    err = capsys.readouterr().err
    assert "order #1001: the refund must go through Stripe (its payment is at Stripe" in err
    assert "expected STRIPE_SECRET_KEY, or STRIPE_SECRET_KEY_PARAM" in err

    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "paid"
    assert payment_env.stock(SKU) == (2, 0, 1)
    assert subjects(payment_env, desk) == ["Your order #1001 is confirmed"]


def test_unknown_order_exits_1_naming_it(
    payment_env: PaymentEnv, desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["orders", "show", "4242"]) == 1
    assert "order #4242: not found" in capsys.readouterr().err
    assert main(["orders", "show", "abc"]) == 1
    assert 'expected a number like 1042, got "abc"' in capsys.readouterr().err


@pytest.mark.parametrize("number", ["²", "#１００１", "١٠٠١", "", "#"])
def test_an_order_number_in_other_digits_is_refused_not_a_traceback(
    number: str, payment_env: PaymentEnv, desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["orders", "show", number]) == 1
    assert f'orders show: order: expected a number like 1042, got "{number}"' in (
        capsys.readouterr().err
    )


def add_orders_like_the_first(env: PaymentEnv, count: int, status: OrderStatus) -> None:
    """Record `count` newer copies of order #1001 (#1002, …) with the given status."""
    reservations = DynamoReservations(env.dynamodb, RESERVATIONS.name, INVENTORY.name)
    orders = DynamoOrders(env.dynamodb, ORDERS.name, reservations)
    found = orders.get_order("1001")
    assert found is not None
    for number in range(1002, 1002 + count):
        copy = replace(
            found[0],
            order_id=str(number),
            number=number,
            session_id=f"cs_test_copy_{number}",
            payment_intent=f"pi_copy_{number}",
            status=status,
        )
        orders.create_order(
            copy, reservation=None, late_lines=None, event_id=None, event_type="test"
        )


def test_list_by_status_finds_older_orders_behind_many_newer_ones(
    payment_env: PaymentEnv, desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the one paid order #1001 behind five newer orders being prepared
    add_orders_like_the_first(payment_env, 5, OrderStatus.PREPARING)

    assert main(["orders", "list", "--status", "paid", "--limit", "1", "--json"]) == 0
    [paid] = json.loads(capsys.readouterr().out)
    assert paid["status"] == "paid"
    assert paid["number"] == "#1001"

    assert main(["orders", "list", "--status", "preparing", "--limit", "2", "--json"]) == 0
    assert [o["number"] for o in json.loads(capsys.readouterr().out)] == ["#1006", "#1005"]


@pytest.mark.parametrize("limit", ["0", "-3", "ten"])
def test_list_limit_must_be_a_positive_whole_number(
    limit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["orders", "list", "--limit", limit])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f'--limit: expected a whole number of orders, 1 or more, got "{limit}"' in err


@pytest.mark.parametrize(
    ("carrier", "tracking", "named"),
    [("", "6A123", "--carrier"), ("Colissimo", "  ", "--tracking"), ("\t", "", "--carrier")],
)
def test_ship_refuses_a_blank_carrier_or_tracking_number(
    carrier: str,
    tracking: str,
    named: str,
    payment_env: PaymentEnv,
    desk: StreamReader,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["orders", "ship", "1001", "--carrier", carrier, "--tracking", tracking]) == 1
    assert f"orders ship: {named}: expected" in capsys.readouterr().err
    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "paid"
    queued = [item["kind"]["S"] for item in payment_env.order_items("ORDER#", "EMAIL#")]
    assert queued == ["confirmation"]


@pytest.fixture
def unreachable_aws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The three tables named, a region, and no credentials anywhere (no network either)."""
    for var in ("ORDERS_TABLE", "RESERVATIONS_TABLE", "INVENTORY_TABLE"):
        monkeypatch.setenv(var, f"shop-{var.lower()}")
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.chdir(tmp_path)
    return monkeypatch


@pytest.mark.parametrize(
    "argv",
    [["orders", "list"], ["orders", "show", "1001"], ["orders", "mark", "1001", "preparing"]],
)
def test_without_aws_credentials_orders_commands_print_one_line_not_a_traceback(
    argv: list[str], unreachable_aws: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"orders {argv[1]}: orders: ")
    assert "Unable to locate credentials" in err
    assert len(err.strip().splitlines()) == 1


def test_an_unreachable_endpoint_is_reported_as_the_store_being_unavailable(
    unreachable_aws: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    unreachable_aws.setenv("AWS_ACCESS_KEY_ID", "testing")
    unreachable_aws.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    unreachable_aws.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    unreachable_aws.setenv("AWS_MAX_ATTEMPTS", "1")

    assert main(["orders", "list"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("orders list: orders: scan failed (Could not connect to the endpoint")


@pytest.mark.parametrize(
    ("named", "missing"),
    [
        (["ORDERS_TABLE"], "RESERVATIONS_TABLE, INVENTORY_TABLE"),
        (["ORDERS_TABLE", "INVENTORY_TABLE"], "RESERVATIONS_TABLE"),
        (["RESERVATIONS_TABLE"], "ORDERS_TABLE, INVENTORY_TABLE"),
    ],
)
def test_some_but_not_all_table_variables_are_refused_naming_the_missing_ones(
    named: list[str],
    missing: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given a local shop running in this folder, which the command must not fall back to
    from storefront.devserver import aws

    monkeypatch.chdir(tmp_path)
    for var in ("ORDERS_TABLE", "RESERVATIONS_TABLE", "INVENTORY_TABLE"):
        monkeypatch.delenv(var, raising=False)
    for var in named:
        monkeypatch.setenv(var, f"shop-{var.lower()}")
    monkeypatch.setattr(aws, "find_local_aws", lambda _: pytest.fail("fell back to the local shop"))

    assert main(["orders", "list"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"orders list: {missing}: not set")
    assert ", ".join(named) in err


def test_cancelling_a_paid_order_says_it_is_not_refunded_and_how_to_refund_it(
    payment_env: PaymentEnv, local_desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["orders", "mark", "1001", "cancelled"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("order #1001: cancelled")
    assert "the payment of 94.80 EUR is not refunded" in printed
    assert "its units are not back in stock" in printed
    assert "run `python build.py orders refund 1001`" in printed
    assert payment_env.stock(SKU) == (2, 0, 1)

    # The refund it points to does what the warning says is missing.
    assert main(["orders", "refund", "1001"]) == 0
    assert payment_env.stock(SKU) == (3, 0, 0)
    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "refunded"


def test_resend_queues_an_email_that_failed_and_the_email_function_sends_it_once(
    payment_env: PaymentEnv,
    desk: StreamReader,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # SES refused the shipping email (a sandbox, an identity lost): its stream record
    # is spent (retries, then the dead-letter queue) and the item waits, unsent.
    payment_env.ses.delete_identity(Identity=SENDER)
    assert main(["orders", "ship", "1001", "--carrier", "Colissimo", "--tracking", "6A1"]) == 0
    assert len(run_email_function(desk)["batchItemFailures"]) == 1
    # The function's log names the order, the email and the cause, as an error
    [failed] = [r for r in caplog.records if r.getMessage() == "order email failed"]
    assert failed.levelname == "ERROR"
    assert (failed.order_id, failed.kind) == ("1001", "shipping")  # type: ignore[attr-defined]
    assert failed.error == "MessageRejected"  # type: ignore[attr-defined]
    # `show` tells the operator which email failed and why (SES's words)
    capsys.readouterr()
    assert main(["orders", "show", "1001"]) == 0
    shown = capsys.readouterr().out
    assert main(["orders", "show", "1001", "--json"]) == 0
    emails = json.loads(capsys.readouterr().out)["emails"]
    assert [(e["kind"], e["status"]) for e in emails] == [
        ("confirmation", "sent"),
        ("shipping", "pending"),
    ]
    assert "MessageRejected" in emails[1]["last_error"]
    assert f"last error: {emails[1]['last_error']}" in shown
    payment_env.ses.verify_email_identity(EmailAddress=SENDER)  # the operator fixes SES
    capsys.readouterr()

    assert main(["orders", "resend", "1001"]) == 0
    assert "shipping email to claire@example.org queued again (it was pending)" in (
        capsys.readouterr().out
    )
    assert subjects(payment_env, desk) == [
        "Your order #1001 is confirmed",
        "Your order #1001 is on its way",
    ]
    # Nothing is left to send; the confirmation can be sent again on request.
    assert main(["orders", "resend", "1001"]) == 1
    assert "every email was sent" in capsys.readouterr().err
    assert main(["orders", "resend", "1001", "--kind", "confirmation"]) == 0
    assert subjects(payment_env, desk)[-1] == "Your order #1001 is confirmed"
    assert len(payment_env.sent_emails()) == 3


def test_show_gives_a_pickup_orders_collection_point_not_a_delivery_address(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from shop.money import Money
    from shop.orders import ShippingChoice

    from storefront.commands.order_output import print_order
    from tests.functions.order_emails.test_email_content import make_order

    counter = ("Northwind Annecy", "3 place Saint-Maurice", "74000 Annecy")
    pickup = ShippingChoice(
        "pickup", "pickup", "Pick up in store", Money(0, "EUR"), 0, 1, address=counter
    )

    print_order(make_order(shipping=pickup))

    shown = capsys.readouterr().out.splitlines()
    assert "  collect   Northwind Annecy / 3 place Saint-Maurice / 74000 Annecy" in shown
    assert "  customer  Claire Martin / 3 rue Royale / 74000 Annecy / FR" in shown
    assert not [line for line in shown if "ship to" in line]


def test_list_says_when_no_order_matches(
    desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["orders", "list", "--status", "shipped"]) == 0
    assert capsys.readouterr().out == "no shipped orders\n"


def test_a_shipped_orders_tracking_is_corrected_and_the_shopper_emailed_the_new_one(
    payment_env: PaymentEnv, desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an order shipped with a typo in its tracking number
    assert main(["orders", "ship", "1001", "--carrier", "Colissimo", "--tracking", "6A12"]) == 0
    capsys.readouterr()

    # When the merchant corrects it
    corrected = ["--carrier", "Chronopost", "--tracking", "XY987", "--correct"]
    assert main(["orders", "ship", "1001", *corrected]) == 0

    # Then the order stays shipped with the new number, noted in its history
    assert capsys.readouterr().out == (
        "order #1001: tracking corrected to Chronopost XY987; shipping email with it queued\n"
    )
    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "shipped"
    assert order["tracking"]["M"]["number"]["S"] == "XY987"
    history = payment_env.order_items("ORDER#", "HISTORY#")
    assert history[-1]["note"]["S"] == "tracking corrected: Chronopost XY987"
    assert history[-1]["status"]["S"] == "shipped"
    # And the shopper gets a shipping email with the corrected number
    assert subjects(payment_env, desk) == [
        "Your order #1001 is confirmed",
        "Your order #1001 is on its way",
        "Your order #1001 is on its way",
    ]
    assert "XY987" in str(payment_env.sent_emails()[-1])


def test_tracking_is_corrected_only_on_a_shipped_order(
    payment_env: PaymentEnv, desk: StreamReader, capsys: pytest.CaptureFixture[str]
) -> None:
    corrected = ["--carrier", "Chronopost", "--tracking", "XY987", "--correct"]

    assert main(["orders", "ship", "1001", *corrected]) == 1

    assert "only a shipped order's tracking can be corrected" in capsys.readouterr().err
    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert (order["status"]["S"], "tracking" in order) == ("paid", False)
