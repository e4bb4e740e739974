"""A synchronous client for Pagefind's indexing service (`pagefind --service`).

Pagefind's own Python API polls the service for each answer after a 0.1 s sleep,
so indexing one record per call costs 0.1 s a record: minutes for a large shop.
The service itself answers as fast as it indexes, so this client pipelines every
request on the binary's stdin (from a writer thread) while reading the answers
from its stdout. The wire format is the one the official API speaks: each
message is base64-encoded JSON followed by a comma.
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from pagefind.service import get_executable


class PagefindServiceError(RuntimeError):
    """The Pagefind service refused a request or stopped answering."""


def _encode(message_id: int, payload: dict[str, Any]) -> bytes:
    body = json.dumps({"message_id": message_id, "payload": payload}).encode("utf-8")
    return base64.b64encode(body) + b","


def _messages(stream: IO[bytes]) -> Iterator[dict[str, Any]]:
    """Decode the service's answers as they arrive (base64 JSON, comma-separated)."""
    pending: list[bytes] = []  # pieces of the message being received (one can be many MB)
    while True:
        chunk = stream.read1(1 << 20)  # type: ignore[attr-defined]
        if not chunk:
            return
        *complete, rest = chunk.split(b",")
        for piece in complete:
            decoded = json.loads(base64.b64decode(b"".join([*pending, piece])))
            pending.clear()
            if decoded is not None:
                yield decoded
        if rest:
            pending.append(rest)


class PagefindService:
    """One `pagefind --service` process holding one in-memory index."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        binary = get_executable()
        if binary is None:
            raise PagefindServiceError("search index: the pagefind binary is not installed")
        self._process = subprocess.Popen(  # noqa: S603 - the installed pagefind binary
            [str(binary), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # errors come back as "Error" answers
        )
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        self._stdin = self._process.stdin
        self._answers = _messages(self._process.stdout)
        self._next_id = 0
        (created,) = self.send_all([{"type": "NewIndex", "config": config}])
        self._index_id: int = created["index_id"]

    def send_all(self, payloads: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send every payload at once and return the answers in the same order."""
        requests = list(payloads)
        first = self._next_id + 1
        self._next_id += len(requests)
        ids = range(first, first + len(requests))
        # Written from another thread, one message at a time (no copy of the whole batch):
        # the service answers while it reads, and a full stdout pipe would otherwise block
        # it while this process blocks on its stdin.
        writer = threading.Thread(target=self._write, args=(first, requests), daemon=True)
        writer.start()
        answers: dict[int, dict[str, Any]] = {}
        for message in self._answers if requests else ():
            payload = message.get("payload", {})
            if payload.get("type") == "Error":
                raise PagefindServiceError(f"search index: Pagefind: {payload.get('message')}")
            answers[message.get("message_id", -1)] = payload
            if len(answers) == len(requests):
                break
        writer.join()
        if len(answers) != len(requests):
            raise PagefindServiceError("search index: the Pagefind service stopped answering")
        return [answers[i] for i in ids]

    def _write(self, first: int, requests: list[dict[str, Any]]) -> None:
        for offset, payload in enumerate(requests):
            self._stdin.write(_encode(first + offset, payload))
        self._stdin.flush()

    def add_html_pages(self, pages: Iterable[tuple[str, str]]) -> int:
        """Index HTML documents given as (url, html); return how many pages were indexed."""
        answers = self.send_all(
            {
                "type": "AddFile",
                "index_id": self._index_id,
                "file_path": None,
                "url": url,
                "file_contents": html,
            }
            for url, html in pages
        )
        return sum(1 for answer in answers if answer.get("type") == "IndexedFile")

    def files(self) -> dict[str, bytes]:
        """The index bundle: path inside the bundle -> bytes (complete when answered)."""
        (answer,) = self.send_all([{"type": "GetFiles", "index_id": self._index_id}])
        return {
            Path(item["path"]).as_posix(): base64.b64decode(item["content"])
            for item in answer["files"]
        }

    def close(self) -> None:
        """Stop the service process."""
        self._stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def __enter__(self) -> PagefindService:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
