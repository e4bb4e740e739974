"""Whatever a client sends, the cart API answers a documented 4xx or 200, never a 5xx."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.functions.shop.api import assert_matches_openapi, invoke, make_event

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

pytestmark = [
    pytest.mark.filterwarnings("ignore:No application metrics:UserWarning"),
    pytest.mark.slow,
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
skus = st.sampled_from(["TRS-42-BLK", "SOCK-M", "CAP-1", "GAIT-0", "NOPE-1"]) | st.text(max_size=12)
add_bodies = st.one_of(
    st.fixed_dictionaries({"sku": skus, "quantity": json_values | st.integers(-5, 60)}),
    st.dictionaries(st.sampled_from(["sku", "quantity", "price", "cart_id"]), json_values),
    json_values,
).map(json.dumps) | st.text(max_size=40)

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(body=add_bodies)
def test_any_add_body_gets_a_documented_answer(api_env: DynamoDBClient, body: str) -> None:
    result = invoke("cart.app", make_event("cart_add_item.json", cookies=None, body=body))
    assert result.status < 500
    assert_matches_openapi("POST", "/api/cart/items", result)


@FUZZ
@given(
    sku=st.text(alphabet=st.characters(codec="ascii", exclude_characters="/?#"), max_size=20),
    quantity=json_values,
)
def test_any_patch_gets_a_documented_answer(
    api_env: DynamoDBClient, sku: str, quantity: Any
) -> None:
    event = make_event(
        "cart_patch_item.json",
        body=json.dumps({"quantity": quantity}),
        path=f"/api/cart/items/{sku}",
    )
    result = invoke("cart.app", event)
    assert result.status < 500
    if result.status != 404 or result.error_code != "not_found":  # paths the spec has no route for
        assert_matches_openapi("PATCH", "/api/cart/items/{sku}", result)
