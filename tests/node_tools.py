"""The npm test tools (vnu-jar, Lighthouse), installed from package-lock.json on first use.

`npm ci` runs when node_modules/ is missing or older than the lock, so the README's
test command sets everything up on a fresh machine. Install scripts are not run:
vnu-jar's would download a Java runtime, and the machine's Java is the one to use.
In CI (CI=true) a missing program fails the tests (.ci/run installs them);
elsewhere the tests that need it are skipped, saying what to install.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "package-lock.json"
NODE_MODULES = ROOT / "node_modules"
# npm ci writes this copy of the lock last, so its age says when node_modules was installed.
INSTALLED_LOCK = NODE_MODULES / ".package-lock.json"
NPM_CI = ("ci", "--no-audit", "--no-fund", "--ignore-scripts")


def missing(what: str, how: str) -> NoReturn:
    """Fail in CI, skip elsewhere, naming what is missing and how to get it."""
    message = f"{what} is missing: {how}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (.ci/run installs it in CI)")
    pytest.skip(message)


def require_program(name: str, debian_package: str) -> str:
    """The path of a program on PATH, or fail/skip saying which Debian package has it."""
    found = shutil.which(name)
    if found is None:
        missing(name, f"apt-get install -y {debian_package}")
    return found


def _is_stale() -> bool:
    return not INSTALLED_LOCK.exists() or INSTALLED_LOCK.stat().st_mtime < LOCK.stat().st_mtime


def install_node_packages() -> Path:
    """node_modules/ as package-lock.json pins it; runs `npm ci` only when needed."""
    require_program("node", "nodejs")
    npm = require_program("npm", "npm")
    lock_file = ROOT / ".cache" / "npm-ci.lock"
    lock_file.parent.mkdir(exist_ok=True)
    # Several test runs may share the tree: one installs while the others wait.
    with lock_file.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if _is_stale():
            done = subprocess.run(
                [npm, *NPM_CI], cwd=ROOT, capture_output=True, text=True, timeout=600
            )
            if done.returncode != 0:
                pytest.fail(f"npm {' '.join(NPM_CI)} failed:\n{done.stdout}\n{done.stderr}")
    return NODE_MODULES


def package_path(node: str, package: str) -> Path:
    """What `require(package)` gives, as a path (vnu-jar exports its jar's path this way)."""
    done = subprocess.run(
        [node, "-p", f"String(require({package!r}))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return Path(done.stdout.strip())


@pytest.fixture(scope="session")
def node_packages() -> Path:
    """node_modules/ with the locked vnu-jar and Lighthouse (installed when missing)."""
    return install_node_packages()
