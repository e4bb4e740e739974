"""The CDN's security headers (CSP and friends), read from infra/template.yaml.

Serving pages locally under the same Content-Security-Policy as production
means an inline script or an off-site fetch breaks here first, not after
deploy. Two parts only make sense over HTTPS and are left out on http://localhost:
HSTS, and the CSP's `upgrade-insecure-requests`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storefront.devserver.template import TEMPLATE, load_template

_HTTPS_ONLY_DIRECTIVES = ("upgrade-insecure-requests",)


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
    template = load_template(template_path)
    headers: list[tuple[str, str]] = []
    for config in _policies(template):
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
