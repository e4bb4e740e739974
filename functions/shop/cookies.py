"""The cart cookie: a 128-bit random id, HttpOnly, Secure, SameSite=Lax, 30 days.

The id is the only thing that identifies a cart, and it only ever comes from
this cookie (never from a path, query or body), so one shopper cannot name
another's cart. Anything that is not exactly 32 lowercase hex characters is
ignored as if no cookie had been sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Powertools' cookie type is what its resolver serialises into the v2 `cookies` list.
from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from shop.cart import CART_TTL

CART_COOKIE = "cart_id"
CART_COOKIE_MAX_AGE = int(CART_TTL.total_seconds())  # the cookie lasts as long as the cart
_CART_ID = re.compile(r"^[0-9a-f]{32}$")


def is_cart_id(value: str) -> bool:
    """True if `value` has the exact shape of a cart id."""
    return bool(_CART_ID.match(value))


def cart_id_from_cookies(cookies: Iterable[str] | None) -> str | None:
    """The cart id from request cookies ("name=value" strings, as HTTP API v2 gives them).

    Several `cart_id` cookies (e.g. one set for a parent path) are tolerated: the
    first well-formed one wins; malformed ones are ignored, never echoed back.
    """
    for cookie in cookies or ():
        for part in cookie.split(";"):
            name, sep, value = part.strip().partition("=")
            if sep and name == CART_COOKIE and is_cart_id(value.strip()):
                return value.strip()
    return None


def cart_cookie(cart_id: str, max_age: int = CART_COOKIE_MAX_AGE) -> Cookie:
    """The Set-Cookie carrying a cart id: Path=/, HttpOnly, Secure, SameSite=Lax, 30 days."""
    if not is_cart_id(cart_id):
        raise ValueError(f"cart id: expected 32 lowercase hex characters, got {cart_id!r}")
    return Cookie(
        CART_COOKIE,
        cart_id,
        path="/",
        secure=True,
        http_only=True,
        max_age=max_age,
        same_site=SameSite.LAX_MODE,
    )
