"""`python build.py serve` serves the pages, the real functions and the outbox on one port."""

from __future__ import annotations

import ctypes
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.devserver.serve_process import ROOT, ServeProcess, run_serve
from tests.devserver.small_build import write_small_build

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a small finished build in dist/."""
    root = tmp_path_factory.mktemp("serve")
    write_small_build(root / "dist")
    return root


@pytest.fixture(scope="module")
def serve(workdir: Path) -> Iterator[ServeProcess]:
    """The shop served from the small build, without rebuilding or watching."""
    with run_serve("--no-build", "--no-watch", "--out", "dist", cwd=workdir) as running:
        yield running


def fetch(
    url: str, method: str = "GET", body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes, list[str]]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local
            cookies = response.headers.get_all("Set-Cookie") or []
            return response.status, dict(response.headers), response.read(), cookies
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read(), []


def serve_once(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `build.py serve ARGS` in `cwd` to the end (a refusal), capturing its output."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "serve", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_home_page_is_served_without_reload_script_when_not_watching(serve: ServeProcess) -> None:
    status, headers, body, _ = fetch(serve.url + "/")
    assert status == 200
    assert b"<h1>Home</h1>" in body
    assert b"/_dev/reload.js" not in body
    assert headers["Content-Type"].startswith("text/html")


def test_head_gives_the_length_a_get_would_and_no_body(serve: ServeProcess) -> None:
    # Link checkers and download tools read the size from HEAD.
    _, got, body, _ = fetch(serve.url + "/")
    status, headed, nothing, _ = fetch(serve.url + "/", method="HEAD")
    assert (status, nothing) == (200, b"")
    assert headed["Content-Length"] == got["Content-Length"] == str(len(body))


def test_unknown_page_gets_the_404_page(serve: ServeProcess) -> None:
    status, _, body, _ = fetch(serve.url + "/nowhere/")
    assert status == 404
    assert b"Page not found" in body


def test_stock_api_reads_inventory_seeded_from_the_catalog(serve: ServeProcess) -> None:
    status, _, body, _ = fetch(serve.url + "/api/stock?sku=TEE-M&sku=TEE-L")
    assert status == 200, body
    skus = json.loads(body)["skus"]
    assert skus["TEE-M"]["available"] == 5
    assert skus["TEE-L"]["available"] == 0


def test_cart_api_sets_the_cart_cookie_and_keeps_the_line(serve: ServeProcess) -> None:
    status, _, body, cookies = fetch(
        serve.url + "/api/cart/items", "POST", {"sku": "TEE-M", "quantity": 2}
    )
    assert status in (200, 201), body
    [cookie] = [c for c in cookies if c.startswith("cart_id=")]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    status, _, body, _ = fetch(serve.url + "/api/cart", headers={"Cookie": cookie.split(";")[0]})
    assert status == 200
    assert "TEE-M" in body.decode()


def test_unknown_api_route_answers_like_the_default_route(serve: ServeProcess) -> None:
    # As on AWS: no route takes it, the $default route's function answers in the API's shape.
    for method, path in (("GET", "/api/nothing-here"), ("PUT", "/api/checkout")):
        status, _, body, _ = fetch(serve.url + path, method=method)
        assert status == 404
        assert json.loads(body) == {
            "error": {"code": "not_found", "message": f"{method} {path}: no such API route"}
        }


def test_outbox_json_starts_empty(serve: ServeProcess) -> None:
    status, _, body, _ = fetch(serve.url + "/_dev/outbox.json")
    assert status == 200
    assert json.loads(body) == []


def test_merchant_commands_can_find_the_emulation(serve: ServeProcess, workdir: Path) -> None:
    described = json.loads((workdir / ".cache" / "local-aws.json").read_text())
    assert described["endpoint_url"].startswith("http://127.0.0.1:")
    assert described["tables"]["INVENTORY_TABLE"]
    # The file's endpoint is a live DynamoDB holding the seeded inventory.
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=described["endpoint_url"],
        region_name=described["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    item = dynamodb.get_item(
        TableName=described["tables"]["INVENTORY_TABLE"], Key={"sku": {"S": "TEE-M"}}
    )["Item"]
    assert item["reserved"] == {"N": "0"}


def _port_is_free(url: str) -> bool:
    """Nothing listens on the URL's port any more (connections in TIME_WAIT do not count)."""
    port = url.rsplit(":", 1)[1]
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", int(port)))
        except OSError:
            return False
    return True


@pytest.mark.parametrize("sigint_ignored", [False, True], ids=["terminal", "background-job"])
def test_ctrl_c_stops_cleanly_and_releases_everything(tmp_path: Path, sigint_ignored: bool) -> None:
    # Given a watching shop (every thread running), started from a terminal or as `serve &`
    write_small_build(tmp_path / "dist")
    for folder in ("content", "site"):
        (tmp_path / folder).mkdir()
    args = ("--no-build", "--content", "content", "--site", "site", "--out", "dist")
    with run_serve(*args, cwd=tmp_path, sigint_ignored=sigint_ignored) as running:
        local_aws = json.loads((tmp_path / ".cache" / "local-aws.json").read_text())
        # When Ctrl-C arrives
        started = time.monotonic()
        running.process.send_signal(signal.SIGINT)
        running.process.wait(30)
        stopped_in = time.monotonic() - started
    # Then it exits 0 within a few seconds, says so, without a traceback
    assert running.process.returncode == 0, running.text()
    assert stopped_in < 10, f"took {stopped_in:.1f}s to stop"
    assert "Stopped." in running.text()
    assert "Traceback" not in running.text()
    # ...and leaves nothing behind: the emulation file, the shop's port, moto's port
    assert not (tmp_path / ".cache" / "local-aws.json").exists()
    assert _port_is_free(running.url)
    assert _port_is_free(local_aws["endpoint_url"])


def _interrupt_thread(pid: int, tid: int) -> None:
    """Send SIGINT to one thread of another process, as the kernel may route a Ctrl-C."""
    libc = ctypes.CDLL(None, use_errno=True)
    tgkill = 234  # the x86-64 syscall number; aarch64's is 131
    number = 131 if platform.machine() in ("aarch64", "arm64") else tgkill
    if libc.syscall(number, pid, tid, signal.SIGINT) != 0:
        raise OSError(ctypes.get_errno(), "tgkill failed")


@pytest.mark.skipif(sys.platform != "linux", reason="thread-directed signals need Linux's tgkill")
def test_ctrl_c_stops_the_shop_whichever_thread_the_kernel_hands_it_to(tmp_path: Path) -> None:
    # Given a watching shop with its threads running (http, moto, watcher, workers)
    write_small_build(tmp_path / "dist")
    for folder in ("content", "site"):
        (tmp_path / folder).mkdir()
    args = ("--no-build", "--content", "content", "--site", "site", "--out", "dist")
    with run_serve(*args, cwd=tmp_path) as running:
        pid = running.process.pid
        threads = sorted(int(tid) for tid in os.listdir(f"/proc/{pid}/task") if int(tid) != pid)
        assert len(threads) >= 4
        # When Ctrl-C lands on a thread other than the main one (the main thread used to
        # sleep through it, and the shop ignored Ctrl-C)
        _interrupt_thread(pid, threads[-1])
        running.process.wait(10)
    # Then the shop still stops, cleanly
    assert running.process.returncode == 0, running.text()
    assert "Stopped." in running.text()
    assert "Traceback" not in running.text()


def test_listening_beyond_localhost_needs_public(tmp_path: Path) -> None:
    result = serve_once("--host", "0.0.0.0", "--no-build", cwd=tmp_path)  # noqa: S104
    assert result.returncode == 2
    assert "--public" in result.stderr


def test_a_shop_served_to_other_devices_keeps_their_carts(tmp_path: Path) -> None:
    # Over plain HTTP a browser drops a Secure cookie from any host but localhost, so a
    # phone on the laptop's address got a new cart at every step.
    write_small_build(tmp_path / "dist")
    with run_serve(
        "--no-build", "--no-watch", "--out", "dist", "--host", "127.0.0.1", "--public",
        cwd=tmp_path,
    ) as running:  # fmt: skip
        port = running.url.rsplit(":", 1)[1]
        add = {"sku": "TEE-M", "quantity": 1}
        lan = {"Host": f"laptop.lan:{port}", "Origin": f"http://laptop.lan:{port}"}
        local = {"Host": f"localhost:{port}", "Origin": f"http://localhost:{port}"}
        *_, from_lan = fetch(running.url + "/api/cart/items", "POST", add, lan)
        *_, from_local = fetch(running.url + "/api/cart/items", "POST", add, local)
    [lan_cookie], [local_cookie] = from_lan, from_local
    assert lan_cookie.startswith("cart_id=")
    assert "secure" not in [part.strip().lower() for part in lan_cookie.split(";")]
    assert "Secure" in [part.strip() for part in local_cookie.split(";")]


def test_stock_command_in_another_process_reads_the_running_shop(
    serve: ServeProcess, workdir: Path
) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "stock", "list"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"^TEE-M\s+5\s+0\s+0", result.stdout, re.MULTILINE), result.stdout


def test_port_in_use_is_reported_with_the_way_out(
    serve: ServeProcess, workdir: Path, tmp_path: Path
) -> None:
    port = serve.url.rsplit(":", 1)[1]
    # From another folder: in the same one, the running shop is found before the port.
    args = ("--no-build", "--out", str(workdir / "dist"), "--no-watch", "--port", port)
    result = serve_once(*args, cwd=tmp_path)
    assert result.returncode == 1
    assert f"port {port} is already in use" in result.stderr


def test_a_second_shop_in_the_same_folder_is_refused_and_the_first_stays_reachable(
    serve: ServeProcess, workdir: Path
) -> None:
    described = (workdir / ".cache" / "local-aws.json").read_text(encoding="utf-8")
    result = serve_once("--no-build", "--port", "0", cwd=workdir)
    assert result.returncode == 1
    assert "a local shop is already running from this folder" in result.stderr
    # The merchant commands still find the first shop's tables
    assert (workdir / ".cache" / "local-aws.json").read_text(encoding="utf-8") == described


def test_a_port_outside_the_range_is_refused_before_building(tmp_path: Path) -> None:
    result = serve_once("--port", "99999", cwd=tmp_path)
    assert result.returncode == 2
    assert "--port: expected a port number 0-65535, got 99999" in result.stderr
    assert "Building" not in result.stdout


def test_broken_content_at_start_keeps_serving_the_last_good_build(tmp_path: Path) -> None:
    # Given a previous good build and content that no longer builds
    write_small_build(tmp_path / "dist")
    content = ROOT / "tests" / "fixtures" / "content" / "bad_price"
    args = ("--content", str(content), "--site", str(ROOT / "site"), "--out", "dist")
    with run_serve(*args, cwd=tmp_path) as running:
        # Then the old pages are served and open tabs learn the error at once
        status, _, body, _ = fetch(running.url + "/")
        assert status == 200
        assert b"<h1>Home</h1>" in body
        request = urllib.request.Request(running.url + "/_dev/reload")  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as stream:  # noqa: S310
            hello = stream.readline().decode() + stream.readline().decode()
        assert hello.startswith("event: hello")
        assert "price" in hello
    assert "serving the previous build" in running.text()
    # The build's error was printed as it ran, once, not again by serve
    errors = [line for line in running.text().splitlines() if "price" in line and ".md:" in line]
    assert len(errors) == 1, running.text()


def test_function_calls_leave_no_warnings_or_tracebacks_in_the_terminal(
    serve: ServeProcess,
) -> None:
    answers = [fetch(serve.url + path)[0] for path in ("/api/stock?sku=TEE-M", "/api/cart")]
    assert answers == [200, 200]
    assert fetch(serve.url + "/api/nothing-here")[0] == 404
    # serve prints nothing per request to wait on: a warning would have been written
    # before its response was sent, and the pump thread copies it within milliseconds.
    time.sleep(0.5)
    assert "UserWarning" not in serve.text()
    assert "Traceback" not in serve.text()
