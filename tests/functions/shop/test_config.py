"""Typed configuration from the environment."""

from __future__ import annotations

import pytest
from shop.config import load_config, require
from shop.errors import ConfigError


def test_reads_tables_and_catalog_path() -> None:
    config = load_config(
        {"CATALOG_PATH": "/opt/catalog.json", "CARTS_TABLE": "carts", "AWS_REGION": "eu-west-3"}
    )
    assert (config.catalog_path, config.carts_table, config.region) == (
        "/opt/catalog.json",
        "carts",
        "eu-west-3",
    )
    assert config.cart_limits.max_line_quantity == 10


def test_requires_a_catalog_source() -> None:
    with pytest.raises(ConfigError, match="CATALOG_PATH or CATALOG_S3_URI"):
        load_config({})


def test_refuses_a_catalog_uri_that_is_not_s3() -> None:
    with pytest.raises(ConfigError, match="s3://bucket/key"):
        load_config({"CATALOG_S3_URI": "https://bucket/key"})


def test_cart_limits_are_configurable_and_checked() -> None:
    config = load_config({"CATALOG_PATH": "x", "CART_MAX_LINE_QUANTITY": "3"})
    assert config.cart_limits.max_line_quantity == 3
    with pytest.raises(ConfigError, match="CART_MAX_QUANTITY: expected a positive integer"):
        load_config({"CATALOG_PATH": "x", "CART_MAX_QUANTITY": "-2"})


def test_a_cart_longer_than_one_order_transaction_can_record_is_refused() -> None:
    # 7 items of the order's own plus one per line: past 93 lines, paid, never recorded.
    assert (
        load_config({"CATALOG_PATH": "c.json", "CART_MAX_LINES": "93"}).cart_limits.max_lines == 93
    )
    with pytest.raises(ConfigError) as caught:
        load_config({"CATALOG_PATH": "c.json", "CART_MAX_LINES": "94"})
    assert str(caught.value) == (
        "environment CART_MAX_LINES: expected at most 93 (an order is recorded in one DynamoDB "
        "transaction of at most 100 items), got 94"
    )


def test_require_names_the_missing_variable() -> None:
    with pytest.raises(ConfigError, match="INVENTORY_TABLE"):
        require("", "INVENTORY_TABLE")


def test_the_hold_allowance_defaults_to_100_units_and_0_turns_it_off() -> None:
    assert load_config({"CATALOG_PATH": "x"}).hold_allowance.units == 100
    off = load_config({"CATALOG_PATH": "x", "HOLD_UNITS_PER_VIEWER": "0"}).hold_allowance
    assert (off.units, off.capped) == (0, False)
    with pytest.raises(ConfigError, match=r'HOLD_UNITS_PER_VIEWER.*at least 0, got "-5"'):
        load_config({"CATALOG_PATH": "x", "HOLD_UNITS_PER_VIEWER": "-5"})


def test_the_origin_secret_is_optional() -> None:
    assert load_config({"CATALOG_PATH": "x"}).origin_secret is None
    config = load_config({"CATALOG_PATH": "x", "CLOUDFRONT_ORIGIN_SECRET": " abc "})
    assert config.origin_secret == "abc"


def test_a_hold_allowance_smaller_than_a_full_cart_is_refused() -> None:
    # It would refuse a full cart for good while telling its shopper to try again later.
    with pytest.raises(ConfigError, match="at least a full cart's 50 units"):
        load_config({"CATALOG_PATH": "x", "HOLD_UNITS_PER_VIEWER": "49"})
    small_carts = {"CATALOG_PATH": "x", "CART_MAX_QUANTITY": "3", "HOLD_UNITS_PER_VIEWER": "3"}
    assert load_config(small_carts).hold_allowance.units == 3
