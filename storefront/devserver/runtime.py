"""Run the real Lambda handlers in this process, one invocation at a time per function.

Each function folder under `functions/` is imported like Lambda imports it
(`cart.app`, then `handler(event, context)`), with the environment already set
so its cold-start configuration reads the local emulation. One event runs at a
time across every function: on Lambda each container is a process of its own,
but here all functions share one interpreter, and Powertools keeps the current
request in class attributes every resolver shares (`BaseRouter.current_event`),
so two functions running at once would read each other's requests (the orders
function answered 404 because it saw the stock function's query string).
`cold_start()` makes the next call start a fresh container (after a rebuild,
so the new catalog snapshot is read): like Lambda, the imports happen on that
call, not at once, so the reload of open tabs does not wait for them.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storefront.devserver.apigw import ACCOUNT_ID

_log = logging.getLogger(__name__)

FUNCTIONS_DIR = Path(__file__).resolve().parents[2] / "functions"
DEFAULT_TIMEOUT_S = 30

Handler = Callable[[Any, Any], Any]


class FunctionError(RuntimeError):
    """A handler raised or could not be imported; the message names the function."""


@dataclass
class LambdaContext:
    """The context object Lambda passes to a handler (what Powertools reads from it)."""

    function_name: str
    aws_request_id: str
    deadline_ms: int
    region: str
    memory_limit_in_mb: int = 256
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"
    invoked_function_arn: str = field(default="")

    def __post_init__(self) -> None:
        self.log_group_name = self.log_group_name or f"/aws/lambda/{self.function_name}"
        self.invoked_function_arn = self.invoked_function_arn or (
            f"arn:aws:lambda:{self.region}:{ACCOUNT_ID}:function:{self.function_name}"
        )

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before this invocation would time out on Lambda."""
        return max(0, self.deadline_ms - int(time.time() * 1000))


def function_name(module: str) -> str:
    """The Lambda-style name of a handler module: "stripe_webhook.app" → "stripe-webhook"."""
    return module.split(".", 1)[0].replace("_", "-")


def function_exists(module: str) -> bool:
    """True when the handler module can be imported (a function may not be written yet)."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False  # its package (the function's folder) does not exist


class LocalRuntime:
    """Imports handler modules on first use and invokes them with a Lambda context."""

    def __init__(self, region: str) -> None:
        self.region = region
        self._handlers: dict[str, Handler] = {}
        # One lock for every function (see the module docstring). Re-entrant: a handler
        # may cause a nested call in the same thread (the stand-in delivering an event
        # while the webhook retrieves a session).
        self._lock = threading.RLock()
        self.on_cold_start: list[Callable[[], None]] = []  # e.g. re-install the stand-in
        self._stale = False  # cold_start() was asked: purge before the next invocation

    def _handler(self, module: str) -> Handler:
        handler = self._handlers.get(module)
        if handler is None:
            try:
                loaded = importlib.import_module(module)
            except Exception as exc:
                raise FunctionError(f"{module}: import failed: {exc}") from exc
            handler = getattr(loaded, "handler", None)
            if not callable(handler):
                raise FunctionError(f"{module}: expected a callable `handler(event, context)`")
            self._handlers[module] = handler
        return handler

    def invoke(self, module: str, event: Any) -> Any:
        """Invoke `module.handler(event, context)` as Lambda would; FunctionError if it raises."""
        with self._lock:
            if self._stale:
                self._purge()
            handler = self._handler(module)
            context = LambdaContext(
                function_name=function_name(module),
                aws_request_id=str(uuid.uuid4()),
                deadline_ms=int(time.time() * 1000) + DEFAULT_TIMEOUT_S * 1000,
                region=self.region,
            )
            try:
                return handler(event, context)
            except Exception as exc:
                # Lambda logs the stack trace to CloudWatch; here that is the terminal.
                _log.error("%s raised:\n%s", module, traceback.format_exc())
                raise FunctionError(f"{module}: {type(exc).__name__}: {exc}") from exc

    def cold_start(self) -> None:
        """Forget every loaded function module so the next invocation imports it afresh."""
        # No lock: a call in flight finishes in its old container (as on Lambda),
        # and the rebuild's reload of open tabs does not wait for it.
        self._stale = True

    def _purge(self) -> None:
        # Under the lock: no invocation can see half the modules gone.
        self._stale = False
        self._handlers.clear()
        roots = {path.name for path in FUNCTIONS_DIR.iterdir() if path.is_dir()}
        for name in list(sys.modules):
            if name.split(".", 1)[0] in roots:
                del sys.modules[name]
        for callback in self.on_cold_start:
            callback()
