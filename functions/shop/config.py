"""Typed configuration of the functions, read from the environment once per container.

Every function reads the same object; fields a function does not use may be
empty. Secrets are held as given (a value, or the name of an SSM parameter to
resolve); resolving SSM is the Stripe adapter's job, not this module's.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass

from shop.errors import ConfigError
from shop.hold_allowance import DEFAULT_ALLOWANCE, DEFAULT_UNITS_PER_VIEWER, HoldAllowance

# Every function's CloudWatch metrics, which the template's alarms read.
METRICS_NAMESPACE = "Storefront"


@dataclass(frozen=True, slots=True)
class CartLimits:
    """Declared bounds on what a cart may hold (also documented in openapi.yaml)."""

    max_line_quantity: int = 10  # units of one SKU in one line
    max_cart_quantity: int = 50  # units in the whole cart
    max_lines: int = 30  # distinct SKUs in the cart
    max_saved: int = 50  # distinct SKUs saved for later


@dataclass(frozen=True, slots=True)
class ShopConfig:
    """Everything the functions read from the environment."""

    catalog_path: str | None
    catalog_s3_uri: str | None
    carts_table: str
    inventory_table: str
    reservations_table: str
    orders_table: str
    site_url: str
    region: str
    service_name: str
    stripe_secret_key: str | None = None
    stripe_secret_key_param: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_webhook_secret_param: str | None = None
    stripe_api_base: str | None = None
    email_from: str | None = None
    site_bucket: str = ""  # only the availability feed function writes to the site bucket
    cart_limits: CartLimits = CartLimits()
    max_body_bytes: int = 4096  # cart requests are a SKU and a quantity: tiny
    hold_allowance: HoldAllowance = DEFAULT_ALLOWANCE
    # Sent by CloudFront to the API as X-Origin-Verify: a request carrying it came through
    # the distribution, so its CloudFront-Viewer-Address header is CloudFront's own.
    origin_secret: str | None = None


def _optional(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _positive_int(env: Mapping[str, str], name: str, default: int, least: int = 1) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < least:
        expected = "a positive integer" if least == 1 else f"an integer of at least {least}"
        raise ConfigError(name, f'expected {expected}, got "{raw}"')
    return int(raw)


# Recording an order is one DynamoDB transaction (at most 100 items): 7 of its own
# (session, event, order, payment, history, email, reservation) and one per cart line.
# A longer cart would be paid, then never recorded.
MAX_CART_LINES = 93


def load_config(env: Mapping[str, str]) -> ShopConfig:
    """Read and check the configuration from an environment mapping."""
    catalog_path = _optional(env, "CATALOG_PATH")
    catalog_s3_uri = _optional(env, "CATALOG_S3_URI")
    if catalog_path is None and catalog_s3_uri is None:
        raise ConfigError("CATALOG_PATH", "expected CATALOG_PATH or CATALOG_S3_URI to be set")
    if catalog_s3_uri is not None and not catalog_s3_uri.startswith("s3://"):
        raise ConfigError("CATALOG_S3_URI", f'expected s3://bucket/key, got "{catalog_s3_uri}"')
    limits = CartLimits(
        max_line_quantity=_positive_int(env, "CART_MAX_LINE_QUANTITY", 10),
        max_cart_quantity=_positive_int(env, "CART_MAX_QUANTITY", 50),
        max_lines=_positive_int(env, "CART_MAX_LINES", 30),
        max_saved=_positive_int(env, "CART_MAX_SAVED", 50),
    )
    if limits.max_lines > MAX_CART_LINES:
        raise ConfigError(
            "CART_MAX_LINES",
            f"expected at most {MAX_CART_LINES} (an order is recorded in one DynamoDB "
            f"transaction of at most 100 items), got {limits.max_lines}",
        )
    return ShopConfig(
        catalog_path=catalog_path,
        catalog_s3_uri=catalog_s3_uri,
        carts_table=env.get("CARTS_TABLE", "").strip(),
        inventory_table=env.get("INVENTORY_TABLE", "").strip(),
        reservations_table=env.get("RESERVATIONS_TABLE", "").strip(),
        orders_table=env.get("ORDERS_TABLE", "").strip(),
        site_url=env.get("SITE_URL", "").strip().rstrip("/"),
        region=env.get("AWS_REGION", "").strip() or env.get("AWS_DEFAULT_REGION", "eu-west-1"),
        service_name=env.get("POWERTOOLS_SERVICE_NAME", "storefront").strip(),
        stripe_secret_key=_optional(env, "STRIPE_SECRET_KEY"),
        stripe_secret_key_param=_optional(env, "STRIPE_SECRET_KEY_PARAM"),
        stripe_webhook_secret=_optional(env, "STRIPE_WEBHOOK_SECRET"),
        stripe_webhook_secret_param=_optional(env, "STRIPE_WEBHOOK_SECRET_PARAM"),
        stripe_api_base=_optional(env, "STRIPE_API_BASE"),
        email_from=_optional(env, "EMAIL_FROM"),
        site_bucket=env.get("SITE_BUCKET", "").strip(),
        cart_limits=limits,
        max_body_bytes=_positive_int(env, "MAX_BODY_BYTES", 4096),
        hold_allowance=_hold_allowance(env, limits),
        origin_secret=_optional(env, "CLOUDFRONT_ORIGIN_SECRET"),
    )


def _hold_allowance(env: Mapping[str, str], limits: CartLimits) -> HoldAllowance:
    """HOLD_UNITS_PER_VIEWER: 0 counts nothing (load tests check out from one address).

    Less than a full cart would refuse that cart forever while telling its shopper to
    try again later.
    """
    units = _positive_int(env, "HOLD_UNITS_PER_VIEWER", DEFAULT_UNITS_PER_VIEWER, least=0)
    if 0 < units < limits.max_cart_quantity:
        raise ConfigError(
            "HOLD_UNITS_PER_VIEWER",
            f"expected 0 (no cap) or at least a full cart's {limits.max_cart_quantity} units "
            f"(CART_MAX_QUANTITY), got {units}",
        )
    return HoldAllowance(units)


def require(value: str, variable: str) -> str:
    """Return a configured table name or raise ConfigError naming the variable."""
    if not value:
        raise ConfigError(variable, "expected a DynamoDB table name, got nothing")
    return value


@functools.cache
def get_config() -> ShopConfig:
    """The container's configuration, read from os.environ on first use."""
    return load_config(os.environ)
