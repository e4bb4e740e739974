"""schemathesis fuzzes every operation of functions/openapi.yaml against the running local shop.

Valid and invalid requests alike must never get a 5xx, and every answer must be
one the spec declares (status code and body schema). Generated webhook calls
cannot carry a valid Stripe signature, so each must be refused with 400.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.devserver.serve_process import ROOT
from tests.fuzz.conftest import FuzzShop

OPENAPI = ROOT / "functions" / "openapi.yaml"
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]

pytestmark = pytest.mark.slow

# Loaded from the file (the shop's address is only known once `fuzz_shop` runs,
# so each call names it); both valid and invalid requests are generated.
schema = schemathesis.openapi.from_path(
    OPENAPI, config=schemathesis.Config.from_dict({"generation": {"mode": "all"}})
)


_calls: list[Any] = []


@pytest.fixture(scope="module")
def cart_cookie(fuzz_shop: FuzzShop) -> str:
    """The id of a cart holding two in-stock SKUs (and one saved for later)."""
    skus = json.loads(fuzz_shop.catalog.read_text(encoding="utf-8"))["skus"]
    in_stock = sorted(sku for sku, entry in skus.items() if entry["initial_stock"] >= 5)[:3]
    cart_id = ""
    for sku in in_stock:
        cookie = f"cart_id={cart_id}" if cart_id else ""
        answer = requests.post(
            f"{fuzz_shop.url}/api/cart/items",
            json={"sku": sku, "quantity": 1},
            headers={"Cookie": cookie} if cookie else {},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        cart_id = cart_id or answer.headers["Set-Cookie"].split(";", 1)[0].split("=", 1)[1]
    saved = requests.post(
        f"{fuzz_shop.url}/api/cart/saved/{in_stock[-1]}",
        headers={"Cookie": f"cart_id={cart_id}"},
        timeout=30,
    )
    assert saved.status_code == 200, saved.text
    assert len(saved.json()["items"]) == 2
    return cart_id


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_answers_as_documented(
    case: Any, fuzz_shop: FuzzShop, cart_cookie: str
) -> None:
    # Every other call carries a real cart's cookie, so reads, edits and checkout
    # meet stored lines too, not only the empty cart of a cookie-less visitor.
    _calls.append(case)
    cookies = {"cart_id": cart_cookie} if len(_calls) % 2 else None
    response = case.call_and_validate(base_url=fuzz_shop.url, checks=CHECKS, cookies=cookies)
    if cookies and case.operation.path == "/api/cart" and response.status_code == 200:
        assert response.json()["saved"], "the cart cookie did not reach the API"
    if case.operation.path == "/api/stripe/webhook" and case.method.upper() == "POST":
        assert response.status_code == 400, response.text
