"""Cold-start import time of each Lambda handler, each measured in a fresh interpreter.

Run: `uv run --frozen python bench/cold_import.py [--runs 7]`

Prints the median and minimum wall time of `import <handler module>` per
handler (what a Lambda cold start pays before the first request), the number
of modules loaded, and fails (exit 1) if a handler imported something it must
not: no function may load Jinja2 or Markdown, and the cart and stock functions
must not load Stripe either.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = ROOT / "functions"
sys.path.insert(0, str(FUNCTIONS))

from shop.routes import API_ROUTES, DEFAULT_ROUTE_MODULE  # noqa: E402 - functions/ on sys.path first

EXTRA_HANDLERS = (DEFAULT_ROUTE_MODULE, "order_emails.app", "sweeper.app", "feed_availability.app")
FORBIDDEN_EVERYWHERE = ("jinja2", "markdown_it", "mdit_py_plugins")
FORBIDDEN_BY_HANDLER = {"cart.app": ("stripe",), "stock.app": ("stripe",)}

# Runs in the child: time one import, then report which top-level packages it loaded.
_PROBE = """
import json, sys, time
before = set(sys.modules)
start = time.perf_counter()
import importlib
importlib.import_module({module!r})
elapsed = time.perf_counter() - start
loaded = sorted(set(sys.modules) - before)
print(json.dumps({{"seconds": elapsed, "modules": loaded}}))
"""


def measure(module: str) -> dict[str, object]:
    """Import `module` in a fresh interpreter and return its timing and loaded modules."""
    env = {
        **os.environ,
        "PYTHONPATH": str(FUNCTIONS),
        "POWERTOOLS_TRACE_DISABLED": "true",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(module=module)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module}: import failed:\n{done.stderr}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def handler_modules() -> list[str]:
    """Every handler module that exists: the API routes plus the event-driven functions."""
    names = [module for _, module in API_ROUTES] + list(EXTRA_HANDLERS)
    return [
        name for name in names if (FUNCTIONS / name.replace(".", "/")).with_suffix(".py").exists()
    ]


def main() -> int:
    """Measure every handler and print a table; exit 1 on a forbidden import."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters per handler")
    args = parser.parse_args()
    assert importlib.util.find_spec("shop") is not None
    failures: list[str] = []
    print(f"{'handler':<22} {'median ms':>10} {'min ms':>8} {'modules':>8}  forbidden")
    for module in handler_modules():
        runs = [measure(module) for _ in range(args.runs)]
        times = [float(str(run["seconds"])) * 1000 for run in runs]
        loaded = {str(name).split(".")[0] for name in runs[0]["modules"]}  # type: ignore[attr-defined]
        banned = FORBIDDEN_EVERYWHERE + FORBIDDEN_BY_HANDLER.get(module, ())
        found = sorted(name for name in banned if name in loaded)
        count = len(runs[0]["modules"])  # type: ignore[arg-type]
        print(
            f"{module:<22} {statistics.median(times):>10.1f} {min(times):>8.1f} {count:>8}  "
            f"{', '.join(found) or '-'}"
        )
        failures.extend(f"{module} imported {name}" for name in found)
    for failure in failures:
        print(f"FORBIDDEN: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
