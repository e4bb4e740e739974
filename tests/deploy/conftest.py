"""An emulated stack (moto): site bucket, catalog bucket, inventory table, distribution."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import boto3
import pytest
from moto import mock_aws

from storefront.deploy.outputs import StackOutputs
from storefront.deploy.publish import AwsClients

REGION: Final = "eu-west-3"


@dataclass
class S3Calls:
    """The S3 writes a deploy made, in order: ("put", key) and ("delete", key)."""

    calls: list[tuple[str, str]] = field(default_factory=list)

    def record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        """botocore hook: note each PutObject / DeleteObjects before it is sent."""
        if model.name == "PutObject":
            self.calls.append(("put", params["Key"]))
        elif model.name == "DeleteObjects":
            self.calls.extend(("delete", o["Key"]) for o in params["Delete"]["Objects"])

    def site_puts(self, bucket_keys: set[str] | None = None) -> list[str]:
        """Keys put, in order (optionally only those in `bucket_keys`)."""
        return [
            k for op, k in self.calls if op == "put" and (bucket_keys is None or k in bucket_keys)
        ]

    def clear(self) -> None:
        """Forget the calls recorded so far."""
        self.calls.clear()


@dataclass
class FakeStack:
    """The stack's outputs, the clients a deploy uses, and what S3 saw."""

    outputs: StackOutputs
    clients: AwsClients
    s3_calls: S3Calls

    def invalidated_paths(self) -> list[list[str]]:
        """Paths of every invalidation created so far, oldest first."""
        cloudfront = self.clients.cloudfront
        listing = cloudfront.list_invalidations(DistributionId=self.outputs.distribution_id)
        items = listing["InvalidationList"].get("Items", [])
        batches = []
        for item in reversed(items):  # CloudFront lists newest first
            batch = cloudfront.get_invalidation(
                DistributionId=self.outputs.distribution_id, Id=item["Id"]
            )["Invalidation"]["InvalidationBatch"]
            batches.append(sorted(batch["Paths"].get("Items", [])))
        return batches

    def stock(self, sku: str) -> dict[str, Any] | None:
        """The inventory item of a SKU, or None."""
        item = self.clients.dynamodb.get_item(
            TableName=self.outputs.inventory_table, Key={"sku": {"S": sku}}
        ).get("Item")
        return dict(item) if item else None


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fake credentials and a region, inside moto's emulation."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield


def create_stack_resources() -> dict[str, str]:
    """Create what infra/template.yaml would, and return its outputs by key."""
    s3 = boto3.client("s3", region_name=REGION)
    for name in ("shop-site", "shop-data"):
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    boto3.client("dynamodb", region_name=REGION).create_table(
        TableName="shop-inventory",
        AttributeDefinitions=[{"AttributeName": "sku", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "sku", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    distribution = boto3.client("cloudfront", region_name=REGION).create_distribution(
        DistributionConfig={
            "CallerReference": "storefront-test",
            "Comment": "test",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "site",
                        "DomainName": "shop-site.s3.eu-west-3.amazonaws.com",
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "site",
                "ViewerProtocolPolicy": "redirect-to-https",
                "MinTTL": 0,
            },
        }
    )["Distribution"]
    return {
        "SiteBucketName": "shop-site",
        "DistributionId": distribution["Id"],
        "CatalogS3Uri": "s3://shop-data/catalog.json",
        "InventoryTableName": "shop-inventory",
        "SiteUrl": f"https://{distribution['DomainName']}",
    }


@pytest.fixture
def stack(aws_env: None) -> FakeStack:
    """Emulated stack resources with a recording S3 client."""
    from storefront.deploy.outputs import outputs_from_mapping

    outputs = outputs_from_mapping("shop", create_stack_resources())
    s3 = boto3.client("s3", region_name=REGION)
    calls = S3Calls()
    s3.meta.events.register("provide-client-params.s3.*", calls.record)
    clients = AwsClients(
        s3=s3,
        cloudfront=boto3.client("cloudfront", region_name=REGION),
        dynamodb=boto3.client("dynamodb", region_name=REGION),
    )
    return FakeStack(outputs, clients, calls)
