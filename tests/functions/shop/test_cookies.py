"""The cart cookie: random ids, strict parsing, the required attributes."""

from __future__ import annotations

import pytest
from shop.cart import new_cart_id
from shop.cookies import cart_cookie, cart_id_from_cookies, is_cart_id


def test_new_ids_are_32_hex_chars_and_distinct() -> None:
    ids = {new_cart_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(is_cart_id(value) for value in ids)


def test_set_cookie_has_every_required_attribute() -> None:
    cart_id = "0123456789abcdef0123456789abcdef"
    assert str(cart_cookie(cart_id)) == (
        f"cart_id={cart_id}; Path=/; Max-Age=2592000; HttpOnly; Secure; SameSite=Lax"
    )


def test_id_is_read_from_v2_cookie_strings() -> None:
    cart_id = "0123456789abcdef0123456789abcdef"
    assert cart_id_from_cookies(["theme=dark", f"cart_id={cart_id}"]) == cart_id


@pytest.mark.parametrize(
    "value",
    [
        "0123456789ABCDEF0123456789ABCDEF",  # uppercase
        "0123456789abcdef",  # too short
        "0123456789abcdef0123456789abcdef0",  # too long
        "../../etc/passwd",
        "0123456789abcdef0123456789abcdeg",
        "",
    ],
)
def test_malformed_ids_are_ignored(value: str) -> None:
    assert cart_id_from_cookies([f"cart_id={value}"]) is None


def test_no_cookies_means_no_cart() -> None:
    assert cart_id_from_cookies(None) is None


def test_refuses_to_set_a_malformed_id() -> None:
    with pytest.raises(ValueError, match="32 lowercase hex"):
        cart_cookie("not-an-id")
