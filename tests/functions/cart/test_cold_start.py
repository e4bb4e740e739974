"""What the cart and stock functions load at cold start, checked in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.functions.shop.api import ROOT

# Build-side libraries and Stripe must never load; pydantic only on the first write.
NEVER = ("jinja2", "markdown_it", "mdit_py_plugins", "stripe", "babel", "yaml")
NOT_AT_COLD_START = ("pydantic",)


@pytest.mark.parametrize("module", ["cart.app", "stock.app"])
def test_handler_import_loads_nothing_heavy_or_forbidden(module: str) -> None:
    probe = (
        f"import importlib, json, sys; importlib.import_module({module!r}); "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "functions")}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    loaded = set(json.loads(done.stdout))
    assert loaded.isdisjoint(NEVER + NOT_AT_COLD_START), sorted(
        loaded & set(NEVER + NOT_AT_COLD_START)
    )
