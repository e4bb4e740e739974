"""How many units one viewer may hold in checkouts per half hour (denial of inventory).

A checkout holds its units until its Checkout Session expires (about 31 minutes),
and carts are free: without a cap, one client could start checkouts from fresh
carts until nothing was left to sell (OWASP's automated threat OAT-021), or keep
checking the same carts out to renew their holds. So each viewer (an IPv4
address, or an IPv6 /64: one household's or one server's whole allocation) may
put at most `units` units on hold per window of `window_seconds`, counted when the
checkout starts, whether or not it is paid. The window matches a hold's life, so
one viewer holds at most about twice `units` at any moment.

A shopper never gets near it: a cart holds at most 50 units, and checking the same
cart out again after coming back from Stripe's page counts its units again. Many
shoppers behind one address (an office, a carrier's NAT) share it.

Pure rules only: the counting is the HoldLedger port's (shop/ports.py).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from shop.errors import ShopError

# One hold's life: Stripe's shortest Checkout Session expiry, 30 minutes, plus slack.
DEFAULT_WINDOW_SECONDS = 30 * 60
DEFAULT_UNITS_PER_VIEWER = 100
_IPV6_PREFIX = 64


@dataclass(frozen=True, slots=True)
class HoldAllowance:
    """At most `units` units held per viewer per window; 0 units means no cap."""

    units: int = DEFAULT_UNITS_PER_VIEWER
    window_seconds: int = DEFAULT_WINDOW_SECONDS

    @property
    def capped(self) -> bool:
        """Whether holds are counted at all."""
        return self.units > 0

    def window_start(self, now: int) -> int:
        """The start (Unix seconds) of the window `now` falls in."""
        return now - now % self.window_seconds

    def window_end(self, now: int) -> int:
        """When the window `now` falls in ends: its count can be forgotten then."""
        return self.window_start(now) + self.window_seconds

    def counter_key(self, viewer: str, now: int) -> str:
        """The name of `viewer`'s count for the window `now` falls in."""
        return f"{viewer}@{self.window_start(now)}"


DEFAULT_ALLOWANCE = HoldAllowance()


def viewer_key(address: str) -> str | None:
    """Who a request's IP address stands for: the IPv4 address, or its IPv6 /64.

    IPv6 clients get a /64 each (often far more), so a per-address cap would not
    cap them at all. An IPv4 address written as IPv6 (`::ffff:203.0.113.7`) is the
    IPv4 address. None for anything that is not an IP address.
    """
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        network = ipaddress.IPv6Network((ip, _IPV6_PREFIX), strict=False)
        return str(network)
    return str(ip)


class HoldAllowanceSpentError(ShopError):
    """The viewer already put the allowance's units on hold in this window."""

    def __init__(self, units: int, allowance: HoldAllowance, retry_after: int) -> None:
        self.units = units
        self.allowance = allowance
        self.retry_after = retry_after  # seconds until the window ends: sent as Retry-After
        minutes = -(-retry_after // 60)
        super().__init__(
            f"checkout: one connection may put at most {allowance.units} units on hold per "
            f"{allowance.window_seconds // 60} minutes, and this checkout's {units} would go "
            f"past that; try again in {minutes} minute{'s' if minutes != 1 else ''}"
        )
