"""infra/github-deploy.yaml: CI assumes roles via GitHub OIDC, the site role only publishes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from cfnlint.api import lint

from tests.infra.cfn_template import ROOT, as_list, load_template, policy_statements

PATH = ROOT / "infra" / "github-deploy.yaml"
TEMPLATE = load_template(PATH)
RESOURCES: dict[str, dict[str, Any]] = TEMPLATE["Resources"]


def test_github_deploy_template_passes_cfn_lint() -> None:
    matches = lint(PATH.read_text(encoding="utf-8"), regions=["eu-west-3", "us-east-1"])
    assert matches == [], [f"{m.linenumber}: {m.rule.id} {m.message}" for m in matches]


@pytest.mark.parametrize(
    ("name", "environment"),
    [("SiteDeployRole", "GitHubEnvironment"), ("InfraDeployRole", "GitHubInfraEnvironment")],
)
def test_each_role_trusts_only_its_own_repository_environment_through_oidc(
    name: str, environment: str
) -> None:
    # Separate environments: the site job runs the build's whole dependency tree and must
    # never be able to assume the infra role (PowerUser and the stack's IAM roles).
    (trust,) = RESOURCES[name]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert (
        "oidc-provider/token.actions.githubusercontent.com"
        in (trust["Principal"]["Federated"]["Fn::Sub"])
    )
    conditions = trust["Condition"]["StringEquals"]
    assert conditions["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    # No wildcard: a fork, another branch or an unprotected job gets nothing.
    subject = conditions["token.actions.githubusercontent.com:sub"]["Fn::Sub"]
    assert subject == f"repo:${{GitHubRepository}}:environment:${{{environment}}}"


def test_the_workflows_run_in_the_environments_their_roles_trust() -> None:
    import yaml

    parameters = TEMPLATE["Parameters"]
    for workflow, parameter in (
        ("deploy-site.yml", "GitHubEnvironment"),
        ("deploy-infra.yml", "GitHubInfraEnvironment"),
    ):
        text = (ROOT / ".github" / "workflows" / workflow).read_text(encoding="utf-8")
        jobs = yaml.safe_load(text)["jobs"]
        # The one job that gets AWS credentials (OIDC: id-token) runs in the environment;
        # any other job (the site's keep-enabled one) asks for no AWS role at all.
        (job,) = [job for job in jobs.values() if "environment" in job]
        assert job["environment"] == parameters[parameter]["Default"], workflow
        for name, other in jobs.items():
            if other is not job:
                assert "aws-actions" not in yaml.safe_dump(other), (workflow, name)
                assert other.get("permissions", {}).get("id-token") in (None, "none")


def test_site_role_can_only_publish_to_the_shop_stack_resources() -> None:
    granted: dict[str, set[str]] = {}
    for statement in policy_statements(RESOURCES["SiteDeployRole"]):
        assert statement["Effect"] == "Allow"
        for resource in as_list(statement["Resource"]):
            # arn:PARTITION:service:region:account:resource -> resource
            arn = re.sub(r"\$\{AWS::\w+\}", "X", resource["Fn::Sub"]).split(":", 5)[-1]
            granted.setdefault(arn, set()).update(as_list(statement["Action"]))
    assert granted == {
        "stack/${ShopStackName}/*": {"cloudformation:DescribeStacks"},
        "${SiteBucketName}": {"s3:ListBucket"},
        "${SiteBucketName}/*": {"s3:PutObject", "s3:DeleteObject"},
        "${CatalogBucketName}": {"s3:ListBucket"},
        "${CatalogBucketName}/catalog.json": {"s3:GetObject", "s3:PutObject"},
        "${CatalogBucketName}/site-manifest.json": {"s3:GetObject", "s3:PutObject"},
        "table/${InventoryTableName}": {"dynamodb:Scan", "dynamodb:PutItem"},
        "distribution/${DistributionId}": {
            "cloudfront:CreateInvalidation",
            "cloudfront:GetInvalidation",
        },
    }
    assert "ManagedPolicyArns" not in RESOURCES["SiteDeployRole"]["Properties"]


def test_infra_role_manages_only_the_stack_own_iam_roles() -> None:
    allowed, denied = policy_statements(RESOURCES["InfraDeployRole"])
    assert allowed["Effect"] == "Allow"
    assert all(action.startswith("iam:") for action in allowed["Action"])
    assert allowed["Resource"]["Fn::Sub"].endswith(":role/${ShopStackName}-*")
    # Inline policies only: attaching a managed policy (AdministratorAccess) is not allowed.
    assert not {"iam:AttachRolePolicy", "iam:DetachRolePolicy"} & set(allowed["Action"])
    # `<shop>-*` also matches this stack's own roles (`<shop>-github-…`): denied outright,
    # so the deploy role can rewrite neither itself nor the site role.
    assert denied == {
        "Effect": "Deny",
        "Action": "iam:*",
        "Resource": {
            "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${AWS::StackName}-*"
        },
    }
