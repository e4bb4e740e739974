"""Which PaymentGateway the functions use: Stripe when keyed, else a local stand-in.

In AWS, `STRIPE_SECRET_KEY` (or `STRIPE_SECRET_KEY_PARAM`, an SSM name) selects
the real Stripe adapter. `python build.py serve` without keys sets
`LOCAL_PAYMENT_GATEWAY=module:callable` naming the local Checkout stand-in (a
reference, not an object, so it survives the dev server's cold starts). Tests
may `install_gateway` one directly.
"""

from __future__ import annotations

import importlib
import os

from shop.config import ShopConfig
from shop.errors import ConfigError
from shop.ports import PaymentGateway

_installed: list[PaymentGateway] = []


def install_gateway(gateway: PaymentGateway | None) -> None:
    """Use `gateway` for every later lookup in this process (None removes it)."""
    _installed.clear()
    if gateway is not None:
        _installed.append(gateway)


def payment_gateway(config: ShopConfig) -> PaymentGateway:
    """The installed gateway, else Stripe from the configured key."""
    if _installed:
        return _installed[0]
    local = os.environ.get("LOCAL_PAYMENT_GATEWAY", "").strip()
    if local and not (config.stripe_secret_key or config.stripe_secret_key_param):
        module, _, name = local.partition(":")
        gateway: PaymentGateway = getattr(importlib.import_module(module), name)()
        return gateway
    # The stripe SDK is imported only by functions that talk to Stripe.
    from shop.adapters.stripe_gateway import StripeGateway

    key = resolve_secret(config.stripe_secret_key, config.stripe_secret_key_param, config.region)
    if not key:
        raise ConfigError(
            "STRIPE_SECRET_KEY", "expected a Stripe secret key (or STRIPE_SECRET_KEY_PARAM)"
        )
    return StripeGateway(key, api_base=config.stripe_api_base)


def webhook_secret(config: ShopConfig) -> str:
    """The webhook signing secret (whsec_…), from the environment or SSM."""
    secret = resolve_secret(
        config.stripe_webhook_secret, config.stripe_webhook_secret_param, config.region
    )
    if not secret:
        raise ConfigError("STRIPE_WEBHOOK_SECRET", "expected the webhook signing secret (whsec_…)")
    return secret


def resolve_secret(value: str | None, parameter: str | None, region: str) -> str | None:
    """A secret given directly, or read (decrypted) from SSM Parameter Store by name."""
    if value:
        return value
    if not parameter:
        return None
    from shop.aws_clients import ssm_client  # only functions with an SSM secret need it

    response = ssm_client(region).get_parameter(Name=parameter, WithDecryption=True)
    return str(response["Parameter"]["Value"])
