"""Which handler module serves which /api path prefix.

Read by the local dev server (to mount the handlers) and by the infra tests
(to check the SAM template routes the same paths). Longest prefix wins; each
module exposes `handler(event, context)` for API Gateway HTTP API v2 events.
"""

from __future__ import annotations

# What the HTTP API's `$default` route runs: every path and method no route serves.
DEFAULT_ROUTE_MODULE = "not_found.app"

API_ROUTES: tuple[tuple[str, str], ...] = (
    ("/api/cart", "cart.app"),
    ("/api/stock", "stock.app"),
    ("/api/checkout", "checkout.app"),
    ("/api/orders", "orders.app"),
    ("/api/stripe/webhook", "stripe_webhook.app"),
)


def handler_module_for(path: str) -> str | None:
    """The handler module serving `path`, or None if no /api route matches."""
    best: tuple[str, str] | None = None
    for prefix, module in API_ROUTES:
        matches = path == prefix or path.startswith(prefix + "/")
        if matches and (best is None or len(prefix) > len(best[0])):
            best = (prefix, module)
    return best[1] if best else None
