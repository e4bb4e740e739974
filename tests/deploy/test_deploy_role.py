"""The CI site role (infra/github-deploy.yaml) allows every AWS call `build.py deploy` makes."""

from __future__ import annotations

from pathlib import Path

from storefront.deploy.publish import deploy_build
from tests.deploy.conftest import FakeStack
from tests.deploy.site_factory import ShopBuild
from tests.infra.cfn_template import ROOT, as_list, load_template, policy_statements

# The IAM action that authorises each API operation a deploy calls. An operation
# missing here fails the test: add it, and grant it to the role if it is needed.
IAM_ACTION = {
    "ListObjectsV2": "s3:ListBucket",
    "HeadObject": "s3:GetObject",
    "GetObject": "s3:GetObject",
    "PutObject": "s3:PutObject",
    "DeleteObjects": "s3:DeleteObject",
    "Scan": "dynamodb:Scan",
    "PutItem": "dynamodb:PutItem",
    "CreateInvalidation": "cloudfront:CreateInvalidation",
    "GetInvalidation": "cloudfront:GetInvalidation",
}


def test_the_site_role_allows_every_call_of_a_first_deploy_and_an_update(
    stack: FakeStack, tmp_path: Path
) -> None:
    # The role once lacked GetInvalidation: every CI deploy that changed a page failed
    # while waiting for its invalidation, before removing old files.
    called: set[str] = set()
    for client in (stack.clients.s3, stack.clients.cloudfront, stack.clients.dynamodb):
        client.meta.events.register(
            "before-call.*.*", lambda model, **_: called.add(str(model.name))
        )
    build = ShopBuild()
    deploy_build(build.write(tmp_path / "a"), stack.outputs, stack.clients, say=lambda _: None)
    build.products["trail-shoe"] = "Ridge Trail Shoe, new edition"
    deploy_build(build.write(tmp_path / "b"), stack.outputs, stack.clients, say=lambda _: None)

    role = load_template(ROOT / "infra" / "github-deploy.yaml")["Resources"]["SiteDeployRole"]
    granted = {action for s in policy_statements(role) for action in as_list(s["Action"])}
    assert {"CreateInvalidation", "GetInvalidation"} <= called
    assert {IAM_ACTION[operation] for operation in called} <= granted
