"""The email function: every outbox email leaves exactly once, even when SES fails for a while."""

from __future__ import annotations

import time

import pytest
from shop.adapters.dynamodb_outbox import CLAIM_TIMEOUT_SECONDS, DynamoOutbox
from shop.orders import Claim

from tests.functions.payments import (
    SENDER,
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

SKU = "TRS-42-BLK"


@pytest.fixture
def paid_order(payment_env: PaymentEnv) -> StreamReader:
    """One paid order whose confirmation waits in the outbox; returns the stream reader."""
    payment_env.set_stock(SKU, 3)
    http = RecordingStripeHttp()
    install_stripe(http)
    session = paid_checkout(payment_env, http, {SKU: 1})
    reader = StreamReader(payment_env)
    status, _ = deliver(stripe_event("checkout.session.completed", session))
    assert status == 200
    return reader


def outbox(env: PaymentEnv) -> list[dict[str, str]]:
    """(kind, status) of every outbox item."""
    return [
        {"kind": item["kind"]["S"], "status": item["email_status"]["S"]}
        for item in env.order_items("ORDER#", "EMAIL#")
    ]


def test_ses_failure_reports_the_record_keeps_the_email_and_the_retry_sends_it_once(
    payment_env: PaymentEnv, paid_order: StreamReader
) -> None:
    # Given SES refuses to send (the sender identity is not verified)
    payment_env.ses.delete_identity(Identity=SENDER)
    records = paid_order.read()

    # When the email function runs on the stream batch
    from order_emails.app import handler

    from tests.functions.payments import FakeLambdaContext

    first = handler({"Records": records}, FakeLambdaContext())

    # Then the batch item is reported for a retry, the email is pending, nothing left
    assert [f["itemIdentifier"] for f in first["batchItemFailures"]] != []
    assert outbox(payment_env) == [{"kind": "confirmation", "status": "pending"}]
    assert payment_env.sent_emails() == []

    # When SES works again and Lambda retries the same records (plus the new ones)
    payment_env.ses.verify_email_identity(EmailAddress=SENDER)
    retry = handler({"Records": records}, FakeLambdaContext())
    later = run_email_function(paid_order)

    # Then the email left exactly once
    assert retry["batchItemFailures"] == []
    assert later["batchItemFailures"] == []
    assert outbox(payment_env) == [{"kind": "confirmation", "status": "sent"}]
    assert len(payment_env.sent_emails()) == 1


def test_a_claim_abandoned_mid_send_is_taken_again_after_the_timeout(
    payment_env: PaymentEnv, paid_order: StreamReader
) -> None:
    [item] = payment_env.order_items("ORDER#", "EMAIL#")
    pk, sk = item["pk"]["S"], item["sk"]["S"]
    store = DynamoOutbox(payment_env.dynamodb, payment_env.tables["ORDERS_TABLE"])

    assert store.claim(pk, sk, now=1_000_000) is Claim.TAKEN
    assert store.claim(pk, sk, now=1_000_000 + 10) is Claim.IN_FLIGHT  # someone is sending it
    assert store.claim(pk, sk, now=1_000_000 + CLAIM_TIMEOUT_SECONDS + 1) is Claim.TAKEN
    store.mark_sent(pk, sk, "msg-1")
    assert store.claim(pk, sk, now=2_000_000) is Claim.DONE  # sent is final
    assert store.claim(pk, "EMAIL#no-such-email") is Claim.DONE


def test_an_email_whose_sender_died_mid_send_is_retried_until_it_leaves(
    payment_env: PaymentEnv, paid_order: StreamReader
) -> None:
    from order_emails.app import handler

    records = paid_order.read()
    [item] = payment_env.order_items("ORDER#", "EMAIL#")
    pk, sk = item["pk"]["S"], item["sk"]["S"]
    store = DynamoOutbox(payment_env.dynamodb, payment_env.tables["ORDERS_TABLE"])
    # Given an attempt claimed the email, then Lambda stopped it (a timeout during the send)
    died_at = int(time.time())
    assert store.claim(pk, sk, now=died_at) is Claim.TAKEN

    # When Lambda retries the record while that claim is fresh
    retry = handler({"Records": records}, FakeLambdaContext())

    # Then the record fails again (reported as done, nothing would ever send it)
    [email_record] = [
        r for r in records if r["dynamodb"].get("NewImage", {}).get("sk", {}).get("S") == sk
    ]
    assert [f["itemIdentifier"] for f in retry["batchItemFailures"]] == [
        email_record["dynamodb"]["SequenceNumber"]
    ]
    assert payment_env.sent_emails() == []
    assert outbox(payment_env) == [{"kind": "confirmation", "status": "sending"}]

    # And once the dead attempt's claim is stale, the next retry sends it once
    payment_env.dynamodb.update_item(
        TableName=payment_env.tables["ORDERS_TABLE"],
        Key={"pk": {"S": pk}, "sk": {"S": sk}},
        UpdateExpression="SET claimed_at = :then",
        ExpressionAttributeValues={":then": {"N": str(died_at - CLAIM_TIMEOUT_SECONDS - 1)}},
    )
    later = handler({"Records": records}, FakeLambdaContext())
    assert later["batchItemFailures"] == []
    assert outbox(payment_env) == [{"kind": "confirmation", "status": "sent"}]
    assert len(payment_env.sent_emails()) == 1


def test_an_email_that_keeps_failing_does_not_trigger_itself_again(
    payment_env: PaymentEnv, paid_order: StreamReader
) -> None:
    # Given SES refuses every send
    payment_env.ses.delete_identity(Identity=SENDER)

    # When the function runs on the outbox item's record, then on every record its
    # own writes add to the stream (the claim, the give-back), as Lambda would
    first = run_email_function(paid_order)
    after_own_writes = [run_email_function(paid_order) for _ in range(3)]

    # Then only the original record failed (Lambda retries it, then the dead-letter
    # queue); the give-back back to `pending` started no new attempt
    assert len(first["batchItemFailures"]) == 1
    assert all(result["batchItemFailures"] == [] for result in after_own_writes)
    [item] = payment_env.order_items("ORDER#", "EMAIL#")
    assert item["email_status"]["S"] == "pending"
    assert item["attempts"]["N"] == "1"
    assert payment_env.sent_emails() == []


def test_a_batch_whose_every_email_failed_names_no_recipient_in_its_error(
    payment_env: PaymentEnv, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a batch of outbox emails only (as the stream's filter passes them), and SES
    # refusing with words that name the recipient (its sandbox does)
    from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
    from shop.adapters import ses_mailer
    from shop.emails import OutgoingEmail
    from shop.errors import StoreUnavailableError

    payment_env.set_stock(SKU, 3)
    http = RecordingStripeHttp()
    install_stripe(http)
    reader = StreamReader(payment_env)
    session = paid_checkout(payment_env, http, {SKU: 1}, email="claire.martin@example.org")
    assert deliver(stripe_event("checkout.session.completed", session))[0] == 200
    records = [
        r
        for r in reader.read()
        if r["eventName"] == "INSERT" and r["dynamodb"]["NewImage"]["sk"]["S"].startswith("EMAIL#")
    ]
    assert records

    def refuse(self: object, message: OutgoingEmail) -> str:
        raise StoreUnavailableError(
            "ses", "send_raw_email", f"Email address is not verified: {message.to}"
        )

    monkeypatch.setattr(ses_mailer.SesMailer, "send", refuse)
    from order_emails.app import handler

    # When the function runs: the whole batch failed, so Lambda must retry it
    with pytest.raises(BatchProcessingError) as raised:
        handler({"Records": records}, FakeLambdaContext())

    # Then neither the error the runtime logs nor the function's own logs name the
    # shopper; the outbox item keeps SES's words for the operator
    assert "claire.martin@example.org" not in str(raised.value)
    assert "claire.martin@example.org" not in capsys.readouterr().out
    assert outbox(payment_env) == [{"kind": "confirmation", "status": "pending"}]
    last_errors = [
        i.get("last_error", {}).get("S", "") for i in payment_env.order_items("ORDER#", "EMAIL#")
    ]
    assert any("claire.martin@example.org" in error for error in last_errors)
