"""Where the functions' catalog snapshot comes from, and when it is read again.

Loaded once per container from `CATALOG_PATH` (a file) or `CATALOG_S3_URI` (a
private S3 object written by deploy), then kept in memory and checked at most
once a minute for a newer one (shop/snapshot_format.py reads it).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from shop.catalog import CatalogSnapshot
from shop.config import ShopConfig, get_config
from shop.errors import CatalogSnapshotError, StoreUnavailableError
from shop.snapshot_format import load_snapshot_file, parse_snapshot_text

_log = logging.getLogger(__name__)


def load_snapshot_s3(uri: str, region: str, *, check_every_sku: bool = True) -> CatalogSnapshot:
    """Fetch and check a snapshot from s3://bucket/key."""
    from botocore.exceptions import BotoCoreError, ClientError

    from shop.aws_clients import s3_client

    bucket, _, key = uri.removeprefix("s3://").partition("/")
    try:
        # The container's client, with short timeouts: the SDK's defaults (60 s, 5 tries)
        # outlived the function's timeout, so the fallback to the snapshot in hand never ran.
        body = s3_client(region).get_object(Bucket=bucket, Key=key)["Body"]
        text = body.read()
    except (BotoCoreError, ClientError) as exc:
        raise StoreUnavailableError("catalog snapshot", f"GetObject {uri}", str(exc)) from exc
    return parse_snapshot_text(text, uri, check_every_sku=check_every_sku)


def load_catalog(config: ShopConfig) -> CatalogSnapshot:
    """Load the snapshot the configuration names (a path wins over an S3 URI).

    The functions' cold start: the store settings are checked now, each SKU entry
    when a request first reads it (`SkuTable`). The build wrote the snapshot and
    deploy checked every entry before uploading it.
    """
    if config.catalog_path is not None:
        return load_snapshot_file(Path(config.catalog_path), check_every_sku=False)
    assert config.catalog_s3_uri is not None  # load_config guarantees one of the two
    return load_snapshot_s3(config.catalog_s3_uri, config.region, check_every_sku=False)


# How long a warm container trusts its snapshot before asking whether a deploy replaced
# it: a price published by the build is the price charged within this many seconds.
CATALOG_RECHECK_SECONDS = 60.0


@dataclass(slots=True)
class _LoadedCatalog:
    snapshot: CatalogSnapshot
    version: str  # the S3 object's ETag, or the file's size and mtime
    checked_at: float  # recheck_clock()


_loaded: _LoadedCatalog | None = None
recheck_clock: Callable[[], float] = time.monotonic  # tests move it by hand


def catalog_version(config: ShopConfig) -> str:
    """What changes when the snapshot is replaced: the S3 ETag, or the file's size and mtime."""
    if config.catalog_path is not None:
        try:
            info = os.stat(config.catalog_path)
        except OSError as exc:
            raise CatalogSnapshotError(
                config.catalog_path, "file", f"expected a readable snapshot ({exc})"
            ) from exc
        return f"{info.st_size}:{info.st_mtime_ns}"
    assert config.catalog_s3_uri is not None  # load_config guarantees one of the two
    from botocore.exceptions import BotoCoreError, ClientError

    from shop.aws_clients import s3_client

    bucket, _, key = config.catalog_s3_uri.removeprefix("s3://").partition("/")
    try:
        head = s3_client(config.region).head_object(Bucket=bucket, Key=key)
    except (BotoCoreError, ClientError) as exc:
        raise StoreUnavailableError(
            "catalog snapshot", f"HeadObject {config.catalog_s3_uri}", str(exc)
        ) from exc
    return str(head["ETag"])


def get_catalog() -> CatalogSnapshot:
    """The snapshot as deployed: loaded on first use, checked again at most once a minute.

    A warm container lives for hours; keeping its first snapshot would charge old prices
    and refuse new SKUs after a deploy (or after the nightly build that ends a sale).
    """
    global _loaded
    now = recheck_clock()
    loaded = _loaded
    if loaded is not None and now - loaded.checked_at < CATALOG_RECHECK_SECONDS:
        return _priced_today(loaded.snapshot)
    config = get_config()
    try:
        version = catalog_version(config)
    except StoreUnavailableError:
        if loaded is None:
            raise
        loaded.checked_at = now  # S3 hiccup: keep selling from the snapshot in hand
        return _priced_today(loaded.snapshot)
    if loaded is not None and loaded.version == version:
        loaded.checked_at = now
        return _priced_today(loaded.snapshot)
    try:
        snapshot = load_catalog(config)
    except (StoreUnavailableError, CatalogSnapshotError) as exc:
        if loaded is None:
            raise
        # A snapshot this code cannot read (a site deployed before its functions, in
        # another format) or cannot fetch: keep selling from the one in hand, and say
        # so loudly; containers starting now fail, which the API's 5xx alarm reports.
        _log.error("catalog snapshot %s unusable, kept the previous one: %s", version, exc)
        loaded.checked_at = now
        return _priced_today(loaded.snapshot)
    _loaded = _LoadedCatalog(snapshot, version, now)
    return _priced_today(snapshot)


def _priced_today(snapshot: CatalogSnapshot) -> CatalogSnapshot:
    snapshot.skus.price_on(datetime.now(UTC).date())
    return snapshot


def forget_catalog() -> None:
    """Drop the loaded snapshot (tests, and a container told its configuration changed)."""
    global _loaded
    _loaded = None
