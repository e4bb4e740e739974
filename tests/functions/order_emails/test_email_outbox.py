"""Sending a queued order email once: claim, send, mark sent, or give it back (no emulator)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

import pytest
from shop.email_outbox import (
    EmailInFlightError,
    OrderEmailError,
    QueuedEmail,
    send_queued_email,
)
from shop.emails import OutgoingEmail
from shop.errors import StoreUnavailableError
from shop.orders import Claim, EmailKind, Order

from tests.functions.order_emails.test_email_content import SHOP, make_order

EMAIL = QueuedEmail("ORDER#1042", "EMAIL#confirmation#evt_1", EmailKind.CONFIRMATION, "1042")


@dataclass
class FakeOutbox:
    """The outbox's answers and what was asked of it."""

    claim_answer: Claim = Claim.TAKEN
    refuse_mark_sent: bool = False
    sent: list[tuple[str, str, str]] = field(default_factory=list)
    given_back: list[tuple[str, str, str]] = field(default_factory=list)
    discarded: list[tuple[str, str]] = field(default_factory=list)

    def claim(self, pk: str, sk: str) -> Claim:
        return self.claim_answer

    def mark_sent(self, pk: str, sk: str, message_id: str) -> None:
        if self.refuse_mark_sent:
            raise StoreUnavailableError("orders", "mark email sent", "throttled")
        self.sent.append((pk, sk, message_id))

    def give_back(self, pk: str, sk: str, error: str) -> None:
        self.given_back.append((pk, sk, error))

    def discard(self, pk: str, sk: str) -> None:
        self.discarded.append((pk, sk))


@dataclass
class FakeMailer:
    """Sends into a list, or refuses with the words a mail service would use."""

    refusal: str | None = None
    messages: list[OutgoingEmail] = field(default_factory=list)

    def send(self, message: OutgoingEmail) -> str:
        if self.refusal is not None:
            raise RuntimeError(self.refusal)
        self.messages.append(message)
        return f"msg-{len(self.messages)}"


class OrdersOf:
    """The orders there are, by id (version 1 each)."""

    def __init__(self, *orders: Order) -> None:
        self.by_id = {order.order_id: order for order in orders}

    def get_order(self, order_id: str) -> tuple[Order, int] | None:
        found = self.by_id.get(order_id)
        return (found, 1) if found else None


def test_a_claimed_email_is_composed_from_the_order_sent_and_marked_sent() -> None:
    outbox, mailer = FakeOutbox(), FakeMailer()

    assert send_queued_email(OrdersOf(make_order()), outbox, mailer, SHOP, EMAIL) is True

    [message] = mailer.messages
    assert (message.to, message.subject) == (
        "claire@example.org",
        "Your order #1042 is confirmed — Northwind Outfitters",
    )
    assert outbox.sent == [(EMAIL.pk, EMAIL.sk, "msg-1")]
    assert outbox.given_back == []


def test_an_email_of_an_order_whose_shopper_was_erased_is_closed_unsent() -> None:
    # Queued again by a resend that raced the erasure: its copy still names the shopper.
    outbox, mailer = FakeOutbox(), FakeMailer()
    erased = replace(make_order(), email="", erased_at="2027-01-05T10:00:00+00:00")

    assert send_queued_email(OrdersOf(erased), outbox, mailer, SHOP, EMAIL) is False

    assert (mailer.messages, outbox.sent, outbox.given_back) == ([], [], [])
    assert outbox.discarded == [(EMAIL.pk, EMAIL.sk)]


def test_an_email_sent_or_superseded_is_not_sent_again() -> None:
    outbox, mailer = FakeOutbox(claim_answer=Claim.DONE), FakeMailer()

    assert send_queued_email(OrdersOf(make_order()), outbox, mailer, SHOP, EMAIL) is False
    assert (mailer.messages, outbox.sent) == ([], [])


def test_an_email_another_attempt_is_sending_is_left_to_a_retry() -> None:
    outbox, mailer = FakeOutbox(claim_answer=Claim.IN_FLIGHT), FakeMailer()

    with pytest.raises(EmailInFlightError, match="another attempt is sending it"):
        send_queued_email(OrdersOf(make_order()), outbox, mailer, SHOP, EMAIL)
    assert (mailer.messages, outbox.sent, outbox.given_back) == ([], [], [])


def test_a_refused_send_is_given_back_with_why_and_logged_without_the_services_words(
    caplog: pytest.LogCaptureFixture,
) -> None:
    refusal = "Email address is not verified: claire@example.org"
    outbox, mailer = FakeOutbox(), FakeMailer(refusal=refusal)

    with caplog.at_level(logging.ERROR), pytest.raises(OrderEmailError) as raised:
        send_queued_email(
            OrdersOf(make_order()),
            outbox,
            mailer,
            SHOP,
            EMAIL,
            describe=lambda exc: "MessageRejected",
        )

    # The outbox keeps the words for `orders show`; the error and the log only the code.
    assert outbox.given_back == [(EMAIL.pk, EMAIL.sk, f"RuntimeError: {refusal}")]
    assert outbox.sent == []
    assert str(raised.value) == f"outbox {EMAIL.pk} {EMAIL.sk}: MessageRejected"
    assert raised.value.__cause__ is None
    [record] = caplog.records
    assert (record.getMessage(), record.__dict__["error"]) == (
        "order email failed",
        "MessageRejected",
    )
    assert "claire@example.org" not in caplog.text


def test_an_email_whose_order_is_missing_is_given_back_for_the_retry() -> None:
    outbox, mailer = FakeOutbox(), FakeMailer()

    with pytest.raises(OrderEmailError, match="LookupError"):
        send_queued_email(OrdersOf(), outbox, mailer, SHOP, EMAIL)
    [(_, _, why)] = outbox.given_back
    assert why == f"LookupError: outbox {EMAIL.pk} {EMAIL.sk}: order 1042 not found"


def test_a_partial_refund_email_states_the_refunded_amount_in_the_orders_currency() -> None:
    outbox, mailer = FakeOutbox(), FakeMailer()
    refund = QueuedEmail(EMAIL.pk, "EMAIL#refund#evt_2", EmailKind.REFUND, "1042", amount=2900)

    send_queued_email(OrdersOf(make_order()), outbox, mailer, SHOP, refund)

    [message] = mailer.messages
    assert "We have refunded €29.00 for order #1042." in message.text  # not its €108.90 total


def test_an_email_that_left_but_could_not_be_marked_sent_counts_as_sent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    outbox, mailer = FakeOutbox(refuse_mark_sent=True), FakeMailer()

    with caplog.at_level(logging.WARNING):
        assert send_queued_email(OrdersOf(make_order()), outbox, mailer, SHOP, EMAIL) is True

    assert len(mailer.messages) == 1
    assert outbox.given_back == []  # not failed: a retry would only send it again
    assert [r.getMessage() for r in caplog.records] == ["order email sent but not marked sent"]
