"""A Lambda handler for worker tests: records each event; can report its first record failed."""

from __future__ import annotations

from typing import Any

EVENTS: list[dict[str, Any]] = []
FAIL_FIRST_RECORD_TIMES = [0]  # how many more calls should report their first record failed


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Record the event; report a partial batch failure while FAIL_FIRST_RECORD_TIMES > 0."""
    EVENTS.append(event)
    assert context.get_remaining_time_in_millis() > 0
    if FAIL_FIRST_RECORD_TIMES[0] > 0 and event.get("Records"):
        FAIL_FIRST_RECORD_TIMES[0] -= 1
        first = event["Records"][0]["dynamodb"]["SequenceNumber"]
        return {"batchItemFailures": [{"itemIdentifier": first}]}
    return {"batchItemFailures": []}
