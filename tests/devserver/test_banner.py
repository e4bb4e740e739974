"""The banner `serve` prints: where everything is, and what a real Stripe key still needs."""

from __future__ import annotations

import argparse
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from storefront.commands.serve import _print_banner


def _banner(capsys: pytest.CaptureFixture[str], stand_in: str | None) -> str:
    shop: Any = SimpleNamespace(
        url="http://localhost:8000",
        stand_in_url=stand_in,
        aws=SimpleNamespace(endpoint_url="http://127.0.0.1:5000"),
        local_aws_file=Path(".cache/local-aws.json"),
    )
    args = argparse.Namespace(no_watch=True, content=Path("content"), site=Path("site"))
    _print_banner(shop, args)
    return capsys.readouterr().out


def test_a_real_stripe_key_without_its_webhook_secret_is_warned_about(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every event `stripe listen` forwards would be refused and no order recorded
    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET", raising=False)
    assert "Warning: STRIPE_WEBHOOK_SECRET is not set" in _banner(capsys, stand_in=None)

    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", "whsec_from_stripe_listen")
    assert "Warning" not in _banner(capsys, stand_in=None)


def test_the_stand_in_needs_no_secret(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET", raising=False)
    banner = _banner(capsys, stand_in="http://localhost:8000/_dev/checkout/")
    assert "local stand-in for Stripe Checkout" in banner
    assert "Warning" not in banner
