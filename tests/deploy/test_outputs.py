"""Reading the stack outputs the deploy needs, from CloudFormation (moto)."""

from __future__ import annotations

import json

import boto3
import pytest

from storefront.deploy.errors import DeployError
from storefront.deploy.outputs import outputs_from_mapping, parse_s3_uri, read_stack_outputs
from tests.deploy.conftest import REGION

OUTPUTS = {
    "SiteBucketName": "shop-site",
    "DistributionId": "E123",
    "CatalogS3Uri": "s3://shop-data/catalog.json",
    "InventoryTableName": "shop-inventory",
    "SiteUrl": "https://shop.example.com",
}


def create_stack_with_outputs(name: str, outputs: dict[str, str], region: str = REGION) -> None:
    """A stack whose only purpose is to carry outputs, like `sam deploy` leaves them."""
    template = {
        "Resources": {"Handle": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {key: {"Value": value} for key, value in outputs.items()},
    }
    boto3.client("cloudformation", region_name=region).create_stack(
        StackName=name, TemplateBody=json.dumps(template)
    )


def test_outputs_are_read_from_the_stack(aws_env: None) -> None:
    create_stack_with_outputs("shop", OUTPUTS)

    outputs = read_stack_outputs(boto3.client("cloudformation", region_name=REGION), "shop")

    assert outputs.site_bucket == "shop-site"
    assert outputs.distribution_id == "E123"
    assert (outputs.catalog_bucket, outputs.catalog_key) == ("shop-data", "catalog.json")
    assert outputs.inventory_table == "shop-inventory"
    assert outputs.manifest_key == "site-manifest.json"


def test_an_unknown_stack_is_an_error_naming_it(aws_env: None) -> None:
    client = boto3.client("cloudformation", region_name=REGION)
    with pytest.raises(DeployError, match=r"stack 'nope': cannot be read"):
        read_stack_outputs(client, "nope")


def test_missing_outputs_are_named(aws_env: None) -> None:
    create_stack_with_outputs("half", {"SiteBucketName": "b", "SiteUrl": "https://x"})
    client = boto3.client("cloudformation", region_name=REGION)
    with pytest.raises(
        DeployError, match=r"missing output\(s\) DistributionId, CatalogS3Uri, InventoryTableName"
    ):
        read_stack_outputs(client, "half")


def test_catalog_uri_must_be_an_s3_uri_with_a_key() -> None:
    assert parse_s3_uri("s3://data/shop/catalog.json") == ("data", "shop/catalog.json")
    with pytest.raises(DeployError, match="expected s3://bucket/key"):
        parse_s3_uri("https://data/catalog.json")
    with pytest.raises(DeployError, match="expected s3://bucket/key"):
        outputs_from_mapping("s", {**OUTPUTS, "CatalogS3Uri": "s3://data/"})


def test_the_deployed_manifest_lives_beside_the_catalog() -> None:
    outputs = outputs_from_mapping("s", {**OUTPUTS, "CatalogS3Uri": "s3://d/shop/catalog.json"})
    assert outputs.manifest_key == "shop/site-manifest.json"
