"""Make a Pagefind bundle byte-for-byte reproducible.

Pagefind writes its filter files and the filter and sort lists of each
language's meta file in hash-map order, which changes from run to run; since
those files are named after their content, the same catalog gave different
file names and bytes on every build, and deploy uploaded them again. This
module puts those lists in a stable order and renames the rewritten files
after their new content (the fragment and index chunks are already stable).
Every rewritten file keeps Pagefind's encoding: gzip of `pagefind_dcd` + CBOR.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
_FILTER = re.compile(r"^filter/(?P<lang>[^/]+)_[0-9a-f]+\.pf_filter$")
# Meta file fields (Pagefind 1.x): version, pages, index chunks, filters, sorts, meta fields.
_META_FILTERS, _META_SORTS = 3, 4


class PagefindFormatError(RuntimeError):
    """A Pagefind file was not in the format this module rewrites."""


def _decode(path: str, data: bytes) -> Any:
    plain = gzip.decompress(data)
    if not plain.startswith(SIGNATURE):
        raise PagefindFormatError(f"search index: {path}: not a Pagefind data file")
    return cbor2.loads(plain[len(SIGNATURE) :])


def _encode(value: Any) -> tuple[bytes, str]:
    """Pagefind's file encoding (mtime 0, so equal content gives equal bytes) and a digest."""
    plain = SIGNATURE + cbor2.dumps(value)
    return gzip.compress(plain, compresslevel=9, mtime=0), hashlib.sha256(plain).hexdigest()


def normalize_bundle(files: dict[str, bytes]) -> dict[str, bytes]:
    """The same bundle with filters and sorts in a stable order and names from content."""
    result = dict(files)
    renamed_filters: dict[str, str] = {}  # old hash ("en_32f3f65") -> new hash
    for path, data in files.items():
        match = _FILTER.match(path)
        if match is None:
            continue
        name, values = _decode(path, data)
        encoded, digest = _encode([name, sorted(values, key=lambda item: item[0])])
        new_hash = f"{match.group('lang')}_{digest[:7]}"
        del result[path]
        result[f"filter/{new_hash}.pf_filter"] = encoded
        renamed_filters[path.removeprefix("filter/").removesuffix(".pf_filter")] = new_hash

    entry = json.loads(files[ENTRY])
    for language, details in entry["languages"].items():
        old_path = f"pagefind.{details['hash']}.pf_meta"
        meta = _decode(old_path, files[old_path])
        meta[_META_FILTERS] = sorted(
            ([name, renamed_filters.get(h, h)] for name, h in meta[_META_FILTERS]),
            key=lambda item: item[0],
        )
        meta[_META_SORTS] = sorted(meta[_META_SORTS], key=lambda item: item[0])
        encoded, digest = _encode(meta)
        details["hash"] = f"{language}_{digest[:10]}"
        del result[old_path]
        result[f"pagefind.{details['hash']}.pf_meta"] = encoded
    entry["languages"] = dict(sorted(entry["languages"].items()))
    result[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return result
