"""The rule behind the cross-origin refusal (shop.lambda_app): which Origin names the shop."""

from __future__ import annotations

import pytest
from shop.lambda_app import STATE_CHANGING_METHODS, is_same_origin, origin_of

SITE = "https://shop.example.com"
API_HOST = "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://shop.example.com", SITE),
        ("https://Shop.Example.COM/", SITE),
        ("HTTPS://shop.example.com:443/fr/cart/?x=1#top", SITE),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://localhost:80", "http://localhost"),
        ("https://shop.example.com:8443", "https://shop.example.com:8443"),
        ("http://[::1]:8000/", "http://[::1]:8000"),
        ("", ""),
        ("shop.example.com", ""),
        ("https://", ""),
    ],
)
def test_origin_of_a_url_is_scheme_host_and_port_as_a_browser_writes_it(
    url: str, origin: str
) -> None:
    assert origin_of(url) == origin


@pytest.mark.parametrize(
    "origin",
    [SITE, "https://SHOP.example.com", "https://shop.example.com:443"],
)
def test_the_shops_own_origin_is_accepted(origin: str) -> None:
    assert is_same_origin(origin, SITE, API_HOST)


@pytest.mark.parametrize(
    "origin",
    [
        "null",
        "",
        "https://evil.example",
        "http://shop.example.com",  # same host, another scheme
        "https://shop.example.com:8443",
        "https://shop.example.com.evil.example",
        "https://evil.example/https://shop.example.com",
        "https://shop.example.com,https://evil.example",  # a repeated header, joined
        "shop.example.com",
    ],
)
def test_anything_else_is_refused(origin: str) -> None:
    assert not is_same_origin(origin, SITE, API_HOST)


def test_the_host_the_request_was_sent_to_vouches_for_a_matching_origin() -> None:
    # The local shop under another of its names; a browser sets Host itself.
    assert is_same_origin("http://127.0.0.1:8000", "http://localhost:8000", "127.0.0.1:8000")
    assert is_same_origin("https://shop.example.com", "", "shop.example.com:443")
    assert not is_same_origin("http://127.0.0.1:8000", "http://localhost:8000", "localhost:8000")
    assert not is_same_origin("null", "", "null")
    assert not is_same_origin("chrome-extension://abc", "", "abc")


def test_without_site_url_only_the_host_rule_is_left() -> None:
    assert not is_same_origin(SITE, "", API_HOST)
    assert not is_same_origin(SITE, "", "")


def test_only_writes_are_checked() -> None:
    assert frozenset({"POST", "PUT", "PATCH", "DELETE"}) == STATE_CHANGING_METHODS
