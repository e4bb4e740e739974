"""Read infra/template.yaml with CloudFormation's short-form tags, for the infra tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = ROOT / "infra" / "template.yaml"

# Every short form CloudFormation accepts, mapped to its long name.
_FUNCTIONS = frozenset(
    {"And", "Base64", "Cidr", "Equals", "FindInMap", "GetAtt", "GetAZs", "If", "ImportValue"}
    | {"Join", "Length", "Not", "Or", "Select", "Split", "Sub", "ToJsonString", "Transform"}
    | {"Condition"}
)


class CfnLoader(yaml.SafeLoader):
    """A safe YAML loader that turns `!Ref x` into {"Ref": "x"}, `!Sub s` into {"Fn::Sub": s}..."""


def _construct(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:  # pragma: no cover - yaml has no other node kinds
        raise TypeError(f"unexpected YAML node {node!r}")
    if tag_suffix == "Ref":
        return {"Ref": value}
    if tag_suffix not in _FUNCTIONS:
        raise yaml.constructor.ConstructorError(
            None, None, f"unknown CloudFormation tag !{tag_suffix}", node.start_mark
        )
    if tag_suffix == "GetAtt" and isinstance(value, str):
        # `!GetAtt Res.Attr.Sub` is the scalar form of ["Res", "Attr.Sub"].
        resource, _, attribute = value.partition(".")
        value = [resource, attribute]
    if tag_suffix == "Condition":
        return {"Condition": value}
    return {f"Fn::{tag_suffix}": value}


CfnLoader.add_multi_constructor("!", _construct)


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """Parse a CloudFormation/SAM YAML template into plain dicts and lists."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=CfnLoader)  # noqa: S506
    if not isinstance(data, dict):
        raise TypeError(f"{path}: expected a mapping at the top level, got {type(data).__name__}")
    return data


def resources_of_type(template: dict[str, Any], type_name: str) -> dict[str, dict[str, Any]]:
    """The template's resources of one type, by logical id."""
    return {
        name: resource
        for name, resource in template["Resources"].items()
        if resource["Type"] == type_name
    }


def as_list(value: Any) -> list[Any]:
    """A policy field that may be one item or a list, as a list."""
    return value if isinstance(value, list) else [value]


def policy_statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    """Every statement of a role's inline policies."""
    statements: list[dict[str, Any]] = []
    for policy in role["Properties"].get("Policies", []):
        statements.extend(as_list(policy["PolicyDocument"]["Statement"]))
    return statements
