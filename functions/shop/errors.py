"""Domain errors of the shop functions: each carries the facts a client or operator needs.

Every error a client can provoke subclasses `ShopError`; `shop.http_errors` is the
one place that turns them into an HTTP status and a stable error code. Errors
that mean the deployment is broken (a missing snapshot, a bad environment)
subclass `ShopConfigError` and surface as 500s, because no request can fix them.
"""

from __future__ import annotations


def shown_value(value: object, limit: int = 40) -> str:
    """A client's value as a message quotes it (its repr), cut short: a 4,000-digit number
    is not repeated back."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ShopError(Exception):
    """Base of every error the shop functions raise on purpose."""

    # Seconds after which the same request may succeed (sent as Retry-After), if known.
    retry_after: int | None = None

    @property
    def message(self) -> str:
        """A human sentence naming what went wrong, where, and what was expected."""
        return str(self)


# --- request shape -----------------------------------------------------------------


class InvalidJsonError(ShopError):
    """The request body is not a JSON document."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"request body: expected a JSON object, could not parse it ({detail})")


class UnsupportedMediaTypeError(ShopError):
    """The request body is in a media type the endpoint does not read."""

    def __init__(self, given: str, expected: str) -> None:
        self.given = given
        self.expected = expected
        super().__init__(f'Content-Type: expected {expected}, got "{given}"')


class RequestValidationError(ShopError):
    """A field of the request has the wrong type or value; `field` is a dotted path."""

    def __init__(self, field: str, expected: str) -> None:
        self.field = field
        self.expected = expected
        super().__init__(f"{field}: {expected}")


class BodyTooLargeError(ShopError):
    """The request body exceeds the function's size limit."""

    def __init__(self, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(f"request body: expected at most {limit} bytes, got {size}")


class UnsupportedLocaleError(ShopError):
    """A `locale` parameter names a locale the store does not publish."""

    def __init__(self, locale: str, supported: tuple[str, ...]) -> None:
        self.locale = locale
        self.supported = supported
        super().__init__(f'locale: expected one of {", ".join(supported)}, got "{locale}"')


class CrossOriginError(ShopError):
    """A state-changing request sent by a page on another origin (CSRF), or by an opaque one."""

    def __init__(self, origin: str, site_origin: str) -> None:
        self.origin = origin
        self.site_origin = site_origin  # "" when SITE_URL is not configured
        expected = f'"{site_origin}"' if site_origin else "(not configured: SITE_URL is empty)"
        super().__init__(f'Origin: expected the shop\'s own origin {expected}, got "{origin}"')


# --- catalog and cart ----------------------------------------------------------------


class UnknownSkuError(ShopError):
    """A SKU that the catalog snapshot does not contain."""

    def __init__(self, sku: str) -> None:
        self.sku = sku
        super().__init__(f'sku: "{sku}" is not in the catalog')


class NotInCartError(ShopError):
    """An operation on a cart line (or saved line) that the cart does not hold."""

    def __init__(self, sku: str, where: str = "cart") -> None:
        self.sku = sku
        self.where = where  # "cart" or "saved"
        super().__init__(f'sku: "{sku}" is not in the {where} list of this cart')


class QuantityError(ShopError):
    """A line quantity outside the declared bounds."""

    def __init__(self, sku: str, quantity: int, minimum: int, maximum: int) -> None:
        self.sku = sku
        self.quantity = quantity
        self.minimum = minimum
        self.maximum = maximum
        super().__init__(
            f'quantity for "{sku}": expected {minimum} to {maximum} per line, '
            f"got {shown_value(quantity)}"
        )


class CartLimitError(ShopError):
    """The cart as a whole would exceed a declared limit (units or distinct lines)."""

    def __init__(self, what: str, requested: int, maximum: int) -> None:
        self.what = what  # "units" or "lines" or "saved lines"
        self.requested = requested
        self.maximum = maximum
        super().__init__(f"cart: expected at most {maximum} {what}, this change makes {requested}")


class OutOfStockError(ShopError):
    """More units requested than are available right now."""

    def __init__(self, sku: str, requested: int, available: int) -> None:
        self.sku = sku
        self.requested = requested
        self.available = available
        super().__init__(f'quantity for "{sku}": only {available} available, requested {requested}')


class ConcurrentUpdateError(ShopError):
    """A conditional write kept losing to concurrent writers after every retry."""

    def __init__(self, what: str, attempts: int) -> None:
        self.what = what
        self.attempts = attempts
        super().__init__(f"{what}: changed concurrently {attempts} times in a row, try again")


class NegativeStockError(ShopError):
    """A merchant adjustment would take available stock below zero."""

    def __init__(self, sku: str, available: int, delta: int) -> None:
        self.sku = sku
        self.available = available
        self.delta = delta
        super().__init__(f'stock for "{sku}": adding {delta} to {available} would go below zero')


# --- infrastructure --------------------------------------------------------------------


class StoreUnavailableError(ShopError):
    """A backing store (DynamoDB, S3) failed; wraps the SDK error as its __cause__."""

    def __init__(self, store: str, operation: str, detail: str) -> None:
        self.store = store
        self.operation = operation
        self.detail = detail
        super().__init__(f"{store}: {operation} failed ({detail})")


class ShopConfigError(ShopError):
    """The deployment is misconfigured (environment, snapshot); no request can fix it."""


class CatalogSnapshotError(ShopConfigError):
    """The catalog snapshot is missing or does not have the documented format."""

    def __init__(self, source: str, field: str, expected: str) -> None:
        self.source = source
        self.field = field
        self.expected = expected
        super().__init__(f"{source}: {field}: {expected}")


class ConfigError(ShopConfigError):
    """An environment variable is missing or malformed."""

    def __init__(self, variable: str, expected: str) -> None:
        self.variable = variable
        self.expected = expected
        super().__init__(f"environment {variable}: {expected}")
