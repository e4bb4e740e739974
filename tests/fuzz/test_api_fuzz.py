"""schemathesis fuzzes every operation of functions/openapi.yaml against the running local shop.

Valid and invalid requests alike must never get a 5xx, and every answer must be
one the spec declares (status code and body schema). Generated webhook calls
cannot carry a valid Stripe signature, so each must be refused with 400.
"""

from __future__ import annotations

from typing import Any

import pytest
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


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_answers_as_documented(case: Any, fuzz_shop: FuzzShop) -> None:
    response = case.call_and_validate(base_url=fuzz_shop.url, checks=CHECKS)
    if case.operation.path == "/api/stripe/webhook" and case.method.upper() == "POST":
        assert response.status_code == 400, response.text
