"""`python build.py serve`: the whole shop on this computer, rebuilt and reloaded on every edit."""

from __future__ import annotations

import argparse
import errno
import faulthandler
import logging
import os
import signal
import sys
import threading
import warnings
from pathlib import Path
from types import FrameType
from typing import Any

from storefront.devserver.aws import find_local_aws
from storefront.devserver.builder import Build, BuildError, WarmBuilder, run_build
from storefront.devserver.localshop import RunningShop, ServeOptions, run_local_shop
from storefront.devserver.server import is_loopback

_log = logging.getLogger("storefront.devserver")


def port_number(text: str) -> int:
    """--port's value: checked before the build, not by bind() after it (a traceback)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'expected a port number 0-65535, got "{text}"') from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 0-65535, got {port}")
    return port


def register(subparsers: Any) -> None:
    """Add the `serve` subcommand."""
    parser = subparsers.add_parser(
        "serve",
        help="build and run the whole shop locally (pages, API, emulated AWS, live reload)",
        description="Build the shop and serve it on this computer: static pages, the real "
        "functions under /api/, DynamoDB and SES emulated by moto, a stand-in for Stripe "
        "Checkout when STRIPE_SECRET_KEY is unset, an outbox of sent emails, and a rebuild "
        "plus browser reload on every change under content/ and site/.",
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=8000,
        help="port to listen on (default: 8000; 0: any free)",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument(
        "--public",
        action="store_true",
        help="allow a --host other than localhost (the shop is then reachable from the network)",
    )
    parser.add_argument(
        "--content", type=Path, default=Path("content"), help="content folder (default: content)"
    )
    parser.add_argument(
        "--site", type=Path, default=Path("site"), help="theme folder (default: site)"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("dist"), help="build output folder (default: dist)"
    )
    parser.add_argument("--no-build", action="store_true", help="serve the existing build as is")
    parser.add_argument("--no-watch", action="store_true", help="do not rebuild on changes")
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="log every request (the functions' own logs follow POWERTOOLS_LOG_LEVEL, "
        "default WARNING)",
    )
    parser.set_defaults(run=run)


def _print_banner(shop: RunningShop, args: argparse.Namespace) -> None:
    stand_in = shop.stand_in_url
    lines = [
        "",
        "  Your shop is running:",
        f"    shop      {shop.url}/",
        f"    outbox    {shop.url}/_dev/outbox   (emails sent, as the shopper sees them)",
        "    checkout  "
        + (
            f"{stand_in}<session>  (local stand-in for Stripe Checkout)"
            if stand_in
            else "Stripe (STRIPE_SECRET_KEY is set; forward webhooks to /api/stripe/webhook)"
        ),
        f"    AWS       moto at {shop.aws.endpoint_url}; `stock …` and `orders …` use it "
        f"(see {shop.local_aws_file})",
    ]
    if not stand_in and not os.environ.get("STRIPE_WEBHOOK_SECRET"):
        # Without it this run verifies events with a secret of its own making: every
        # event `stripe listen` forwards would be refused (400) and no order recorded.
        lines.append(
            "  Warning: STRIPE_WEBHOOK_SECRET is not set: export the whsec_… secret that "
            "`stripe listen --forward-to localhost:PORT/api/stripe/webhook` prints, or "
            "no order is recorded."
        )
    if not args.no_watch:
        lines.append(f"  Watching {args.content}/ and {args.site}/ (edits rebuild and reload).")
    lines += ["  Press Ctrl-C to stop.", ""]
    print("\n".join(lines), flush=True)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    # A terminate signal stops the shop like Ctrl-C does, so cleanup runs.
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    """Run the shop until Ctrl-C; returns the exit status."""
    logging.basicConfig(format="%(message)s", level=logging.WARNING)
    _log.setLevel(logging.DEBUG if args.verbose else logging.INFO)
    # The server's own lines stay plain text: the functions' Powertools loggers put a
    # JSON handler on "storefront" (the service name), which would format them too.
    if not _log.handlers:
        plain = logging.StreamHandler()
        plain.setFormatter(logging.Formatter("%(message)s"))
        _log.addHandler(plain)
    _log.propagate = False
    # Powertools warns when a call ends without a business metric: normal for most
    # local calls, and locally there is no CloudWatch to publish to anyway.
    warnings.filterwarnings("ignore", "No application metrics to publish", UserWarning)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every call
    if not is_loopback(args.host) and not args.public:
        print(
            f"serve: refusing to listen on {args.host}: the shop would be reachable from the "
            "network; add --public if that is what you want",
            file=sys.stderr,
        )
        return 2
    if threading.current_thread() is threading.main_thread():
        # Ctrl-C stops the shop even when a shell started it in the background
        # (`serve &` in a script), where SIGINT arrives ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _raise_interrupt)
        # `kill -USR1 <pid>` prints every thread's stack: what a stuck shop is doing.
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    try:
        return _build_and_serve(args)
    except KeyboardInterrupt:
        print("\nStopped.", flush=True)
        return 0


def _has_build(out: Path) -> bool:
    return (out / "catalog.json").is_file() and (out / "public").is_dir()


def _builder() -> Build:
    """Builds in a child process; forked from a warm one where the platform allows."""
    return WarmBuilder().build if WarmBuilder.available() else run_build


def _build_and_serve(args: argparse.Namespace) -> int:
    running = find_local_aws(Path.cwd())
    if running is not None:
        # A second shop here would rebuild the same dist/ and take over the file the
        # merchant commands read, leaving the first shop's orders and stock unreachable.
        print(
            f"serve: a local shop is already running from this folder (its emulated AWS "
            f"answers at {running.endpoint_url}); use it, stop it first (Ctrl-C in its "
            "terminal), or run serve from another folder",
            file=sys.stderr,
        )
        return 1
    first_error: str | None = None
    build = _builder()
    if not args.no_build:
        print(f"Building {args.content}/ into {args.out}/ …", flush=True)
        try:
            # Shown as it runs: a first build (images) can take a while, and a
            # terminal gets the build's progress.
            seconds = build(args.content, args.out, args.site, show_output=True)
        except BuildError as exc:
            if not exc.shown:
                print(str(exc), file=sys.stderr)
            if args.no_watch or not _has_build(args.out):
                print("serve: the build failed; fix the errors above", file=sys.stderr)
                return 1
            # Keep serving the last good build; the tabs show the errors until fixed.
            print("serve: the build failed; serving the previous build", file=sys.stderr)
            first_error = str(exc)
        else:
            print(f"Built in {seconds:.1f}s.", flush=True)
    options = ServeOptions(
        out_dir=args.out,
        host=args.host,
        port=args.port,
        public=args.public,
        watch=() if args.no_watch else (args.content, args.site),
        rebuild=lambda changed: _rebuild(build, args),
        initial_error=first_error,
        email_templates=args.site / "emails",
    )
    try:
        with run_local_shop(options) as shop:
            _print_banner(shop, args)
            # Wake twice a second rather than wait for good: the kernel may hand Ctrl-C to
            # any thread, and Python raises KeyboardInterrupt only when the main thread runs
            # again, so a wait without a timeout sometimes ignored Ctrl-C for good.
            idle = threading.Event()
            while not idle.wait(0.5):
                pass
    except FileNotFoundError as exc:
        print(f"serve: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(
                f"serve: port {args.port} is already in use; choose another with --port N "
                "(0 picks a free one)",
                file=sys.stderr,
            )
        else:
            print(f"serve: {exc}", file=sys.stderr)
        return 1
    return 0


def _rebuild(build: Build, args: argparse.Namespace) -> None:
    build(args.content, args.out, args.site)
