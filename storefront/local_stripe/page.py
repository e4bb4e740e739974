"""The stand-in's checkout page: server-rendered HTML, a plain form, no JavaScript."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from shop.money import Money

# The shopper the form is prefilled with; a post without any of these fields (a
# script, a test posting action=pay alone) pays as them too.
EXAMPLE_SHOPPER = {
    "email": "shopper@example.com",
    "name": "Claire Martin",
    "line1": "3 rue Royale",
    "postal_code": "74000",
    "city": "Annecy",
}

_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f8fa;color:#1a1f36}
main{max-width:560px;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;
box-shadow:0 1px 3px rgba(0,0,0,.1)}
.banner{background:#fff4e5;border:1px solid #f5a623;padding:.5rem 1rem;border-radius:6px}
table{width:100%;border-collapse:collapse}td{padding:.35rem 0}.num{text-align:right}
.total td{font-weight:700;border-top:1px solid #ddd}
fieldset{border:1px solid #ddd;border-radius:6px;margin:1rem 0}label{display:block;margin:.3rem 0}
input[type=text],input[type=email],select{width:100%;padding:.4rem;box-sizing:border-box}
.actions{display:flex;gap:.5rem;flex-wrap:wrap}button{padding:.6rem 1rem;font-size:1rem}
.error{color:#b00020;font-weight:600}
"""


def _money(amount: int, currency: str) -> str:
    return f"{Money(amount, currency.upper()).to_decimal_string()} {currency.upper()}"


def _lines(params: Mapping[str, Any], currency: str) -> str:
    rows = []
    for item in params.get("line_items") or []:
        data = item["price_data"]
        quantity = int(item["quantity"])
        total = int(data["unit_amount"]) * quantity
        name = escape(str(data["product_data"]["name"]))
        rows.append(
            f"<tr><td>{quantity} × {name}</td><td class=num>{_money(total, currency)}</td></tr>"
        )
    return "".join(rows)


def _shipping(session: Mapping[str, Any], params: Mapping[str, Any], currency: str) -> str:
    choices = []
    options = params.get("shipping_options") or []
    for index, (option, rate) in enumerate(zip(options, session["shipping_options"], strict=False)):
        data = option["shipping_rate_data"]
        label = escape(str(data.get("display_name", "")))
        checked = " checked" if index == 0 else ""
        price = _money(int(rate["shipping_amount"]), currency)
        choices.append(
            f'<label><input type="radio" name="shipping_rate" '
            f'value="{escape(rate["shipping_rate"])}"{checked}> {label} — {price}</label>'
        )
    return "".join(choices)


def render_page(
    session: Mapping[str, Any] | None, params: Mapping[str, Any], message: str | None
) -> str:
    """The page for a session (or a not-found page when `session` is None)."""
    head = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # An empty icon: otherwise the browser asks for /favicon.ico, which the shop lacks.
        '<link rel="icon" href="data:,">'
        f"<title>Test checkout</title><style>{_STYLE}</style></head><body><main>"
        '<p class="banner">Local test checkout — no real payment. '
        "Stands in for Stripe Checkout while STRIPE_SECRET_KEY is unset.</p>"
    )
    if session is None:
        return (
            f"{head}<h1>Checkout not found</h1><p>{escape(message or '')}</p></main></body></html>"
        )
    currency = str(session["currency"])
    error = f'<p class="error" role="alert">{escape(message)}</p>' if message else ""
    status = str(session["status"])
    summary = (
        f"<h1>Pay {escape(_money(int(session['amount_subtotal']), currency))} + shipping</h1>"
        f"<table>{_lines(params, currency)}"
        f'<tr class="total"><td>Subtotal</td>'
        f"<td class=num>{_money(int(session['amount_subtotal']), currency)}</td></tr></table>"
    )
    if status != "open":
        # A paid session leads to its confirmation, not the "no payment was taken" page.
        success = str(session.get("success_url") or "").replace(
            "{CHECKOUT_SESSION_ID}", session["id"]
        )
        back = escape(
            success if status == "complete" and success else str(session.get("cancel_url") or "/")
        )
        return (
            f"{head}{error}<h1>This checkout is {escape(status)}</h1>{summary}"
            f'<p><a href="{back}">Back to the shop</a></p></main></body></html>'
        )
    countries = (session.get("shipping_address_collection") or {}).get("allowed_countries") or []
    options = "".join(f"<option>{escape(c)}</option>" for c in countries)
    cancel = escape(str(session.get("cancel_url") or "/"))
    shopper = EXAMPLE_SHOPPER
    form = (
        '<form method="post">'
        f"<fieldset><legend>Shipping</legend>{_shipping(session, params, currency)}</fieldset>"
        "<fieldset><legend>Contact and address</legend>"
        f'<label>Email <input type="email" name="email" value="{escape(shopper["email"])}" '
        "required></label>"
        f'<label>Name <input type="text" name="name" value="{escape(shopper["name"])}" '
        "required></label>"
        f'<label>Address <input type="text" name="line1" value="{escape(shopper["line1"])}" '
        "required></label>"
        "<label>Postal code "
        f'<input type="text" name="postal_code" value="{escape(shopper["postal_code"])}">'
        "</label>"
        f'<label>City <input type="text" name="city" value="{escape(shopper["city"])}"></label>'
        f'<label>Country <select name="country">{options}</select></label></fieldset>'
        '<div class="actions">'
        '<button name="action" value="pay">Pay (test card succeeds)</button>'
        '<button name="action" value="decline" formnovalidate>Decline (card refused)</button>'
        '<button name="action" value="expire" formnovalidate>Let it expire</button>'
        "</div></form>"
        f'<p><a href="{cancel}">Back to the shop</a></p>'
    )
    return f"{head}{error}{summary}{form}</main></body></html>"
