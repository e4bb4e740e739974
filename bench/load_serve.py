"""Start `build.py serve` for bench/load.py: a shop on a free port, in a scratch folder."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_BANNER_URL = re.compile(r"^\s+shop\s+(http://\S+?)/?\s*$")


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def serve_example_shop(content: Path, timeout_s: float = 240.0) -> Iterator[tuple[str, Path]]:
    """Build `content` and serve it (no watching); yields (base URL, the folder serve runs in)."""
    with tempfile.TemporaryDirectory(prefix="load-shop-") as scratch:
        workdir = Path(scratch)
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("STRIPE_SECRET_KEY", None)  # always the local stand-in, never a real account
        # Every simulated shopper checks out from 127.0.0.1: one connection's allowance of
        # units on hold (functions/shop/hold_allowance.py) would cap the whole run.
        env["HOLD_UNITS_PER_VIEWER"] = "0"
        command = [
            sys.executable,
            str(ROOT / "build.py"),
            "serve",
            "--port",
            "0",
            "--no-watch",
            "--content",
            str(content),
            "--site",
            str(ROOT / "site"),
            "--out",
            str(workdir / "dist"),
        ]
        process = subprocess.Popen(
            command,
            cwd=workdir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # Started from a background job, the child would inherit an ignored SIGINT.
            preexec_fn=_default_sigint,
        )
        found: list[str] = []
        output: list[str] = []
        ready = threading.Event()

        def read_output() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                output.append(line)
                match = _BANNER_URL.match(line)
                if match and not found:
                    found.append(match.group(1))
                    ready.set()
            ready.set()

        reader = threading.Thread(target=read_output, daemon=True)
        reader.start()
        try:
            ready.wait(timeout_s)
            if not found:
                raise RuntimeError("serve did not start:\n" + "".join(output))
            yield found[0], workdir
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(5)
            reader.join(5)
