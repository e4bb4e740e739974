"""Security properties of infra/template.yaml: private origin, least privilege, secrets by name."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.infra.cfn_template import (
    TEMPLATE_PATH,
    as_list,
    load_template,
    policy_statements,
    resources_of_type,
)

TEMPLATE = load_template()
RESOURCES: dict[str, dict[str, Any]] = TEMPLATE["Resources"]
FUNCTIONS = resources_of_type(TEMPLATE, "AWS::Serverless::Function")

# What each function may do, resource by resource. A resource is named by its
# logical id (`OrdersTable`), `.stream` for a table's stream, `/key` for an object,
# and `ssm:parameter<Param>` / `ses:identity/<Param>` for names given as parameters.
# A new permission must be added here on purpose: this table is the review.
OBSERVABILITY = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
CATALOG = {"CatalogBucket/catalog.json": {"s3:GetObject"}}
LOGS = {"logs:CreateLogStream", "logs:PutLogEvents"}
SECRET_KEY = {"ssm:parameterStripeSecretKeyParameter": {"ssm:GetParameter"}}
READ_UPDATE = {"dynamodb:GetItem", "dynamodb:UpdateItem"}
# Fulfilling a paid session (webhook, or the success page when the webhook is late).
FULFIL = {
    "OrdersTable": {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:Query",
    },
    "ReservationsTable": READ_UPDATE,
    "InventoryTable": READ_UPDATE,
    # Fulfilment takes the bought lines out of the shopper's cart.
    "CartsTable": {"dynamodb:GetItem", "dynamodb:PutItem"},
}
EXPECTED_PERMISSIONS: dict[str, dict[str, set[str]]] = {
    "CartFunction": {
        **CATALOG,
        "CartLogGroup": LOGS,
        "CartsTable": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"},
        "InventoryTable": {"dynamodb:BatchGetItem"},
        "ReservationsTable": {"dynamodb:GetItem"},  # the cart's own checkout hold
    },
    "StockFunction": {
        **CATALOG,
        "StockLogGroup": LOGS,
        "InventoryTable": {"dynamodb:BatchGetItem"},
    },
    "CheckoutFunction": {
        **CATALOG,
        **SECRET_KEY,
        "CheckoutLogGroup": LOGS,
        # PutItem: the cart remembers its latest checkout (a new one closes it first);
        # UpdateItem: each connection's count of units on hold (shop/hold_allowance.py).
        "CartsTable": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"},
        "InventoryTable": READ_UPDATE,
        "ReservationsTable": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"},
    },
    "OrdersFunction": {**CATALOG, **SECRET_KEY, **FULFIL, "OrdersLogGroup": LOGS},
    "StripeWebhookFunction": {
        **CATALOG,
        **FULFIL,
        "StripeWebhookLogGroup": LOGS,
        "ssm:parameterStripeWebhookSecretParameter": {"ssm:GetParameter"},
    },
    "OrderEmailsFunction": {
        **CATALOG,
        "OrderEmailsLogGroup": LOGS,
        "OrdersTable.stream": {
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:ListStreams",
        },
        "OrdersTable": {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"},
        "ses:identity/SenderIdentity": {"ses:SendRawEmail"},
        "EmailDeadLetterQueue": {"sqs:SendMessage"},
    },
    # It asks Stripe about an expired hold's session and fulfils a paid one itself.
    "SweeperFunction": {
        **CATALOG,
        **SECRET_KEY,
        **FULFIL,
        "SweeperLogGroup": LOGS,
        "ReservationsTable/index/status-expires_at": {"dynamodb:Query"},
    },
    "FeedAvailabilityFunction": {
        **CATALOG,
        "FeedAvailabilityLogGroup": LOGS,
        "InventoryTable": {"dynamodb:Scan"},
        # Its one object only: never the pages the build publishes.
        "SiteBucket/feeds/availability.xml": {"s3:GetObject", "s3:PutObject"},
    },
    # Answers made-up /api paths: it writes its logs and reads nothing.
    "NotFoundFunction": {"NotFoundLogGroup": LOGS},
}
for _permissions in EXPECTED_PERMISSIONS.values():
    _permissions["*"] = OBSERVABILITY

_ARN_PREFIX = re.compile(r"^arn:\$\{AWS::Partition\}:(\w+):\$\{AWS::Region\}:\$\{AWS::AccountId\}:")


def resource_label(resource: Any) -> str:
    """Name an IAM Resource value by the template things it points at."""
    if resource == "*":
        return "*"
    if isinstance(resource, dict) and "Fn::GetAtt" in resource:
        name, attribute = resource["Fn::GetAtt"]
        return str(name) if attribute == "Arn" else f"{name}.stream"
    if isinstance(resource, dict) and "Fn::Sub" in resource:
        text = _ARN_PREFIX.sub(r"\1:", resource["Fn::Sub"])
        return re.sub(r"\$\{([A-Za-z]+)(?:\.Arn)?\}", r"\1", text)
    raise AssertionError(f"unexpected IAM resource form {resource!r}")


def role_of(function: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The logical id and resource of the IAM role a function runs as."""
    role_ref = function["Properties"]["Role"]
    name, attribute = role_ref["Fn::GetAtt"]
    assert attribute == "Arn"
    return name, RESOURCES[name]


def granted_permissions(role: dict[str, Any]) -> dict[str, set[str]]:
    """Actions allowed by a role, grouped by the resource they apply to."""
    granted: dict[str, set[str]] = {}
    for statement in policy_statements(role):
        assert statement["Effect"] == "Allow", statement
        for resource in as_list(statement["Resource"]):
            granted.setdefault(resource_label(resource), set()).update(as_list(statement["Action"]))
    return granted


def walk_statements(node: Any) -> list[dict[str, Any]]:
    """Every IAM-like statement (a mapping with Effect and Principal) anywhere in a tree."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "Effect" in node and "Principal" in node:
            found.append(node)
        for value in node.values():
            found.extend(walk_statements(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(walk_statements(value))
    return found


# ------------------------------------------------------------------ S3 origin


@pytest.mark.parametrize("bucket", ["SiteBucket", "CatalogBucket"])
def test_bucket_blocks_every_kind_of_public_access(bucket: str) -> None:
    properties = RESOURCES[bucket]["Properties"]
    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert properties["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert "WebsiteConfiguration" not in properties
    assert "AccessControl" not in properties


def test_site_bucket_is_readable_only_by_this_distribution_through_origin_access_control() -> None:
    statements = RESOURCES["SiteBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert len(allows) == 1
    (allow,) = allows
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    source_arn = allow["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert source_arn.endswith(":distribution/${Distribution}")
    origins = RESOURCES["Distribution"]["Properties"]["DistributionConfig"]["Origins"]
    (site_origin,) = [o for o in origins if o["Id"] == "site"]
    assert site_origin["OriginAccessControlId"] == {"Fn::GetAtt": ["OriginAccessControl", "Id"]}
    assert site_origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    config = RESOURCES["OriginAccessControl"]["Properties"]["OriginAccessControlConfig"]
    assert config["SigningBehavior"] == "always"


def test_catalog_bucket_has_no_allow_statement_at_all() -> None:
    statements = RESOURCES["CatalogBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert [s["Effect"] for s in statements] == ["Deny"]


@pytest.mark.parametrize("policy", ["SiteBucketPolicy", "CatalogBucketPolicy"])
def test_bucket_refuses_requests_without_tls(policy: str) -> None:
    statements = RESOURCES[policy]["Properties"]["PolicyDocument"]["Statement"]
    denies = [s for s in statements if s["Effect"] == "Deny"]
    assert any(s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in denies)


def test_no_statement_allows_a_wildcard_principal() -> None:
    statements = walk_statements(TEMPLATE)
    assert len(statements) >= 9  # bucket policies + one trust policy per function role
    for statement in statements:
        if statement["Effect"] != "Allow":
            continue
        principal = statement["Principal"]
        assert principal != "*", statement
        if isinstance(principal, dict):
            for value in principal.values():
                assert "*" not in as_list(value), statement


# ------------------------------------------------------------------ IAM


def test_every_function_runs_as_its_own_role() -> None:
    roles = [role_of(function)[0] for function in FUNCTIONS.values()]
    assert len(set(roles)) == len(FUNCTIONS) == 9
    for function in FUNCTIONS.values():
        # SAM policy templates grant whole-table CRUD; only explicit roles are allowed.
        assert "Policies" not in function["Properties"]
    for name in roles:
        trust = RESOURCES[name]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        assert trust == [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ]
        assert "ManagedPolicyArns" not in RESOURCES[name]["Properties"]


@pytest.mark.parametrize("function_name", sorted(EXPECTED_PERMISSIONS))
def test_function_role_grants_exactly_its_actions_on_exactly_its_resources(
    function_name: str,
) -> None:
    _, role = role_of(FUNCTIONS[function_name])
    assert granted_permissions(role) == EXPECTED_PERMISSIONS[function_name]


def test_no_role_uses_wildcard_actions_or_wildcard_resources_beyond_xray() -> None:
    for name, role in resources_of_type(TEMPLATE, "AWS::IAM::Role").items():
        for statement in policy_statements(role):
            actions = as_list(statement["Action"])
            assert all("*" not in action for action in actions), (name, statement)
            if "*" in as_list(statement["Resource"]):
                # X-Ray does not support resource-level permissions.
                assert set(actions) <= OBSERVABILITY, (name, statement)


def test_api_may_invoke_each_function_only_on_its_own_routes() -> None:
    permissions = resources_of_type(TEMPLATE, "AWS::Lambda::Permission")
    assert len(permissions) == 6
    for name, permission in permissions.items():
        properties = permission["Properties"]
        assert properties["Principal"] == "apigateway.amazonaws.com"
        source = properties["SourceArn"]["Fn::Sub"]
        if properties["FunctionName"] == {"Ref": "NotFoundFunction"}:
            # The $default route only: API Gateway's source ARN for it ends in $default.
            assert source.endswith("${HttpApi}/*/$default"), name
            continue
        assert re.search(r"\$\{HttpApi\}/\*/[A-Z*]+/api/[a-z/*]+$", source), source


# ------------------------------------------------------------------ secrets


def test_stripe_secrets_are_only_named_never_given() -> None:
    text = TEMPLATE_PATH.read_text(encoding="utf-8")
    assert not re.search(r"\b(sk|rk|pk)_(live|test)_[A-Za-z0-9]", text)
    assert "whsec_" not in text.replace("(whsec_...)", "")
    variables = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]
    assert "STRIPE_SECRET_KEY" not in variables
    assert "STRIPE_WEBHOOK_SECRET" not in variables
    assert variables["STRIPE_SECRET_KEY_PARAM"] == {"Ref": "StripeSecretKeyParameter"}
    assert variables["STRIPE_WEBHOOK_SECRET_PARAM"] == {"Ref": "StripeWebhookSecretParameter"}
    for name in ("StripeSecretKeyParameter", "StripeWebhookSecretParameter"):
        spec = TEMPLATE["Parameters"][name]
        assert spec["Type"] == "String"
        assert spec["Default"].startswith("/storefront/")
        assert re.fullmatch(spec["AllowedPattern"], spec["Default"])
        assert not re.fullmatch(spec["AllowedPattern"], "sk_live_abc"), "a key is not a name"


def test_functions_get_the_configuration_names_of_the_architecture() -> None:
    variables = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]
    assert {
        "CATALOG_S3_URI",
        "CARTS_TABLE",
        "INVENTORY_TABLE",
        "RESERVATIONS_TABLE",
        "ORDERS_TABLE",
        "SITE_URL",
        "EMAIL_FROM",
    } <= set(variables)
    assert variables["CATALOG_S3_URI"] == {"Fn::Sub": "s3://${CatalogBucket}/catalog.json"}
    for function in FUNCTIONS.values():
        service = function["Properties"]["Environment"]["Variables"]["POWERTOOLS_SERVICE_NAME"]
        assert service


def test_only_requests_through_the_distribution_can_name_their_viewer_to_the_checkout() -> None:
    # The hold allowance counts per viewer: behind CloudFront the viewer is the
    # CloudFront-Viewer-Address header, believed only with the distribution's secret
    # (functions/shop/viewer_address.py), so the origin must send what the function expects.
    distribution = RESOURCES["Distribution"]["Properties"]["DistributionConfig"]
    [api] = [origin for origin in distribution["Origins"] if origin["Id"] == "api"]
    [header] = api["OriginCustomHeaders"]
    checkout = FUNCTIONS["CheckoutFunction"]["Properties"]["Environment"]["Variables"]
    assert header["HeaderName"].lower() == "x-origin-verify"
    assert header["HeaderValue"] == checkout["CLOUDFRONT_ORIGIN_SECRET"]
    assert header["HeaderValue"] == {
        "Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]
    }
    assert checkout["HOLD_UNITS_PER_VIEWER"] == {"Ref": "HoldUnitsPerViewer"}
    # 0, or at least a full cart (50): a smaller one would refuse a full cart for good.
    allowed = re.compile(TEMPLATE["Parameters"]["HoldUnitsPerViewer"]["AllowedPattern"])
    given = ("0", "49", "50", "100", "250000", "-1", "5", "x")
    assert [n for n in given if allowed.fullmatch(n)] == ["0", "50", "100", "250000"]
    assert allowed.fullmatch(TEMPLATE["Parameters"]["HoldUnitsPerViewer"]["Default"])
    # Should CloudFront stop forwarding the viewer's address, nothing is counted: an alarm.
    alarm = RESOURCES["CheckoutViewerUnknownAlarm"]["Properties"]
    assert (alarm["MetricName"], alarm["Threshold"]) == ("CheckoutViewerUnknown", 1)
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "checkout"}]
    # AllViewerExceptHostHeader forwards the CloudFront-Viewer-Address header to the API.
    api_behaviors = [b for b in distribution["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    assert [b["OriginRequestPolicyId"] for b in api_behaviors] == [
        "b689b0a8-53d0-40ab-baf2-68738e2966ac"
    ]
