"""AWS SDK clients, created once per container and reused across invocations.

Clients come from botocore directly rather than boto3: boto3 adds nothing the
functions use, but its import pulls in s3transfer, a large share of the cold
start (see bench/cold_import.py). botocore honours AWS_ENDPOINT_URL and
AWS_ENDPOINT_URL_DYNAMODB, which is how the local server points the functions
at its emulator without code changes.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, cast

import botocore.session
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_s3.client import S3Client
    from mypy_boto3_ses.client import SESClient
    from mypy_boto3_ssm.client import SSMClient

# Fail fast inside a Lambda's short timeout rather than hang on a slow connection;
# "standard" retry mode backs off on throttling.
_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"})


def _client(service: str, region: str) -> object:
    return botocore.session.get_session().create_client(service, region_name=region, config=_CONFIG)


@functools.cache
def dynamodb_client(region: str) -> DynamoDBClient:
    """The container's DynamoDB client for `region`."""
    return cast("DynamoDBClient", _client("dynamodb", region))


@functools.cache
def s3_client(region: str) -> S3Client:
    """The container's S3 client for `region`."""
    return cast("S3Client", _client("s3", region))


@functools.cache
def ssm_client(region: str) -> SSMClient:
    """The container's SSM client for `region` (the Stripe secrets, read at cold start)."""
    return cast("SSMClient", _client("ssm", region))


@functools.cache
def ses_client(region: str) -> SESClient:
    """The container's SES client for `region`.

    With the SDK's default 60 s timeouts a slow SES outlived the email function's 30 s:
    Lambda stopped it mid-send, before it could give the email back for a retry.
    """
    return cast("SESClient", _client("ses", region))
