"""The one mapping of domain errors to HTTP status, stable error code and JSON body.

Handlers register a single exception handler for `ShopError` that calls
`http_error_for`; nothing else decides a status code. Codes are part of the
public API (documented in functions/openapi.yaml): never rename one.
To add an error, add its class to `ERROR_TABLE` (most specific first is not
required: lookup walks the exception's MRO, so a subclass row wins).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shop.checkout import (
    CheckoutSessionNotFoundError,
    CheckoutStartingError,
    EmptyCheckoutError,
    PaymentGatewayError,
)
from shop.errors import (
    BodyTooLargeError,
    CartLimitError,
    CatalogSnapshotError,
    ConcurrentUpdateError,
    ConfigError,
    CrossOriginError,
    InvalidJsonError,
    NegativeStockError,
    NotInCartError,
    OutOfStockError,
    QuantityError,
    RequestValidationError,
    ShopConfigError,
    ShopError,
    StoreUnavailableError,
    UnknownSkuError,
    UnsupportedLocaleError,
    UnsupportedMediaTypeError,
)
from shop.hold_allowance import HoldAllowanceSpentError
from shop.orders import OrderNotFoundError, RefundBeforeOrderError
from shop.reservations import StockShortError

# error class -> (HTTP status, stable code)
ERROR_TABLE: dict[type[ShopError], tuple[int, str]] = {
    InvalidJsonError: (400, "invalid_json"),
    RequestValidationError: (422, "invalid_request"),
    BodyTooLargeError: (413, "body_too_large"),
    UnsupportedMediaTypeError: (415, "unsupported_media_type"),
    UnsupportedLocaleError: (422, "unsupported_locale"),
    # Not 403: CloudFront shows /404.html for any origin's 403 (infra/template.yaml), so
    # the API never answers 403 and this refusal would reach no client as documented.
    CrossOriginError: (400, "cross_origin_request"),
    UnknownSkuError: (422, "unknown_sku"),
    NotInCartError: (404, "not_in_cart"),
    QuantityError: (422, "quantity_out_of_bounds"),
    CartLimitError: (422, "cart_limit_exceeded"),
    OutOfStockError: (409, "out_of_stock"),
    NegativeStockError: (409, "negative_stock"),
    ConcurrentUpdateError: (409, "concurrent_update"),
    StoreUnavailableError: (503, "service_unavailable"),
    CatalogSnapshotError: (500, "internal_error"),
    ConfigError: (500, "internal_error"),
    ShopConfigError: (500, "internal_error"),
    # checkout, payment and orders
    StockShortError: (409, "out_of_stock"),
    EmptyCheckoutError: (422, "empty_cart"),
    HoldAllowanceSpentError: (429, "too_many_holds"),
    # The shopper's other tab is opening the cart's checkout: theirs, so "try again".
    CheckoutStartingError: (409, "concurrent_update"),
    OrderNotFoundError: (404, "order_not_found"),
    # Any non-2xx makes Stripe deliver the event again later, when the order exists.
    RefundBeforeOrderError: (409, "order_not_recorded_yet"),
    # Found before its base PaymentGatewayError (MRO): a made-up session id is no outage.
    CheckoutSessionNotFoundError: (404, "order_not_found"),
    PaymentGatewayError: (503, "payment_unavailable"),
}

# Server-side faults must not leak internals (table names, paths) to clients.
_GENERIC_MESSAGES: dict[int, str] = {
    500: "The shop is misconfigured; the team has been alerted.",
    503: "A backing service is unavailable; please try again in a moment.",
}


@dataclass(frozen=True, slots=True)
class HttpError:
    """What a handler sends for a domain error: status, code and a human message."""

    status: int
    code: str
    message: str

    def body(self) -> dict[str, Any]:
        """The JSON body: {"error": {"code": ..., "message": ...}}."""
        return {"error": {"code": self.code, "message": self.message}}


def http_error_for(exc: ShopError) -> HttpError:
    """Map a domain error to its HTTP status, stable code and client-safe message."""
    for cls in type(exc).__mro__:
        row = ERROR_TABLE.get(cls)
        if row is not None:
            status, code = row
            return HttpError(status, code, _GENERIC_MESSAGES.get(status, exc.message))
    return HttpError(500, "internal_error", _GENERIC_MESSAGES[500])


def error_body(code: str, message: str) -> dict[str, Any]:
    """An error body for cases with no domain exception (unknown route, wrong method)."""
    return {"error": {"code": code, "message": message}}
