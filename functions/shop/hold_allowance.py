"""How many units one viewer may hold in checkouts per half hour (denial of inventory).

A checkout holds its units until its Checkout Session expires (about 31 minutes),
and carts are free: without a cap, one client could start checkouts from fresh
carts until nothing was left to sell (OWASP's automated threat OAT-021), or keep
checking the same carts out to renew their holds. So each viewer may put at most
`units` units on hold per window of `window_seconds`, counted when the checkout
starts, whether or not it is paid.

Who is one viewer: an IPv4 address (also when it reaches the shop through IPv6, as
an IPv4-mapped, 6to4 or Teredo address); for IPv6, a /64, what one device or one
network is given, and, as a household or a tunnel broker's customer gets a whole
/48 (65,536 of them), every /48 shares `NETWORK_FACTOR` times the allowance too.

The windows are fixed: across a boundary a viewer may hold up to twice the
allowance for a while, and a checkout paid with a slow method (a SEPA debit) keeps
its units for days after its window's count is forgotten. A shopper never gets near
it: a cart holds at most 50 units, and checking the same cart out again within the
window counts only what it adds (the previous checkout's units are given back).
Many shoppers behind one address (an office, a carrier's NAT) share it.

Pure rules only: the counting is the HoldLedger port's (shop/ports.py).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from shop.errors import ShopError

# One hold's life: Stripe's shortest Checkout Session expiry, 30 minutes, plus slack.
DEFAULT_WINDOW_SECONDS = 30 * 60
DEFAULT_UNITS_PER_VIEWER = 100
# A device or one network's /64, and the /48 a site or a tunnel broker's customer is given.
_IPV6_PREFIXES = (64, 48)
# A /48 shares this many viewers' allowances: a household's few devices fit in it.
NETWORK_FACTOR = 5


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

    def counters(self, address: str, now: int) -> tuple[tuple[str, int], ...]:
        """The counts a checkout from `address` adds to, each with its limit, in this window.

        None of them for anything that is not an IP address.
        """
        window = self.window_start(now)
        scopes = viewer_scopes(address)
        return tuple(
            (f"{scope}@{window}", self.units if index == 0 else self.units * NETWORK_FACTOR)
            for index, scope in enumerate(scopes)
        )


DEFAULT_ALLOWANCE = HoldAllowance()


def viewer_scopes(address: str) -> tuple[str, ...]:
    """Who a request's IP address stands for: its IPv4 address, or its IPv6 /64 and /48.

    An IPv4 address carried in IPv6 (mapped `::ffff:198.51.100.7`, 6to4 `2002:…`,
    Teredo `2001:0:…`) is that IPv4 address: else one IPv4 address would be 65,536
    viewers. Empty for anything that is not an IP address.
    """
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ()
    if isinstance(ip, ipaddress.IPv6Address):
        carried = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if carried is not None:
            return (str(carried),)
        return tuple(
            str(ipaddress.IPv6Network((ip, prefix), strict=False)) for prefix in _IPV6_PREFIXES
        )
    return (str(ip),)


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
