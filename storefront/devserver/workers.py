"""Background workers that call the event-driven functions as AWS would.

`StreamWorker` is the DynamoDB stream → Lambda event source mapping for the
orders table (order emails): it polls the stream, hands batches of real
stream records to the handler, honours partial batch failures, and retries a
failing batch a few times before moving on (as a mapping with
MaximumRetryAttempts does). `ScheduleWorker` is the EventBridge schedule that
runs the sweeper every minute (the availability feed function is not run locally:
see `NOT_SCHEDULED_LOCALLY` in localshop.py).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from storefront.devserver.aws import LocalAws
from storefront.devserver.runtime import FunctionError, LocalRuntime, function_exists

_log = logging.getLogger(__name__)

BATCH_SIZE = 1  # as the OrdersStream mapping in infra/template.yaml
MAX_RETRIES = 5  # MaximumRetryAttempts of the same mapping


def lambda_stream_record(record: dict[str, Any], stream_arn: str, region: str) -> dict[str, Any]:
    """A DynamoDB Streams API record as Lambda delivers it (epoch times, source ARN)."""
    dynamodb = dict(record["dynamodb"])
    created = dynamodb.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        # boto3 parses the timestamp; Lambda events carry epoch seconds.
        dynamodb["ApproximateCreationDateTime"] = int(created.timestamp())
    return {
        "eventID": record["eventID"],
        "eventName": record["eventName"],
        "eventVersion": record.get("eventVersion", "1.1"),
        "eventSource": "aws:dynamodb",
        "awsRegion": region,
        "dynamodb": dynamodb,
        "eventSourceARN": stream_arn,
    }


def _failed_sequence(result: Any, records: list[dict[str, Any]]) -> str | None:
    """The first sequence number the handler reported as failed (ReportBatchItemFailures)."""
    if not isinstance(result, dict):
        return None
    failures = result.get("batchItemFailures") or []
    failed = {str(f.get("itemIdentifier")) for f in failures if isinstance(f, dict)}
    for record in records:
        if record["dynamodb"]["SequenceNumber"] in failed:
            return str(record["dynamodb"]["SequenceNumber"])
    return None


class StreamWorker(threading.Thread):
    """Polls one table's stream and invokes a handler module with each batch."""

    def __init__(
        self,
        aws: LocalAws,
        runtime: LocalRuntime,
        *,
        table: str,
        module: str,
        poll_interval: float = 0.5,
    ) -> None:
        super().__init__(name=f"stream:{table}", daemon=True)
        self.aws, self.runtime, self.table, self.module = aws, runtime, table, module
        self.poll_interval = poll_interval
        self.stop_event = threading.Event()
        self.delivered = 0  # records handed to the function successfully
        self.stream_arn = ""
        self._attempts = 0  # failed deliveries of the current batch
        self.max_retries = MAX_RETRIES
        self.backoff_s = 0.25  # first retry delay; doubles, capped at 2 s
        self.given_up = 0  # records left behind after the retries (production: the DLQ)

    def _iterator(self, streams: Any, stream_arn: str, after: str | None) -> str:
        shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]
        args: dict[str, Any] = {"StreamArn": stream_arn, "ShardId": shard["ShardId"]}
        if after is None:
            args["ShardIteratorType"] = "TRIM_HORIZON"
        else:
            args.update(ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=after)
        return str(streams.get_shard_iterator(**args)["ShardIterator"])

    def run(self) -> None:
        """Poll until stopped; neither a bad batch nor an emulation hiccup stops the shop."""
        streams = self.aws.client("dynamodbstreams")
        table = self.aws.client("dynamodb").describe_table(TableName=self.table)["Table"]
        self.stream_arn = str(table["LatestStreamArn"])
        iterator = self._iterator(streams, self.stream_arn, None)
        while not self.stop_event.is_set():
            try:
                iterator = self._poll_once(streams, iterator)
            except (BotoCoreError, ClientError) as exc:
                if self.stop_event.is_set():
                    return  # the emulation is shutting down with us
                _log.warning("%s: stream read failed (%s); retrying", self.table, exc)
                self.stop_event.wait(1.0)

    def _poll_once(self, streams: Any, iterator: str) -> str:
        """Read one page of records, deliver it, and return the iterator to read next."""
        page = streams.get_records(ShardIterator=iterator, Limit=BATCH_SIZE)
        records = page.get("Records", [])
        next_iterator = str(page.get("NextShardIterator") or iterator)
        if not records:
            self.stop_event.wait(self.poll_interval)
            return next_iterator
        if not function_exists(self.module):
            # Not written yet: keep the records, as a mapping on a missing function would.
            self.stop_event.wait(self.poll_interval)
            return iterator
        event = {
            "Records": [lambda_stream_record(r, self.stream_arn, self.aws.region) for r in records]
        }
        retry_from: str | None
        # Why the batch failed, when the function itself could not say it in its logs
        # (it raised, or could not even be imported).
        why = ""
        try:
            retry_from = _failed_sequence(self.runtime.invoke(self.module, event), records)
        except FunctionError as exc:
            retry_from = str(records[0]["dynamodb"]["SequenceNumber"])
            why = f": {exc}"
        if retry_from is not None and self._attempts < self.max_retries:
            self._attempts += 1
            _log.warning(
                "%s: retrying from %s (attempt %d)%s", self.module, retry_from, self._attempts, why
            )
            self.stop_event.wait(min(2 ** (self._attempts - 1) * self.backoff_s, 2.0))
            return self._iterator(streams, self.stream_arn, retry_from)
        failed = 0
        if retry_from is not None:
            # Production sends these to the dead-letter queue; here the terminal says so.
            _log.error("%s: giving up on records from %s%s", self.module, retry_from, why)
            sequences = [str(r["dynamodb"]["SequenceNumber"]) for r in records]
            failed = len(sequences) - sequences.index(retry_from)
        self._attempts = 0
        self.given_up += failed
        self.delivered += len(records) - failed
        return next_iterator


def scheduled_event(rule_arn: str, region: str) -> dict[str, Any]:
    """The event EventBridge Scheduler-style rules send to a scheduled function."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": rule_arn.split(":")[4],
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [rule_arn],
        "detail": {},
    }


class ScheduleWorker(threading.Thread):
    """Invokes a handler module on a fixed rate, like an EventBridge `rate(1 minute)` rule."""

    def __init__(self, runtime: LocalRuntime, *, module: str, every_s: float = 60.0) -> None:
        super().__init__(name=f"schedule:{module}", daemon=True)
        self.runtime, self.module, self.every_s = runtime, module, every_s
        self.stop_event = threading.Event()
        self.runs = 0
        self.rule_arn = f"arn:aws:events:{runtime.region}:123456789012:rule/{module.split('.')[0]}"

    def run(self) -> None:
        """Invoke on every tick until stopped; a failing run is logged and retried next tick."""
        while not self.stop_event.wait(self.every_s):
            if not function_exists(self.module):
                continue
            started = time.monotonic()
            try:
                self.runtime.invoke(
                    self.module, scheduled_event(self.rule_arn, self.runtime.region)
                )
            except FunctionError as exc:
                _log.error("%s: scheduled run failed: %s", self.module, exc)
            self.runs += 1
            _log.debug("%s ran in %.2fs", self.module, time.monotonic() - started)
