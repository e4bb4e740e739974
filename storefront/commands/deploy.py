"""`python build.py deploy --stack NAME`: publish the last build to the AWS stack."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from storefront.commands.aws_region import given_region
from storefront.deploy.errors import DeployError


def register(subparsers: Any) -> None:
    """Add the `deploy` subcommand."""
    parser = subparsers.add_parser(
        "deploy",
        help="publish the build in dist/ to the AWS stack (only what changed)",
        description="Read the stack's outputs, then: seed stock for new SKUs, upload the "
        "catalog snapshot the functions read, upload the files whose content or headers "
        "changed (headers from OUT/manifest.json), delete the pages no longer built, "
        "invalidate the changed paths in CloudFront and wait for it, then delete the old "
        "assets and images. Uses the usual AWS credentials (environment, profile, or the "
        "CI's OIDC role).",
    )
    parser.add_argument("--stack", required=True, help="CloudFormation stack name (sam deploy)")
    parser.add_argument(
        "--out", type=Path, default=Path("dist"), metavar="DIR", help="build folder (default: dist)"
    )
    parser.add_argument(
        "--region",
        default=None,
        help="AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then the AWS config)",
    )
    parser.add_argument("--profile", default=None, help="AWS profile (default: the AWS config)")
    parser.add_argument("--dry-run", action="store_true", help="print the plan and change nothing")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Deploy; exit status 1 on any error, with the error on stderr."""
    # boto3 is imported here so that other commands do not pay for it.
    import boto3
    from botocore.exceptions import BotoCoreError, NoRegionError

    from storefront.deploy.outputs import read_stack_outputs
    from storefront.deploy.publish import AwsClients, deploy_build

    try:
        # Inside the try: an unknown --profile fails here (ProfileNotFound).
        session = boto3.Session(region_name=given_region(args.region), profile_name=args.profile)
        outputs = read_stack_outputs(session.client("cloudformation"), args.stack)
        print(f"Deploying {args.out} to stack {args.stack} ({outputs.site_url})")
        clients = AwsClients(
            s3=session.client("s3"),
            cloudfront=session.client("cloudfront"),
            dynamodb=session.client("dynamodb"),
        )
        result = deploy_build(args.out, outputs, clients, dry_run=args.dry_run)
    except DeployError as exc:
        print(f"deploy: {exc}", file=sys.stderr)
        return 1
    except NoRegionError as exc:
        print(f"deploy: AWS: {exc} (pass --region or set AWS_REGION)", file=sys.stderr)
        return 1
    except BotoCoreError as exc:  # no credentials, unknown profile, endpoint unreachable
        print(f"deploy: AWS: {exc}", file=sys.stderr)
        return 1
    print(result.summary())
    if args.dry_run:
        print("Dry run: nothing was changed.")
    return 0
