"""Shared setup for the checkout, webhook, orders, email, sweeper and availability feed tests.

`payment_env` gives a moto account with the four tables (the dev server's
specs, same as infra), a verified SES sender, a catalog snapshot on disk, the
functions' environment, and helpers to read stock, orders and sent emails.
Stripe is never called: `RecordingStripeHttp` stands in for the SDK's HTTP
layer, and events are built from Stripe's published fixtures (tests/events/).
"""

from __future__ import annotations

import base64
import copy
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_string, policy
from email.message import Message
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import boto3
import pytest
import stripe
from moto import mock_aws
from moto.dynamodb.models import DynamoDBBackend
from moto.ses.models import ses_backends
from shop.webhook_events import sign_payload

from storefront.devserver.tables import INVENTORY, ORDERS, RESERVATIONS, TABLES
from tests.functions.shop.factories import eur, make_snapshot_data

if TYPE_CHECKING:
    from shop.fulfilment import Fulfilment

EVENTS = Path(__file__).resolve().parent.parent / "events"
REGION = "eu-west-1"
SECRET = "whsec_test_5ecr3t"
SITE = "https://shop.example.com"
SENDER = "orders@shop.example.com"
CART_ID = "0123456789abcdef0123456789abcdef"
MOTO_ACCOUNT = "123456789012"  # moto's default account id


def load_event(name: str) -> dict[str, Any]:
    """A stored payload from tests/events/."""
    data: dict[str, Any] = json.loads((EVENTS / name).read_text("utf-8"))
    return data


def snapshot_data() -> dict[str, Any]:
    """The test shop: standard (free over 75 €), express and pickup; restock on refund."""
    return make_snapshot_data(
        shipping={
            "countries": ["FR", "DE", "BE"],
            "free_threshold": eur(7500),
            "options": [
                {
                    "id": "standard",
                    "kind": "delivery",
                    "names": {"en": "Standard delivery", "fr": "Livraison standard"},
                    "price": eur(490),
                    "min_days": 2,
                    "max_days": 4,
                    "free_over": eur(7500),
                },
                {
                    "id": "express",
                    "kind": "delivery",
                    "names": {"en": "Express delivery", "fr": "Livraison express"},
                    "price": eur(1290),
                    "min_days": 1,
                    "max_days": 1,
                    "free_over": None,
                },
                {
                    "id": "pickup",
                    "kind": "pickup",
                    "names": {"en": "Pick up in store", "fr": "Retrait en magasin"},
                    "price": eur(0),
                    "min_days": 0,
                    "max_days": 1,
                    "free_over": None,
                    "address": ["12 rue des Alpes", "74000 Annecy", "France"],
                },
            ],
        }
    )


class FakeLambdaContext:
    """The attributes Powertools' Logger reads from a Lambda context, and the time left."""

    function_name = "test-function"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:test-function"
    aws_request_id = "00000000-0000-0000-0000-000000000000"
    remaining_ms = 29_000  # a checkout's timeout, just started

    def get_remaining_time_in_millis(self) -> int:
        """What Lambda's context answers: the invocation's time left."""
        return self.remaining_ms


# moto applies a DynamoDB transaction as check-then-write on shared Python objects
# and rolls back by swapping whole tables, so concurrent threads could interleave
# inside it. Real DynamoDB serialises transactions on the items they touch; one
# lock around moto's write paths gives the emulation that isolation.
_MOTO_LOCK = threading.RLock()


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _MOTO_LOCK:
            return method(*args, **kwargs)

    return wrapper


@dataclass
class PaymentEnv:
    """The emulated account and shortcuts to look into it."""

    dynamodb: Any
    ses: Any
    snapshot_path: Path
    tables: dict[str, str]

    def stock(self, sku: str) -> tuple[int, int, int]:
        """(available, reserved, sold) of a SKU."""
        item = self.dynamodb.get_item(TableName=INVENTORY.name, Key={"sku": {"S": sku}})["Item"]
        return tuple(int(item.get(k, {"N": "0"})["N"]) for k in ("available", "reserved", "sold"))  # type: ignore[return-value]

    def set_stock(self, sku: str, available: int) -> None:
        """Put a SKU's counts to `available`, nothing reserved or sold."""
        self.dynamodb.put_item(
            TableName=INVENTORY.name,
            Item={
                "sku": {"S": sku},
                "available": {"N": str(available)},
                "reserved": {"N": "0"},
                "sold": {"N": "0"},
            },
        )

    def items(self, table: str) -> list[dict[str, Any]]:
        """Every item of a table, as boto3 returns them."""
        return list(self.dynamodb.scan(TableName=table)["Items"])

    def carts(self) -> list[dict[str, Any]]:
        """Every cart item (the carts table also keeps the hold allowance's counts)."""
        from shop.adapters.dynamodb_hold_ledger import KEY_PREFIX

        items = self.items(self.tables["CARTS_TABLE"])
        return [item for item in items if not item["cart_id"]["S"].startswith(KEY_PREFIX)]

    def hold_counts(self) -> dict[str, int]:
        """The hold allowance's counts in the carts table, by key."""
        from shop.adapters.dynamodb_hold_ledger import KEY_PREFIX

        return {
            item["cart_id"]["S"].removeprefix(KEY_PREFIX): int(item["held_units"]["N"])
            for item in self.items(self.tables["CARTS_TABLE"])
            if item["cart_id"]["S"].startswith(KEY_PREFIX)
        }

    def reservations(self) -> list[dict[str, Any]]:
        """Every reservation item."""
        return self.items(RESERVATIONS.name)

    def order_items(self, prefix: str = "ORDER#", sk_prefix: str = "ORDER") -> list[dict[str, Any]]:
        """Items of the orders table whose pk/sk start with the prefixes."""
        return [
            item
            for item in self.items(ORDERS.name)
            if item["pk"]["S"].startswith(prefix) and item["sk"]["S"].startswith(sk_prefix)
        ]

    def sent_emails(self) -> list[Message]:
        """Every email moto's SES accepted, parsed."""
        messages: list[Message] = []
        for _account, regions in ses_backends.items():
            for backend in regions.values():
                for sent in backend.sent_messages:
                    raw = getattr(sent, "raw_data", None)
                    if raw is not None:
                        messages.append(message_from_string(raw, policy=policy.default))
        return messages


@pytest.fixture
def payment_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PaymentEnv]:
    """A fresh emulated account with the shop's tables, SES and environment."""
    snapshot = tmp_path / "catalog.json"
    snapshot.write_text(json.dumps(snapshot_data()), encoding="utf-8")
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "CATALOG_PATH": str(snapshot),
        "SITE_URL": SITE,
        "STRIPE_WEBHOOK_SECRET": SECRET,
        "STRIPE_SECRET_KEY": "sk_test_123",
        "EMAIL_FROM": SENDER,
        "POWERTOOLS_SERVICE_NAME": "storefront-test",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "Storefront",
    }
    for spec in TABLES:
        env[spec.env_var] = spec.name
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "STRIPE_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    for method in ("transact_write_items", "update_item", "put_item", "delete_item"):
        monkeypatch.setattr(DynamoDBBackend, method, _locked(getattr(DynamoDBBackend, method)))
    reset_caches()
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        for spec in TABLES:
            dynamodb.create_table(**spec.create_table_args())
        ses = boto3.client("ses", region_name=REGION)
        ses.verify_email_identity(EmailAddress=SENDER)
        tables = {spec.env_var: spec.name for spec in TABLES}
        yield PaymentEnv(dynamodb, ses, snapshot, tables)
    reset_caches()


def dynamo_fulfilment(env: PaymentEnv) -> Fulfilment:
    """Fulfilment on the emulated tables, with the snapshot the functions read."""
    # Imported here: the devserver tests drop and import shop modules again.
    from shop.adapters.dynamodb_orders import DynamoOrders
    from shop.adapters.dynamodb_reservations import DynamoReservations
    from shop.fulfilment import Fulfilment
    from shop.snapshot_format import load_snapshot_file

    reservations = DynamoReservations(
        env.dynamodb, env.tables["RESERVATIONS_TABLE"], env.tables["INVENTORY_TABLE"]
    )
    return Fulfilment(
        orders=DynamoOrders(env.dynamodb, env.tables["ORDERS_TABLE"], reservations),
        reservations=reservations,
        catalog=load_snapshot_file(env.snapshot_path),
    )


def reset_caches() -> None:
    """Forget every per-container cache so each test reads its own environment."""
    import shop.aws_clients
    import shop.catalog_source
    import shop.config
    import shop.payment_setup

    shop.config.get_config.cache_clear()
    shop.catalog_source.forget_catalog()
    shop.aws_clients.dynamodb_client.cache_clear()
    shop.aws_clients.s3_client.cache_clear()
    shop.payment_setup.install_gateway(None)
    import checkout.app
    import feed_availability.app
    import order_emails.app
    import orders.app
    import stripe_webhook.app

    checkout.app.checkout_context.cache_clear()
    stripe_webhook.app.fulfilment_context.cache_clear()
    stripe_webhook.app.signing_secret.cache_clear()
    order_emails.app.email_context.cache_clear()
    orders.app.orders_gateway.cache_clear()
    feed_availability.app.inventory_store.cache_clear()
    feed_availability.app.feed_file.cache_clear()


# --- Stripe's HTTP layer, stubbed ---------------------------------------------------------


@dataclass
class RecordedRequest:
    """One request the stripe SDK made."""

    method: str
    url: str
    headers: dict[str, str]
    params: list[tuple[str, str]]

    def form(self) -> dict[str, str]:
        """The form-encoded parameters as a flat dict ("line_items[0][quantity]": "1")."""
        return dict(self.params)


@dataclass
class RecordingStripeHttp(stripe.HTTPClient):
    """The SDK's HTTP client, replaced: records requests, answers like Stripe's API."""

    name = "recording"
    requests: list[RecordedRequest] = field(default_factory=list)
    fail_with: tuple[int, dict[str, Any]] | None = None
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    payment_intents: dict[str, str] = field(default_factory=dict)  # id -> status

    def __post_init__(self) -> None:
        super().__init__()

    def request(
        self, method: str, url: str, headers: Any, post_data: Any = None, *, _usage: Any = None
    ) -> tuple[str, int, dict[str, str]]:
        body = post_data.decode() if isinstance(post_data, bytes) else (post_data or "")
        query = url.partition("?")[2]
        params = parse_qsl(body or query, keep_blank_values=True)
        self.requests.append(RecordedRequest(method, url, dict(headers or {}), params))
        if self.fail_with is not None:
            status, error = self.fail_with
            return json.dumps(error), status, {}
        path = url.split("://", 1)[1].partition("/")[2].partition("?")[0]
        if method == "post" and path == "v1/checkout/sessions":
            session = checkout_session_response(dict(params))
            self.sessions[session["id"]] = session
            return json.dumps(session), 200, {"request-id": "req_test"}
        expiring = path.startswith("v1/checkout/sessions/") and path.endswith("/expire")
        if method == "post" and expiring:
            session = self.sessions[path.split("/")[3]]
            if session["status"] != "open":  # Stripe expires open sessions only
                message = "Only Checkout Sessions with a status of `open` can be expired."
                error = {"type": "invalid_request_error", "message": message}
                return json.dumps({"error": error}), 400, {}
            session.update(status="expired", url=None)
            return json.dumps(session), 200, {}
        if method == "get" and path.startswith("v1/checkout/sessions/"):
            found = self.sessions.get(path.rsplit("/", 1)[1])
            if found is None:
                missing = {"type": "invalid_request_error", "code": "resource_missing"}
                return json.dumps({"error": missing}), 404, {}
            return json.dumps(found), 200, {}
        if method == "get" and path.startswith("v1/payment_intents/"):
            intent = path.rsplit("/", 1)[1]
            if intent not in self.payment_intents:
                missing = {"type": "invalid_request_error", "code": "resource_missing"}
                return json.dumps({"error": missing}), 404, {}
            found = {
                "id": intent,
                "object": "payment_intent",
                "status": self.payment_intents[intent],
            }
            return json.dumps(found), 200, {}
        if method == "post" and path == "v1/refunds":
            refund = {"id": "re_" + secrets.token_hex(8), "object": "refund", "status": "succeeded"}
            return json.dumps(refund), 200, {}
        return json.dumps({"error": {"message": f"unexpected {method} {path}"}}), 404, {}

    def close(self) -> None:
        """Nothing to close."""


def checkout_session_response(form: dict[str, str]) -> dict[str, Any]:
    """What Stripe answers to a session create: its fixture object with our values."""
    session = copy.deepcopy(load_event("stripe_checkout_session.json"))
    session_id = "cs_test_" + secrets.token_hex(24)
    rates = []
    index = 0
    while f"shipping_options[{index}][shipping_rate_data][fixed_amount][amount]" in form:
        amount = int(form[f"shipping_options[{index}][shipping_rate_data][fixed_amount][amount]"])
        rates.append({"shipping_amount": amount, "shipping_rate": f"shr_test_{index}"})
        index += 1
    metadata = {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")}
    subtotal, line = 0, 0
    while f"line_items[{line}][quantity]" in form:
        unit = int(form[f"line_items[{line}][price_data][unit_amount]"])
        subtotal += unit * int(form[f"line_items[{line}][quantity]"])
        line += 1
    session.update(
        amount_subtotal=subtotal,
        amount_total=subtotal,
        id=session_id,
        url=f"https://checkout.stripe.com/c/pay/{session_id}",
        expires_at=int(form.get("expires_at", int(time.time()) + 1800)),
        client_reference_id=form.get("client_reference_id"),
        metadata=metadata,
        locale=form.get("locale"),
        currency=form.get("line_items[0][price_data][currency]", "eur"),
        success_url=form.get("success_url"),
        cancel_url=form.get("cancel_url"),
        shipping_options=rates,
        payment_intent=None,
        status="open",
        payment_status="unpaid",
    )
    return session


# --- Stripe events built from the fixtures ------------------------------------------------


def completed_session(
    session: dict[str, Any],
    *,
    payment_status: str = "paid",
    shipping_rate: str = "shr_test_0",
    amount_shipping: int = 490,
    amount_subtotal: int | None = None,
    email: str = "claire@example.org",
) -> dict[str, Any]:
    """The session as Stripe sends it in checkout.session.completed.

    Its subtotal is the created session's (the lines' prices), unless `amount_subtotal`.
    """
    done = copy.deepcopy(session)
    if amount_subtotal is None:
        amount_subtotal = int(session["amount_subtotal"])
    address = {
        "city": "Annecy",
        "country": "FR",
        "line1": "3 rue Royale",
        "line2": None,
        "postal_code": "74000",
        "state": None,
    }
    done.update(
        status="complete",
        payment_status=payment_status,
        amount_subtotal=amount_subtotal,
        amount_total=amount_subtotal + amount_shipping,
        currency="eur",
        payment_intent="pi_" + secrets.token_hex(12),
        customer_details={
            **done["customer_details"],
            "email": email,
            "name": "Claire Martin",
            "address": address,
        },
        collected_information={
            **done["collected_information"],
            "shipping_details": {"name": "Claire Martin", "address": address},
        },
        shipping_cost={
            "amount_subtotal": amount_shipping,
            "amount_tax": 0,
            "amount_total": amount_shipping,
            "shipping_rate": shipping_rate,
        },
        total_details={"amount_discount": 0, "amount_shipping": amount_shipping, "amount_tax": 0},
    )
    return done


def stripe_event(event_type: str, obj: dict[str, Any]) -> dict[str, Any]:
    """An event wrapping `obj`, shaped like Stripe's fixture event."""
    event = copy.deepcopy(load_event("stripe_event.json"))
    event.update(
        id="evt_" + secrets.token_hex(12),
        type=event_type,
        created=int(time.time()),
        api_version="2026-10-28.endive",
        data={"object": obj},
    )
    return event


def refunded_charge(
    payment_intent: str, amount: int, refunded: int, metadata: dict[str, str] | None = None
) -> dict[str, Any]:
    """A charge as in charge.refunded: Stripe's fixture charge, refunded.

    `metadata` is the PaymentIntent's, which Stripe copies onto the charge (for the
    shop's payments: the session's reservation_id, cart_id and locale).
    """
    charge = copy.deepcopy(load_event("stripe_charge.json"))
    charge.update(
        metadata=dict(metadata or {}),
        payment_intent=payment_intent,
        amount=amount,
        amount_captured=amount,
        amount_refunded=refunded,
        refunded=refunded >= amount,
        currency="eur",
        captured=True,
    )
    return charge


def webhook_request(
    event: dict[str, Any] | bytes,
    *,
    secret: str = SECRET,
    timestamp: int | None = None,
    base64_body: bool = False,
    signature: str | None = None,
) -> dict[str, Any]:
    """An API Gateway v2 event delivering a Stripe event, signed with the real scheme."""
    payload = event if isinstance(event, bytes) else json.dumps(event, indent=2).encode()
    request = load_event("apigw_stripe_webhook.json")
    if signature is None:
        signature = sign_payload(payload, secret, timestamp or int(time.time()))
    if signature:
        request["headers"]["stripe-signature"] = signature
    else:
        del request["headers"]["stripe-signature"]
    request["headers"]["content-length"] = str(len(payload))
    if base64_body:
        request["body"] = base64.b64encode(payload).decode()
        request["isBase64Encoded"] = True
    else:
        request["body"] = payload.decode()
    return request


def deliver(event: dict[str, Any] | bytes, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    """Run the webhook function on a delivery; returns (status, JSON body)."""
    from stripe_webhook.app import handler

    result = handler(webhook_request(event, **kwargs), FakeLambdaContext())
    return int(result["statusCode"]), json.loads(result["body"])


# --- carts and checkouts -------------------------------------------------------------------


def put_cart(env: PaymentEnv, lines: dict[str, int], cart_id: str = CART_ID) -> str:
    """Store a cart holding `lines` (sku -> quantity), as the cart function would."""
    from datetime import UTC, datetime

    from shop.adapters.dynamodb_carts import cart_to_item
    from shop.cart import Cart, CartLine

    now = datetime.now(UTC)
    cart = Cart(
        cart_id=cart_id,
        items=tuple(CartLine(sku, quantity) for sku, quantity in lines.items()),
        version=1,
        created_at=now,
        updated_at=now,
        expires_at=int(now.timestamp()) + 86400,
    )
    env.dynamodb.put_item(TableName=env.tables["CARTS_TABLE"], Item=cart_to_item(cart))
    return cart_id


def install_stripe(http: RecordingStripeHttp) -> None:
    """Make the functions use the real Stripe adapter over the recording HTTP layer."""
    from shop.adapters.stripe_gateway import StripeGateway
    from shop.payment_setup import install_gateway

    install_gateway(StripeGateway("sk_test_123", http_client=http, max_network_retries=0))


def checkout(
    cart_id: str | None = CART_ID, locale: str | None = None
) -> tuple[int, dict[str, Any]]:
    """Run the checkout function for the cart in the cookie; returns (status, JSON body)."""
    from checkout.app import handler

    request = load_event("apigw_checkout.json")
    request["cookies"] = [f"cart_id={cart_id}"] if cart_id else []
    if locale:
        request["rawQueryString"] = f"locale={locale}"
        request["queryStringParameters"] = {"locale": locale}
    result = handler(request, FakeLambdaContext())
    return int(result["statusCode"]), json.loads(result["body"])


def paid_checkout(
    env: PaymentEnv, http: RecordingStripeHttp, lines: dict[str, int], **completion: Any
) -> dict[str, Any]:
    """Check a cart out and return the completed session Stripe would send for it."""
    put_cart(env, lines)
    status, body = checkout()
    assert status == 200, body
    session = http.sessions[body["session_id"]]
    return completed_session(session, **completion)


# --- the orders table's stream, fed to the email function ---------------------------------


class StreamReader:
    """Reads new records of the orders table's stream, as Lambda's poller would.

    Read from moto's backend: its DynamoDB Streams API is not reachable with this
    botocore (requests are signed for "dynamodb" and routed to the table API).
    """

    def __init__(self, env: PaymentEnv) -> None:
        self.arn = env.dynamodb.describe_table(TableName=ORDERS.name)["Table"]["LatestStreamArn"]
        self.position = len(self._shard().items)

    @staticmethod
    def _shard() -> Any:
        # Looked up on every read: moto rolls a cancelled transaction back by swapping in
        # a copy of the whole table, stream shard included.
        from moto.dynamodb.models import dynamodb_backends

        table = dynamodb_backends[MOTO_ACCOUNT][REGION].get_table(ORDERS.name)
        assert table.stream_shard is not None, "the orders table has no stream"
        return table.stream_shard

    def read(self) -> list[dict[str, Any]]:
        """Records written since the last read, in Lambda's event shape."""
        items = self._shard().items[self.position :]
        self.position += len(items)
        records = []
        for record in items:
            plain = json.loads(json.dumps(record.to_json(), default=str))
            plain["eventSourceARN"] = self.arn
            records.append(plain)
        return records


def run_email_function(reader: StreamReader) -> dict[str, Any]:
    """Feed the new stream records to the email function; returns its batch response."""
    from order_emails.app import handler

    records = reader.read()
    if not records:
        return {"batchItemFailures": []}
    result: dict[str, Any] = handler({"Records": records}, FakeLambdaContext())
    return result
