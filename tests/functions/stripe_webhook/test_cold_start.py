"""Cold start stays light: only the functions that need them import Jinja2, css_inline or stripe."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("jinja2", "css_inline", "stripe", "markdown_it", "babel")


def imported_after(module: str) -> set[str]:
    """Top-level packages loaded by importing `module` in a fresh interpreter."""
    code = (
        "import sys, json, importlib; importlib.import_module(sys.argv[1]); "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, module],
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT / 'functions'}:{ROOT}", "POWERTOOLS_TRACE_DISABLED": "true"},
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(result.stdout))


@pytest.mark.parametrize(
    ("module", "allowed"),
    [
        ("stripe_webhook.app", set()),
        ("checkout.app", set()),  # stripe is imported on the first checkout, not at import
        ("orders.app", set()),
        ("sweeper.app", set()),
        ("feed_availability.app", set()),
        ("order_emails.app", set()),  # Jinja2 and css_inline load on the first email
    ],
)
def test_handler_import_loads_no_heavy_library(module: str, allowed: set[str]) -> None:
    heavy = imported_after(module) & set(HEAVY)
    assert heavy <= allowed, f"{module} imports {sorted(heavy - allowed)} at cold start"


def test_the_probe_sees_a_heavy_import_when_there_is_one() -> None:
    assert "stripe" in imported_after("shop.adapters.stripe_gateway")
