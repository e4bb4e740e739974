"""Fixtures: the emulated account (see tests/functions/payments.py) with a shoe in stock."""

from __future__ import annotations

from typing import Any

import pytest

from tests.functions.payments import (
    PaymentEnv,
    RecordingStripeHttp,
    StreamReader,
    install_stripe,
    payment_env,
    run_email_function,
)

__all__ = ["payment_env"]

SKU = "TRS-42-BLK"


@pytest.fixture
def shop(payment_env: PaymentEnv) -> tuple[PaymentEnv, RecordingStripeHttp, StreamReader]:
    """Stock of 3 for the shoe, the Stripe adapter on a recording HTTP layer, the stream."""
    payment_env.set_stock(SKU, 3)
    http = RecordingStripeHttp()
    install_stripe(http)
    return payment_env, http, StreamReader(payment_env)


def orders(env: PaymentEnv) -> list[dict[str, Any]]:
    """Every order item."""
    return env.order_items("ORDER#", "ORDER")


def subjects(env: PaymentEnv, reader: StreamReader) -> list[str]:
    """Run the email function on new stream records; the subjects of all emails sent so far."""
    result = run_email_function(reader)
    assert result["batchItemFailures"] == []
    return [str(message["Subject"]) for message in env.sent_emails()]
