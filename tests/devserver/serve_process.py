"""Start `python build.py serve` as a child process and wait until it answers (tests only)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_BANNER_URL = re.compile(r"^\s+shop\s+(http://\S+?)/?\s*$")


@dataclass
class ServeProcess:
    """A running `serve`: its base URL and everything it printed so far."""

    process: subprocess.Popen[str]
    url: str = ""
    output: list[str] = field(default_factory=list)

    def text(self) -> str:
        """All output so far, for assertion messages."""
        return "".join(self.output)


def _pump(serve: ServeProcess, found: threading.Event) -> None:
    assert serve.process.stdout is not None
    for line in serve.process.stdout:
        serve.output.append(line)
        match = _BANNER_URL.match(line)
        if match and not serve.url:
            serve.url = match.group(1)
            found.set()
    found.set()  # the process ended: stop waiting


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _ignored_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def run_serve(
    *args: str,
    cwd: Path,
    timeout: float = 120.0,
    sigint_ignored: bool = False,
    environment: Mapping[str, str] | None = None,
) -> Iterator[ServeProcess]:
    """Run `build.py serve --port 0 ARGS` in `cwd`; yields once the banner shows its URL.

    `sigint_ignored` starts it as a shell starts a background job (`serve &`);
    `environment` adds variables to the inherited ones.
    """
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(environment or {})}
    env.pop("STRIPE_SECRET_KEY", None)  # always the local stand-in, never a real account
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # As in a terminal: a test run started in the background (`pytest &`) ignores
        # SIGINT, and a child would inherit that and never see the "Ctrl-C" we send.
        preexec_fn=_ignored_sigint if sigint_ignored else _default_sigint,
    )
    serve = ServeProcess(process)
    found = threading.Event()
    pump = threading.Thread(target=_pump, args=(serve, found), daemon=True)
    pump.start()
    try:
        found.wait(timeout)
        if not serve.url:
            raise RuntimeError(f"serve did not start within {timeout:.0f}s:\n{serve.text()}")
        yield serve
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGUSR1)  # serve prints its threads' stacks
                time.sleep(1)
                process.kill()
                process.wait(5)
        pump.join(5)  # every line the process printed is in `output` before we return
