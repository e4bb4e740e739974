"""Requests reach a function only along the deployed HTTP API's routes, with its route keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from storefront.devserver.api_routes import load_route_keys, match_route
from storefront.devserver.apigw import to_event
from storefront.devserver.http import Request

KEYS = load_route_keys()


@pytest.mark.parametrize(
    ("method", "path", "route_key", "parameters"),
    [
        ("GET", "/api/cart", "ANY /api/cart", {}),
        ("POST", "/api/cart/items", "ANY /api/cart/{proxy+}", {"proxy": "items"}),
        (
            "POST",
            "/api/cart/saved/TEE-M/move-to-cart",
            "ANY /api/cart/{proxy+}",
            {"proxy": "saved/TEE-M/move-to-cart"},
        ),
        ("GET", "/api/stock", "GET /api/stock", {}),
        ("POST", "/api/checkout", "POST /api/checkout", {}),
        ("GET", "/api/orders/1001", "GET /api/orders/{order_id}", {"order_id": "1001"}),
        (
            "GET",
            "/api/orders/session/cs_test_1",
            "GET /api/orders/session/{session_id}",
            {"session_id": "cs_test_1"},
        ),
        ("POST", "/api/stripe/webhook", "POST /api/stripe/webhook", {}),
    ],
)
def test_request_matches_the_templates_most_specific_route(
    method: str, path: str, route_key: str, parameters: dict[str, str]
) -> None:
    assert match_route(KEYS, method, path) == (route_key, parameters)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/stock"),
        ("GET", "/api/checkout"),
        ("DELETE", "/api/orders/1001"),
        ("GET", "/api/orders/1001/extra"),
        ("GET", "/api/stripe/webhook"),
    ],
)
def test_request_the_deployed_api_would_not_route_gets_no_route(method: str, path: str) -> None:
    assert match_route(KEYS, method, path) is None


def test_without_a_template_everything_takes_the_default_route(tmp_path: Path) -> None:
    keys = load_route_keys(tmp_path / "missing.yaml")
    assert match_route(keys, "PUT", "/api/anything") == ("$default", {})


def test_event_carries_route_key_and_path_parameters() -> None:
    event = to_event(
        Request("GET", "/api/orders/1001?t=abc", (("Host", "localhost"),)),
        route_key="GET /api/orders/{order_id}",
        path_parameters={"order_id": "1001"},
    )
    assert event["routeKey"] == event["requestContext"]["routeKey"] == "GET /api/orders/{order_id}"
    assert event["pathParameters"] == {"order_id": "1001"}
