"""Several output files in one blob, to keep a whole search shard as one cache entry.

After the format line, the number of files (4 bytes, big-endian), then each file as
its path's and its bytes' lengths (4 and 8 bytes), the path (UTF-8) and the bytes.
`unpack_files` checks the count and every length against the blob, so a damaged
entry (cut short even at a file's end) reads as None (made again), never as wrong files.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from storefront.output import OutputFile

_MAGIC = b"storefront-files 2\n"
_COUNT = struct.Struct(">I")
_HEADER = struct.Struct(">IQ")


def pack_files(files: Iterable[OutputFile]) -> bytes:
    """The files as one blob."""
    listed = list(files)
    parts = [_MAGIC, _COUNT.pack(len(listed))]
    for item in listed:
        path = item.path.encode("utf-8")
        parts += [_HEADER.pack(len(path), len(item.data)), path, item.data]
    return b"".join(parts)


def unpack_files(blob: bytes) -> list[OutputFile] | None:
    """The files `pack_files` packed; None when the blob is not whole."""
    if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + _COUNT.size:
        return None
    (count,) = _COUNT.unpack_from(blob, len(_MAGIC))
    files: list[OutputFile] = []
    view, at = memoryview(blob), len(_MAGIC) + _COUNT.size
    while at < len(blob):
        if at + _HEADER.size > len(blob):
            return None
        path_size, data_size = _HEADER.unpack_from(blob, at)
        at += _HEADER.size
        if at + path_size + data_size > len(blob):
            return None
        try:
            path = bytes(view[at : at + path_size]).decode("utf-8")
        except UnicodeDecodeError:
            return None
        at += path_size
        files.append(OutputFile(path, bytes(view[at : at + data_size])))
        at += data_size
    return files if len(files) == count else None
