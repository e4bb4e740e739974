"""Waiting for a CloudFront invalidation (moto completes one at once: its answers are scripted)."""

from __future__ import annotations

from typing import Any

from storefront.deploy.cdn import wait_for_invalidation


class ScriptedCloudFront:
    """Answers get_invalidation with the given statuses in turn, as CloudFront would."""

    def __init__(self, *statuses: str) -> None:
        self.statuses = list(statuses)
        self.asked = 0

    def get_invalidation(self, **_: Any) -> dict[str, Any]:
        self.asked += 1
        return {"Invalidation": {"Status": self.statuses.pop(0)}}


def test_waits_while_in_progress_and_returns_once_completed() -> None:
    cloudfront: Any = ScriptedCloudFront("InProgress", "InProgress", "Completed")
    slept: list[float] = []

    done = wait_for_invalidation(cloudfront, "E1", "I1", sleep=slept.append)

    assert done is True
    assert (cloudfront.asked, len(slept)) == (3, 2)


def test_gives_up_after_the_timeout_without_raising() -> None:
    cloudfront: Any = ScriptedCloudFront(*["InProgress"] * 5)

    done = wait_for_invalidation(cloudfront, "E1", "I1", timeout_seconds=0, sleep=lambda s: None)

    assert done is False
    assert cloudfront.asked == 1
