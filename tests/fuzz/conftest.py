"""The local shop for the API fuzz tests: `build.py serve` on a free port, shared by the session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.devserver.serve_process import ROOT, run_serve

# Handed to serve (instead of its per-run random one) so tests can sign events too.
WEBHOOK_SECRET = "whsec_fuzz_local_only"


@dataclass(frozen=True)
class FuzzShop:
    """The running shop's address and the secret its webhook verifies with."""

    url: str
    webhook_secret: str
    catalog: Path  # the snapshot the functions price from


@pytest.fixture(scope="session")
def fuzz_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzShop]:
    """The example shop served with the Checkout stand-in and a known webhook secret."""
    workdir = tmp_path_factory.mktemp("fuzz-shop")
    args = ("--content", str(ROOT / "content"), "--site", str(ROOT / "site"))
    with ExitStack() as stack:
        # run_serve copies the environment when it starts the child: set the secret for
        # that moment only, so no other test in this session sees it.
        saved = os.environ.get("STRIPE_WEBHOOK_SECRET")
        os.environ["STRIPE_WEBHOOK_SECRET"] = WEBHOOK_SECRET
        try:
            serve = stack.enter_context(
                run_serve(*args, "--out", str(workdir / "dist"), "--no-watch", cwd=workdir)
            )
        finally:
            if saved is None:
                os.environ.pop("STRIPE_WEBHOOK_SECRET", None)
            else:
                os.environ["STRIPE_WEBHOOK_SECRET"] = saved
        yield FuzzShop(serve.url, WEBHOOK_SECRET, workdir / "dist" / "catalog.json")
