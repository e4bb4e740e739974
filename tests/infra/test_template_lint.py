"""infra/template.yaml passes cfn-lint, its short-form tags parse, and samconfig fits it."""

from __future__ import annotations

import json
import textwrap
import tomllib

import pytest
import yaml
from cfnlint.api import lint
from cfnlint.decode import cfn_yaml

from tests.infra.cfn_template import ROOT, TEMPLATE_PATH, CfnLoader, load_template


def test_template_passes_cfn_lint_with_no_error_or_warning_in_likely_regions() -> None:
    matches = lint(
        TEMPLATE_PATH.read_text(encoding="utf-8"),
        regions=["eu-west-3", "eu-west-1", "eu-central-1", "us-east-1"],
    )
    assert matches == [], "\n".join(
        f"{TEMPLATE_PATH.name}:{m.linenumber}: {m.rule.id} {m.message}" for m in matches
    )


def test_short_form_tags_parse_exactly_as_cfn_lint_reads_them() -> None:
    ours = load_template()
    theirs = json.loads(json.dumps(cfn_yaml.load(str(TEMPLATE_PATH))))
    assert ours == theirs


def test_every_short_form_tag_becomes_its_long_form() -> None:
    text = textwrap.dedent(
        """
        a: !Ref Bucket
        b: !GetAtt Distribution.FunctionMetadata.FunctionARN
        c: !Sub "${Bucket.Arn}/*"
        d: !If [HasDomain, !Ref DomainName, !Ref AWS::NoValue]
        e: !Not [!Equals [!Ref DomainName, ""]]
        f: !Join [",", [x, y]]
        """
    )
    assert yaml.load(text, Loader=CfnLoader) == {  # noqa: S506
        "a": {"Ref": "Bucket"},
        "b": {"Fn::GetAtt": ["Distribution", "FunctionMetadata.FunctionARN"]},
        "c": {"Fn::Sub": "${Bucket.Arn}/*"},
        "d": {"Fn::If": ["HasDomain", {"Ref": "DomainName"}, {"Ref": "AWS::NoValue"}]},
        "e": {"Fn::Not": [{"Fn::Equals": [{"Ref": "DomainName"}, ""]}]},
        "f": {"Fn::Join": [",", ["x", "y"]]},
    }


def test_an_unknown_tag_is_an_error_naming_the_tag() -> None:
    with pytest.raises(yaml.constructor.ConstructorError, match="!Reff"):
        yaml.load("a: !Reff Bucket\n", Loader=CfnLoader)  # noqa: S506


def test_samconfig_overrides_only_template_parameters_and_gives_every_required_one() -> None:
    config = tomllib.loads((ROOT / "infra" / "samconfig.toml").read_text(encoding="utf-8"))
    deploy = config["default"]["deploy"]["parameters"]
    overrides = dict(item.split("=", 1) for item in deploy["parameter_overrides"])
    parameters = load_template()["Parameters"]
    assert set(overrides) <= set(parameters), set(overrides) - set(parameters)
    required = {name for name, spec in parameters.items() if "Default" not in spec}
    assert required <= set(overrides), required - set(overrides)
    # Explicit roles without names: CAPABILITY_IAM is enough, never NAMED_IAM.
    assert deploy["capabilities"] == "CAPABILITY_IAM"
    assert config["default"]["build"]["parameters"]["template_file"] == "template.yaml"
