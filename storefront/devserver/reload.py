"""Live reload: watch content/ and site/, rebuild, and tell open tabs over Server-Sent Events.

Tabs load `/_dev/reload.js` (injected into HTML responses by the dev server
only), which listens on `/_dev/reload`. A good rebuild reloads them; a failed
one shows the error in an overlay (and in the terminal) and keeps the
previous build on screen, since the build only swaps `dist/` on success.
"""

from __future__ import annotations

import json
import logging
import queue
import secrets
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from watchfiles import watch

from storefront.devserver.builder import BuildError

_log = logging.getLogger(__name__)

HEARTBEAT_S = 15.0

# Kept tiny and dependency-free; an external file (not inline) so a strict
# Content-Security-Policy in the theme does not block it.
RELOAD_JS = """(() => {
  // The build the page was served from: a rebuild that ends before this tab's
  // stream connects still reloads it (its first hello names a newer build).
  const me = document.currentScript;
  let build = (me && me.dataset.build) || null;
  const source = new EventSource("/_dev/reload");
  const overlay = (text) => {
    let box = document.getElementById("dev-build-error");
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "dev-build-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 ui-monospace,monospace;" +
        "padding:2rem;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "The last build failed; the page shows the previous build.\\n\\n" + text;
  };
  source.addEventListener("hello", (event) => {
    const state = JSON.parse(event.data);
    if (build !== null && build !== state.build) { location.reload(); return; }
    build = state.build;
    overlay(state.error);
  });
  source.addEventListener("reload", () => location.reload());
  source.addEventListener("build-error", (event) => overlay(JSON.parse(event.data).error));
})();
"""


def reload_tag(build_id: str) -> bytes:
    """The script tag for a page served from build `build_id`."""
    safe = "".join(c for c in build_id if c.isalnum())  # ids are hex; keep the tag inert
    return f'<script src="/_dev/reload.js" data-build="{safe}" defer></script>'.encode()


def inject_reload_script(html: bytes, build_id: str = "") -> bytes:
    """Add the reload script before </body> (or at the end when there is none)."""
    tag = reload_tag(build_id)
    marker = html.lower().rfind(b"</body>")
    if marker == -1:
        return html + tag
    return html[:marker] + tag + html[marker:]


class ReloadHub:
    """Fan-out of build events to every open tab; remembers the current build and error."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: set[queue.Queue[str]] = set()
        self.build_id = secrets.token_hex(4)
        self.error: str | None = None

    def _hello(self) -> str:
        return _sse("hello", {"build": self.build_id, "error": self.error})

    def subscribe(self) -> queue.Queue[str]:
        """A queue of SSE frames for one tab, starting with the current state."""
        listener: queue.Queue[str] = queue.Queue()
        with self._lock:
            listener.put(self._hello())
            self._listeners.add(listener)
        return listener

    def unsubscribe(self, listener: queue.Queue[str]) -> None:
        """Stop sending to a tab that went away."""
        with self._lock:
            self._listeners.discard(listener)

    def _broadcast(self, frame: str) -> None:
        with self._lock:
            for listener in self._listeners:
                listener.put(frame)

    def built(self) -> None:
        """A rebuild succeeded: every tab reloads."""
        self.build_id = secrets.token_hex(4)
        self.error = None
        self._broadcast(_sse("reload", {"build": self.build_id}))

    def failed(self, message: str) -> None:
        """A rebuild failed: every tab shows the message over the previous build."""
        self.error = message
        self._broadcast(_sse("build-error", {"error": message}))

    def close(self) -> None:
        """End every open stream (the server is stopping)."""
        self._broadcast("")

    @property
    def listeners(self) -> int:
        """How many tabs are listening."""
        with self._lock:
            return len(self._listeners)


def _sse(event: str, data: object) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


Rebuild = Callable[[set[Path]], None]


def rebuild_and_notify(rebuild: Rebuild, changed: set[Path], hub: ReloadHub) -> bool:
    """Run one rebuild; report success or the error to tabs and terminal. Never raises."""
    started = time.monotonic()
    try:
        rebuild(changed)
    except Exception as exc:
        # The build prints content errors as file:line: field: message; anything
        # else is a bug worth its traceback. Either way the server keeps running.
        message = str(exc) if isinstance(exc, BuildError) else traceback.format_exc()
        # A theme error already reads "build failed: …": said once, not twice.
        headed = message if message.startswith("build failed") else f"build failed:\n{message}"
        _log.error("%s", headed)
        hub.failed(message)
        return False
    _log.info("rebuilt in %.2fs (%d changed)", time.monotonic() - started, len(changed))
    hub.built()
    return True


class Watcher(threading.Thread):
    """Watches folders and rebuilds on every batch of changes until stopped."""

    def __init__(self, folders: Iterable[Path], rebuild: Rebuild, hub: ReloadHub) -> None:
        super().__init__(name="watcher", daemon=True)
        self.folders = [f for f in folders if f.exists()]
        self.rebuild, self.hub = rebuild, hub
        self.stop_event = threading.Event()

    def run(self) -> None:
        """Block on file events; each debounced batch triggers one rebuild."""
        if not self.folders:
            return
        for changes in watch(*self.folders, stop_event=self.stop_event, debounce=200):
            changed = {Path(path) for _, path in changes}
            rebuild_and_notify(self.rebuild, changed, self.hub)
