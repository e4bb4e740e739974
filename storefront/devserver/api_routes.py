"""The HTTP API's route keys (from infra/template.yaml), matched the way API Gateway matches them.

Locally, a request reaches a function only if the deployed API would route
it: `POST /api/stock` is API Gateway's 404 here too, not a surprise after
deploy. The matched key becomes the event's `routeKey`, and its `{name}` /
`{proxy+}` parts its `pathParameters`, exactly as the functions will see them.
Without a template, every /api path is routed as the `$default` route.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storefront.devserver.template import TEMPLATE, load_template, resources_of_type

DEFAULT_ROUTE = "$default"


@dataclass(frozen=True, slots=True)
class RouteKey:
    """One route: "ANY /api/cart/{proxy+}" as method and path segments."""

    method: str  # "GET", "POST", …, or "ANY"
    segments: tuple[str, ...]  # ("api", "cart", "{proxy+}")

    @property
    def key(self) -> str:
        """The route key as written in the template."""
        return f"{self.method} /" + "/".join(self.segments)

    @property
    def specificity(self) -> tuple[int, int, int]:
        """Higher is preferred: no greedy part, more literal segments, a named method."""
        greedy = any(s.endswith("+}") for s in self.segments)
        literal = sum(1 for s in self.segments if not s.startswith("{"))
        return (0 if greedy else 1, literal, 0 if self.method == "ANY" else 1)

    def match(self, method: str, path: str) -> dict[str, str] | None:
        """The path parameters if this route takes the request, else None."""
        if self.method not in ("ANY", method.upper()):
            return None
        parts = [p for p in path.split("/") if p]
        params: dict[str, str] = {}
        for index, segment in enumerate(self.segments):
            if segment.startswith("{") and segment.endswith("+}"):
                rest = parts[index:]
                if not rest:
                    return None
                params[segment[1:-2]] = "/".join(rest)
                return params
            if index >= len(parts):
                return None
            if segment.startswith("{") and segment.endswith("}"):
                params[segment[1:-1]] = parts[index]
            elif segment != parts[index]:
                return None
        return params if len(parts) == len(self.segments) else None


def parse_route_key(key: str) -> RouteKey:
    """Read "GET /api/orders/{order_id}" into a RouteKey."""
    method, _, path = key.strip().partition(" ")
    return RouteKey(method.upper(), tuple(p for p in path.split("/") if p))


def load_route_keys(template_path: Path = TEMPLATE) -> tuple[RouteKey, ...]:
    """Every AWS::ApiGatewayV2::Route key of the template (empty without a template)."""
    keys = [
        str(properties["RouteKey"])
        for properties in resources_of_type(
            load_template(template_path), "AWS::ApiGatewayV2::Route"
        )
        if "RouteKey" in properties and properties["RouteKey"] != DEFAULT_ROUTE
    ]
    return tuple(parse_route_key(key) for key in keys)


def match_route(
    keys: tuple[RouteKey, ...], method: str, path: str
) -> tuple[str, dict[str, str]] | None:
    """(route key, path parameters) of the route API Gateway would pick, or None (its 404)."""
    if not keys:
        return DEFAULT_ROUTE, {}
    matches = [(k, p) for k in keys if (p := k.match(method, path)) is not None]
    if not matches:
        return None
    best, params = max(matches, key=lambda match: match[0].specificity)
    return best.key, params
