"""Order emails render both parts, in the order's locale, with the shop's look inlined."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest
from shop.emails import ShopIdentity, compose_email, format_money
from shop.money import Money
from shop.orders import (
    Address,
    EmailKind,
    HistoryEntry,
    Order,
    OrderLine,
    OrderStatus,
    ShippingChoice,
    Tracking,
)

SHOP = ShopIdentity(
    name="Northwind Outfitters",
    site_url="https://shop.example.com",
    contact_email="hello@example.com",
    default_locale="en",
)


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def make_order(**overrides: object) -> Order:
    """A paid order for one shoe and two pairs of socks, shipped standard to Annecy."""
    order = Order(
        order_id="1042",
        number=1042,
        access_token="tok_abcdefghijklmnop",
        session_id="cs_test_1",
        payment_intent="pi_1",
        reservation_id="res_1",
        cart_id="c" * 32,
        email="claire@example.org",
        locale="en",
        lines=(
            OrderLine("TRS-42-BLK", "Ridge Trail Shoe", "42 / Black", 1, eur(8990)),
            OrderLine("SOCK-M", "Merino Running Sock", "M", 2, eur(1450)),
        ),
        subtotal=eur(11890),
        shipping_amount=eur(0),
        discount=eur(1000),
        tax=eur(0),
        total=eur(10890),
        shipping=ShippingChoice("standard", "delivery", "Standard delivery", eur(0), 2, 4),
        address=Address("Claire Martin", "3 rue Royale", "", "74000", "Annecy", "", "FR"),
        status=OrderStatus.PAID,
        created_at="2026-11-20T09:30:00+00:00",  # a Friday
        history=(HistoryEntry("2026-11-20T09:30:00+00:00", OrderStatus.PAID),),
    )
    return replace(order, **overrides)  # type: ignore[arg-type]


def test_confirmation_in_english_has_lines_totals_estimate_address_and_link() -> None:
    email = compose_email(make_order(), EmailKind.CONFIRMATION, SHOP)

    assert email.subject == "Your order #1042 is confirmed — Northwind Outfitters"
    assert email.to == "claire@example.org"
    for part in (email.text, email.html):
        assert "#1042" in part
        assert "Ridge Trail Shoe" in part
        assert "42 / Black" in part
        assert "€89.90" in part
        assert "€29.00" in part
        assert "€118.90" in part  # subtotal
        assert "€10.00" in part  # discount
        assert "€108.90" in part  # total
        assert "Free" in part  # shipping over the threshold
        assert "24 November 2026 – 26 November 2026" in part  # 2-4 business days
        assert "74000 Annecy" in part
        assert "France" in part  # the country named, not "FR"
    link = "https://shop.example.com/order/?o=1042&amp;t=tok_abcdefghijklmnop"
    assert link in email.html
    assert link.replace("&amp;", "&") in email.text
    assert "<style" not in email.html  # CSS inlined for mail clients
    assert 'style="' in email.html
    assert "<td" not in email.text


def test_confirmation_in_french_uses_french_words_money_dates_and_paths() -> None:
    email = compose_email(make_order(locale="fr"), EmailKind.CONFIRMATION, SHOP)

    assert email.subject == "Votre commande #1042 est confirmée — Northwind Outfitters"
    for part in (email.text, email.html.replace("&nbsp;", "\u00a0")):
        assert "Merci pour votre commande" in part
        assert "89,90\u00a0€" in part
        assert "108,90\u00a0€" in part
        assert "Offerte" in part
        assert "24 novembre 2026 – 26 novembre 2026" in part
        assert "Adresse de livraison" in part
    assert 'lang="fr"' in email.html
    assert "Sous-total\u202f: 118,90\u00a0€" in email.text  # French spacing before the colon
    assert "Subtotal: €118.90" in compose_email(make_order(), EmailKind.CONFIRMATION, SHOP).text
    assert "https://shop.example.com/fr/order/?o=1042&t=tok_abcdefghijklmnop" in email.text


@pytest.mark.parametrize(("locale", "country"), [("en", "Germany"), ("fr", "Allemagne")])
def test_the_country_is_named_in_the_shoppers_language(locale: str, country: str) -> None:
    # A bare "DE" closed the delivery address.
    berlin = Address("Jan Becker", "Torstr. 1", "", "10119", "Berlin", "", "DE")
    email = compose_email(make_order(locale=locale, address=berlin), EmailKind.CONFIRMATION, SHOP)

    assert f"10119 Berlin\n  {country}\n" in email.text
    assert "DE" not in email.text.split("10119 Berlin", 1)[1].split("\n")[1]


@pytest.mark.parametrize(
    ("locale", "title", "carrier_label"),
    [
        ("en", "Your order is on its way", "Carrier"),
        ("fr", "Votre commande est en route", "Transporteur"),
    ],
)
def test_shipping_notice_names_carrier_and_tracking_number(
    locale: str, title: str, carrier_label: str
) -> None:
    order = make_order(
        locale=locale,
        status=OrderStatus.SHIPPED,
        tracking=Tracking("Colissimo", "6A12345678901"),
    )

    email = compose_email(order, EmailKind.SHIPPING, SHOP)

    for part in (email.text, email.html):
        assert title in part
        assert carrier_label in part
        assert "Colissimo" in part
        assert "6A12345678901" in part


def test_refund_notice_states_the_refunded_amount_in_both_locales() -> None:
    en = compose_email(make_order(refunded=eur(10890)), EmailKind.REFUND, SHOP)
    fr = compose_email(make_order(refunded=eur(490), locale="fr"), EmailKind.REFUND, SHOP)

    assert "We have refunded €108.90 for order #1042" in en.text
    assert "We have refunded €108.90 for order #1042" in en.html
    assert "Nous avons remboursé 4,90\u00a0€ pour la commande #1042" in fr.text


def test_customer_text_is_escaped_in_html_but_kept_in_text() -> None:
    order = make_order(address=Address("<b>Bob</b> & Co", "1 rue", "", "75001", "Paris", "", "FR"))

    email = compose_email(order, EmailKind.CONFIRMATION, SHOP)

    assert "&lt;b&gt;Bob&lt;/b&gt; &amp; Co" in email.html
    assert "<b>Bob</b> & Co" in email.text


def test_money_format_follows_the_locale() -> None:
    assert format_money(eur(8990), "en") == "€89.90"
    assert format_money(eur(8990), "fr") == "89,90\u00a0€"
    # Grouped from 1,000 as the pages group them (by hand it was "€1167.00")
    assert format_money(eur(116700), "en") == "€1,167.00"
    assert format_money(eur(116700), "fr") == "1\u202f167,00\u00a0€"


def test_amount_headings_line_up_with_the_amounts_under_them() -> None:
    import re

    email = compose_email(make_order(), EmailKind.CONFIRMATION, SHOP)
    headings = re.findall(r'<th class="num"[^>]* style="([^"]*)"', email.html)
    cells = re.findall(r'<td class="num" style="([^"]*)"', email.html)
    assert headings
    assert cells
    assert all("text-align: right" in style for style in headings + cells)


def test_the_lines_table_is_read_as_a_table_with_column_headings() -> None:
    # role=presentation on a table with <th>s had screen readers read it flattened.
    email = compose_email(make_order(), EmailKind.CONFIRMATION, SHOP)
    table = lxml.html.fromstring(email.html).xpath('//table[contains(@class, "lines")]')[0]
    assert table.get("role") is None
    assert [th.get("scope") for th in table.xpath(".//th")] == ["col", "col", "col"]


def test_a_package_built_without_the_templates_says_so_at_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # `sam build` alone packages functions/ only: every order email then failed with a
    # FileNotFoundError deep in rendering.
    from shop import emails
    from shop.errors import ConfigError

    monkeypatch.delenv("EMAIL_TEMPLATES_DIR", raising=False)
    monkeypatch.setattr(emails, "PACKAGED_TEMPLATES_DIR", tmp_path / "packaged")
    monkeypatch.setattr(emails, "DEFAULT_TEMPLATES_DIR", tmp_path / "checkout")
    with pytest.raises(ConfigError) as caught:
        emails.templates_dir()
    assert "copy site/emails there before `sam build`" in str(caught.value)
    (tmp_path / "packaged").mkdir()
    assert emails.templates_dir() == tmp_path / "packaged"


def test_a_pickup_order_names_where_to_collect_it_not_the_shoppers_address() -> None:
    shop = ("12 rue des Alpes", "74000 Annecy")
    pickup = ShippingChoice("pickup", "pickup", "Pickup at the shop", eur(0), 1, 2, shop)
    email = compose_email(replace(make_order(), shipping=pickup), EmailKind.CONFIRMATION, SHOP)
    assert "Ready for pickup" in email.text
    assert "Collect your order at:\n  12 rue des Alpes\n  74000 Annecy\n" in email.text
    assert "12 rue des Alpes<br>74000 Annecy" in email.html
    for part in (email.text, email.html):
        assert "Shipping to" not in part
        assert "3 rue Royale" not in part
    french = replace(make_order(locale="fr"), shipping=pickup)
    assert "Retrait de votre commande" in compose_email(french, EmailKind.CONFIRMATION, SHOP).text
    delivered = compose_email(make_order(), EmailKind.CONFIRMATION, SHOP)
    assert "Shipping to" in delivered.text


def test_an_internationalised_domain_is_sent_in_punycode() -> None:
    # Written as an RFC 2047 encoded word inside the address, SES refused it.
    from shop.adapters.ses_mailer import build_mime, deliverable_address

    assert deliverable_address("claire@exämple.fr") == "claire@xn--exmple-cua.fr"
    assert deliverable_address("claire@example.org") == "claire@example.org"
    email = replace(
        compose_email(make_order(), EmailKind.CONFIRMATION, SHOP), to="claire@exämple.fr"
    )
    assert b"To: claire@xn--exmple-cua.fr\n" in build_mime(email, "shop@example.com")
    with pytest.raises(ValueError, match="expected an ASCII name before the @"):
        deliverable_address("clära@example.org")


@pytest.mark.parametrize(
    ("locale", "says"),
    [
        ("en", "The tracking number in our earlier email had a mistake: this one replaces it."),
        ("fr", "Le numéro de suivi de notre précédent e-mail comportait une erreur"),
    ],
)
def test_a_shipping_email_after_a_tracking_correction_says_the_number_replaces_the_first(
    locale: str, says: str
) -> None:
    from shop.orders import correct_tracking, ship

    shipped = ship(
        make_order(locale=locale), Tracking("Colissimo", "6A12"), "2026-11-21T08:00:00+00:00"
    )
    corrected = correct_tracking(
        shipped, Tracking("Colissimo", "6A123"), "2026-11-21T09:00:00+00:00"
    )

    first = compose_email(shipped, EmailKind.SHIPPING, SHOP)
    again = compose_email(corrected, EmailKind.SHIPPING, SHOP)

    assert says not in first.text
    assert says not in first.html
    assert says in again.text
    assert says in again.html
    assert "6A123" in again.text
