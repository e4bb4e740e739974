"""Checkout through the local Stripe stand-in: pay, success page, confirmation email, order link."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from shop.money import Money

from tests.devserver.serve_process import ROOT
from tests.e2e.conftest import Shop, save_screenshots
from tests.e2e.journey import wait_for_email
from tests.e2e.shop_data import Pick, single_sku_product

pytestmark = pytest.mark.e2e


def standard_shipping(snapshot: dict[str, Any], subtotal: int) -> int:
    """What the standard delivery costs for this subtotal, per the catalog."""
    option = next(o for o in snapshot["shipping"]["options"] if o["id"] == "standard")
    free_over = option.get("free_over")
    return 0 if free_over and subtotal >= free_over["amount"] else int(option["price"]["amount"])


def fill_cart(page: Page, pick: Pick, quantity: int) -> None:
    """Put `quantity` of the SKU in this browser's cart through the cart API."""
    response = page.request.post("/api/cart/items", data={"sku": pick.sku, "quantity": quantity})
    assert response.ok, response.text()


def test_pay_through_the_stand_in_and_get_the_confirmation_email(page: Page, shop: Shop) -> None:
    snapshot = shop.snapshot()
    currency = snapshot["store"]["currency"]
    quantity = 2
    # Under the free-shipping threshold, so the email shows a shipping charge too.
    threshold = (snapshot["shipping"]["free_threshold"] or {"amount": 10**9})["amount"]
    pick = single_sku_product(snapshot, below=threshold // quantity)
    subtotal = pick.price * quantity
    shipping = standard_shipping(snapshot, subtotal)
    email_address = f"e2e-{int(time.time() * 1000)}@example.org"

    # Given a cart with two units, checkout opens the stand-in's hosted page
    page.goto("/")
    fill_cart(page, pick, quantity)
    checkout = page.request.post("/api/checkout", data={})
    assert checkout.ok, checkout.text()
    page.goto(checkout.json()["url"])
    expect(page.locator("body")).to_contain_text(pick.title)
    save_screenshots(page, "checkout-stand-in")

    # When the shopper pays with their address
    page.fill('input[name="email"]', email_address)
    page.get_by_role("button", name=re.compile("^Pay")).click()

    # Then they land on the success page...
    expect(page).to_have_url(re.compile(r"/checkout/success/\?session_id=cs_"))
    expect(page.locator("h1")).to_be_visible()
    # ...which shows the order just paid (recorded by the webhook or by this very page),
    # with a link to follow it
    expect(page.locator("[data-order-root] h2")).to_have_text(re.compile(r"^#\d+$"))
    follow = page.get_by_role("link", name="Follow your order")
    expect(follow).to_have_attribute("href", re.compile(r"^/order/\?o=\d+&t=[\w-]+$"))
    save_screenshots(page, "checkout-success")

    # ...and the confirmation email lists the lines and the right totals
    email = wait_for_email(shop, email_address, "confirmed")
    text = email["text"]
    assert email["html"], "the confirmation has an HTML part"
    assert f"{quantity} × {pick.title}" in text
    for amount in (subtotal, shipping, subtotal + shipping):
        assert Money(amount, currency).to_decimal_string() in text, (amount, text)

    # The outbox page shows it as the shopper's mail client would
    page.goto("/_dev/outbox")
    row = page.locator("tr", has_text=email["subject"]).filter(has_text=email_address)
    row.get_by_role("link", name="HTML").click()
    expect(page.locator("body")).to_contain_text(pick.title)
    save_screenshots(page, "email-confirmation")

    # The order status link in the email opens the shopper's order
    link = re.search(r"(https?://\S+/order/\?o=[^&\s]+&t=\S+)", text)
    assert link, text
    path = link.group(1).split("//", 1)[1].split("/", 1)[1]
    order_page = page.goto("/" + path)
    assert order_page is not None
    assert order_page.status == 200
    order_id = re.search(r"o=([^&]+)", path)
    token = re.search(r"t=([^&\s]+)", path)
    assert order_id
    assert token
    order = page.request.get(f"/api/orders/{order_id.group(1)}?t={token.group(1)}")
    assert order.ok, order.text()
    assert str(subtotal + shipping) in order.text()
    # ...rendered for a person: its number once, the lines, labelled totals
    number = order.json()["order"]["number"]
    root = page.locator("[data-order-root]")
    expect(root.locator("h2")).to_have_text(number)
    expect(root).to_contain_text(f"{quantity} × {pick.title}")
    expect(root.locator(".order-totals dt")).to_have_text(
        ["Subtotal", re.compile(r"^Shipping \(.+\)$"), "Total"]  # the option chosen, named
    )
    # a labelled status, and each list under a heading screen readers can jump to
    expect(root.locator(".order-status")).to_have_text("Status: Paid")
    expect(root.locator("h3")).to_have_text(["Items", "History"])
    save_screenshots(page, "order-status")


def test_paying_a_sold_out_cart_is_refused_before_the_stand_in(page: Page, shop: Shop) -> None:
    snapshot = shop.snapshot()
    sold_out = next(e for e in snapshot["skus"].values() if e["initial_stock"] == 0)
    page.goto("/")
    response = page.request.post("/api/cart/items", data={"sku": sold_out["sku"], "quantity": 1})
    if response.ok:
        checkout = page.request.post("/api/checkout", data={})
        assert checkout.status == 409, checkout.text()
        assert sold_out["sku"] in checkout.text()
    else:
        assert response.status == 409, response.text()


def test_merchant_ships_from_the_terminal_and_the_shopper_gets_the_tracking_email(
    page: Page, shop: Shop
) -> None:
    # Given a paid order
    pick = single_sku_product(shop.snapshot())
    email_address = f"ship-{int(time.time() * 1000)}@example.org"
    page.goto("/")
    fill_cart(page, pick, 1)
    page.goto(page.request.post("/api/checkout", data={}).json()["url"])
    page.fill('input[name="email"]', email_address)
    page.get_by_role("button", name=re.compile("^Pay")).click()
    expect(page).to_have_url(re.compile(r"/checkout/success/"))
    confirmation = wait_for_email(shop, email_address, "confirmed")
    number = re.search(r"#(\w+)", confirmation["subject"])
    assert number, confirmation["subject"]

    # When the merchant ships it with the back-office command, in another process
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "orders",
            "ship",
            number.group(1),
            "--carrier",
            "Colissimo",
            "--tracking",
            "6A12345678901",
        ],
        cwd=shop.out_dir.parent,  # where serve runs: .cache/local-aws.json is found there
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    # Then the shopper gets the shipping email with the tracking number
    shipped = wait_for_email(shop, email_address, "on its way")
    assert "6A12345678901" in shipped["text"]
    # and the stand-in's payment was the checkout's own: no flag for a person to check
    shown = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "orders", "show", number.group(1), "--json"],
        cwd=shop.out_dir.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert json.loads(shown.stdout)["flags"] == []


def available(page: Page, sku: str) -> int:
    """Live units available for a SKU, from the stock API."""
    response = page.request.get(f"/api/stock?sku={sku}")
    assert response.ok, response.text()
    return int(response.json()["skus"][sku]["available"])


def test_abandoned_checkout_gives_the_reserved_units_back(page: Page, shop: Shop) -> None:
    pick = single_sku_product(shop.snapshot())
    page.goto("/")
    before = available(page, pick.sku)
    fill_cart(page, pick, 2)

    # Checkout reserves the units for the session's lifetime
    checkout = page.request.post("/api/checkout", data={})
    assert checkout.ok, checkout.text()
    assert available(page, pick.sku) == before - 2

    # The session expires (the stand-in sends checkout.session.expired): units come back
    page.goto(checkout.json()["url"])
    page.get_by_role("button", name=re.compile("expire", re.I)).click()
    expect(page).not_to_have_url(re.compile(r"/_dev/checkout/"))
    assert available(page, pick.sku) == before


def test_a_payment_still_settling_is_said_on_the_success_page(page: Page, shop: Shop) -> None:
    # A SEPA debit comes back from Stripe submitted, not received: the API answers 202
    # (awaiting_payment), and the page said only "payment received".
    page.route(
        re.compile(r".*/api/orders/session/cs_settling"),
        lambda route: route.fulfill(
            status=202,
            content_type="application/json",
            body='{"status": "awaiting_payment", "order": null}',
        ),
    )

    page.goto("/checkout/success/?session_id=cs_settling")

    expect(page.locator("[data-checkout-success] .notice")).to_contain_text("not confirmed yet")


def test_the_order_page_shows_the_discount_so_its_rows_add_up(page: Page, shop: Shop) -> None:
    # A promotion code's discount was left out: 118.90 + 0.00 read as a total of 108.90.
    def eur(amount: int) -> dict[str, Any]:
        return {"amount": amount, "currency": "EUR"}

    order: dict[str, Any] = {
        "order_id": "1042", "number": "#1042", "status": "paid", "lines": [],
        "subtotal": eur(11890), "shipping_amount": eur(0), "discount": eur(1000),
        "tax": eur(0), "total": eur(10890), "refunded": None, "tracking": None, "history": [],
        "shipping": {"option_id": "standard", "kind": "delivery", "name": "Standard delivery",
                     "price": eur(0)},
    }  # fmt: skip
    page.route(
        re.compile(r".*/api/orders/1042\?t=tok"),
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps({"order": order})
        ),
    )

    page.goto("/order/?o=1042&t=tok")

    totals = page.locator("[data-order-root] .order-totals")
    expect(totals.locator("dt")).to_have_text(
        ["Subtotal", "Shipping (Standard delivery)", "Discount", "Total"]
    )
    expect(totals.locator("dd")).to_have_text(["€118.90", "€0.00", "−€10.00", "€108.90"])


def test_a_pickup_order_shows_where_to_collect_it(page: Page, shop: Shop) -> None:
    snapshot = shop.snapshot()
    pickup = next(o for o in snapshot["shipping"]["options"] if o["kind"] == "pickup")
    pick = single_sku_product(snapshot, below=10**9)
    page.goto("/")
    fill_cart(page, pick, 1)
    checkout = page.request.post("/api/checkout", data={})
    assert checkout.ok, checkout.text()
    page.goto(checkout.json()["url"])

    # The shopper picks up in store and pays
    page.get_by_label(re.compile(re.escape(pickup["names"]["en"]))).check()
    page.fill('input[name="email"]', f"e2e-pickup-{int(time.time() * 1000)}@example.org")
    page.get_by_role("button", name=re.compile("^Pay")).click()

    # The success page's order names the shop's address, line by line
    expect(page).to_have_url(re.compile(r"/checkout/success/\?session_id=cs_"))
    where = page.locator("[data-order-root] .order-pickup")
    expect(where).to_have_text("Collect your order at:" + "".join(pickup["address"]))
    assert where.inner_text().splitlines()[1:] == pickup["address"]
