"""The CDN's security headers (CSP and friends), read from infra/template.yaml.

Serving pages locally under the same Content-Security-Policy as production
means an inline script or an off-site fetch breaks here first, not after
deploy. Two parts only make sense over HTTPS and are left out on http://localhost:
HSTS, and the CSP's `upgrade-insecure-requests`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

TEMPLATE = Path(__file__).resolve().parents[2] / "infra" / "template.yaml"
_HTTPS_ONLY_DIRECTIVES = ("upgrade-insecure-requests",)


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


def _policies(template: dict[str, Any]) -> list[dict[str, Any]]:
    resources = template.get("Resources") or {}
    return [
        resource["Properties"]["ResponseHeadersPolicyConfig"]
        for resource in resources.values()
        if isinstance(resource, dict)
        and resource.get("Type") == "AWS::CloudFront::ResponseHeadersPolicy"
    ]


def _local_csp(policy: str) -> str:
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    return "; ".join(d for d in directives if d not in _HTTPS_ONLY_DIRECTIVES)


def security_headers(template_path: Path = TEMPLATE) -> list[tuple[str, str]]:
    """The headers the CDN adds to pages, adapted for http://localhost (none without a template)."""
    if not template_path.is_file():
        return []
    template = yaml.load(template_path.read_text(encoding="utf-8"), Loader=_TemplateLoader)  # noqa: S506 - SafeLoader subclass
    headers: list[tuple[str, str]] = []
    for config in _policies(template if isinstance(template, dict) else {}):
        security = config.get("SecurityHeadersConfig") or {}
        if "ContentSecurityPolicy" in security:
            policy = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
            headers.append(("Content-Security-Policy", _local_csp(" ".join(policy.split()))))
        if "ContentTypeOptions" in security:
            headers.append(("X-Content-Type-Options", "nosniff"))
        if "FrameOptions" in security:
            headers.append(("X-Frame-Options", security["FrameOptions"]["FrameOption"]))
        if "ReferrerPolicy" in security:
            headers.append(("Referrer-Policy", security["ReferrerPolicy"]["ReferrerPolicy"]))
        for item in (config.get("CustomHeadersConfig") or {}).get("Items", []):
            headers.append((item["Header"], item["Value"]))
    return headers
