"""The real SAM transform of infra/template.yaml: what CloudFormation will actually create."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from cfnlint.api import lint
from samtranslator.translator.transform import transform  # type: ignore[import-untyped]

from tests.infra.cfn_template import load_template

PARAMETERS = {
    "DomainName": "",
    "CertificateArn": "",
    "SenderIdentity": "example.com",
    "EmailFrom": "Northwind Outfitters <orders@example.com>",
}


class NoManagedPolicies:
    """SAM asks for managed policies only for `Policies:`; explicit roles need none."""

    def load(self) -> dict[str, str]:
        """Fail: a function must not fall back to SAM-generated policies."""
        raise AssertionError("the SAM transform asked for managed policies")


@pytest.fixture(scope="module")
def transformed() -> dict[str, Any]:
    """The template as `sam deploy` sends it: code packaged to S3, then transformed."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_DEFAULT_REGION", "eu-west-3")
        template = copy.deepcopy(load_template())
        template["Globals"]["Function"]["CodeUri"] = "s3://artifacts/functions.zip"
        result: dict[str, Any] = transform(template, PARAMETERS, NoManagedPolicies())
    return result


def of_type(template: dict[str, Any], type_name: str) -> dict[str, dict[str, Any]]:
    """Resources of one type, by logical id."""
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_name}


def test_transform_creates_no_role_or_policy_beyond_the_explicit_ones(
    transformed: dict[str, Any],
) -> None:
    roles = of_type(transformed, "AWS::IAM::Role")
    assert sorted(roles) == sorted(of_type(load_template(), "AWS::IAM::Role"))
    assert of_type(transformed, "AWS::IAM::Policy") == {}
    assert of_type(transformed, "AWS::IAM::ManagedPolicy") == {}


def test_every_lambda_function_is_arm64_traced_and_logs_to_its_group(
    transformed: dict[str, Any],
) -> None:
    functions = of_type(transformed, "AWS::Lambda::Function")
    assert len(functions) == 9
    for properties in (f["Properties"] for f in functions.values()):
        assert properties["Architectures"] == ["arm64"]
        assert properties["TracingConfig"] == {"Mode": "Active"}
        assert properties["Runtime"].startswith("python3.")
        assert "Ref" in properties["LoggingConfig"]["LogGroup"]


def test_stream_mapping_retries_then_sends_failures_to_the_dead_letter_queue(
    transformed: dict[str, Any],
) -> None:
    (mapping,) = of_type(transformed, "AWS::Lambda::EventSourceMapping").values()
    properties = mapping["Properties"]
    assert properties["EventSourceArn"] == {"Fn::GetAtt": ["OrdersTable", "StreamArn"]}
    assert properties["MaximumRetryAttempts"] == 5
    assert properties["DestinationConfig"]["OnFailure"]["Destination"] == {
        "Fn::GetAtt": ["EmailDeadLetterQueue", "Arn"]
    }


def test_each_schedule_becomes_an_eventbridge_rule_on_its_function(
    transformed: dict[str, Any],
) -> None:
    targets = {
        rule["Properties"]["ScheduleExpression"]["Ref"]: rule["Properties"]["Targets"][0]["Arn"]
        for rule in of_type(transformed, "AWS::Events::Rule").values()
    }
    assert targets == {
        "SweepSchedule": {"Fn::GetAtt": ["SweeperFunction", "Arn"]},
        "FeedAvailabilitySchedule": {"Fn::GetAtt": ["FeedAvailabilityFunction", "Arn"]},
    }
    invoked = {
        permission["Properties"]["FunctionName"]["Ref"]
        for permission in of_type(transformed, "AWS::Lambda::Permission").values()
        if permission["Properties"]["Principal"] == "events.amazonaws.com"
    }
    assert invoked == {"SweeperFunction", "FeedAvailabilityFunction"}


def test_transformed_template_passes_cfn_lint_as_plain_cloudformation(
    transformed: dict[str, Any],
) -> None:
    matches = lint(json.dumps(transformed), regions=["eu-west-3"])
    # W1030: CertificateArn resolves to its empty default inside the HasDomain branch.
    problems = [m for m in matches if m.rule.id != "W1030"]
    assert problems == [], [f"{m.rule.id} {m.message}" for m in problems]
