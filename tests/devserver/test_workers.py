"""The stream worker delivers real DynamoDB stream records to a handler, as Lambda does."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from storefront.devserver import aws as local
from storefront.devserver.runtime import LocalRuntime
from storefront.devserver.tables import ORDERS
from storefront.devserver.workers import ScheduleWorker, StreamWorker
from tests.devserver import recording_handler

HANDLER = "tests.devserver.recording_handler"


@pytest.fixture
def emulation() -> Iterator[local.LocalAws]:
    """moto on a free port with the shop's tables."""
    with local.run_moto() as endpoint:
        aws = local.local_aws(endpoint)
        local.create_tables(aws)
        yield aws


@pytest.fixture(autouse=True)
def fresh_recording() -> None:
    recording_handler.EVENTS.clear()
    recording_handler.FAIL_FIRST_RECORD_TIMES[0] = 0


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the worker"
        time.sleep(0.05)


def put_order(aws: local.LocalAws, order_id: str) -> None:
    aws.client("dynamodb").put_item(
        TableName=ORDERS.name,
        Item={"pk": {"S": f"ORDER#{order_id}"}, "sk": {"S": "ORDER"}, "total": {"N": "12990"}},
    )


def start_worker(aws: local.LocalAws) -> StreamWorker:
    worker = StreamWorker(
        aws, LocalRuntime(aws.region), table=ORDERS.name, module=HANDLER, poll_interval=0.05
    )
    worker.start()
    return worker


def test_new_order_items_reach_the_handler_as_lambda_stream_records(
    emulation: local.LocalAws,
) -> None:
    worker = start_worker(emulation)
    try:
        put_order(emulation, "1001")
        wait_for(lambda: worker.delivered == 1)
    finally:
        worker.stop_event.set()
        worker.join(5)
    [event] = recording_handler.EVENTS
    [record] = event["Records"]
    assert record["eventName"] == "INSERT"
    assert record["eventSource"] == "aws:dynamodb"
    assert record["awsRegion"] == emulation.region
    assert record["eventSourceARN"].startswith(f"arn:aws:dynamodb:{emulation.region}:")
    assert record["dynamodb"]["NewImage"]["total"] == {"N": "12990"}
    assert record["dynamodb"]["StreamViewType"] == "NEW_IMAGE"
    assert isinstance(record["dynamodb"]["ApproximateCreationDateTime"], int)


def test_reported_batch_item_failure_is_delivered_again(emulation: local.LocalAws) -> None:
    recording_handler.FAIL_FIRST_RECORD_TIMES[0] = 1
    put_order(emulation, "1002")
    worker = start_worker(emulation)
    try:
        wait_for(lambda: worker.delivered == 1)
    finally:
        worker.stop_event.set()
        worker.join(5)
    keys = [e["Records"][0]["dynamodb"]["Keys"]["pk"]["S"] for e in recording_handler.EVENTS]
    assert keys == ["ORDER#1002", "ORDER#1002"]


def test_schedule_worker_invokes_with_an_eventbridge_scheduled_event() -> None:
    worker = ScheduleWorker(LocalRuntime("eu-west-1"), module=HANDLER, every_s=0.05)
    worker.start()
    try:
        wait_for(lambda: worker.runs >= 2)
    finally:
        worker.stop_event.set()
        worker.join(5)
    event = recording_handler.EVENTS[0]
    assert event["detail-type"] == "Scheduled Event"
    assert event["source"] == "aws.events"
    assert event["resources"][0].startswith("arn:aws:events:eu-west-1:")


def test_a_batch_failing_every_retry_is_given_up_and_the_stream_moves_on(
    emulation: local.LocalAws,
) -> None:
    recording_handler.FAIL_FIRST_RECORD_TIMES[0] = 10**6  # always fails
    put_order(emulation, "2001")
    worker = StreamWorker(
        emulation,
        LocalRuntime(emulation.region),
        table=ORDERS.name,
        module=HANDLER,
        poll_interval=0.05,
    )
    worker.max_retries, worker.backoff_s = 2, 0.01
    worker.start()
    try:
        wait_for(lambda: worker.given_up == 1)
        recording_handler.FAIL_FIRST_RECORD_TIMES[0] = 0
        put_order(emulation, "2002")
        wait_for(lambda: worker.delivered == 1)
    finally:
        worker.stop_event.set()
        worker.join(5)
    keys = [e["Records"][0]["dynamodb"]["Keys"]["pk"]["S"] for e in recording_handler.EVENTS]
    assert keys == ["ORDER#2001"] * 3 + ["ORDER#2002"]  # first try + 2 retries, then the next


def test_a_function_that_raises_is_retried_with_its_error_on_the_terminal(
    emulation: local.LocalAws, caplog: pytest.LogCaptureFixture
) -> None:
    # The terminal said only "retrying from … (attempt 5)" and "giving up on records …":
    # a handler that could not even import left the operator nothing to go on.
    put_order(emulation, "2003")
    worker = StreamWorker(
        emulation,
        LocalRuntime(emulation.region),
        table=ORDERS.name,
        module="tests.devserver.raising_handler",
        poll_interval=0.05,
    )
    worker.max_retries, worker.backoff_s = 1, 0.01
    with caplog.at_level("WARNING", logger="storefront.devserver.workers"):
        worker.start()
        try:
            wait_for(lambda: worker.given_up == 1)
        finally:
            worker.stop_event.set()
            worker.join(5)

    cause = "ImportError: cannot import name 'OperatorLog' from 'shop.ports'"
    messages = [r.getMessage() for r in caplog.records]
    assert [m for m in messages if "retrying from" in m and cause in m]
    assert [m for m in messages if "giving up on records" in m and cause in m]
