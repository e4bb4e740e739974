"""One object of the site bucket, written only when its bytes change.

The bucket is encrypted with SSE-S3 and the object is put in one request, so its
ETag is the MD5 of its bytes: comparing it with the new body's MD5 tells whether
anything changed without downloading the object. Skipping an unchanged write keeps
the object's Last-Modified (and so the edge's and Merchant Center's conditional
fetches) stable, and adds no bucket version.
"""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from shop.errors import StoreUnavailableError

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

# HeadObject of a missing key: 404, or 403 when the role may not list the bucket (this
# one may not: it only reads and writes its own key). Either way there is nothing to
# compare with; a real permission problem then fails the PutObject, loudly.
_ABSENT = {"404", "NoSuchKey", "NotFound", "403", "Forbidden", "AccessDenied"}


class S3PublicFile:
    """`PublicFile` on one key of an S3 bucket, uploaded with fixed HTTP headers."""

    def __init__(
        self, client: S3Client, bucket: str, key: str, *, content_type: str, cache_control: str
    ) -> None:
        self._client = client
        self.bucket, self.key = bucket, key
        self.content_type, self.cache_control = content_type, cache_control

    def _fail(self, operation: str, exc: Exception) -> StoreUnavailableError:
        return StoreUnavailableError(f"s3://{self.bucket}/{self.key}", operation, str(exc))

    def current_etag(self) -> str | None:
        """The stored object's ETag without quotes, or None if there is no object yet."""
        try:
            head = self._client.head_object(Bucket=self.bucket, Key=self.key)
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) in _ABSENT:
                return None
            raise self._fail("HeadObject", exc) from exc
        except BotoCoreError as exc:
            raise self._fail("HeadObject", exc) from exc
        return str(head["ETag"]).strip('"')

    def publish(self, body: bytes) -> bool:
        """Put `body` unless the object already holds exactly these bytes; True if written."""
        digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
        if self.current_etag() == digest:
            return False
        try:
            self._client.put_object(
                Bucket=self.bucket,
                Key=self.key,
                Body=body,
                ContentType=self.content_type,
                CacheControl=self.cache_control,
                ContentMD5=_base64_md5(body),
            )
        except (BotoCoreError, ClientError) as exc:
            raise self._fail("PutObject", exc) from exc
        return True


def _base64_md5(body: bytes) -> str:
    """Content-MD5: S3 refuses the upload if the bytes were damaged on the way."""
    return base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode()
