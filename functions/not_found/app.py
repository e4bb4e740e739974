"""Every /api request no other route serves (the HTTP API's `$default` route): a JSON 404.

Without it, API Gateway answered made-up paths and methods itself with
`{"message": "Not Found"}`: no stable `code`, unlike every other API error. It has
no routes, so every request gets the shared not-found answer (shop.lambda_app):
`{"error": {"code": "not_found", ...}}`. A function of its own, so that a flood of
made-up paths never takes the cart's or the checkout's concurrency.
"""

from __future__ import annotations

from shop.lambda_app import HttpFunction

# Nothing here changes state, and a 404 is no metric worth paying for.
function = HttpFunction("not_found", publishes_metrics=False, refuses_cross_origin=False)
handler = function.lambda_handler()
