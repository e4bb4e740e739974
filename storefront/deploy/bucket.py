"""S3 operations of the deploy: list with ETags, upload with headers, delete in batches."""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from storefront.deploy.errors import DeployError
from storefront.deploy.manifest import LocalFile

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

DELETE_BATCH = 1000  # DeleteObjects' limit per request


def _s3_error(action: str, bucket: str, key: str, exc: ClientError) -> DeployError:
    message = exc.response.get("Error", {}).get("Message", str(exc))
    return DeployError(f"s3://{bucket}/{key}: {action} failed: {message}")


def list_etags(s3: S3Client, bucket: str) -> dict[str, str]:
    """Every key of the bucket with its ETag (the MD5 for single-part uploads)."""
    etags: dict[str, str] = {}
    try:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                etags[item["Key"]] = item["ETag"].strip('"')
    except ClientError as exc:
        raise _s3_error("listing", bucket, "", exc) from exc
    return etags


def upload_file(s3: S3Client, bucket: str, file: LocalFile) -> None:
    """Put one file in one part (so its ETag stays its MD5) with its headers."""
    data = file.source.read_bytes()
    # Content-MD5 makes S3 refuse a body damaged in transit.
    content_md5 = base64.b64encode(binascii.unhexlify(file.md5)).decode("ascii")
    try:
        s3.put_object(
            Bucket=bucket,
            Key=file.path,
            Body=data,
            ContentType=file.headers.content_type,
            CacheControl=file.headers.cache_control,
            ContentMD5=content_md5,
        )
    except ClientError as exc:
        raise _s3_error("upload", bucket, file.path, exc) from exc


def delete_keys(s3: S3Client, bucket: str, keys: list[str]) -> None:
    """Delete keys in batches; any key S3 refuses is an error."""
    for start in range(0, len(keys), DELETE_BATCH):
        batch = keys[start : start + DELETE_BATCH]
        try:
            answer = s3.delete_objects(
                Bucket=bucket,
                Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True},
            )
        except ClientError as exc:
            raise _s3_error("delete", bucket, batch[0], exc) from exc
        errors = answer.get("Errors", [])
        if errors:
            first = errors[0]
            raise DeployError(
                f"s3://{bucket}/{first.get('Key')}: delete failed: {first.get('Message')} "
                f"({len(errors)} key(s) not deleted)"
            )


def object_etag(s3: S3Client, bucket: str, key: str) -> str | None:
    """The ETag of one object, or None when it does not exist."""
    try:
        return s3.head_object(Bucket=bucket, Key=key)["ETag"].strip('"')
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise _s3_error("reading", bucket, key, exc) from exc


def read_json(s3: S3Client, bucket: str, key: str) -> Any | None:
    """A JSON object's content, or None when it does not exist."""
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise _s3_error("reading", bucket, key, exc) from exc
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        raise DeployError(f"s3://{bucket}/{key}: expected JSON ({exc.msg})") from exc


def put_bytes(s3: S3Client, bucket: str, key: str, data: bytes, content_type: str) -> None:
    """Put a private object (catalog snapshot, deployed manifest)."""
    try:
        s3.put_object(
            Bucket=bucket, Key=key, Body=data, ContentType=content_type, CacheControl="no-store"
        )
    except ClientError as exc:
        raise _s3_error("upload", bucket, key, exc) from exc
