"""Read what the deploy needs from the CloudFormation stack's outputs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from botocore.exceptions import ClientError

from storefront.deploy.errors import DeployError

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient

# Output keys of infra/template.yaml that the deploy reads.
REQUIRED_OUTPUTS = (
    "SiteBucketName",
    "DistributionId",
    "CatalogS3Uri",
    "InventoryTableName",
    "SiteUrl",
)


@dataclass(frozen=True, slots=True)
class StackOutputs:
    """Where a build goes: the site bucket, the CDN, the catalog key, the stock table."""

    site_bucket: str
    distribution_id: str
    catalog_bucket: str
    catalog_key: str
    inventory_table: str
    site_url: str

    @property
    def manifest_key(self) -> str:
        """Key (beside the catalog) of the manifest of the last deployed build."""
        folder = self.catalog_key.rpartition("/")[0]
        return f"{folder}/site-manifest.json" if folder else "site-manifest.json"


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """Split `s3://bucket/key` into (bucket, key)."""
    parsed = urlparse(uri)
    if parsed.scheme != "s3" or not parsed.netloc or not parsed.path.strip("/"):
        raise DeployError(f"CatalogS3Uri: expected s3://bucket/key, got {uri!r}")
    return parsed.netloc, parsed.path.lstrip("/")


def outputs_from_mapping(stack: str, outputs: dict[str, str]) -> StackOutputs:
    """Build StackOutputs from an OutputKey -> OutputValue mapping."""
    missing = [key for key in REQUIRED_OUTPUTS if not outputs.get(key)]
    if missing:
        raise DeployError(
            f"stack {stack!r}: missing output(s) {', '.join(missing)}; "
            "expected the stack created from infra/template.yaml (run `sam deploy` first)"
        )
    bucket, key = parse_s3_uri(outputs["CatalogS3Uri"])
    return StackOutputs(
        site_bucket=outputs["SiteBucketName"],
        distribution_id=outputs["DistributionId"],
        catalog_bucket=bucket,
        catalog_key=key,
        inventory_table=outputs["InventoryTableName"],
        site_url=outputs["SiteUrl"],
    )


def read_stack_outputs(cloudformation: CloudFormationClient, stack: str) -> StackOutputs:
    """Describe the stack and return the outputs the deploy needs."""
    try:
        stacks = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    except ClientError as exc:
        raise DeployError(
            f"stack {stack!r}: cannot be read ({exc.response['Error'].get('Message', exc)}); "
            "expected an existing stack in this account and region"
        ) from exc
    outputs = {
        item["OutputKey"]: item["OutputValue"]
        for item in stacks[0].get("Outputs", [])
        if "OutputKey" in item and "OutputValue" in item
    }
    return outputs_from_mapping(stack, outputs)
