"""The Powertools wiring every HTTP API function shares: logs, traces, metrics, errors, 404s.

A handler module builds one `HttpFunction`, registers its routes on `.app` and
exposes `handler = function.lambda_handler()`. Errors are answered here, in one
shape: a `ShopError` becomes its documented status and code (shop.http_errors),
any other exception is a bug answered with a bare 500 in the API's shape, and
unknown paths or methods a JSON 404. Only Powertools and the shop's own light
modules are imported, so cold starts stay lean.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from shop.errors import ShopConfigError, ShopError, StoreUnavailableError
from shop.http_responses import error_response, internal_error_response, not_found_response

METRICS_NAMESPACE = "Storefront"

# (event, context) -> response; the context is Lambda's (tests pass a stand-in).
LambdaHandler = Callable[..., dict[str, Any]]


class HttpFunction:
    """One API Gateway HTTP API (v2) function: its logger, tracer, metrics and resolver."""

    def __init__(self, name: str, *, publishes_metrics: bool = True) -> None:
        self.name = name
        self.publishes_metrics = publishes_metrics
        self.logger = Logger()
        self.tracer = Tracer()
        self.metrics = Metrics(namespace=METRICS_NAMESPACE)
        self.app = APIGatewayHttpResolver()
        self.app.exception_handler(ShopError)(self._answer_shop_error)
        self.app.exception_handler(Exception)(self._answer_bug)
        self.app.not_found(self._answer_not_found)

    def count(self, metric: str, value: int = 1) -> None:
        """Add to a count metric, published when the invocation ends."""
        self.metrics.add_metric(name=metric, unit=MetricUnit.Count, value=value)

    def _answer_shop_error(self, exc: ShopError) -> Response[str]:
        """Every domain error becomes its documented status and code."""
        if isinstance(exc, StoreUnavailableError | ShopConfigError):
            # The cause chain names the failing service; the client only gets a generic message.
            self.logger.exception(f"{self.name} request failed on the server side")
        else:
            # The error's type, not its message: messages may echo what the client sent.
            self.logger.info(f"{self.name} request refused", extra={"error": type(exc).__name__})
        return error_response(exc)

    def _answer_bug(self, exc: Exception) -> Response[str]:
        """A bug, not a request problem: logged with its traceback, answered in the API's shape."""
        self.logger.exception(f"{self.name} request failed unexpectedly")
        return internal_error_response()

    def _answer_not_found(self, _: Exception) -> Response[str]:
        """Unknown paths and methods."""
        event = self.app.current_event
        return not_found_response(event.request_context.http.method, event.path)

    def lambda_handler(self) -> LambdaHandler:
        """The Lambda entry point: the resolver behind Powertools' logging, tracing and metrics."""

        def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
            return self.app.resolve(event, context)

        wrapped: LambdaHandler = handler
        if self.publishes_metrics:
            wrapped = self.metrics.log_metrics(wrapped)
        wrapped = self.tracer.capture_lambda_handler(wrapped)
        logged: LambdaHandler = self.logger.inject_lambda_context(
            wrapped, correlation_id_path="requestContext.requestId"
        )
        return logged
