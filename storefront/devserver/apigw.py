"""Translate HTTP to API Gateway HTTP API payload 2.0 events and Lambda results back.

Mirrors what API Gateway does in front of the real functions, so a handler that
works here works behind the deployed HTTP API: lowercased headers with repeats
joined by commas, the Cookie header moved into `cookies`, repeated query
parameters joined by commas, non-text bodies base64-encoded, and a result's
`cookies` list turned into one Set-Cookie header each.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import secrets
import time
from typing import Any
from urllib.parse import parse_qsl

from storefront.devserver.http import Request, Response

_log = logging.getLogger(__name__)

ACCOUNT_ID = "123456789012"  # moto's default account; the value only has to look real
API_ID = "localapi"

# Content types API Gateway passes through as text; every other body arrives
# base64-encoded (notably form posts, which handlers must decode).
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")
_TEXT_SUFFIXES = ("+json", "+xml")


def _is_text(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media.startswith(_TEXT_TYPES) or media.endswith(_TEXT_SUFFIXES)


def _encode_body(body: bytes, content_type: str | None) -> tuple[str, bool]:
    if _is_text(content_type):
        try:
            return body.decode("utf-8"), False
        except UnicodeDecodeError:
            pass  # declared as text but not UTF-8: API Gateway falls back to base64
    return base64.b64encode(body).decode("ascii"), True


def _request_time(now: float) -> str:
    return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now))


def to_event(
    request: Request,
    *,
    route_key: str = "$default",
    path_parameters: dict[str, str] | None = None,
    stage: str = "$default",
) -> dict[str, Any]:
    """The payload 2.0 event API Gateway would send a Lambda proxy integration."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in request.headers:
        key = name.lower()
        if key == "cookie":
            cookies.extend(part.strip() for part in value.split(";") if part.strip())
            continue
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    query: dict[str, str] = {}
    for name, value in parse_qsl(request.query, keep_blank_values=True):
        query[name] = f"{query[name]},{value}" if name in query else value
    now = time.time()
    domain = headers.get("host", "localhost").split(":", 1)[0]
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": request.path,
        "rawQueryString": request.query,
        "headers": headers,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "domainName": domain,
            "domainPrefix": domain.split(".", 1)[0],
            "http": {
                "method": request.method.upper(),
                "path": request.path,
                "protocol": "HTTP/1.1",
                "sourceIp": request.source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": secrets.token_urlsafe(12),
            "routeKey": route_key,
            "stage": stage,
            "time": _request_time(now),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": False,
    }
    # Like API Gateway, optional members are absent rather than empty.
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = path_parameters
    if request.body:
        event["body"], event["isBase64Encoded"] = _encode_body(
            request.body, headers.get("content-type")
        )
    return event


class InvalidResultError(ValueError):
    """A Lambda result API Gateway would reject (it answers 502 for these)."""


def _structured_response(result: dict[str, Any]) -> Response:
    status = result["statusCode"]
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise InvalidResultError(f"statusCode: expected an HTTP status integer, got {status!r}")
    headers: list[tuple[str, str]] = []
    for name, value in (result.get("headers") or {}).items():
        headers.append((str(name), str(value)))
    # Payload 2.0 has no multiValueHeaders, but a handler written for 1.0 may
    # still send them; API Gateway drops them, and so do we, with a warning.
    if result.get("multiValueHeaders"):
        _log.warning("multiValueHeaders ignored: payload format 2.0 uses headers and cookies")
    for cookie in result.get("cookies") or []:
        headers.append(("Set-Cookie", str(cookie)))
    body = result.get("body")
    if body is None:
        raw = b""
    elif not isinstance(body, str):
        raise InvalidResultError(f"body: expected a string, got {type(body).__name__}")
    elif result.get("isBase64Encoded"):
        try:
            raw = base64.b64decode(body, validate=True)
        except binascii.Error as exc:
            raise InvalidResultError(
                "body: isBase64Encoded is true but body is not base64"
            ) from exc
    else:
        raw = body.encode("utf-8")
    return Response(status, headers, raw)


def from_result(result: Any) -> Response:
    """The HTTP response API Gateway makes of a Lambda result (payload 2.0 rules)."""
    if isinstance(result, dict) and "statusCode" in result:
        return _structured_response(result)
    # Without statusCode, API Gateway sends the whole result as a JSON 200.
    body = json.dumps(result)
    return Response(200, [("Content-Type", "application/json")], body.encode("utf-8"))


def gateway_error(status: int, message: str) -> Response:
    """An error answered by API Gateway itself (no route, function crashed or timed out)."""
    body = json.dumps({"message": message}).encode()
    return Response(status, [("Content-Type", "application/json")], body)
