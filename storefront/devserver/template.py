"""Read infra/template.yaml, so the local server behaves as the deployed stack is defined."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

TEMPLATE = Path(__file__).resolve().parents[2] / "infra" / "template.yaml"


class _TemplateLoader(yaml.SafeLoader):
    """Reads a CloudFormation template, keeping the value under any short-form tag."""


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return None  # pragma: no cover - YAML has no other node kinds


_TemplateLoader.add_multi_constructor("!", _tagged)


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    """The template as plain data, or {} when there is none (a shop without infra/)."""
    if not path.is_file():
        return {}
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TemplateLoader)  # noqa: S506 - a SafeLoader
    return data if isinstance(data, dict) else {}


def resources_of_type(template: dict[str, Any], type_name: str) -> list[dict[str, Any]]:
    """The properties of every resource of one CloudFormation type."""
    resources = template.get("Resources") or {}
    return [
        resource.get("Properties") or {}
        for resource in resources.values()
        if isinstance(resource, dict) and resource.get("Type") == type_name
    ]
