"""infra/template.yaml delivers what the shop relies on: CDN, API, tables, functions, alarms."""

from __future__ import annotations

import re
from typing import Any

import pytest
from shop.adapters.dynamodb_outbox import CLAIM_TIMEOUT_SECONDS
from shop.fulfilment import Outcome

from tests.infra.cfn_template import ROOT, load_template, resources_of_type

TEMPLATE = load_template()
RESOURCES: dict[str, dict[str, Any]] = TEMPLATE["Resources"]
FUNCTIONS = resources_of_type(TEMPLATE, "AWS::Serverless::Function")
DISTRIBUTION = RESOURCES["Distribution"]["Properties"]["DistributionConfig"]
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"


def csp_directives() -> dict[str, list[str]]:
    """The content security policy, as directive -> sources."""
    config = RESOURCES["SecurityHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    policy = config["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def behavior_for(path: str) -> dict[str, Any]:
    """The cache behavior CloudFront picks for a path (first matching pattern wins)."""
    for behavior in DISTRIBUTION["CacheBehaviors"]:
        pattern = re.escape(behavior["PathPattern"]).replace(r"\*", ".*")
        if re.fullmatch(pattern, path):
            return dict(behavior)
    return dict(DISTRIBUTION["DefaultCacheBehavior"])


# ------------------------------------------------------------------ CloudFront


def test_response_headers_set_hsts_nosniff_referrer_policy_and_deny_framing() -> None:
    config = RESOURCES["SecurityHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    headers = config["SecurityHeadersConfig"]
    hsts = headers["StrictTransportSecurity"]
    assert hsts["AccessControlMaxAgeSec"] >= 31536000
    assert hsts["IncludeSubdomains"] is True
    assert headers["ContentTypeOptions"] == {"Override": True}
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"
    assert headers["FrameOptions"]["FrameOption"] == "DENY"


def test_content_security_policy_is_one_the_pages_satisfy_and_no_looser() -> None:
    csp = csp_directives()
    assert csp["default-src"] == ["'self'"]
    # JavaScript: only same-origin files (JSON-LD/i18n blocks are data, not executed)
    # plus Pagefind's WebAssembly; never inline script or eval.
    assert csp["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]  # inlined critical CSS
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["form-action"] == ["'self'", "https://checkout.stripe.com"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]


@pytest.mark.parametrize("path", ["/", "/products/trail-shoe/", "/api/cart", "/api/stock"])
def test_every_path_gets_the_security_headers(path: str) -> None:
    assert behavior_for(path)["ResponseHeadersPolicyId"] == {"Ref": "SecurityHeadersPolicy"}


@pytest.mark.parametrize(
    "path",
    ["/api/cart", "/api/cart/items/ABC", "/api/checkout", "/api/orders/o1", "/api/stripe/webhook"],
)
def test_api_paths_go_to_the_api_uncached_with_every_method(path: str) -> None:
    behavior = behavior_for(path)
    assert behavior["TargetOriginId"] == "api"
    assert behavior["CachePolicyId"] == CACHING_DISABLED
    assert set(behavior["AllowedMethods"]) >= {"GET", "POST", "PATCH", "DELETE"}
    assert behavior["ViewerProtocolPolicy"] == "https-only"


def test_stock_is_cached_at_the_edge_for_a_few_seconds_keyed_on_its_skus() -> None:
    behavior = behavior_for("/api/stock")
    assert behavior["TargetOriginId"] == "api"
    assert behavior["CachePolicyId"] == {"Ref": "StockCachePolicy"}
    policy = RESOURCES["StockCachePolicy"]["Properties"]["CachePolicyConfig"]
    assert policy["MinTTL"] == 0
    assert 1 <= policy["DefaultTTL"] <= policy["MaxTTL"] <= 10
    key = policy["ParametersInCacheKeyAndForwardedToOrigin"]
    # Only `sku`: any other parameter (a random one) would make every request a miss
    assert key["QueryStringsConfig"] == {
        "QueryStringBehavior": "whitelist",
        "QueryStrings": ["sku"],
    }
    assert key["CookiesConfig"] == {"CookieBehavior": "none"}  # one cache entry for all


def test_pages_come_from_the_bucket_over_https_with_pretty_urls() -> None:
    behavior = behavior_for("/products/trail-shoe/")
    assert behavior["TargetOriginId"] == "site"
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    (association,) = behavior["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    assert association["FunctionARN"]["Fn::GetAtt"][0] == "PrettyUrlsFunction"
    code = RESOURCES["PrettyUrlsFunction"]["Properties"]["FunctionCode"]
    assert "'index.html'" in code
    assert "statusCode: 301" in code


def test_pages_stay_at_the_edge_until_deploy_invalidates_them_whatever_the_query() -> None:
    assert behavior_for("/")["CachePolicyId"] == {"Ref": "SiteCachePolicy"}
    policy = RESOURCES["SiteCachePolicy"]["Properties"]["CachePolicyConfig"]
    assert policy["MinTTL"] >= 3600
    key = policy["ParametersInCacheKeyAndForwardedToOrigin"]
    assert key["QueryStringsConfig"] == {"QueryStringBehavior": "none"}
    assert key["CookiesConfig"] == {"CookieBehavior": "none"}
    assert key["EnableAcceptEncodingBrotli"] is True


def test_distribution_speaks_http2_and_http3_compresses_and_shows_the_custom_404() -> None:
    assert DISTRIBUTION["HttpVersion"] == "http2and3"
    assert DISTRIBUTION["IPV6Enabled"] is True
    assert DISTRIBUTION["DefaultCacheBehavior"]["Compress"] is True
    assert all(b["Compress"] is True for b in DISTRIBUTION["CacheBehaviors"])
    (error,) = DISTRIBUTION["CustomErrorResponses"]
    # S3 without ListBucket says 403 for a missing key: the shopper sees a real 404.
    assert error == {
        "ErrorCode": 403,
        "ResponseCode": 404,
        "ResponsePagePath": "/404.html",
        "ErrorCachingMinTTL": 60,
    }


def test_custom_domain_uses_an_sni_certificate_with_modern_tls() -> None:
    certificate = DISTRIBUTION["ViewerCertificate"]["Fn::If"]
    assert certificate[0] == "HasDomain"
    assert certificate[1]["SslSupportMethod"] == "sni-only"
    assert certificate[1]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert "us-east-1" in TEMPLATE["Parameters"]["CertificateArn"]["AllowedPattern"]


# ------------------------------------------------------------------ HTTP API


def test_api_is_throttled() -> None:
    settings = RESOURCES["HttpApiStage"]["Properties"]["DefaultRouteSettings"]
    assert settings["ThrottlingRateLimit"] == {"Ref": "ApiRateLimit"}
    assert settings["ThrottlingBurstLimit"] == {"Ref": "ApiBurstLimit"}
    assert "AccessLogSettings" in RESOURCES["HttpApiStage"]["Properties"]


def _routes() -> dict[str, str]:
    """Route key -> handler of the function it invokes."""
    routes: dict[str, str] = {}
    for route in resources_of_type(TEMPLATE, "AWS::ApiGatewayV2::Route").values():
        target = route["Properties"]["Target"]["Fn::Sub"]
        integration = RESOURCES[target.removeprefix("integrations/${").rstrip("}")]
        function = integration["Properties"]["IntegrationUri"]["Fn::GetAtt"][0]
        assert integration["Properties"]["PayloadFormatVersion"] == "2.0"
        routes[route["Properties"]["RouteKey"]] = FUNCTIONS[function]["Properties"]["Handler"]
    return routes


def test_api_routes_reach_the_handlers_of_the_architecture() -> None:
    assert _routes() == {
        "ANY /api/cart": "cart.app.handler",
        "ANY /api/cart/{proxy+}": "cart.app.handler",
        "GET /api/stock": "stock.app.handler",
        "POST /api/checkout": "checkout.app.handler",
        "GET /api/orders/{order_id}": "orders.app.handler",
        "GET /api/orders/session/{session_id}": "orders.app.handler",
        "POST /api/stripe/webhook": "stripe_webhook.app.handler",
        "$default": "not_found.app.handler",
    }


def test_api_routes_agree_with_the_shared_route_table_both_ways() -> None:
    from shop.routes import API_ROUTES, DEFAULT_ROUTE_MODULE, handler_module_for

    routes = _routes()
    assert routes.pop("$default") == f"{DEFAULT_ROUTE_MODULE}.handler"
    declared = {key.split(" ", 1)[1]: handler for key, handler in routes.items()}
    for path, handler in declared.items():
        concrete = re.sub(r"\{[^}]+\}", "x", path)
        assert f"{handler_module_for(concrete)}.handler" == handler, path
    for prefix, module in API_ROUTES:
        served = {h for p, h in declared.items() if p == prefix or p.startswith(prefix + "/")}
        assert served == {f"{module}.handler"}, prefix


# ------------------------------------------------------------------ DynamoDB


@pytest.mark.parametrize(
    "table", ["CartsTable", "InventoryTable", "ReservationsTable", "OrdersTable"]
)
def test_table_is_on_demand_with_point_in_time_recovery(table: str) -> None:
    properties = RESOURCES[table]["Properties"]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}


def test_carts_expire_by_ttl_and_held_reservations_never_do() -> None:
    assert RESOURCES["CartsTable"]["Properties"]["TimeToLiveSpecification"] == {
        "AttributeName": "expires_at",
        "Enabled": True,
    }
    # TTL would delete a held reservation without returning its stock.
    assert "TimeToLiveSpecification" not in RESOURCES["ReservationsTable"]["Properties"]


def test_sweeper_index_is_status_then_expiry() -> None:
    (index,) = RESOURCES["ReservationsTable"]["Properties"]["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "status-expires_at"
    assert [k["AttributeName"] for k in index["KeySchema"]] == ["status", "expires_at"]


@pytest.mark.parametrize("table", ["InventoryTable", "OrdersTable", "ReservationsTable"])
def test_stock_orders_and_reservations_survive_stack_deletion(table: str) -> None:
    assert RESOURCES[table]["DeletionPolicy"] == "Retain"
    assert RESOURCES[table]["UpdateReplacePolicy"] == "Retain"
    assert RESOURCES[table]["Properties"]["DeletionProtectionEnabled"] is True


def test_orders_stream_new_images_into_the_email_function_with_retries_and_a_dlq() -> None:
    stream = RESOURCES["OrdersTable"]["Properties"]["StreamSpecification"]
    assert stream == {"StreamViewType": "NEW_IMAGE"}
    (event,) = FUNCTIONS["OrderEmailsFunction"]["Properties"]["Events"].values()
    assert event["Type"] == "DynamoDB"
    source = event["Properties"]
    assert source["Stream"] == {"Fn::GetAtt": ["OrdersTable", "StreamArn"]}
    assert 1 <= source["MaximumRetryAttempts"] <= 10
    assert source["BisectBatchOnFunctionError"] is True
    # One email per invocation: several slow SES sends outlasted the 30 s timeout.
    assert source["BatchSize"] == 1
    assert source["DestinationConfig"]["OnFailure"] == {
        "Type": "SQS",
        "Destination": {"Fn::GetAtt": ["EmailDeadLetterQueue", "Arn"]},
    }


def test_an_email_claim_goes_stale_only_after_the_attempt_holding_it_was_stopped() -> None:
    # A retry takes over an email whose sender died mid-send once its claim is stale;
    # never while that sender may still be running (it would send the email twice).
    timeout = FUNCTIONS["OrderEmailsFunction"]["Properties"]["Timeout"]
    assert 2 * timeout <= CLAIM_TIMEOUT_SECONDS


def test_sweeper_runs_on_a_schedule() -> None:
    (event,) = FUNCTIONS["SweeperFunction"]["Properties"]["Events"].values()
    assert event["Type"] == "Schedule"
    assert event["Properties"]["Schedule"] == {"Ref": "SweepSchedule"}
    assert re.fullmatch(r"rate\(\d+ minutes?\)", TEMPLATE["Parameters"]["SweepSchedule"]["Default"])


def test_availability_feed_is_rewritten_hourly_into_the_site_bucket() -> None:
    function = FUNCTIONS["FeedAvailabilityFunction"]["Properties"]
    assert function["Handler"] == "feed_availability.app.handler"
    assert function["Environment"]["Variables"]["SITE_BUCKET"] == {"Ref": "SiteBucket"}
    (event,) = function["Events"].values()
    assert event["Type"] == "Schedule"
    assert event["Properties"]["Schedule"] == {"Ref": "FeedAvailabilitySchedule"}
    assert TEMPLATE["Parameters"]["FeedAvailabilitySchedule"]["Default"] == "rate(1 hour)"


def test_the_availability_feed_is_not_kept_at_the_edge_past_its_own_cache_control() -> None:
    # The site policy keeps objects a day whatever their max-age; the function's
    # hourly rewrite is not followed by an invalidation, so this path needs its own.
    behavior = behavior_for("/feeds/availability.xml")
    assert behavior["TargetOriginId"] == "site"
    assert behavior["CachePolicyId"] == {"Ref": "AvailabilityFeedCachePolicy"}
    assert behavior["ResponseHeadersPolicyId"] == {"Ref": "SecurityHeadersPolicy"}
    assert behavior["AllowedMethods"] == ["GET", "HEAD"]
    policy = RESOURCES["AvailabilityFeedCachePolicy"]["Properties"]["CachePolicyConfig"]
    assert policy["MinTTL"] == 0
    assert policy["DefaultTTL"] <= policy["MaxTTL"] <= 300
    # The primary feeds stay on the site policy: only deploy changes them.
    assert behavior_for("/feeds/products.xml")["CachePolicyId"] == {"Ref": "SiteCachePolicy"}


# ------------------------------------------------------------------ functions


def test_functions_are_python_311_or_newer_on_arm64_traced_from_the_functions_folder() -> None:
    settings = TEMPLATE["Globals"]["Function"]
    version = re.fullmatch(r"python3\.(\d+)", settings["Runtime"])
    assert version is not None
    assert int(version.group(1)) >= 11
    assert settings["Architectures"] == ["arm64"]
    assert settings["Tracing"] == "Active"
    assert settings["CodeUri"] == "../functions/"
    for function in FUNCTIONS.values():
        assert not {"Runtime", "Architectures", "CodeUri", "Tracing"} & set(function["Properties"])


@pytest.mark.parametrize("function_name", sorted(FUNCTIONS))
def test_function_logs_to_its_own_group_with_retention(function_name: str) -> None:
    log_group = FUNCTIONS[function_name]["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
    properties = RESOURCES[log_group]["Properties"]
    assert properties["RetentionInDays"] == {"Ref": "LogRetentionInDays"}
    assert function_name.removesuffix("Function") == log_group.removesuffix("LogGroup")


def test_every_function_has_error_and_throttle_alarms_and_the_dlq_has_one() -> None:
    alarms = resources_of_type(TEMPLATE, "AWS::CloudWatch::Alarm").values()
    watched: set[tuple[str, str]] = set()
    for alarm in alarms:
        properties = alarm["Properties"]
        assert properties["AlarmActions"] == [{"Ref": "AlarmTopic"}]
        for dimension in properties.get("Dimensions", []):  # SES's are account-wide
            value = dimension["Value"]
            if isinstance(value, dict):
                name = value["Ref"] if "Ref" in value else value["Fn::GetAtt"][0]
                watched.add((properties["MetricName"], name))
    for function_name in FUNCTIONS:
        assert ("Errors", function_name) in watched
        assert ("Throttles", function_name) in watched
    # Each message parked raises it again: one on the queue's depth stays in ALARM for
    # the 14 days parked messages are kept, silent on every later failure.
    assert ("NumberOfMessagesSent", "EmailDeadLetterQueue") in watched


@pytest.mark.parametrize(
    ("function_name", "hours"), [("SweeperFunction", 1), ("FeedAvailabilityFunction", 3)]
)
def test_a_scheduled_function_that_stops_running_raises_an_alarm(
    function_name: str, hours: int
) -> None:
    # Never invoked (its rule disabled, its permission lost), it raises no error at all.
    (alarm,) = [
        a["Properties"]
        for a in resources_of_type(TEMPLATE, "AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("MetricName") == "Invocations"
        and a["Properties"]["Dimensions"]
        == [{"Name": "FunctionName", "Value": {"Ref": function_name}}]
    ]
    assert alarm["ComparisonOperator"] == "LessThanThreshold"
    assert alarm["Threshold"] == 1
    assert alarm["Period"] * alarm["EvaluationPeriods"] == hours * 3600
    assert alarm["TreatMissingData"] == "breaching"  # no datapoint is what a stop looks like


def test_outputs_give_the_site_and_webhook_urls_and_what_deploy_reads() -> None:
    outputs = TEMPLATE["Outputs"]
    assert {
        "SiteUrl",
        "WebhookUrl",
        "SiteBucketName",
        "DistributionId",
        "CatalogS3Uri",
        "InventoryTableName",
    } <= set(outputs)
    for branch in outputs["WebhookUrl"]["Value"]["Fn::If"][1:]:
        assert branch["Fn::Sub"].endswith("/api/stripe/webhook")


def test_processed_stripe_event_ids_expire_from_the_orders_table() -> None:
    # order_items.py writes expires_at on EVENT# items only, for 30 days.
    assert RESOURCES["OrdersTable"]["Properties"]["TimeToLiveSpecification"] == {
        "AttributeName": "expires_at",
        "Enabled": True,
    }


def test_alarms_can_publish_to_their_topic() -> None:
    # CloudWatch cannot use the AWS-managed alias/aws/sns key: with it, no alarm is delivered.
    assert "KmsMasterKeyId" not in RESOURCES["AlarmTopic"].get("Properties", {})


def test_traces_never_record_responses_or_errors() -> None:
    variables = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["POWERTOOLS_TRACER_CAPTURE_RESPONSE"] == "false"
    assert variables["POWERTOOLS_TRACER_CAPTURE_ERROR"] == "false"


def test_order_emails_falling_behind_raise_an_alarm_before_the_dead_letter_queue() -> None:
    alarm = RESOURCES["OrderEmailsBehindAlarm"]["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", "IteratorAge")
    assert alarm["Dimensions"] == [
        {"Name": "FunctionName", "Value": {"Ref": "OrderEmailsFunction"}}
    ]
    assert alarm["Statistic"] == "Maximum"
    # Well before the stream's 6-hour limit sends the events to the dead-letter queue.
    stream = FUNCTIONS["OrderEmailsFunction"]["Properties"]["Events"]["OrdersStream"]
    assert alarm["Threshold"] < stream["Properties"]["MaximumRecordAgeInSeconds"] * 1000


@pytest.mark.parametrize(
    ("name", "metric", "review_level"),
    [
        ("EmailBounceRateAlarm", "Reputation.BounceRate", 0.05),
        ("EmailComplaintRateAlarm", "Reputation.ComplaintRate", 0.001),
    ],
)
def test_ses_reputation_alarms_warn_before_ses_reviews_the_account(
    name: str, metric: str, review_level: float
) -> None:
    alarm = RESOURCES[name]["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/SES", metric)
    assert "Dimensions" not in alarm  # SES publishes them for the account
    assert 0 < alarm["Threshold"] < review_level
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_webhook_refusals_raise_an_alarm() -> None:
    alarm = RESOURCES["StripeWebhookRefusedAlarm"]["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("Storefront", "WebhookRejected")
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "stripe-webhook"}]
    assert alarm["Threshold"] == 1


def test_a_single_failed_api_request_raises_an_alarm() -> None:
    # The HTTP functions answer their own failures (500/503), which Lambda counts as
    # successes: the API's 5xx count is the only place they show, and a webhook failing
    # every event is retried by Stripe hours apart, never five times in 5 minutes.
    alarm = RESOURCES["ApiServerErrorsAlarm"]["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/ApiGateway", "5xx")
    assert alarm["Threshold"] == 1
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"


def test_reservations_the_sweeper_cannot_release_raise_an_alarm() -> None:
    alarm = RESOURCES["ReservationReleaseFailedAlarm"]["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("Storefront", "ReservationReleaseFailed")
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "sweeper"}]


def test_an_order_recorded_with_flags_raises_an_alarm_wherever_it_was_recorded() -> None:
    # A shopper paid for units the shop may not have (stock short, paid after release):
    # counted as OrderNeedsAttention by each function that records orders.
    alarm = RESOURCES["OrderNeedsAttentionAlarm"]["Properties"]
    stats = [m["MetricStat"] for m in alarm["Metrics"] if "MetricStat" in m]
    assert {(s["Metric"]["Namespace"], s["Metric"]["MetricName"]) for s in stats} == {
        ("Storefront", "OrderNeedsAttention")
    }
    services = {s["Metric"]["Dimensions"][0]["Value"] for s in stats}
    recording = {
        FUNCTIONS[name]["Properties"]["Environment"]["Variables"]["POWERTOOLS_SERVICE_NAME"]
        for name in ("StripeWebhookFunction", "SweeperFunction", "OrdersFunction")
    }
    assert services == recording
    [total] = [m for m in alarm["Metrics"] if m.get("ReturnData")]
    assert all(f"FILL({m['Id']}, 0)" in total["Expression"] for m in alarm["Metrics"][:3])
    assert alarm["Threshold"] == 1
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_holds_the_webhook_released_without_their_stock_row_raise_an_alarm() -> None:
    # The sweeper counts these in its own alarm; a hold Stripe's `expired` event
    # released is counted by the webhook under the outcome's name (Webhook_<outcome>).
    alarm = RESOURCES["WebhookReleasedUncountedAlarm"]["Properties"]
    metric = f"Webhook_{Outcome.RELEASED_UNCOUNTED}"
    assert (alarm["Namespace"], alarm["MetricName"]) == ("Storefront", metric)
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "stripe-webhook"}]
    assert alarm["Threshold"] == 1
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_changing_secrets_version_reconfigures_every_function() -> None:
    # Secrets are read once per container and `sam deploy` with nothing changed changes
    # nothing: this parameter is how an operator makes every function read them anew.
    variables = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["SECRETS_VERSION"] == {"Ref": "SecretsVersion"}
    for name, function in FUNCTIONS.items():
        own = function["Properties"].get("Environment", {}).get("Variables", {})
        assert "SECRETS_VERSION" not in own, name  # none overrides the global one
    samconfig = (ROOT / "infra" / "samconfig.toml").read_text(encoding="utf-8")
    assert '"SecretsVersion=1"' in samconfig


def test_a_deploy_without_anyone_to_tell_of_alarms_is_refused_unless_on_purpose() -> None:
    # An empty AlarmEmail (the committed example's) sent every alarm to a topic no one
    # read: the deploy is refused; "none" opts out explicitly and subscribes no one.
    (assertion,) = TEMPLATE["Rules"]["AlarmsReachSomeone"]["Assertions"]
    assert assertion["Assert"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]}
    assert "AlarmEmail" in assertion["AssertDescription"]
    condition = TEMPLATE["Conditions"]["HasAlarmEmail"]["Fn::And"]
    assert {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, "none"]}]} in condition
    assert RESOURCES["AlarmEmailSubscription"]["Condition"] == "HasAlarmEmail"
