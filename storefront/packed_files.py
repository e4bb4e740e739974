"""Several output files in one blob, to keep a whole search shard as one cache entry.

Each file is its path's and its bytes' lengths (big-endian, 4 and 8 bytes), then the
path (UTF-8) and the bytes. `unpack_files` checks every length against the blob,
so a damaged entry reads as None (made again), never as wrong files.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from storefront.output import OutputFile

_MAGIC = b"storefront-files 1\n"
_HEADER = struct.Struct(">IQ")


def pack_files(files: Iterable[OutputFile]) -> bytes:
    """The files as one blob."""
    parts = [_MAGIC]
    for item in files:
        path = item.path.encode("utf-8")
        parts += [_HEADER.pack(len(path), len(item.data)), path, item.data]
    return b"".join(parts)


def unpack_files(blob: bytes) -> list[OutputFile] | None:
    """The files `pack_files` packed; None when the blob is not whole."""
    if not blob.startswith(_MAGIC):
        return None
    files: list[OutputFile] = []
    view, at = memoryview(blob), len(_MAGIC)
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
    return files
