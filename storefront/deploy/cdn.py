"""Invalidate changed paths in CloudFront."""

from __future__ import annotations

import time
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
