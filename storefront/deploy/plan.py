"""Compare the build with the bucket: what to upload, what to delete, what to invalidate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

from shop.availability_feed import AVAILABILITY_FEED_KEY

from storefront.deploy.manifest import FileHeaders, LocalFile

# Past this many paths one "/*" invalidation is cheaper (it bills as one path) and
# stays inside CloudFront's limit on paths in flight.
WILDCARD_THRESHOLD = 300
# Keys the bucket holds that no build writes: the feed_availability function owns them.
# Deleting them as "no longer built" would drop live availability until its next run.
FUNCTION_OWNED_KEYS = frozenset({AVAILABILITY_FEED_KEY})

UploadReason = Literal["new", "changed", "headers"]


@dataclass(frozen=True, slots=True)
class Upload:
    """One file to put in the bucket, and why."""

    file: LocalFile
    reason: UploadReason


@dataclass(frozen=True, slots=True)
class SitePlan:
    """What a deploy does to the site bucket and the CDN."""

    uploads: tuple[Upload, ...]
    deletes: tuple[str, ...]  # every key no longer built
    unchanged: int
    invalidations: tuple[str, ...]
    # The deletes that are pages: they go before the invalidation, or an edge request in
    # between would cache a removed product's page again for a day (the site cache
    # policy's MinTTL), still offering it. The rest (assets, images) go after it: old
    # pages at the edges may still link to them until it completes.
    deletes_first: tuple[str, ...] = ()

    @property
    def upload_bytes(self) -> int:
        """Total size of the files to upload."""
        return sum(upload.file.size for upload in self.uploads)

    @property
    def deletes_after(self) -> list[str]:
        """The deletes left for after the invalidation: all but `deletes_first`."""
        first = set(self.deletes_first)
        return [key for key in self.deletes if key not in first]

    @property
    def is_empty(self) -> bool:
        """True when the bucket already holds exactly this build."""
        return not self.uploads and not self.deletes


def cdn_paths(path: str) -> list[str]:
    """The viewer paths under which CloudFront may have cached a bucket key."""
    if path == "index.html" or path.endswith("/index.html"):
        folder = "/" + path.removesuffix("index.html")
        # The pretty-URL function rewrites /x/ to /x/index.html before the cache
        # lookup; invalidate both spellings so neither can serve the old page.
        return [quote(folder), quote("/" + path)]
    return [quote("/" + path)]


def _upload_order(upload: Upload) -> tuple[bool, str]:
    # Assets and images first, pages last: a new page never points at a file
    # that is not there yet.
    return (upload.file.path.endswith(".html"), upload.file.path)


def plan_site(
    local: list[LocalFile],
    remote: dict[str, str],
    previous: dict[str, FileHeaders] | None,
    deployed: dict[str, str] | None = None,
) -> SitePlan:
    """Plan the upload of `local` over `remote` (key -> MD5 ETag).

    `previous` is the manifest of the last deployed build, when known: a file whose
    bytes are the same but whose headers changed is uploaded again. `deployed` is the
    MD5 of each file as the last *completed* deploy left it (its edges invalidated): a
    page the bucket already holds but that differs from it was uploaded by a deploy
    that stopped before its invalidation, and the edges may still serve the old one.
    """
    uploads: list[Upload] = []
    invalidate: list[str] = []
    unchanged = 0
    for file in local:
        etag = remote.get(file.path)
        before = previous.get(file.path) if previous is not None else None
        if etag is None:
            uploads.append(Upload(file, "new"))
            continue  # nothing cached under a path that did not exist
        if etag != file.md5:
            uploads.append(Upload(file, "changed"))
        elif before is not None and before != file.headers:
            uploads.append(Upload(file, "headers"))
        else:
            unchanged += 1
            stale_at_edges = deployed is not None and deployed.get(file.path) != file.md5
            if stale_at_edges and not file.headers.immutable:
                invalidate.extend(cdn_paths(file.path))
            continue
        if not file.headers.immutable:
            invalidate.extend(cdn_paths(file.path))
    built = {file.path for file in local}
    deletes = sorted(key for key in remote if key not in built and key not in FUNCTION_OWNED_KEYS)
    deletes_first = []
    for key in deletes:
        old = previous.get(key) if previous is not None else None
        if old is None or not old.immutable:
            invalidate.extend(cdn_paths(key))
        if key.endswith(".html") and old is not None and not old.immutable:
            deletes_first.append(key)
    paths = sorted(set(invalidate))
    if len(paths) > WILDCARD_THRESHOLD:
        paths = ["/*"]
    return SitePlan(
        uploads=tuple(sorted(uploads, key=_upload_order)),
        deletes=tuple(deletes),
        unchanged=unchanged,
        invalidations=tuple(paths),
        deletes_first=tuple(deletes_first),
    )
