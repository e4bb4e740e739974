"""Order emails: confirmation, shipping notice and refund notice, in the order's locale.

Templates live in `site/emails/` (HTML and plain text per kind, strings per
locale in `strings.json`). Jinja2 and css_inline are imported inside
`compose_email` only: the email function pays for them, no other function does.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from shop.errors import ConfigError
from shop.money import Money
from shop.orders import Address, EmailKind, Order, tracking_was_corrected
from shop.site_paths import ORDER_PAGE, localized_path

# In the Lambda package, CI copies site/emails to order_emails/templates (see
# .github/workflows/deploy-infra.yml); from a checkout, site/emails is used directly.
PACKAGED_TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "order_emails" / "templates"
DEFAULT_TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "site" / "emails"


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    """A composed email, ready for the mailer."""

    to: str
    subject: str
    html: str
    text: str
    locale: str


@dataclass(frozen=True, slots=True)
class ShopIdentity:
    """Who the email is from, as shown in its header and footer."""

    name: str
    site_url: str  # absolute, no trailing slash
    contact_email: str
    default_locale: str


def templates_dir() -> Path:
    """Where the email templates are; ConfigError when neither place has them."""
    configured = os.environ.get("EMAIL_TEMPLATES_DIR", "").strip()
    if configured:
        return Path(configured)
    for folder in (PACKAGED_TEMPLATES_DIR, DEFAULT_TEMPLATES_DIR):
        if folder.is_dir():
            return folder
    # A package built by hand without them (`sam build` alone): say so at once, rather
    # than a FileNotFoundError for every order email.
    raise ConfigError(
        "EMAIL_TEMPLATES_DIR",
        f"expected the email templates in {PACKAGED_TEMPLATES_DIR}: copy site/emails there "
        "before `sam build` (docs/deploy.md, step 4)",
    )


@cache
def _strings(folder: Path) -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads((folder / "strings.json").read_text("utf-8"))
    return data


def format_money(money: Money, locale: str) -> str:
    """Money as the shop's pages write it (Babel, CLDR): "€1,167.00", "1 167,00 €".

    By hand, amounts from 1,000 lost their grouping and disagreed with the order page.
    """
    from babel.numbers import format_currency  # only the email function needs it

    return str(format_currency(money.to_decimal(), money.currency, locale=locale))


def address_lines(address: Address, locale: str) -> tuple[str, ...]:
    """The address as printed lines, its country named in `locale` ("Germany", not "DE")."""
    from babel import Locale  # only the email function needs it

    lines = address.lines()
    if not address.country:
        return lines
    name = Locale.parse(locale.replace("-", "_")).territories.get(address.country)
    return (*lines[:-1], str(name or address.country))  # the country is the last line


def format_date(day: date, locale: str, months: str) -> str:
    """A date as "24 November 2026" with the locale's month names (comma separated list)."""
    names = months.split(",")
    return f"{day.day} {names[day.month - 1]} {day.year}"


def order_link(order: Order, site_url: str, default_locale: str) -> str:
    """The order status page, reachable only with the order's token."""
    page = localized_path(ORDER_PAGE, order.locale, default_locale)
    return f"{site_url}{page}?o={order.order_id}&t={order.access_token}"


def _context(
    order: Order, shop: ShopIdentity, strings: dict[str, str], refund: Money | None = None
) -> dict[str, Any]:
    locale = order.locale

    def money(value: Money) -> str:
        return format_money(value, locale)

    picked_up = order.shipping is not None and order.shipping.kind == "pickup"
    window = order.delivery_window()
    estimate = None
    if window is not None:
        first, last = (format_date(d, locale, strings["months"]) for d in window)
        estimate = first if first == last else f"{first} – {last}"
    return {
        "t": strings,
        "shop": shop,
        "order": order,
        "money": money,
        "lines": [
            {
                "title": line.title,
                "variant": line.variant_label,
                "quantity": line.quantity,
                "total": money(line.total),
            }
            for line in order.lines
        ],
        "estimate": estimate,
        # Checkout always collects an address; a parcel picked up is not sent to it, and
        # the shopper is told where to collect it instead.
        "address": order.shipping.address
        if picked_up and order.shipping
        else address_lines(order.address, locale),
        "address_heading": strings["pickup_at" if picked_up else "ship_to"],
        # The shipping email sent again after a typo: say the number replaces the first one.
        "tracking_corrected": tracking_was_corrected(order),
        "link": order_link(order, shop.site_url, shop.default_locale),
        # This refund's amount when known (the outbox item records it), else the total.
        "refunded": money(refund or order.refunded or order.total),
    }


def compose_email(
    order: Order,
    kind: EmailKind,
    shop: ShopIdentity,
    folder: Path | None = None,
    refund: Money | None = None,
) -> OutgoingEmail:
    """Render one email (HTML with inlined CSS, and plain text) in the order's locale.

    `refund` is the amount of the refund a refund email announces (its outbox item's).
    """
    # Heavy imports stay here, off the other functions' cold start.
    import css_inline
    import jinja2

    folder = folder or templates_dir()
    all_strings = _strings(folder)
    strings = all_strings.get(order.locale) or all_strings[shop.default_locale]
    context = _context(order, shop, strings, refund)
    loader = jinja2.FileSystemLoader(str(folder))
    html_env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    text_env = jinja2.Environment(
        loader=loader,
        autoescape=False,  # noqa: S701 - the plain-text part is never read as HTML
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    html = html_env.get_template(f"{kind}.html").render(context)
    text = text_env.get_template(f"{kind}.txt").render(context)
    subject = strings[f"subject_{kind}"].format(number=order.display_number, shop=shop.name)
    return OutgoingEmail(
        to=order.email,
        subject=subject,
        html=css_inline.inline(html),
        text=text,
        locale=order.locale,
    )
