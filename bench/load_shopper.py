"""One simulated shopper for bench/load.py: cart, checkout, pay (or abandon) through the stand-in.

Plain `http.client`, one connection per request (the dev server speaks
HTTP/1.0). The cart cookie is carried by hand: it is `Secure`, which Python's
cookie jar would never send to http://localhost.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

TIMEOUT_S = 60.0


class TransportError(Exception):
    """A request got no HTTP answer (connection refused or reset, timeout)."""


@dataclass
class Answer:
    """A response: status, headers (lower-case names), body, and how long it took."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


@dataclass
class Tally:
    """What every shopper saw, shared and locked: latencies and statuses per endpoint."""

    latencies_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[str] = field(default_factory=list)  # answers a shopper should never get
    transport_errors: list[str] = field(default_factory=list)  # no answer at all
    paid: dict[str, str] = field(default_factory=dict)  # session id -> email paid with
    expired: list[str] = field(default_factory=list)  # sessions let expire (units released)
    unsure: dict[str, str] = field(default_factory=dict)  # paid with no answer: session -> email
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, endpoint: str, status: int, elapsed_ms: float) -> None:
        """Count one answer."""
        with self.lock:
            self.latencies_ms[endpoint].append(elapsed_ms)
            self.statuses[endpoint][status] += 1

    def fail(self, message: str) -> None:
        """Note something a shopper should never see."""
        with self.lock:
            self.failures.append(message)


class Shopper:
    """A browser-less shopper against the shop at `base_url`."""

    def __init__(self, base_url: str, tally: Tally, name: str, rng: random.Random) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.tally = tally
        self.name = name
        self.rng = rng
        self.cookie = ""
        self.orders = 0

    def request(
        self, endpoint: str, method: str, path: str, body: bytes | None = None, **headers: str
    ) -> Answer:
        """Send one request, recording its latency and status under `endpoint`."""
        sent = {"Host": f"localhost:{self.port}", "Connection": "close", **headers}
        if self.cookie:
            sent["Cookie"] = self.cookie
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_S)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        except (OSError, http.client.HTTPException) as exc:
            # No HTTP answer at all: counted under status 0 for this endpoint.
            self.tally.record(endpoint, 0, (time.perf_counter() - started) * 1000)
            raise TransportError(
                f"{endpoint} {method} {path}: {type(exc).__name__}: {exc}"
            ) from exc
        finally:
            connection.close()
        self.tally.record(endpoint, answer.status, (time.perf_counter() - started) * 1000)
        set_cookie = answer.headers.get("set-cookie", "")
        if set_cookie.startswith("cart_id="):
            self.cookie = set_cookie.split(";", 1)[0]
        return answer

    def post_json(self, endpoint: str, path: str, data: Any) -> Answer:
        """POST a JSON body."""
        body = json.dumps(data).encode()
        return self.request(endpoint, "POST", path, body, **{"Content-Type": "application/json"})

    def shop_once(self, scarce: str, plentiful: list[str], abandon_rate: float) -> None:
        """One visit: fresh cart, the scarce SKU (if still sold) and another, checkout, pay."""
        self.cookie = ""  # a new visitor: a new cart
        wanted = self.post_json("add", "/api/cart/items", {"sku": scarce, "quantity": 1})
        if wanted.status not in (200, 409):
            self.tally.fail(f"add {scarce}: {wanted.status} {wanted.body[:200]!r}")
        other = self.rng.choice(plentiful)
        added = self.post_json("add", "/api/cart/items", {"sku": other, "quantity": 1})
        if added.status != 200:
            self.tally.fail(f"add {other}: {added.status} {added.body[:200]!r}")
            return
        started = self.request("checkout", "POST", "/api/checkout")
        if started.status == 409:
            return  # the scarce unit went to someone else between add and checkout
        if started.status != 200:
            self.tally.fail(f"checkout: {started.status} {started.body[:200]!r}")
            return
        session = started.json()
        page = urlsplit(session["url"]).path
        if self.rng.random() < abandon_rate:
            self._pay_page(page, {"action": "expire"}, "abandon")
            with self.tally.lock:
                self.tally.expired.append(session["session_id"])
            return
        self.orders += 1
        email = f"{self.name}-{self.orders}@load.example"
        form = {
            "action": "pay",
            "email": email,
            "name": f"Load {self.name}",
            "line1": "3 rue Royale",
            "postal_code": "74000",
            "city": "Annecy",
            "country": "FR",
        }
        try:
            paid = self._pay_page(page, form, "pay")
        except TransportError:
            # The payment may or may not have gone through: checked as "at most once".
            with self.tally.lock:
                self.tally.unsure[session["session_id"]] = email
            raise
        if paid:
            with self.tally.lock:
                self.tally.paid[session["session_id"]] = email
            found = self.request("order", "GET", f"/api/orders/session/{session['session_id']}")
            if found.status != 200:
                self.tally.fail(f"order lookup: {found.status} {found.body[:200]!r}")

    def _pay_page(self, page: str, form: dict[str, str], endpoint: str) -> bool:
        body = urlencode(form).encode()
        answer = self.request(
            endpoint, "POST", page, body, **{"Content-Type": "application/x-www-form-urlencoded"}
        )
        if answer.status != 303:
            self.tally.fail(f"{endpoint} {page}: {answer.status} {answer.body[:200]!r}")
        return answer.status == 303


def run_shoppers(
    base_url: str,
    *,
    shoppers: int,
    seconds: float,
    scarce: str,
    plentiful: list[str],
    abandon_rate: float = 0.2,
    seed: int = 7,
) -> tuple[Tally, float]:
    """Run `shoppers` threads for `seconds`; returns the tally and the wall time taken."""
    tally = Tally()
    deadline = time.monotonic() + seconds

    def visit_until_deadline(index: int) -> None:
        shopper = Shopper(base_url, tally, f"s{index}", random.Random(seed + index))
        while time.monotonic() < deadline:
            try:
                shopper.shop_once(scarce, plentiful, abandon_rate)
            except TransportError as exc:
                with tally.lock:
                    tally.transport_errors.append(f"{shopper.name}: {exc}")
            except (ValueError, KeyError) as exc:  # an answer not shaped as the spec says
                tally.fail(f"{shopper.name}: {type(exc).__name__}: {exc}")

    started = time.perf_counter()
    threads = [threading.Thread(target=visit_until_deadline, args=(i,)) for i in range(shoppers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - started
