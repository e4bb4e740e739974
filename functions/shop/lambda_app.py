"""The Powertools wiring every HTTP API function shares: logs, traces, metrics, errors, 404s.

A handler module builds one `HttpFunction`, registers its routes on `.app` and
exposes `handler = function.lambda_handler()`. Errors are answered here, in one
shape: a `ShopError` becomes its documented status and code (shop.http_errors),
any other exception is a bug answered with a bare 500 in the API's shape, and
unknown paths or methods a JSON 404. Writes from another site's pages are refused
here too, before any route runs (`refuse_cross_origin`). Only Powertools and the
shop's own light modules are imported, so cold starts stay lean.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from shop.checkout import CheckoutSessionNotFoundError, PaymentGatewayError
from shop.config import METRICS_NAMESPACE, get_config
from shop.errors import CrossOriginError, ShopConfigError, ShopError, StoreUnavailableError
from shop.http_responses import error_response, internal_error_response, not_found_response

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

# (event, context) -> response; the context is Lambda's (tests pass a stand-in).
LambdaHandler = Callable[..., dict[str, Any]]

# What a page on another site can make a shopper's browser send with a form or a
# script; GET and HEAD change nothing, and OPTIONS preflights are never granted.
STATE_CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}
_ECHOED_ORIGIN_MAX = 200  # the refusal quotes the header; a long one is cut


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of an absolute URL, lowercased, default port dropped ("" if none)."""
    scheme, sep, rest = url.strip().partition("://")
    authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].lower()
    if not sep or not scheme or not authority:
        return ""
    scheme = scheme.lower()
    return f"{scheme}://{authority.removesuffix(_DEFAULT_PORTS.get(scheme, '//'))}"


def is_same_origin(origin: str, site_origin: str, host: str) -> bool:
    """True if an `Origin` header names the shop's own pages.

    Either the shop's origin (SITE_URL), or the host the browser sent this very
    request to: how the local shop is reached under any of its names
    (localhost, 127.0.0.1, a LAN name with `serve --public`). A page on another
    site cannot choose the Host its visitor's browser sends, so that is just as
    strict; behind CloudFront the Host is the API's own domain, which serves no pages.
    """
    # "null" is an opaque origin (sandboxed frame, data: URL, cross-site redirect chain):
    # it can be anyone, so it is never the shop.
    found = origin_of(origin) if origin != "null" else ""
    if not found:
        return False
    if found == site_origin:
        return True
    scheme, _, authority = found.partition("://")
    default_port = _DEFAULT_PORTS.get(scheme)
    if default_port is None or not host:
        return False
    return authority == host.strip().lower().removesuffix(default_port)


class HttpFunction:
    """One API Gateway HTTP API (v2) function: its logger, tracer, metrics and resolver."""

    def __init__(
        self, name: str, *, publishes_metrics: bool = True, refuses_cross_origin: bool = True
    ) -> None:
        self.name = name
        self.publishes_metrics = publishes_metrics
        self.logger = Logger()
        self.tracer = Tracer()
        self.metrics = Metrics(namespace=METRICS_NAMESPACE)
        self.app = APIGatewayHttpResolver()
        self.app.exception_handler(ShopError)(self.answer_shop_error)
        self.app.exception_handler(Exception)(self._answer_bug)
        self.app.not_found(self._answer_not_found)
        if refuses_cross_origin:
            self.app.use(middlewares=[self.refuse_cross_origin])

    def count(self, metric: str, value: int = 1) -> None:
        """Add to a count metric, published when the invocation ends."""
        self.metrics.add_metric(name=metric, unit=MetricUnit.Count, value=value)

    def refuse_cross_origin(
        self, app: APIGatewayHttpResolver, next_middleware: NextMiddleware
    ) -> Response[str]:
        """Refuse a write whose `Origin` is not the shop's (CSRF); requests without one pass.

        Browsers send `Origin` on every cross-site POST, form posts included, and a
        page's scripts cannot remove it. A request without it comes from a server
        or a script outside any browser, which carries no shopper's cookie.
        """
        event = app.current_event
        origin = event.headers.get("origin")
        if origin is not None and event.request_context.http.method in STATE_CHANGING_METHODS:
            # An empty SITE_URL fails closed: only requests whose Origin matches the Host
            # they were sent to pass. Behind CloudFront (Host not forwarded) that refuses
            # every browser write, and the refusal names SITE_URL; nothing is let through.
            site_origin = origin_of(get_config().site_url)
            if not is_same_origin(origin, site_origin, event.headers.get("host") or ""):
                raise CrossOriginError(origin[:_ECHOED_ORIGIN_MAX], site_origin)
        return next_middleware(app)

    def answer_shop_error(self, exc: ShopError) -> Response[str]:
        """Every domain error becomes its documented status and code."""
        self.log_shop_error(exc)
        return error_response(exc)

    def log_shop_error(self, exc: ShopError) -> None:
        """Log a domain error once, whatever shape its answer takes (JSON or a redirect)."""
        server_side = isinstance(exc, StoreUnavailableError | ShopConfigError) or (
            # Stripe down, or refusing the shop's key: the operator needs Stripe's words.
            # A made-up session id is the client's doing.
            isinstance(exc, PaymentGatewayError)
            and not isinstance(exc, CheckoutSessionNotFoundError)
        )
        if server_side:
            # The cause chain names the failing service; the client only gets a generic message.
            self.logger.exception(f"{self.name} request failed on the server side")
        else:
            # The error's type, not its message: messages may echo what the client sent.
            self.logger.info(f"{self.name} request refused", extra={"error": type(exc).__name__})

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
