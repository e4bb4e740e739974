"""Server-neutral request and response records shared by every part of the dev server."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request as received: the raw target, headers in arrival order, body bytes."""

    method: str
    target: str  # path plus query exactly as sent: "/api/cart?x=1"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    source_ip: str = "127.0.0.1"

    @property
    def path(self) -> str:
        """The path part of the target, still percent-encoded."""
        return urlsplit(self.target).path or "/"

    @property
    def query(self) -> str:
        """The raw query string without the leading "?" (empty when there is none)."""
        return urlsplit(self.target).query

    def header(self, name: str) -> str | None:
        """The first value of a header, matched case-insensitively, or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


@dataclass(slots=True)
class Response:
    """One HTTP response to send: status, headers (repeatable, e.g. Set-Cookie), body."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The first value of a header, matched case-insensitively, or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


def without_secure_cookies(response: Response) -> Response:
    """`response` with the Secure attribute taken off its cookies, for plain HTTP.

    Browsers keep a Secure cookie from http:// only on localhost: a phone trying the
    shop on the laptop's address (`serve --public`) got a new, empty cart each time.
    """
    headers = [
        (name, _drop_secure(value) if name.lower() == "set-cookie" else value)
        for name, value in response.headers
    ]
    return Response(response.status, headers, response.body)


def _drop_secure(cookie: str) -> str:
    parts = [part for part in cookie.split(";") if part.strip().lower() != "secure"]
    return ";".join(parts)


def text_response(status: int, text: str, content_type: str = "text/plain") -> Response:
    """A UTF-8 text response that is never cached (dev pages change all the time)."""
    return Response(
        status,
        [("Content-Type", f"{content_type}; charset=utf-8"), ("Cache-Control", "no-store")],
        text.encode(),
    )


def json_response(status: int, data: Any) -> Response:
    """A JSON response that is never cached."""
    return Response(
        status,
        [("Content-Type", "application/json"), ("Cache-Control", "no-store")],
        json.dumps(data, ensure_ascii=False, indent=2).encode(),
    )
