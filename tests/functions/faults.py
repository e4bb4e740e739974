"""Fault injection for the adapters' tests: real botocore errors and a flaky Stripe HTTP layer.

`fail_aws` hooks botocore's own `before-call` event (as its Stubber does),
so the failure is raised by botocore itself as the ClientError the service would
produce, after the client's retries: the adapter code above it is untouched.
`FlakyStripeHttp` answers the SDK's requests with scripted HTTP errors or
connection failures before behaving like Stripe's API again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import stripe
from botocore.awsrequest import AWSResponse, HTTPHeaders

from tests.functions.payments import RecordedRequest, RecordingStripeHttp


def current_dynamodb_client() -> Any:
    """The DynamoDB client the handlers use now, looked up when called.

    Not imported at module load: the local server's cold starts (tests/devserver)
    drop the functions' modules from sys.modules, and a handler imported after
    that builds its client from a fresh `shop.aws_clients`.
    """
    from shop.aws_clients import dynamodb_client
    from shop.config import get_config

    return dynamodb_client(get_config().region)


THROTTLED = {
    "Code": "ProvisionedThroughputExceededException",
    "Message": "The level of configured provisioned throughput for the table was exceeded.",
}


@dataclass
class DynamoFault:
    """How many calls of one operation still fail, and how many did."""

    operation: str
    remaining: int
    error: dict[str, str]
    cancellation_codes: list[str] | None = None
    failed: int = 0
    let_through: int = 0  # calls that succeed before the failures start

    def response(self) -> tuple[AWSResponse, dict[str, Any]]:
        body: dict[str, Any] = {
            "Error": dict(self.error),
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }
        if self.cancellation_codes is not None:
            body["CancellationReasons"] = [{"Code": code} for code in self.cancellation_codes]
        return AWSResponse(
            "https://dynamodb.eu-west-1.amazonaws.com", 400, HTTPHeaders(), None
        ), body


@contextmanager
def fail_aws(
    client: Any,
    operation: str,
    *,
    times: int = 1,
    error: dict[str, str] | None = None,
    cancellation_codes: list[str] | None = None,
    after: int = 0,
) -> Iterator[DynamoFault]:
    """Make `times` calls of `operation` (e.g. "TransactWriteItems") fail, after `after` succeed."""
    fault = DynamoFault(operation, times, error or THROTTLED, cancellation_codes, let_through=after)

    def before_call(**_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if fault.let_through > 0:
            fault.let_through -= 1
            return None
        if fault.remaining <= 0:
            return None
        fault.remaining -= 1
        fault.failed += 1
        return fault.response()

    service = client.meta.service_model.service_id.hyphenize()
    event = f"before-call.{service}.{operation}"
    client.meta.events.register_first(event, before_call, unique_id=f"fault-{operation}")
    try:
        yield fault
    finally:
        client.meta.events.unregister(event, unique_id=f"fault-{operation}")


@dataclass
class FlakyStripeHttp(RecordingStripeHttp):
    """Stripe's API that first fails as scripted: (status, error body) or an exception to raise."""

    script: list[tuple[int, dict[str, Any]] | Exception] = field(default_factory=list)

    def request(
        self, method: str, url: str, headers: Any, post_data: Any = None, *, _usage: Any = None
    ) -> tuple[str, int, dict[str, str]]:
        if self.script:
            failure = self.script.pop(0)
            body = post_data.decode() if isinstance(post_data, bytes) else (post_data or "")
            params = parse_qsl(body or url.partition("?")[2], keep_blank_values=True)
            self.requests.append(RecordedRequest(method, url, dict(headers or {}), params))
            if isinstance(failure, Exception):
                raise failure
            status, error = failure
            return json.dumps(error), status, {}
        return super().request(method, url, headers, post_data)

    def _sleep_time_seconds(self, num_retries: int) -> float:
        return 0.0  # the SDK's backoff, without the wait


def stripe_timeout() -> stripe.APIConnectionError:
    """What the SDK's HTTP clients raise when a request times out (retryable)."""
    return stripe.APIConnectionError(  # type: ignore[no-untyped-call]
        "Request to Stripe timed out after 80 seconds", should_retry=True
    )


STRIPE_500 = (500, {"error": {"type": "api_error", "message": "An unknown error occurred"}})
STRIPE_429 = (
    429,
    {"error": {"type": "invalid_request_error", "code": "rate_limit", "message": "Too many"}},
)
