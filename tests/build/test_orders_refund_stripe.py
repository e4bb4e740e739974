"""`orders refund` with STRIPE_SECRET_KEY asks Stripe (a local server here) for the refund."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import boto3
import pytest

from storefront.cli import main
from tests.functions.payments import (
    REGION,
    PaymentEnv,
    RecordingStripeHttp,
    deliver,
    install_stripe,
    paid_checkout,
    payment_env,
    stripe_event,
)

__all__ = ["payment_env"]


@dataclass
class FakeStripeServer:
    """Where the server listens and the requests it saw."""

    url: str
    seen: list[dict[str, Any]]


@pytest.fixture
def stripe_server() -> Iterator[FakeStripeServer]:
    """An HTTP server on localhost answering POST /v1/refunds like Stripe's API."""
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            seen.append(
                {"path": self.path, "form": dict(parse_qsl(body)), "headers": dict(self.headers)}
            )
            answer = json.dumps({"id": "re_local_1", "object": "refund", "status": "pending"})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(answer.encode())

        def log_message(self, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FakeStripeServer(f"http://127.0.0.1:{server.server_address[1]}", seen)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _paid_order_1001(env: PaymentEnv) -> dict[str, Any]:
    """Order #1001 recorded for one shoe; returns its completed session."""
    env.set_stock("TRS-42-BLK", 3)
    http = RecordingStripeHttp()
    install_stripe(http)
    session = paid_checkout(env, http, {"TRS-42-BLK": 1})
    deliver(stripe_event("checkout.session.completed", session))
    return session


def _desk_talking_to(
    stripe_server: FakeStripeServer, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    """Run the order desk from `folder` (no local shop there), against `stripe_server`."""
    monkeypatch.chdir(folder)
    monkeypatch.setenv("STRIPE_API_BASE", stripe_server.url)


def test_refund_with_a_stripe_key_requests_a_full_refund_and_waits_for_the_webhook(
    payment_env: PaymentEnv,
    stripe_server: FakeStripeServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    session = _paid_order_1001(payment_env)
    _desk_talking_to(stripe_server, monkeypatch, tmp_path)

    assert main(["orders", "refund", "1001"]) == 0

    [request] = stripe_server.seen
    assert request["path"] == "/v1/refunds"
    assert request["form"] == {"payment_intent": session["payment_intent"]}
    assert request["headers"]["Idempotency-Key"] == "refund-order-1001"
    assert "re_local_1 requested from Stripe" in capsys.readouterr().out
    [order] = payment_env.order_items("ORDER#", "ORDER")
    assert order["status"]["S"] == "paid"  # until Stripe's charge.refunded arrives


def test_refund_reads_the_stripe_key_from_ssm_like_the_stack(
    payment_env: PaymentEnv,
    stripe_server: FakeStripeServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The deployed functions read it from SSM (STRIPE_SECRET_KEY_PARAM); so does the desk.
    _paid_order_1001(payment_env)
    boto3.client("ssm", region_name=REGION).put_parameter(
        Name="/shop/stripe-secret", Value="sk_test_from_ssm", Type="SecureString"
    )
    monkeypatch.delenv("STRIPE_SECRET_KEY")
    monkeypatch.setenv("STRIPE_SECRET_KEY_PARAM", "/shop/stripe-secret")
    _desk_talking_to(stripe_server, monkeypatch, tmp_path)

    assert main(["orders", "refund", "1001"]) == 0

    [request] = stripe_server.seen
    assert request["headers"]["Authorization"] == "Bearer sk_test_from_ssm"
    assert "re_local_1 requested from Stripe" in capsys.readouterr().out
