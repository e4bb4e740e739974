"""The socket side of the dev server: stdlib threads, one per connection, plus the SSE stream."""

from __future__ import annotations

import ipaddress
import logging
import queue
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from storefront.devserver.app import DevApp
from storefront.devserver.http import Request, Response, text_response, without_secure_cookies
from storefront.devserver.reload import HEARTBEAT_S, ReloadHub

_log = logging.getLogger(__name__)

MAX_BODY = 10 * 1024 * 1024  # API Gateway's request payload limit
LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]", "::1")


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (the only hosts served without --public)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class DevHTTPServer(ThreadingHTTPServer):
    """A threading server that carries the app and the reload hub to its handlers."""

    daemon_threads = True  # open SSE streams must not keep Ctrl-C waiting
    allow_reuse_address = True

    def __init__(
        self, address: tuple[str, int], app: DevApp, hub: ReloadHub, *, public: bool
    ) -> None:
        super().__init__(address, DevRequestHandler)
        self.app, self.hub, self.public = app, hub, public
        self.stopping = False
        # "localhost:8000" when pages should be seen on one origin only (see _canonical).
        self.canonical_host: str | None = None

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Print a handler's traceback, except for a client gone mid-answer."""
        # A tab that reloads or navigates away drops its connections while answers
        # are still being written (every live reload does): nothing went wrong.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class DevRequestHandler(BaseHTTPRequestHandler):
    """Reads a request, asks the app, writes the response (or streams reload events)."""

    server: DevHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "storefront-dev"

    def log_message(self, format: str, *args: Any) -> None:
        _log.debug("%s %s", self.address_string(), format % args)

    def _local_host(self) -> bool:
        """True when the request names this computer (localhost, a loopback address)."""
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        return host in LOCAL_NAMES or is_loopback(host)

    def _host_allowed(self) -> bool:
        # Without --public, only local names: a web page elsewhere cannot reach
        # this server through DNS rebinding.
        return self.server.public or self._local_host()

    def _read_chunked(self) -> bytes | None:
        """A chunked request body, or None when it grows past MAX_BODY."""
        body = b""
        while True:
            size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return body
            body += self.rfile.read(size)
            self.rfile.readline()  # the CRLF after each chunk
            if len(body) > MAX_BODY:
                return None

    def _request(self) -> Request | None:
        chunked = "chunked" in (self.headers.get("Transfer-Encoding") or "").lower()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._send(text_response(400, "Content-Length: expected a number\n"))
            return None
        body: bytes | None
        if chunked:
            body = self._read_chunked()
        else:
            body = self.rfile.read(length) if 0 < length <= MAX_BODY else b""
        if body is None or length > MAX_BODY:
            self.close_connection = True  # the rest of the body is still on the wire
            self._send(text_response(413, "Request body too large\n"))
            return None
        return Request(
            method=self.command,
            target=self.path,
            headers=tuple(self.headers.items()),
            body=body,
            source_ip=self.client_address[0],
        )

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        no_body = self.command == "HEAD" or response.status in (204, 304)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if not no_body:
            self.wfile.write(response.body)

    def _stream_reload(self) -> None:
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        listener = self.server.hub.subscribe()
        try:
            while not self.server.stopping:
                try:
                    frame = listener.get(timeout=HEARTBEAT_S)
                except queue.Empty:
                    frame = ": keep-alive\n\n"  # also notices tabs that went away
                if not frame:
                    break  # the hub is closing
                self.wfile.write(frame.encode())
                self.wfile.flush()
        except OSError:
            pass  # the tab closed
        finally:
            self.server.hub.unsubscribe(listener)

    def _handle(self) -> None:
        if not self._host_allowed():
            self._send(text_response(421, "This dev server only answers to localhost.\n"))
            return
        request = self._request()
        if request is None:
            return
        if request.path == "/_dev/reload" and self.command == "GET":
            self._stream_reload()
            return
        redirect = self._canonical(request)
        if redirect is not None:
            self._send(Response(308, [("Location", redirect)]))
            return
        response = self.server.app(request)
        # Served over plain HTTP to another device (--public): see without_secure_cookies.
        self._send(response if self._local_host() else without_secure_cookies(response))

    def _canonical(self, request: Request) -> str | None:
        """Where to send a page request made on another local name, or None.

        The functions build links (Checkout's return address, email links) on
        SITE_URL; a shopper browsing 127.0.0.1 while SITE_URL says localhost would
        come back from payment to another origin, without their cart cookie.
        Like production's one domain, pages live on one origin.
        """
        canonical = self.server.canonical_host
        host = request.header("host") or ""
        if canonical is None or host == canonical or request.method not in ("GET", "HEAD"):
            return None
        if request.path.startswith(("/api/", "/_dev/")):
            return None
        return f"http://{canonical}{request.target}"

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _handle

    def __getattr__(self, name: str) -> Any:
        # Any other method (TRACE, QUERY, …) gets the app's answer too: a 404 off the
        # API's routes, as API Gateway gives, instead of http.server's 501.
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)
