"""Erasing a shopper's personal data from an order keeps the accounts (pure domain)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from shop.money import Money
from shop.order_view import check_access
from shop.orders import (
    Address,
    EmailKind,
    Order,
    OrderNotFoundError,
    OrderStatus,
    Tracking,
    correct_tracking,
    refund,
    ship,
    transition,
)
from shop.personal_data import (
    ERASED_NOTE,
    ErasureRefusedError,
    email_to_send,
    erase_personal_data,
)

from tests.functions.orders.test_order_rules import AT, make_order

LATER = "2027-01-05T10:00:00+00:00"
HOME = Address("Claire Martin", "3 rue Royale", "Bât. B", "74000", "Annecy", "", "FR")


def delivered_after_a_corrected_tracking_and_partly_refunded() -> Order:
    order = replace(make_order(), email="claire@example.org", address=HOME)
    order = ship(order, Tracking("Colissimo", "6A123"), AT)
    order = correct_tracking(order, Tracking("Colissimo", "6A124"), AT)
    order = transition(order, OrderStatus.DELIVERED, AT)
    return refund(order, Money(1000, "EUR"), AT)


def test_erasure_removes_the_person_and_keeps_the_books() -> None:
    order = delivered_after_a_corrected_tracking_and_partly_refunded()

    erased = erase_personal_data(order, LATER)

    assert (erased.email, erased.address) == ("", Address(country="FR"))
    assert erased.tracking == Tracking("Colissimo", "")
    assert "6A12" not in repr(erased)
    notes = [entry.note for entry in erased.history]
    assert notes == ["", "", "", "partial_refund:1000", ERASED_NOTE]
    assert (erased.cart_id, erased.access_token) == ("", "")  # links to the cart and page
    assert erased.history[-1].at == erased.erased_at == LATER
    kept = ("order_id", "number", "lines", "total", "refunded", "status", "created_at", "shipping")
    for name in kept:
        assert getattr(erased, name) == getattr(order, name), name


@pytest.mark.parametrize(
    ("status", "why"),
    [
        (OrderStatus.PAID, "its address is still needed to send it"),
        (OrderStatus.PREPARING, "its address is still needed to send it"),
        (OrderStatus.SHIPPED, "its tracking number may still be needed to find the parcel"),
        (OrderStatus.CANCELLED, "its shopper is still owed the payment back; refund it first"),
    ],
)
def test_an_order_not_over_keeps_its_shoppers_data(status: OrderStatus, why: str) -> None:
    with pytest.raises(ErasureRefusedError, match=f"it is {status}: {why}"):
        erase_personal_data(make_order(status), LATER)


def test_an_order_is_erased_once() -> None:
    erased = erase_personal_data(make_order(OrderStatus.DELIVERED), LATER)
    with pytest.raises(ErasureRefusedError, match=re.escape(f"already erased on {LATER}")):
        erase_personal_data(erased, LATER)


def test_an_erased_order_sends_no_email_and_its_page_is_not_found() -> None:
    order = make_order(OrderStatus.REFUNDED)
    erased = erase_personal_data(order, LATER)

    assert email_to_send(order, EmailKind.REFUND) is EmailKind.REFUND
    assert email_to_send(erased, EmailKind.REFUND) is None
    assert check_access(order, "1001", "t") is order
    with pytest.raises(OrderNotFoundError):
        check_access(erased, "1001", "t")
