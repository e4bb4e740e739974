"""JSON responses for the Powertools HTTP resolvers, shared by every API handler.

Kept apart from `shop.http_errors` (which decides status and code) so that the
mapping stays free of Powertools; this module only renders.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.shared.cookies import Cookie

from shop.errors import ShopError
from shop.http_errors import error_body, http_error_for

NO_STORE = "no-store"


def json_response(
    status: int,
    body: dict[str, Any],
    *,
    cache_control: str = NO_STORE,
    cookies: list[Cookie] | None = None,
) -> Response[str]:
    """A JSON response with explicit caching (private API answers are never cached)."""
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate echoed from a request would break the Lambda runtime's encoding.
            text = json.dumps(body, separators=(",", ":"))
    return Response(
        status_code=status,
        content_type="application/json",
        body=text,
        headers={"Cache-Control": cache_control, "X-Content-Type-Options": "nosniff"},
        cookies=cookies or [],
    )


def redirect_response(location: str, *, cookies: list[Cookie] | None = None) -> Response[str]:
    """A 303 See Other: after a form post, the browser GETs `location` (a same-site path)."""
    return Response(
        status_code=303,
        content_type="text/plain; charset=utf-8",
        body="",
        headers={"Location": location, "Cache-Control": NO_STORE},
        cookies=cookies or [],
    )


def error_response(exc: ShopError) -> Response[str]:
    """The response for a domain error, per the one mapping in shop.http_errors."""
    error = http_error_for(exc)
    response = json_response(error.status, error.body())
    if exc.retry_after is not None:
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def not_found_response(method: str, path: str) -> Response[str]:
    """The response for a path or method no route serves."""
    return json_response(404, error_body("not_found", f"{method} {path}: no such API route"))


def internal_error_response() -> Response[str]:
    """The response for a bug: 500 in the API's error shape, revealing nothing."""
    return json_response(
        500, error_body("internal_error", "Something went wrong on our side; please try again.")
    )
