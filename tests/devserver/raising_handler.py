"""A Lambda handler for worker tests that always raises, as a handler that cannot import does."""

from __future__ import annotations

from typing import Any


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Fail the whole batch."""
    raise ImportError("cannot import name 'OperatorLog' from 'shop.ports'")
