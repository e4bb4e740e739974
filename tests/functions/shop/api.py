"""Invoke the API handlers with the API Gateway v2 events in tests/events/, on moto.

`api_env` gives each test a fresh moto DynamoDB, a snapshot file, the
environment the functions read at cold start, and cleared per-container
caches, so every test starts like a new Lambda container.
"""

from __future__ import annotations

import base64
import copy
import importlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
import yaml

from tests.functions.shop.aws import (
    CARTS_TABLE,
    INVENTORY_TABLE,
    REGION,
    RESERVATIONS_TABLE,
    mocked_dynamodb,
)
from tests.functions.shop.factories import write_snapshot

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

ROOT = Path(__file__).resolve().parents[3]
EVENTS = ROOT / "tests" / "events"
OPENAPI = ROOT / "functions" / "openapi.yaml"
SITE_URL = "https://shop.example.com"  # the shop the recorded events in tests/events/ came from


@dataclass(frozen=True)
class FakeLambdaContext:
    """The attributes Powertools' Logger reads from a Lambda context."""

    function_name: str = "cart"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:cart"
    aws_request_id: str = "52fdfc07-2182-454f-963f-5f0f9a621d72"


@dataclass(frozen=True)
class ApiResult:
    """A handler's v2 response, decoded."""

    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: Any

    @property
    def error_code(self) -> str:
        """The stable error code of an error response."""
        code: str = self.body["error"]["code"]
        return code


_UNSET: Any = object()


def make_event(
    name: str,
    *,
    cookies: list[str] | None = _UNSET,
    body: str | None = _UNSET,
    path: str | None = None,
    method: str | None = None,
    query: str | None = None,
) -> dict[str, Any]:
    """A recorded event from tests/events/, with the given parts replaced."""
    event: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    event = copy.deepcopy(event)
    if cookies is not _UNSET:
        if cookies:
            event["cookies"] = cookies
        else:
            event.pop("cookies", None)
    if body is not _UNSET:
        if body is None:
            event.pop("body", None)
        else:
            event["body"] = body
            event["isBase64Encoded"] = False
            event["headers"]["content-length"] = str(len(body.encode("utf-8")))
    if path is not None:
        event["rawPath"] = path
        event["requestContext"]["http"]["path"] = path
        prefix = "/api/cart/"
        if path.startswith(prefix):
            event["pathParameters"] = {"proxy": path.removeprefix(prefix)}
    if method is not None:
        event["requestContext"]["http"]["method"] = method
    if query is not None:
        event["rawQueryString"] = query
        params: dict[str, str] = {}
        for part in filter(None, query.split("&")):
            key, _, value = part.partition("=")
            params[key] = f"{params[key]},{value}" if key in params else value
        if params:
            event["queryStringParameters"] = params
        else:
            event.pop("queryStringParameters", None)
    return event


def invoke(module: str, event: dict[str, Any]) -> ApiResult:
    """Call a handler module's `handler` and decode its v2 response."""
    response = importlib.import_module(module).handler(event, FakeLambdaContext())
    raw = response.get("body") or ""
    if response.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    return ApiResult(
        status=response["statusCode"],
        headers={k.lower(): v for k, v in (response.get("headers") or {}).items()},
        cookies=list(response.get("cookies") or []),
        body=json.loads(raw) if raw else None,
    )


def cookie_value(result: ApiResult) -> str | None:
    """The cart id a response sets, or None."""
    for cookie in result.cookies:
        name, _, rest = cookie.partition("=")
        if name == "cart_id":
            return rest.split(";", 1)[0]
    return None


@cache
def openapi_spec() -> dict[str, Any]:
    """functions/openapi.yaml, parsed."""
    spec: dict[str, Any] = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    return spec


def assert_matches_openapi(method: str, template: str, result: ApiResult) -> None:
    """Check a response against the documented schema for that path, method and status."""
    spec = openapi_spec()
    operation = spec["paths"][template][method.lower()]
    documented = operation["responses"].get(str(result.status))
    assert documented is not None, f"{method} {template}: status {result.status} not documented"
    if "$ref" in documented:
        documented = spec["components"]["responses"][documented["$ref"].rsplit("/", 1)[1]]
    schema = documented["content"]["application/json"]["schema"]
    validator = jsonschema.Draft202012Validator(
        {**schema, "components": spec["components"]},
        format_checker=jsonschema.FormatChecker(),
    )
    validator.validate(result.body)


def clear_container_caches() -> None:
    """Forget everything a container keeps between invocations."""
    # Looked up now, not at import: the local server's cold starts (tests/devserver)
    # drop the functions' modules, and the handlers then import fresh copies.
    importlib.import_module("shop.config").get_config.cache_clear()
    importlib.import_module("shop.catalog_source").forget_catalog()
    importlib.import_module("shop.aws_clients").dynamodb_client.cache_clear()
    importlib.import_module("cart.app").cart_context.cache_clear()
    importlib.import_module("stock.app").inventory.cache_clear()


@pytest.fixture
def api_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DynamoDBClient]:
    """A cold container: env, snapshot file, moto tables; yields a DynamoDB client to inspect."""
    snapshot = write_snapshot(tmp_path / "catalog.json")
    for name, value in {
        "CATALOG_PATH": str(snapshot),
        "CARTS_TABLE": CARTS_TABLE,
        "INVENTORY_TABLE": INVENTORY_TABLE,
        "RESERVATIONS_TABLE": RESERVATIONS_TABLE,
        "SITE_URL": SITE_URL,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "storefront-test",
    }.items():
        monkeypatch.setenv(name, value)
    clear_container_caches()
    with mocked_dynamodb() as client:
        yield client
    clear_container_caches()
