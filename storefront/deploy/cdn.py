"""Invalidate changed paths in CloudFront."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from storefront.deploy.errors import DeployError

if TYPE_CHECKING:
    from mypy_boto3_cloudfront import CloudFrontClient


def invalidate_paths(cloudfront: CloudFrontClient, distribution_id: str, paths: list[str]) -> str:
    """Start one invalidation of `paths`; returns its id."""
    try:
        answer = cloudfront.create_invalidation(
            DistributionId=distribution_id,
            InvalidationBatch={
                "Paths": {"Quantity": len(paths), "Items": paths},
                "CallerReference": f"storefront-deploy-{time.time_ns()}",
            },
        )
    except ClientError as exc:
        raise DeployError(
            f"distribution {distribution_id}: invalidation of {len(paths)} path(s) failed: {exc}"
        ) from exc
    return answer["Invalidation"]["Id"]


# CloudFront usually finishes an invalidation in well under a minute.
WAIT_SECONDS = 600
_POLL_SECONDS = 10


def wait_for_invalidation(
    cloudfront: CloudFrontClient,
    distribution_id: str,
    invalidation_id: str,
    timeout_seconds: int = WAIT_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """Wait until the edges have dropped the invalidated copies; False if it took too long."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        try:
            answer = cloudfront.get_invalidation(DistributionId=distribution_id, Id=invalidation_id)
        except ClientError as exc:
            raise DeployError(
                f"distribution {distribution_id}: cannot read invalidation {invalidation_id}: {exc}"
            ) from exc
        # CloudFront says "Completed" (moto "COMPLETED"); botocore's waiter knows only the first.
        if answer["Invalidation"]["Status"].lower() == "completed":
            return True
        if time.monotonic() >= deadline:
            return False
        sleep(_POLL_SECONDS)
