"""Live reload: rebuild outcomes reach open tabs over SSE; errors never stop the server."""

from __future__ import annotations

import http.client
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from storefront.devserver.app import DevApp
from storefront.devserver.builder import BuildError
from storefront.devserver.http import Request, Response
from storefront.devserver.reload import ReloadHub, inject_reload_script, rebuild_and_notify
from storefront.devserver.runtime import LocalRuntime
from storefront.devserver.server import DevHTTPServer
from tests.devserver.small_build import write_small_build


def test_reload_script_goes_just_before_the_closing_body_tag() -> None:
    html = b"<html><body><p>x</p></BODY></html>"
    assert inject_reload_script(html, "1a2b") == (
        b'<html><body><p>x</p><script src="/_dev/reload.js" data-build="1a2b" defer></script>'
        b"</BODY></html>"
    )


def test_pages_name_the_build_they_were_served_from(tmp_path: Path) -> None:
    # So a tab whose stream connects after a rebuild still learns it is stale.
    public = write_small_build(tmp_path) / "public"
    hub = ReloadHub()
    app = DevApp(public, LocalRuntime("eu-west-1"), live_reload=True, reload_hub=hub)
    before = app(Request("GET", "/")).body
    assert f'data-build="{hub.build_id}"'.encode() in before
    hub.built()
    assert f'data-build="{hub.build_id}"'.encode() in app(Request("GET", "/")).body
    assert f'data-build="{hub.build_id}"'.encode() not in before


def test_html_pages_get_the_script_only_when_watching(tmp_path: Path) -> None:
    public = write_small_build(tmp_path) / "public"
    watching = DevApp(public, LocalRuntime("eu-west-1"), live_reload=True)
    still = DevApp(public, LocalRuntime("eu-west-1"), live_reload=False)
    assert b"/_dev/reload.js" in watching(Request("GET", "/")).body
    assert b"/_dev/reload.js" not in still(Request("GET", "/")).body
    assert b"/_dev/reload.js" not in watching(Request("GET", "/assets/site.abc123.css")).body


def test_failed_build_is_broadcast_with_its_message_and_remembered() -> None:
    hub = ReloadHub()
    tab = hub.subscribe()
    tab.get_nowait()  # the hello frame

    def broken(changed: set[Path]) -> None:
        raise BuildError('content/products/tee.md:7: price: expected a decimal like 89.90, got "x"')

    assert rebuild_and_notify(broken, {Path("content/products/tee.md")}, hub) is False
    frame = tab.get_nowait()
    assert frame.startswith("event: build-error\n")
    assert "tee.md:7: price" in json.loads(frame.split("data: ", 1)[1])["error"]
    # A tab opened now learns about the error at once.
    late = hub.subscribe()
    assert "tee.md:7" in late.get_nowait()


def test_unexpected_build_crash_is_reported_with_its_traceback() -> None:
    hub = ReloadHub()

    def crashing(changed: set[Path]) -> None:
        raise KeyError("oops")

    assert rebuild_and_notify(crashing, set(), hub) is False
    assert hub.error is not None
    assert "Traceback" in hub.error
    assert "KeyError" in hub.error


def test_good_build_clears_the_error_and_reloads_tabs() -> None:
    hub = ReloadHub()
    hub.failed("earlier problem")
    tab = hub.subscribe()
    tab.get_nowait()
    assert rebuild_and_notify(lambda changed: None, set(), hub) is True
    assert tab.get_nowait().startswith("event: reload\n")
    assert hub.error is None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DevHTTPServer]:
    """The dev server's socket side on a free port, without AWS (reload needs none)."""
    public = write_small_build(tmp_path) / "public"
    app = DevApp(public, LocalRuntime("eu-west-1"))
    running = DevHTTPServer(("127.0.0.1", 0), app, ReloadHub(), public=False)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.stopping = True
    running.hub.close()
    running.shutdown()
    running.server_close()


def read_frame(response: http.client.HTTPResponse) -> str:
    lines = []
    while (line := response.readline().decode()) != "\n":
        lines.append(line)
    return "".join(lines)


def test_event_stream_sends_hello_then_reload(server: DevHTTPServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)
    connection.request("GET", "/_dev/reload")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    assert read_frame(response).startswith("event: hello\n")
    server.hub.built()
    assert read_frame(response).startswith("event: reload\n")
    connection.close()


def test_requests_for_other_hosts_are_refused_without_public(server: DevHTTPServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)
    connection.request("GET", "/", headers={"Host": "attacker.example:80"})
    assert connection.getresponse().status == 421
    connection.close()


def test_pages_on_another_local_name_move_to_the_site_url_origin(server: DevHTTPServer) -> None:
    port = server.server_address[1]
    server.canonical_host = f"localhost:{port}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/products/tee/?sku=TEE-M", headers={"Host": f"127.0.0.1:{port}"})
    response = connection.getresponse()
    response.read()
    assert response.status == 308
    assert response.getheader("Location") == f"http://localhost:{port}/products/tee/?sku=TEE-M"
    connection.request("GET", "/products/tee/", headers={"Host": f"localhost:{port}"})
    assert connection.getresponse().status == 200
    connection.close()


def test_chunked_request_bodies_reach_the_app_whole(server: DevHTTPServer) -> None:
    seen: list[bytes] = []

    def echo(request: Request) -> Response:
        seen.append(request.body)
        return Response(204)

    server.app.mounts["/_dev/echo"] = echo
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)
    connection.request(
        "POST",
        "/_dev/echo",
        body=iter([b'{"sku": ', b'"TEE-M"}']),
        encode_chunked=True,
        headers={"Transfer-Encoding": "chunked"},
    )
    assert connection.getresponse().status == 204
    connection.close()
    assert seen == [b'{"sku": "TEE-M"}']


def test_a_tab_gone_mid_answer_is_not_reported_but_a_real_error_is(
    server: DevHTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # A reloading tab closes its connections while answers are being written.
    try:
        raise BrokenPipeError(32, "Broken pipe")
    except BrokenPipeError:
        server.handle_error(None, ("127.0.0.1", 50000))
    assert capsys.readouterr().err == ""

    try:
        raise KeyError("a bug in the server")
    except KeyError:
        server.handle_error(None, ("127.0.0.1", 50000))
    assert "KeyError: 'a bug in the server'" in capsys.readouterr().err


def test_a_theme_error_is_headed_build_failed_once_in_the_terminal(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def theme_error(changed: set[Path]) -> None:
        raise BuildError("build failed: site/templates/product.html:7: unexpected '}'")

    with caplog.at_level(logging.ERROR):
        assert rebuild_and_notify(theme_error, set(), ReloadHub()) is False
    assert caplog.text.count("build failed") == 1
