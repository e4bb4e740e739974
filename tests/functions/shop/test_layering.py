"""The domain imports no SDK: boto3, botocore, stripe and Powertools stay in adapters and handlers.

DESIGN.md's rule (handler -> domain -> ports <- adapters) is what lets the domain
be tested without emulators. Every import statement of each domain module is
read, including those inside functions, so a deferred `import boto3` counts too.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

SHOP = Path(__file__).resolve().parents[3] / "functions" / "shop"
SDKS = ("boto3", "botocore", "stripe", "aws_lambda_powertools", "moto")
DOMAIN_MODULES = (
    "availability_feed",
    "cart",
    "cart_actions",
    "catalog",
    "checkout",
    "checkout_flow",
    "email_outbox",
    "emails",
    "errors",
    "fake_payments",
    "fulfilment",
    "hold_allowance",
    "in_memory",
    "in_memory_orders",
    "money",
    "order_view",
    "orders",
    "personal_data",
    "ports",
    "pricing",
    "refunds",
    "reservations",
    "sale_price",
    "session_orders",
    "shipping_rates",
    "site_paths",
    "sku",
    "snapshot_format",
    "stock",
    "stock_lookup",
    "stripe_event_handling",
    "sweeping",
    "viewer_address",
    "webhook_events",
)


def imported_modules(path: Path) -> set[str]:
    """Every module an import statement of `path` names (top level or nested)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def sdk_imports(path: Path) -> list[str]:
    """The imports of `path` that belong to an SDK."""
    return sorted(m for m in imported_modules(path) if m.split(".")[0] in SDKS)


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_domain_module_imports_no_sdk(module: str) -> None:
    assert sdk_imports(SHOP / f"{module}.py") == []


def test_the_check_sees_an_sdk_import_inside_a_function(tmp_path: Path) -> None:
    source = tmp_path / "pricing.py"
    source.write_text("def price():\n    from stripe import Price\n    import boto3.session\n")
    assert sdk_imports(source) == ["boto3.session", "stripe"]


def test_adapters_are_where_the_sdks_are() -> None:
    # The list above is not stale: the modules that do import an SDK are adapters,
    # wiring or HTTP glue, and none of them is listed as domain.
    with_sdk = {path.stem for path in SHOP.glob("*.py") if sdk_imports(path)}
    assert with_sdk
    assert not with_sdk & set(DOMAIN_MODULES)
    assert {path.stem for path in SHOP.glob("*.py")} >= set(DOMAIN_MODULES)


def test_importing_the_domain_loads_no_sdk_even_through_other_modules() -> None:
    # The per-file check misses a domain module importing a glue module that imports
    # an SDK (in_memory took new_cart_id from cookies, which loads Powertools).
    script = (
        "import importlib, sys\n"
        f"for name in {[f'shop.{m}' for m in DOMAIN_MODULES]!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(SDKS)!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": str(SHOP.parent)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"
