"""Start and stop the whole local shop: emulation, functions' environment, workers, server.

The order matters: the HTTP socket is bound first (its port is part of
SITE_URL), then moto and the tables, then the environment the handlers read
at cold start, and only then does the server accept requests.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from storefront.devserver import aws as local
from storefront.devserver.app import DevApp
from storefront.devserver.reload import Rebuild, ReloadHub, Watcher
from storefront.devserver.runtime import LocalRuntime
from storefront.devserver.server import DevHTTPServer
from storefront.devserver.stand_in import StandIn, stand_in_available
from storefront.devserver.tables import ORDERS
from storefront.devserver.workers import ScheduleWorker, StreamWorker

_log = logging.getLogger(__name__)

EMAIL_FUNCTION = "order_emails.app"
SWEEPER_FUNCTION = "sweeper.app"
# Scheduled in production but not run here: it writes feeds/availability.xml to the
# site bucket, and the local shop has no site bucket (pages come from dist/public,
# which the build owns and replaces whole). Merchant Center cannot fetch localhost
# anyway; the product pages' live stock (/api/stock) works locally as deployed.
NOT_SCHEDULED_LOCALLY = ("feed_availability.app",)


@dataclass
class ServeOptions:
    """What `serve` was asked to do."""

    out_dir: Path  # holds public/ and catalog.json
    host: str = "127.0.0.1"
    port: int = 8000
    public: bool = False  # allow a non-loopback host
    watch: tuple[Path, ...] = ()  # folders whose changes trigger a rebuild
    rebuild: Rebuild | None = None
    stand_in: bool = True  # the local Checkout stand-in when STRIPE_SECRET_KEY is unset
    state_dir: Path = field(default_factory=Path.cwd)  # where .cache/local-aws.json goes
    sweep_every_s: float = 60.0
    initial_error: str | None = None  # the first build failed: tabs show this until fixed
    email_templates: Path | None = None  # the theme's emails/ (aws.function_environment)


@dataclass
class RunningShop:
    """A started shop: where it answers and the parts tests may look at."""

    url: str
    aws: local.LocalAws
    server: DevHTTPServer
    hub: ReloadHub
    runtime: LocalRuntime
    stream_worker: StreamWorker
    sweeper: ScheduleWorker
    local_aws_file: Path
    env: dict[str, str]

    @property
    def stand_in_url(self) -> str | None:
        """Where the Checkout stand-in answers, when it is mounted."""
        prefixes = list(self.server.app.mounts)
        return self.url + prefixes[0] if prefixes else None


def site_url(host: str, port: int) -> str:
    """The shop's address (SITE_URL): what links in pages, Checkout and emails point to."""
    if host in ("127.0.0.1", "localhost"):
        shown = "localhost"
    elif host in ("0.0.0.0", "::", ""):  # noqa: S104 - naming it, not binding it
        # Every interface: other devices reach this computer by its name, not 0.0.0.0.
        shown = socket.gethostname()
    else:
        shown = host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}"


def after_build(aws: local.LocalAws, runtime: LocalRuntime, catalog: Path) -> None:
    """After a rebuild: seed any new SKUs and start fresh containers (new snapshot)."""
    added = local.seed_inventory(aws, catalog)
    if added:
        _log.info("inventory: seeded %d new SKU(s)", added)
    runtime.cold_start()


def _restore_environment(saved: dict[str, str]) -> None:
    # Leave the process as found (matters when the shop runs inside a test process).
    os.environ.clear()
    os.environ.update(saved)


@contextmanager
def run_local_shop(options: ServeOptions) -> Iterator[RunningShop]:
    """Run the shop until the block exits; everything started here is stopped on exit."""
    catalog = options.out_dir / "catalog.json"
    public_dir = options.out_dir / "public"
    if not catalog.is_file() or not public_dir.is_dir():
        raise FileNotFoundError(
            f"{options.out_dir}: expected a build (public/ and catalog.json); "
            "run `python build.py` or drop --no-build"
        )
    runtime = LocalRuntime(local.REGION)
    hub = ReloadHub()
    if options.initial_error:
        hub.failed(options.initial_error)
    app = DevApp(
        public_dir=public_dir,
        runtime=runtime,
        live_reload=bool(options.watch),
        reload_hub=hub,
    )
    with ExitStack() as stack:
        server = DevHTTPServer((options.host, options.port), app, hub, public=options.public)
        stack.callback(server.server_close)
        url = site_url(options.host, server.server_address[1])
        if not options.public:
            server.canonical_host = url.removeprefix("http://")

        endpoint = stack.enter_context(local.run_moto())
        aws = local.local_aws(endpoint)
        local.create_tables(aws)
        local.seed_inventory(aws, catalog)
        sender = local.sender_address(catalog)
        local.verify_sender(aws, sender)
        env = local.function_environment(
            aws,
            catalog_path=catalog,
            site_url=url,
            email_from=sender,
            email_templates=options.email_templates,
        )
        saved_environment = dict(os.environ)
        local.apply_environment(env, os.environ)
        stack.callback(_restore_environment, saved_environment)
        use_stand_in = (
            options.stand_in and not os.environ.get("STRIPE_SECRET_KEY") and stand_in_available()
        )
        local_file = local.write_local_aws(
            replace(aws, stand_in_payments=use_stand_in), options.state_dir
        )
        stack.callback(local.remove_local_aws, local_file, aws)
        if use_stand_in:
            stand_in = StandIn(url, env["STRIPE_WEBHOOK_SECRET"], app)
            app.mounts[stand_in.prefix] = stand_in.handle
            stand_in.install()
            runtime.on_cold_start.append(stand_in.install)

        stream = StreamWorker(aws, runtime, table=ORDERS.name, module=EMAIL_FUNCTION)
        sweeper = ScheduleWorker(runtime, module=SWEEPER_FUNCTION, every_s=options.sweep_every_s)
        for worker in (stream, sweeper):
            worker.start()
            stack.callback(worker.join, 5)
            stack.callback(worker.stop_event.set)
        if options.watch and options.rebuild is not None:
            rebuild = options.rebuild

            def rebuild_then_refresh(changed: set[Path]) -> None:
                started = time.monotonic()
                rebuild(changed)
                built = time.monotonic()
                after_build(aws, runtime, catalog)
                _log.debug(
                    "build %.2fs, inventory and functions %.2fs",
                    built - started,
                    time.monotonic() - built,
                )

            watcher = Watcher(options.watch, rebuild_then_refresh, hub)
            watcher.start()
            stack.callback(watcher.join, 5)
            stack.callback(watcher.stop_event.set)

        serving = threading.Thread(target=server.serve_forever, name="http", daemon=True)
        serving.start()
        stack.callback(serving.join, 5)
        stack.callback(server.shutdown)
        stack.callback(hub.close)
        stack.callback(setattr, server, "stopping", True)
        yield RunningShop(
            url=url,
            aws=aws,
            server=server,
            hub=hub,
            runtime=runtime,
            stream_worker=stream,
            sweeper=sweeper,
            local_aws_file=local_file,
            env=env,
        )
