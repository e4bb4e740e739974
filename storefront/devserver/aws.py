"""Local AWS for `serve`: moto in this process, the shop's tables, SES, and the functions' env.

Everything the functions and the merchant commands need to find the
emulation is set here: the environment of this process (the handlers run
in it) and `.cache/local-aws.json` (for `stock …` / `orders …` run from another
terminal while the shop is up).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import urllib.request
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

from storefront.devserver.tables import INVENTORY, TABLES

REGION = "eu-west-1"
DUMMY_KEY = "testing"
LOCAL_AWS_FILE = Path(".cache") / "local-aws.json"
# Variables that would point boto3 at a real account or override our endpoint.
_REAL_AWS_VARS = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN")


@dataclass(frozen=True, slots=True)
class LocalAws:
    """A running emulation: where it listens and what it holds."""

    endpoint_url: str
    region: str
    tables: dict[str, str]  # env var -> table name
    # Checkouts are paid in the local stand-in (no payment at Stripe to refund), not in
    # Stripe's test mode (`serve` with STRIPE_SECRET_KEY set).
    stand_in_payments: bool = True

    def client(self, service: str) -> Any:
        """A boto3 client talking to the emulation (never to a real account)."""
        make_client: Callable[..., Any] = boto3.client  # any service name, not a Literal
        return make_client(
            service,
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=DUMMY_KEY,
            aws_secret_access_key=DUMMY_KEY,
        )

    def describe(self) -> dict[str, Any]:
        """The JSON written to .cache/local-aws.json for the merchant commands."""
        return {
            "endpoint_url": self.endpoint_url,
            "region": self.region,
            "tables": self.tables,
            "payments": "stand-in" if self.stand_in_payments else "stripe",
        }


WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# boto3 names the DynamoDB (and DynamoDB Streams) operation in this header.
_DYNAMODB_TARGETS = ("DynamoDB_", "DynamoDBStreams_")


class SerialDynamoDB:
    """WSGI middleware: one DynamoDB request at a time, other services untouched.

    moto applies a conditional write or a transaction as check-then-write on
    shared Python objects and rolls a cancelled transaction back by swapping
    whole tables in, so two threads could interleave inside one and oversell
    (tests/security/test_dynamodb_isolation.py shows it). DynamoDB itself
    isolates them; serialising the requests gives the emulation that guarantee.
    """

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Answer one request, holding the lock for DynamoDB ones until the body is built."""
        if not str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith(_DYNAMODB_TARGETS):
            return self.app(environ, start_response)
        with self.lock:
            # Read the whole body inside the lock: moto builds it while handling the call.
            answer = self.app(environ, start_response)
            try:
                return [b"".join(answer)]
            finally:
                close = getattr(answer, "close", None)
                if close is not None:
                    close()


# The names a request to the emulation may carry in its Host header.
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


class RefuseWebPages:
    """WSGI middleware: answer only local programs (boto3), never a web page.

    moto's server allows any origin (CORS), so any site open in the developer's
    browser could read and change the local shop's tables and mail through it, with
    the emulation's well-known dummy keys. A browser names the page's origin in
    `Origin` on every cross-origin call and preflight, and boto3 never does; a page
    reaching this port through DNS rebinding still names its own host in `Host`.
    """

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Refuse with 403 a request from a web page or addressed to another host."""
        origin = environ.get("HTTP_ORIGIN")
        host = str(environ.get("HTTP_HOST", "")).rsplit(":", 1)[0]
        if origin is None and host in _LOCAL_HOSTS:
            return self.app(environ, start_response)
        reason = f"from a web page ({origin})" if origin is not None else f"for host {host!r}"
        body = f"local AWS emulation: refused a request {reason}; only local programs may call it\n"
        start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8")])
        return [body.encode("utf-8")]


@contextmanager
def run_moto(host: str = "127.0.0.1") -> Iterator[str]:
    """Start moto's server on a free local port for the duration; yields its endpoint URL."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # it would log every AWS call
    # As moto's ThreadedMotoServer, with DynamoDB requests serialised (see SerialDynamoDB)
    # and web pages kept out (see RefuseWebPages).
    app = RefuseWebPages(SerialDynamoDB(DomainDispatcherApplication(create_backend_app)))
    server = make_server(host, 0, app, threaded=True, request_handler=MotoRequestHandler)
    serving = threading.Thread(target=server.serve_forever, name="moto", daemon=True)
    serving.start()
    endpoint = f"http://{host}:{server.server_port}"
    try:
        # moto keeps its state in module globals: start empty and leave nothing behind
        # for the next emulation in this process.
        _reset(endpoint)
        yield endpoint
    finally:
        with suppress(OSError):
            _reset(endpoint)
        server.shutdown()
        serving.join(5)
        server.server_close()


def _reset(endpoint: str) -> None:
    url = f"{endpoint}/moto-api/reset"
    request = urllib.request.Request(url, method="POST")  # noqa: S310 - our own http endpoint
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        response.read()


def create_tables(aws: LocalAws) -> None:
    """Create the four tables (skipping any that exist) with the production key schemas."""
    dynamodb = aws.client("dynamodb")
    existing = set(dynamodb.list_tables()["TableNames"])
    for spec in TABLES:
        if spec.name in existing:
            continue
        dynamodb.create_table(**spec.create_table_args())
        if spec.ttl_attribute:
            dynamodb.update_time_to_live(
                TableName=spec.name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute},
            )


def seed_inventory(aws: LocalAws, catalog_path: Path) -> int:
    """Put each snapshot SKU's initial stock in inventory unless the SKU exists; returns count."""
    snapshot = json.loads(catalog_path.read_text(encoding="utf-8"))
    dynamodb = aws.client("dynamodb")
    # One scan instead of a refused write per known SKU: after an edit, the rebuild
    # (and so the reload) would otherwise wait for hundreds of round trips.
    known: set[str] = set()
    for page in dynamodb.get_paginator("scan").paginate(
        TableName=INVENTORY.name, ProjectionExpression="sku"
    ):
        known.update(item["sku"]["S"] for item in page["Items"])
    added = 0
    for sku, entry in sorted(snapshot.get("skus", {}).items()):
        if sku in known:
            continue
        stock = int(entry.get("initial_stock", 0))
        try:
            dynamodb.put_item(
                TableName=INVENTORY.name,
                Item={
                    "sku": {"S": sku},
                    "available": {"N": str(stock)},
                    "reserved": {"N": "0"},
                    "sold": {"N": "0"},
                    "updated_at": {"S": snapshot.get("built_at", "")},
                },
                # Live counts are never overwritten: a rebuild only adds new SKUs.
                ConditionExpression="attribute_not_exists(sku)",
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            continue
        added += 1
    return added


def sender_address(catalog_path: Path) -> str:
    """The address order emails come from: EMAIL_FROM, else the store's contact email."""
    configured = os.environ.get("EMAIL_FROM", "").strip()
    if configured:
        return configured
    snapshot = json.loads(catalog_path.read_text(encoding="utf-8"))
    store = snapshot.get("store", {})
    return str(store.get("contact_email") or "shop@example.com")


def verify_sender(aws: LocalAws, address: str) -> None:
    """Verify the sender in SES (moto rejects mail from unverified identities, like SES)."""
    aws.client("ses").verify_email_identity(EmailAddress=address)


# The functions' tunable limits (functions/shop/config.py) a local shop takes from its own
# environment.
PASSED_LIMITS = (
    "HOLD_UNITS_PER_VIEWER",
    "CART_MAX_QUANTITY",
    "CART_MAX_LINE_QUANTITY",
    "CART_MAX_LINES",
    "CART_MAX_SAVED",
)


def function_environment(
    aws: LocalAws,
    *,
    catalog_path: Path,
    site_url: str,
    email_from: str,
    email_templates: Path | None = None,
) -> dict[str, str]:
    """The environment variables the functions read at cold start, pointed at the emulation.

    `email_templates` (the theme's emails/) makes the email function read the templates
    being edited, rather than a copy packaged for `sam build` that may be stale.
    """
    env = {
        "AWS_ENDPOINT_URL": aws.endpoint_url,
        "AWS_REGION": aws.region,
        "AWS_DEFAULT_REGION": aws.region,
        "AWS_ACCESS_KEY_ID": DUMMY_KEY,
        "AWS_SECRET_ACCESS_KEY": DUMMY_KEY,
        "CATALOG_PATH": str(catalog_path.resolve()),
        "SITE_URL": site_url,
        "EMAIL_FROM": email_from,
        "POWERTOOLS_SERVICE_NAME": "storefront",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "StorefrontLocal",
        "POWERTOOLS_METRICS_DISABLED": "true",  # EMF lines would drown the terminal
        "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
        # A fresh secret per run: the stand-in signs with it, the webhook verifies it.
        "STRIPE_WEBHOOK_SECRET": os.environ.get("STRIPE_WEBHOOK_SECRET")
        or "whsec_local_" + secrets.token_hex(16),
    }
    # The shop's limits, as on AWS unless set. Every local shopper is 127.0.0.1, one
    # connection: a load run (bench/load.py) turns the hold allowance off with 0.
    for limit in PASSED_LIMITS:
        if limit in os.environ:
            env[limit] = os.environ[limit]
    if email_templates is not None:
        env["EMAIL_TEMPLATES_DIR"] = str(email_templates.resolve())
    env.update(aws.tables)
    return env


def apply_environment(env: dict[str, str], target: MutableMapping[str, str]) -> None:
    """Install the functions' environment, removing anything that points at a real account."""
    for name in _REAL_AWS_VARS:
        target.pop(name, None)
    target.update(env)


def write_local_aws(aws: LocalAws, root: Path) -> Path:
    """Write .cache/local-aws.json under `root` so merchant commands find the emulation."""
    path = root / LOCAL_AWS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(aws.describe(), indent=2) + "\n", encoding="utf-8")
    return path


def remove_local_aws(path: Path, aws: LocalAws) -> None:
    """Remove the file on exit, unless another running shop has replaced it since."""
    with suppress(OSError, ValueError):
        if json.loads(path.read_text(encoding="utf-8")).get("endpoint_url") == aws.endpoint_url:
            path.unlink()


def find_local_aws(root: Path) -> LocalAws | None:
    """The running local shop's emulation described under `root`, or None if none answers.

    For the merchant commands: a file left behind by a killed `serve` points at a
    dead port, so the endpoint is checked before it is trusted.
    """
    path = root / LOCAL_AWS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        found = LocalAws(
            str(data["endpoint_url"]),
            str(data["region"]),
            dict(data["tables"]),
            stand_in_payments=data.get("payments", "stand-in") == "stand-in",
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not found.endpoint_url.startswith("http://127.0.0.1:"):
        return None  # only ever a local emulation, never a remote endpoint from a file
    try:
        with urllib.request.urlopen(found.endpoint_url + "/moto-api/", timeout=2) as answer:  # noqa: S310
            answer.read()
    except OSError:
        return None
    return found


def local_aws(endpoint_url: str) -> LocalAws:
    """Describe the emulation at `endpoint_url` with the shop's table names."""
    return LocalAws(endpoint_url, REGION, {spec.env_var: spec.name for spec in TABLES})
