"""The local tables and event source settings match infra/template.yaml, so local = deployed."""

from __future__ import annotations

from typing import Any

import pytest
from shop.routes import API_ROUTES

from storefront.devserver.localshop import (
    EMAIL_FUNCTION,
    NOT_SCHEDULED_LOCALLY,
    SWEEPER_FUNCTION,
)
from storefront.devserver.tables import TABLES, TableSpec
from storefront.devserver.workers import BATCH_SIZE, MAX_RETRIES
from tests.infra.cfn_template import load_template, resources_of_type

# Template logical id of each table, by the env var the functions read.
LOGICAL_IDS = {
    "CARTS_TABLE": "CartsTable",
    "INVENTORY_TABLE": "InventoryTable",
    "RESERVATIONS_TABLE": "ReservationsTable",
    "ORDERS_TABLE": "OrdersTable",
}


def _template_tables() -> dict[str, dict[str, Any]]:
    return resources_of_type(load_template(), "AWS::DynamoDB::Table")


def _normalised(args: dict[str, Any]) -> dict[str, Any]:
    """The parts of a table definition that must agree, in a comparable form."""
    return {
        "KeySchema": args["KeySchema"],
        "AttributeDefinitions": sorted(
            args["AttributeDefinitions"], key=lambda a: a["AttributeName"]
        ),
        "GlobalSecondaryIndexes": [
            {"IndexName": i["IndexName"], "KeySchema": i["KeySchema"]}
            for i in args.get("GlobalSecondaryIndexes", [])
        ],
        "StreamViewType": (args.get("StreamSpecification") or {}).get("StreamViewType"),
    }


@pytest.mark.parametrize("spec", TABLES, ids=lambda s: s.env_var)
def test_local_table_has_the_templates_keys_indexes_and_stream(spec: TableSpec) -> None:
    template = _template_tables()[LOGICAL_IDS[spec.env_var]]["Properties"]
    assert _normalised(spec.create_table_args()) == _normalised(template)
    ttl = template.get("TimeToLiveSpecification", {}).get("AttributeName")
    assert spec.ttl_attribute == ttl


def test_stream_worker_batches_and_retries_like_the_orders_stream_mapping() -> None:
    resources = load_template()["Resources"]
    streams = [
        (resource["Properties"]["Handler"], event["Properties"])
        for resource in resources.values()
        if resource["Type"] == "AWS::Serverless::Function"
        for event in resource["Properties"].get("Events", {}).values()
        if event["Type"] == "DynamoDB"
    ]
    [(handler, mapping)] = streams
    assert handler == f"{EMAIL_FUNCTION}.handler"
    assert mapping["BatchSize"] == BATCH_SIZE
    assert mapping["MaximumRetryAttempts"] == MAX_RETRIES
    assert mapping["StartingPosition"] == "TRIM_HORIZON"


def test_schedule_worker_runs_the_function_the_template_schedules() -> None:
    resources = load_template()["Resources"]
    scheduled = [
        resource["Properties"]["Handler"]
        for resource in resources.values()
        if resource["Type"] == "AWS::Serverless::Function"
        for event in resource["Properties"].get("Events", {}).values()
        if event["Type"] == "Schedule"
    ]
    # Every scheduled function runs locally, or is named as not run, with the reason there.
    assert sorted(scheduled) == sorted(
        [f"{SWEEPER_FUNCTION}.handler", *(f"{m}.handler" for m in NOT_SCHEDULED_LOCALLY)]
    )


def test_every_api_route_of_the_local_server_is_a_function_in_the_template() -> None:
    resources = load_template()["Resources"]
    handlers = {
        resource["Properties"]["Handler"]
        for resource in resources.values()
        if resource["Type"] == "AWS::Serverless::Function"
    }
    for _prefix, module in API_ROUTES:
        assert f"{module}.handler" in handlers, module
