"""A transaction cancelled only by a concurrent writer is retried; a failed condition is not."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from shop.adapters.dynamo_wire import CONFLICT_ATTEMPTS, request_token, transact_write

ITEMS: list[dict[str, Any]] = [
    {"ConditionCheck": {"TableName": "t", "Key": {"sku": {"S": "A"}},
                        "ConditionExpression": "attribute_exists(sku)"}}
]  # fmt: skip


def cancelled(*codes: str) -> dict[str, Any]:
    return {
        "service_error_code": "TransactionCanceledException",
        "service_message": "Transaction cancelled",
        "http_status_code": 400,
        "response_meta": {},
        "modeled_fields": {"CancellationReasons": [{"Code": code} for code in codes]},
    }


@pytest.fixture
def client() -> Any:
    return boto3.client(
        "dynamodb", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


def test_a_conflict_is_retried_until_the_transaction_goes_through(client: Any) -> None:
    with Stubber(client) as stub:
        stub.add_client_error("transact_write_items", **cancelled("TransactionConflict"))
        stub.add_client_error("transact_write_items", **cancelled("None", "TransactionConflict"))
        stub.add_response("transact_write_items", {})
        transact_write(client, ITEMS)
        stub.assert_no_pending_responses()


def test_a_failed_condition_is_not_retried(client: Any) -> None:
    with Stubber(client) as stub:
        stub.add_client_error(
            "transact_write_items", **cancelled("ConditionalCheckFailed", "TransactionConflict")
        )
        with pytest.raises(ClientError):
            transact_write(client, ITEMS)
        stub.assert_no_pending_responses()


def test_endless_conflicts_give_up_after_the_last_attempt(client: Any) -> None:
    with Stubber(client) as stub:
        for _ in range(CONFLICT_ATTEMPTS):
            stub.add_client_error("transact_write_items", **cancelled("TransactionConflict"))
        with pytest.raises(ClientError):
            transact_write(client, ITEMS)
        stub.assert_no_pending_responses()


def test_each_attempt_carries_its_own_idempotency_token(client: Any) -> None:
    # The SDK resends a call whose reply was lost with the same token, so DynamoDB
    # answers the first result rather than applying it twice; a retry after a conflict
    # is a new attempt and must run anew, so it gets a new token.
    first, second = request_token(ITEMS, 0), request_token(ITEMS, 1)
    assert first != second
    assert len(first) <= 36  # DynamoDB's limit
    assert request_token(ITEMS, 0) == first  # the same call, the same token
    with Stubber(client) as stub:
        stub.add_client_error(
            "transact_write_items",
            **cancelled("TransactionConflict"),
            expected_params={"TransactItems": ITEMS, "ClientRequestToken": first},
        )
        stub.add_response(
            "transact_write_items",
            {},
            expected_params={"TransactItems": ITEMS, "ClientRequestToken": second},
        )
        transact_write(client, ITEMS)
        stub.assert_no_pending_responses()
