"""Every /api request no other route serves (the HTTP API's `$default` route): a JSON 404.

Without it, API Gateway answered made-up paths and methods itself with
`{"message": "Not Found"}`: no stable `code`, unlike every other API error. It has
no routes, so every request gets the shared not-found answer (shop.lambda_app):
`{"error": {"code": "not_found", ...}}`. A function of its own (128 MB, logs only),
so that made-up paths show as such in its logs and metrics and need no permission
of the functions that hold stock or carts. It shares the account's concurrency with
them, as every function here does (docs/security.md: the API's throttle and a WAF
rate rule are what bound a flood).
"""

from __future__ import annotations

from shop.lambda_app import HttpFunction

# Nothing here changes state, and a 404 is no metric worth paying for.
function = HttpFunction("not_found", publishes_metrics=False, refuses_cross_origin=False)
handler = function.lambda_handler()
