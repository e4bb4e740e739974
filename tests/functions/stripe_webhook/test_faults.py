"""Webhook and email faults: whatever fails, Stripe's redelivery or Lambda's retry ends consistent.

One order per paid session, its units sold once, its confirmation sent once.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.functions.faults import current_dynamodb_client, fail_aws
from tests.functions.payments import (
    FakeLambdaContext,
    PaymentEnv,
    RecordingStripeHttp,
    StreamReader,
    deliver,
    install_stripe,
    paid_checkout,
    run_email_function,
    stripe_event,
)

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")

SKU = "TRS-42-BLK"
SES_THROTTLED = {"Code": "Throttling", "Message": "Maximum sending rate exceeded."}


@pytest.fixture
def paid_event(payment_env: PaymentEnv) -> dict[str, Any]:
    """checkout.session.completed for one shoe out of 3, its units held."""
    payment_env.set_stock(SKU, 3)
    http = RecordingStripeHttp()
    install_stripe(http)
    event = stripe_event("checkout.session.completed", paid_checkout(payment_env, http, {SKU: 1}))
    assert payment_env.stock(SKU) == (2, 1, 0)
    return event


def assert_one_order_one_email(env: PaymentEnv, reader: StreamReader) -> None:
    """Exactly one order, its unit sold once, and (after the stream) one confirmation sent."""
    assert len(env.order_items("ORDER#", "ORDER")) == 1
    assert env.stock(SKU) == (2, 0, 1)
    assert [r["status"]["S"] for r in env.reservations()] == ["committed"]
    assert run_email_function(reader)["batchItemFailures"] == []
    assert len(env.sent_emails()) == 1
    [outbox] = env.order_items("ORDER#", "EMAIL#")
    assert outbox["email_status"]["S"] == "sent"


def test_a_webhook_that_dies_after_writing_the_order_is_redelivered_harmlessly(
    payment_env: PaymentEnv, paid_event: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from shop.adapters.dynamodb_orders import DynamoOrders  # the handler's own copy

    reader = StreamReader(payment_env)
    write = DynamoOrders.create_order

    def write_then_time_out(self: DynamoOrders, *args: Any, **kwargs: Any) -> None:
        write(self, *args, **kwargs)
        raise TimeoutError("Task timed out after 10.00 seconds")

    # Given the function is killed right after the order transaction went through
    monkeypatch.setattr(DynamoOrders, "create_order", write_then_time_out)
    status, body = deliver(paid_event)
    assert (status, body["error"]["code"]) == (500, "internal_error")

    # When Stripe delivers the event again (twice)
    monkeypatch.setattr(DynamoOrders, "create_order", write)
    again = [deliver(paid_event) for _ in range(2)]

    # Then it finds the order already recorded: one order, one sale, one email
    assert [(s, b["outcome"]) for s, b in again] == [(200, "already_done")] * 2
    assert_one_order_one_email(payment_env, reader)


def test_a_throttled_order_transaction_is_503_then_recorded_once_on_redelivery(
    payment_env: PaymentEnv, paid_event: dict[str, Any]
) -> None:
    reader = StreamReader(payment_env)
    with fail_aws(current_dynamodb_client(), "TransactWriteItems") as fault:
        status, body = deliver(paid_event)

    assert fault.failed == 1
    assert (status, body["error"]["code"]) == (503, "service_unavailable")
    assert payment_env.order_items("ORDER#", "ORDER") == []
    assert payment_env.stock(SKU) == (2, 1, 0)  # still held for the payment

    status, body = deliver(paid_event)
    assert (status, body["outcome"]) == (200, "recorded")
    assert_one_order_one_email(payment_env, reader)


def test_a_throttled_order_counter_is_503_and_writes_nothing(
    payment_env: PaymentEnv, paid_event: dict[str, Any]
) -> None:
    reader = StreamReader(payment_env)
    with fail_aws(current_dynamodb_client(), "UpdateItem"):
        status, body = deliver(paid_event)

    assert (status, body["error"]["code"]) == (503, "service_unavailable")
    assert payment_env.order_items("ORDER#", "ORDER") == []
    assert deliver(paid_event)[0] == 200
    assert_one_order_one_email(payment_env, reader)


def _ses_client() -> Any:
    from order_emails.app import email_context

    return email_context().mailer.client


def test_ses_throttling_fails_the_record_and_the_retry_sends_once(
    payment_env: PaymentEnv, paid_event: dict[str, Any]
) -> None:
    from order_emails.app import handler

    reader = StreamReader(payment_env)
    assert deliver(paid_event)[0] == 200
    records = reader.read()

    with fail_aws(_ses_client(), "SendRawEmail", error=SES_THROTTLED) as fault:
        first = handler({"Records": records}, FakeLambdaContext())

    assert fault.failed == 1
    assert len(first["batchItemFailures"]) == 1
    assert payment_env.sent_emails() == []
    [outbox] = payment_env.order_items("ORDER#", "EMAIL#")
    assert outbox["email_status"]["S"] == "pending"
    assert "Throttling" in outbox["last_error"]["S"]

    retry = handler({"Records": records}, FakeLambdaContext())
    assert retry["batchItemFailures"] == []
    assert_one_order_one_email(payment_env, reader)


def test_an_email_sent_but_not_marked_is_not_failed_for_a_retry_nor_sent_again_at_once(
    payment_env: PaymentEnv, paid_event: dict[str, Any]
) -> None:
    from order_emails.app import handler

    reader = StreamReader(payment_env)
    assert deliver(paid_event)[0] == 200
    records = reader.read()

    # SES accepts the email, then marking it sent fails (the claim is the first UpdateItem)
    with fail_aws(current_dynamodb_client(), "UpdateItem", after=1) as fault:
        first = handler({"Records": records}, FakeLambdaContext())
    assert fault.failed == 1
    # Not reported for a retry: a retry could only send it a second time.
    assert first["batchItemFailures"] == []
    assert len(payment_env.sent_emails()) == 1

    # A duplicate of the record (at-least-once delivery) cannot tell this attempt from
    # one that died mid-send: it waits for the claim to go stale, failing meanwhile.
    duplicate = handler({"Records": records}, FakeLambdaContext())
    later = run_email_function(reader)

    assert len(duplicate["batchItemFailures"]) == 1
    assert later["batchItemFailures"] == []
    assert len(payment_env.sent_emails()) == 1
    [outbox] = payment_env.order_items("ORDER#", "EMAIL#")
    assert outbox["email_status"]["S"] == "sending"


def test_an_order_number_already_taken_moves_on_to_the_next_not_a_stock_conflict(
    payment_env: PaymentEnv, paid_event: dict[str, Any]
) -> None:
    # After a restore from a backup the counter can be behind the orders: #1001 exists.
    # That conflict was taken for a stock shortage and retried with the same number
    # until the webhook failed, leaving a paid order unrecorded.
    payment_env.dynamodb.put_item(
        TableName=payment_env.tables["ORDERS_TABLE"],
        Item={"pk": {"S": "ORDER#1001"}, "sk": {"S": "ORDER"}, "restored": {"BOOL": True}},
    )

    assert deliver(paid_event)[0] == 200

    orders = {item["pk"]["S"]: item for item in payment_env.order_items("ORDER#", "ORDER")}
    assert orders["ORDER#1001"] == {
        "pk": {"S": "ORDER#1001"}, "sk": {"S": "ORDER"}, "restored": {"BOOL": True}
    }  # fmt: skip
    assert orders["ORDER#1002"]["status"]["S"] == "paid"
    assert orders["ORDER#1002"]["flags"] == {"L": []}  # no stock_short: nothing was short
    assert payment_env.stock(SKU) == (2, 0, 1)
