"""The local Lambda runtime: real handlers invoked in this process, as Lambda would."""

from __future__ import annotations

import threading
from typing import Any

from storefront.devserver.apigw import to_event
from storefront.devserver.http import Request
from storefront.devserver.runtime import LocalRuntime

FUNCTIONS = ("tests.devserver.echo_function", "tests.devserver.echo_function_twin")


def echo_event(who: str) -> dict[str, Any]:
    request = Request(
        method="GET",
        target=f"/api/echo?who={who}",
        headers=(("Host", "localhost"),),
        body=b"",
        source_ip="127.0.0.1",
    )
    return to_event(request, route_key="GET /api/echo")


def test_two_functions_called_at_once_each_read_their_own_request() -> None:
    # Given two functions whose routes read the current event after a pause
    runtime = LocalRuntime("eu-west-1")
    answers: dict[str, list[str]] = {who: [] for who in ("alice", "bob")}

    def call(module: str, who: str) -> None:
        for _ in range(10):
            answers[who].append(runtime.invoke(module, echo_event(who))["body"])

    # When both are invoked at the same time from two threads (two browser requests)
    threads = [
        threading.Thread(target=call, args=(FUNCTIONS[0], "alice")),
        threading.Thread(target=call, args=(FUNCTIONS[1], "bob")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    # Then neither saw the other's request (Powertools shares the current event
    # between every resolver of a process)
    assert answers == {"alice": ["alice"] * 10, "bob": ["bob"] * 10}


def test_a_cold_start_happens_on_the_next_invocation_not_at_once() -> None:
    # Given a warm function and a setup step each fresh container needs
    runtime = LocalRuntime("eu-west-1")
    setups: list[str] = []
    runtime.on_cold_start.append(lambda: setups.append("setup"))
    runtime.invoke(FUNCTIONS[0], echo_event("warm"))

    # When a rebuild asks for fresh containers, nothing is imported yet
    runtime.cold_start()
    runtime.cold_start()
    assert setups == []

    # Then the next invocation starts fresh, once, before the handler runs
    assert runtime.invoke(FUNCTIONS[0], echo_event("fresh"))["body"] == "fresh"
    assert runtime.invoke(FUNCTIONS[1], echo_event("again"))["body"] == "again"
    assert setups == ["setup"]
