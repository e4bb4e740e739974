"""HTTP ⇄ API Gateway HTTP API payload 2.0: the events match AWS's shape, results map back."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.shared.cookies import Cookie
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2
from aws_lambda_powertools.utilities.parser.models import APIGatewayProxyEventV2Model

from storefront.devserver.apigw import InvalidResultError, from_result, to_event
from storefront.devserver.http import Request


def make_request(**overrides: Any) -> Request:
    """A browser-like request; override any field."""
    fields: dict[str, Any] = {
        "method": "GET",
        "target": "/api/cart",
        "headers": (("Host", "localhost:8000"), ("User-Agent", "pytest")),
        "body": b"",
        "source_ip": "127.0.0.1",
    }
    fields.update(overrides)
    return Request(**fields)


def test_event_validates_against_powertools_v2_model() -> None:
    event = to_event(
        make_request(
            method="post",
            target="/api/cart/items?locale=fr",
            headers=(
                ("Host", "localhost"),
                ("Content-Type", "application/json"),
                ("Cookie", "a=1"),
            ),
            body=b'{"sku": "TEE-M", "quantity": 1}',
        )
    )
    model = APIGatewayProxyEventV2Model.model_validate(event)
    assert model.routeKey == "$default"
    assert model.requestContext.http.method == "POST"
    assert model.requestContext.http.path == "/api/cart/items"
    assert str(model.requestContext.http.sourceIp) in ("127.0.0.1", "127.0.0.1/32")
    assert model.requestContext.stage == "$default"


def test_headers_are_lowercased_and_repeats_joined_with_commas() -> None:
    event = to_event(make_request(headers=(("X-Thing", "a"), ("x-thing", "b"), ("Accept", "*/*"))))
    assert event["headers"] == {"x-thing": "a,b", "accept": "*/*"}


def test_cookie_header_moves_to_cookies_list_and_leaves_headers() -> None:
    event = to_event(
        make_request(headers=(("Cookie", "cart_id=abc; theme=dark"), ("Cookie", "x=1")))
    )
    assert event["cookies"] == ["cart_id=abc", "theme=dark", "x=1"]
    assert "cookie" not in event["headers"]
    assert APIGatewayProxyEventV2(event).cookies == ["cart_id=abc", "theme=dark", "x=1"]


def test_query_is_kept_raw_and_repeated_parameters_joined() -> None:
    event = to_event(make_request(target="/api/stock?sku=A&sku=B&locale=fr&empty="))
    assert event["rawQueryString"] == "sku=A&sku=B&locale=fr&empty="
    assert event["queryStringParameters"] == {"sku": "A,B", "locale": "fr", "empty": ""}


def test_absent_parts_are_absent_like_api_gateway_sends_them() -> None:
    event = to_event(make_request(headers=(("Host", "localhost"),)))
    assert "cookies" not in event
    assert "queryStringParameters" not in event
    assert "body" not in event
    assert event["rawQueryString"] == ""
    assert event["isBase64Encoded"] is False


def test_json_body_arrives_as_text() -> None:
    body = '{"note": "é"}'.encode()
    event = to_event(
        make_request(method="POST", headers=(("content-type", "application/json"),), body=body)
    )
    assert event["isBase64Encoded"] is False
    assert event["body"] == '{"note": "é"}'


def test_form_and_binary_bodies_arrive_base64_encoded() -> None:
    form = to_event(
        make_request(
            method="POST",
            headers=(("Content-Type", "application/x-www-form-urlencoded"),),
            body=b"sku=TEE-M&quantity=2",
        )
    )
    assert form["isBase64Encoded"] is True
    assert APIGatewayProxyEventV2(form).decoded_body == "sku=TEE-M&quantity=2"
    binary = to_event(make_request(method="POST", body=b"\xff\x00\x01"))
    assert base64.b64decode(binary["body"]) == b"\xff\x00\x01"


def test_result_cookies_become_one_set_cookie_header_each() -> None:
    response = from_result(
        {
            "statusCode": 201,
            "headers": {"Content-Type": "application/json"},
            "cookies": ["cart_id=abc; Path=/; HttpOnly", "other=1"],
            "body": '{"ok": true}',
        }
    )
    assert response.status == 201
    assert [v for k, v in response.headers if k == "Set-Cookie"] == [
        "cart_id=abc; Path=/; HttpOnly",
        "other=1",
    ]
    assert response.body == b'{"ok": true}'


def test_base64_result_body_is_decoded() -> None:
    data = b"\x89PNG\r\n"
    response = from_result(
        {"statusCode": 200, "isBase64Encoded": True, "body": base64.b64encode(data).decode()}
    )
    assert response.body == data


def test_result_without_status_code_is_sent_as_json_200() -> None:
    response = from_result({"hello": "world"})
    assert response.status == 200
    assert response.header("content-type") == "application/json"
    assert json.loads(response.body) == {"hello": "world"}


@pytest.mark.parametrize("status", ["200", 99, True, 600])
def test_invalid_status_code_is_rejected_naming_the_field(status: object) -> None:
    with pytest.raises(InvalidResultError, match="statusCode"):
        from_result({"statusCode": status, "body": ""})


def test_round_trip_through_a_powertools_http_resolver() -> None:
    # Given a Powertools app like the functions use
    app = APIGatewayHttpResolver()

    @app.post("/api/echo")
    def echo() -> Response[str]:
        event = app.current_event
        body = json.dumps({"cookies": event.cookies, "sku": event.json_body["sku"]})
        return Response(
            200, "application/json", body, cookies=[Cookie("cart_id", "f00", http_only=True)]
        )

    # When a browser request goes through the translation both ways
    request = make_request(
        method="POST",
        target="/api/echo",
        headers=(("Content-Type", "application/json"), ("Cookie", "cart_id=abc")),
        body=b'{"sku": "TEE-M"}',
    )
    no_context: Any = {}  # the resolver only passes it through
    response = from_result(app.resolve(to_event(request), no_context))

    # Then the handler saw the cookie and body, and its cookie came back as Set-Cookie
    assert response.status == 200
    assert json.loads(response.body) == {"cookies": ["cart_id=abc"], "sku": "TEE-M"}
    assert response.header("set-cookie") == "cart_id=f00; HttpOnly; Secure"
