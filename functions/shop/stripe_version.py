"""The Stripe API version the shop is written against, and which event versions it can read.

Stripe renders an event in the API version of the webhook endpoint (else the
account's default), and fields move between major releases: before 2022-08-01 a
session's address was under `shipping`, not `shipping_details`. Since 2024-09-30
every version names its major release ("2026-10-28.endive"), and the monthly
versions of one release only add fields, so an event of the same release reads
the same; any other is refused rather than read wrong.
"""

from __future__ import annotations

# The API version this code was written and tested against. Stripe keeps a pinned
# version stable; upgrading is a deliberate, tested change (and the webhook endpoint's).
STRIPE_API_VERSION = "2026-10-28.endive"


def api_release(version: str) -> str:
    """A version's major release: "endive" for "2026-10-28.endive"; a date alone is its own."""
    date, _, name = version.partition(".")
    return name or date


def readable_event_version(version: str) -> bool:
    """True if an event rendered in `version` has the shapes this shop reads."""
    return api_release(version) == api_release(STRIPE_API_VERSION)
