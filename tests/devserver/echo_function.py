"""A Powertools HTTP function for runtime tests: answers the `who` it was asked about."""

from __future__ import annotations

import time
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

Handler = Any


def make_handler(pause_s: float = 0.02) -> Handler:
    """A handler whose route reads its own event only after a pause (room for a race)."""
    app = APIGatewayHttpResolver()

    @app.get("/api/echo")
    def echo() -> Response[str]:
        time.sleep(pause_s)
        who = app.current_event.get_query_string_value("who") or ""
        return Response(200, "text/plain", who)

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return app.resolve(event, context)

    return handler


handler = make_handler()
