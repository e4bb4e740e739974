"""The $default route's function: any path or method no route serves gets the API's JSON 404."""

from __future__ import annotations

import pytest

from tests.functions.shop.api import invoke, make_event

NOT_FOUND = "not_found.app"


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/nothing-here"), ("PUT", "/api/checkout"), ("DELETE", "/api/stock")],
)
def test_every_request_gets_a_json_404_with_a_stable_code(method: str, path: str) -> None:
    event = make_event("stock_get.json", path=path, method=method, cookies=[])
    event["routeKey"] = "$default"

    result = invoke(NOT_FOUND, event)

    assert result.status == 404
    assert result.body == {
        "error": {"code": "not_found", "message": f"{method} {path}: no such API route"}
    }
    assert result.headers["cache-control"] == "no-store"
    assert result.cookies == []
