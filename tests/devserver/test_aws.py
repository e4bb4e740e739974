"""The emulation's setup: seeding never overwrites, the env never reaches a real account."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from storefront.devserver import aws as local
from storefront.devserver.localshop import site_url
from storefront.devserver.tables import INVENTORY
from tests.devserver.small_build import write_small_build


@pytest.fixture
def emulation() -> Iterator[local.LocalAws]:
    with local.run_moto() as endpoint:
        aws = local.local_aws(endpoint)
        local.create_tables(aws)
        yield aws


def available(aws: local.LocalAws, sku: str) -> str:
    item = aws.client("dynamodb").get_item(TableName=INVENTORY.name, Key={"sku": {"S": sku}})
    return str(item["Item"]["available"]["N"])


def test_seeding_adds_new_skus_and_never_overwrites_live_counts(
    emulation: local.LocalAws, tmp_path: Path
) -> None:
    catalog = write_small_build(tmp_path) / "catalog.json"
    assert local.seed_inventory(emulation, catalog) == 2
    emulation.client("dynamodb").update_item(
        TableName=INVENTORY.name,
        Key={"sku": {"S": "TEE-M"}},
        UpdateExpression="SET available = :n",
        ExpressionAttributeValues={":n": {"N": "1"}},
    )
    assert local.seed_inventory(emulation, catalog) == 0
    assert available(emulation, "TEE-M") == "1"
    assert available(emulation, "TEE-L") == "0"

    # A rebuild whose catalog gained a SKU seeds that one alone.
    snapshot = json.loads(catalog.read_text())
    snapshot["skus"]["TEE-XL"] = {**snapshot["skus"]["TEE-M"], "sku": "TEE-XL", "initial_stock": 7}
    catalog.write_text(json.dumps(snapshot))
    assert local.seed_inventory(emulation, catalog) == 1
    assert available(emulation, "TEE-XL") == "7"
    assert available(emulation, "TEE-M") == "1"


def test_function_environment_points_at_the_emulation_and_drops_real_credentials(
    emulation: local.LocalAws, tmp_path: Path
) -> None:
    catalog = write_small_build(tmp_path) / "catalog.json"
    env = local.function_environment(
        emulation, catalog_path=catalog, site_url="http://localhost:8000", email_from="a@b.c"
    )
    target = {"AWS_PROFILE": "production", "AWS_SESSION_TOKEN": "real", "HOME": "/root"}
    local.apply_environment(env, target)
    assert "AWS_PROFILE" not in target
    assert "AWS_SESSION_TOKEN" not in target
    assert target["AWS_ENDPOINT_URL"] == emulation.endpoint_url
    assert target["INVENTORY_TABLE"] == INVENTORY.name
    assert target["CATALOG_PATH"] == str(catalog.resolve())
    assert target["STRIPE_WEBHOOK_SECRET"].startswith("whsec_")


def test_the_email_function_reads_the_theme_being_served_not_a_packaged_copy(
    emulation: local.LocalAws, tmp_path: Path
) -> None:
    # A copy left in functions/order_emails/templates by a manual `sam build` was read
    # first, so edits to the theme's emails never showed in the local outbox.
    catalog = write_small_build(tmp_path) / "catalog.json"
    env = local.function_environment(
        emulation,
        catalog_path=catalog,
        site_url="",
        email_from="",
        email_templates=tmp_path / "site" / "emails",
    )
    assert env["EMAIL_TEMPLATES_DIR"] == str((tmp_path / "site" / "emails").resolve())


def test_each_run_gets_its_own_webhook_secret(emulation: local.LocalAws, tmp_path: Path) -> None:
    catalog = write_small_build(tmp_path) / "catalog.json"
    secrets = {
        local.function_environment(emulation, catalog_path=catalog, site_url="", email_from="")[
            "STRIPE_WEBHOOK_SECRET"
        ]
        for _ in range(2)
    }
    assert len(secrets) == 2


def test_merchant_commands_find_a_live_emulation_and_ignore_a_stale_file(
    emulation: local.LocalAws, tmp_path: Path
) -> None:
    path = local.write_local_aws(emulation, tmp_path)
    assert json.loads(path.read_text())["tables"]["INVENTORY_TABLE"] == INVENTORY.name
    assert local.find_local_aws(tmp_path) == emulation
    stale = local.LocalAws("http://127.0.0.1:9", emulation.region, emulation.tables)
    local.write_local_aws(stale, tmp_path)
    assert local.find_local_aws(tmp_path) is None
    assert local.find_local_aws(tmp_path / "nowhere") is None


def test_the_file_says_whether_checkouts_are_paid_in_the_stand_in_or_at_stripe(
    emulation: local.LocalAws, tmp_path: Path
) -> None:
    # `orders refund` records a stand-in payment's refund itself, and asks Stripe for one
    # made in Stripe's test mode (`serve` with STRIPE_SECRET_KEY set).
    on_stripe = replace(emulation, stand_in_payments=False)
    path = local.write_local_aws(on_stripe, tmp_path)

    assert json.loads(path.read_text())["payments"] == "stripe"
    assert local.find_local_aws(tmp_path) == on_stripe
    local.write_local_aws(emulation, tmp_path)
    assert json.loads(path.read_text())["payments"] == "stand-in"
    assert local.find_local_aws(tmp_path) == emulation


def test_exit_removes_only_our_own_emulation_file(
    emulation: local.LocalAws, tmp_path: Path
) -> None:
    path = local.write_local_aws(emulation, tmp_path)
    other = local.LocalAws("http://127.0.0.1:1", emulation.region, emulation.tables)
    local.remove_local_aws(path, other)
    assert path.exists()
    local.remove_local_aws(path, emulation)
    assert not path.exists()


def test_site_url_names_the_computer_when_listening_on_every_interface() -> None:
    assert site_url("127.0.0.1", 8000) == "http://localhost:8000"
    assert site_url("::1", 8000) == "http://[::1]:8000"
    assert site_url("0.0.0.0", 8000) == f"http://{socket.gethostname()}:8000"  # noqa: S104


LIST_TABLES = {"X-Amz-Target": "DynamoDB_20120810.ListTables"}


def _call(endpoint: str, headers: dict[str, str], method: str = "POST") -> tuple[int, str, str]:
    """Status, Access-Control-Allow-Origin and body of one raw request to the emulation."""
    body = b"{}" if method == "POST" else None
    request = urllib.request.Request(endpoint + "/", body, headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
            return answer.status, str(answer.headers.get("Access-Control-Allow-Origin")), ""
    except urllib.error.HTTPError as refused:
        allowed = str(refused.headers.get("Access-Control-Allow-Origin"))
        return refused.code, allowed, refused.read().decode()


def test_web_pages_cannot_reach_the_emulation_but_boto3_can(emulation: local.LocalAws) -> None:
    # A page on another site calling it directly: the preflight and the call itself
    endpoint = emulation.endpoint_url
    page = {"Origin": "https://evil.example"}
    preflight = {**page, "Access-Control-Request-Method": "POST"}
    for headers, method in ((preflight, "OPTIONS"), ({**page, **LIST_TABLES}, "POST")):
        status, allowed, body = _call(endpoint, headers, method)
        assert (status, allowed) == (403, "None")
        assert "refused a request from a web page (https://evil.example)" in body
    # A page reaching the port through DNS rebinding names its own host
    status, _, body = _call(endpoint, {"Host": "evil.example", **LIST_TABLES})
    assert status == 403
    assert "for host 'evil.example'" in body
    # The functions' and merchant commands' boto3 clients are local programs
    assert INVENTORY.name in emulation.client("dynamodb").list_tables()["TableNames"]
