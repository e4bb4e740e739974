"""The AWS region the merchant commands (deploy, stock, orders) work in, found one way."""

from __future__ import annotations

import os


def given_region(flag: str | None) -> str | None:
    """--region, else AWS_REGION, else AWS_DEFAULT_REGION (stripped); None when none is set.

    boto3 reads AWS_DEFAULT_REGION only, while the docs (like the AWS CLI) have the
    operator export AWS_REGION. A value pasted with a trailing space is taken as meant.
    """
    for value in (flag, os.environ.get("AWS_REGION"), os.environ.get("AWS_DEFAULT_REGION")):
        if value and value.strip():
            return value.strip()
    return None


def command_region(flag: str | None) -> str | None:
    """`given_region`, else the AWS config's (`aws configure`, AWS_PROFILE), as deploy uses."""
    found = given_region(flag)
    if found is not None:
        return found
    import boto3  # deferred: the commands' --help stays instant

    region = boto3.Session().region_name
    return str(region) if region else None
