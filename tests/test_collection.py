"""The README's test command runs every test module: none is left out by pytest's folder rules.

pytest skips folders named like `build` or `dist` by default (`norecursedirs`), and
tests/build holds the build's own tests: this guards the setting that lets them run.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_pytest_collects_every_test_module_under_tests() -> None:
    written = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "tests").rglob("test_*.py")
        if "node_modules" not in path.parts
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    collected = {line.split("::", 1)[0] for line in result.stdout.splitlines() if "::" in line}

    assert "tests/build/test_page_weight.py" in collected
    assert written - collected == set()
