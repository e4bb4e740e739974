"""Route one request: dev pages, mounted dev handlers, /api/* to the functions, else static.

Kept free of sockets so it can be tested with plain `Request` values; the
socket side (and the one streaming route, `/_dev/reload`) is in server.py.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from shop.routes import DEFAULT_ROUTE_MODULE, handler_module_for

from storefront.devserver import apigw
from storefront.devserver.api_routes import DEFAULT_ROUTE, load_route_keys, match_route
from storefront.devserver.http import Request, Response, text_response
from storefront.devserver.outbox import handle_outbox
from storefront.devserver.reload import RELOAD_JS, ReloadHub, inject_reload_script
from storefront.devserver.runtime import FunctionError, LocalRuntime, function_exists
from storefront.devserver.security_headers import security_headers
from storefront.devserver.static import Manifest, compress, serve_static

_log = logging.getLogger(__name__)

DevHandler = Callable[[Request], Response]

# API Gateway's own limit on a request payload (10 MB); Lambda's is 6 MB.
MAX_API_BODY = 6 * 1024 * 1024


@dataclass
class DevApp:
    """Everything `serve` answers, as a function of the request."""

    public_dir: Path
    runtime: LocalRuntime
    live_reload: bool = True
    # The build the pages come from, named in each page's reload script.
    reload_hub: ReloadHub | None = None
    # Extra handlers under /_dev/ (the local Stripe Checkout stand-in), by path prefix.
    mounts: dict[str, DevHandler] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.manifest = Manifest(self.public_dir.parent / "manifest.json")
        # Pages get the CDN's CSP and friends, so violations show up locally.
        self.page_headers = security_headers()
        # The deployed API's routes: what 404s there 404s here.
        self.route_keys = load_route_keys()

    def __call__(self, request: Request) -> Response:
        """Answer one request; never raises (a crash becomes a 500 and a traceback)."""
        path = request.path
        try:
            if path == "/_dev/reload.js":
                return text_response(200, RELOAD_JS, "text/javascript")
            if path.startswith("/_dev/outbox"):
                return handle_outbox(request)
            for prefix, handler in self.mounts.items():
                if path.startswith(prefix):
                    return handler(request)
            if path == "/api" or path.startswith("/api/"):
                return self.call_function(request)
            response = serve_static(self.public_dir, request, self.manifest.files())
            response.headers.extend(self.page_headers)
        except Exception:
            _log.exception("%s %s failed", request.method, request.target)
            return text_response(500, "The dev server failed; see the terminal.\n")
        is_html = (response.header("content-type") or "").startswith("text/html")
        # Not into an empty body: a 304 or a HEAD answer must stay without one.
        if self.live_reload and is_html and response.body:
            build_id = self.reload_hub.build_id if self.reload_hub else ""
            response.body = inject_reload_script(response.body, build_id)
        return compress(request, response)  # last: the reload script goes in the plain text

    def call_function(self, request: Request) -> Response:
        """Invoke the function behind an /api route the way the HTTP API would."""
        module = handler_module_for(request.path)
        route = match_route(self.route_keys, request.method, request.path)
        if module is None or route is None:
            # No route takes it: API Gateway's `$default` route does (a JSON 404).
            module, route = DEFAULT_ROUTE_MODULE, (DEFAULT_ROUTE, {})
        route_key, path_parameters = route
        if not function_exists(module):
            return apigw.gateway_error(501, f"{module} is not written yet")
        if len(request.body) > MAX_API_BODY:
            return apigw.gateway_error(413, "Request Entity Too Large")
        started = time.perf_counter()
        try:
            event = apigw.to_event(request, route_key=route_key, path_parameters=path_parameters)
            result = self.runtime.invoke(module, event)
        except FunctionError:
            return apigw.gateway_error(500, "Internal Server Error")
        try:
            response = apigw.from_result(result)
        except apigw.InvalidResultError as exc:
            _log.error("%s returned an invalid response: %s", module, exc)
            return apigw.gateway_error(502, "Internal Server Error")
        # Like Lambda's REPORT line, for `serve --verbose`.
        elapsed_ms = (time.perf_counter() - started) * 1000
        _log.debug(
            "%s %s → %s %d in %.0f ms",
            request.method,
            request.target,
            module,
            response.status,
            elapsed_ms,
        )
        return response
