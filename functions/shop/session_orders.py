"""A paid Checkout Session as an Order: amounts as Stripe charged them, lines as reserved.

Pure: the session (parsed from Stripe's event or API), the reservation it held,
and the catalog snapshot for the shipping option's name and delivery days.
"""

from __future__ import annotations

from shop.catalog import CatalogSnapshot
from shop.money import Money
from shop.orders import (
    HistoryEntry,
    Order,
    OrderLine,
    OrderStatus,
    ShippingChoice,
    new_access_token,
)
from shop.reservations import Reservation
from shop.webhook_events import SessionInfo


def _shipping_choice(
    session: SessionInfo, reservation: Reservation, catalog: CatalogSnapshot, locale: str
) -> ShippingChoice | None:
    option_id = None
    if session.shipping_rate:
        option_id = reservation.shipping_rates.get(session.shipping_rate)
    options = {option.id: option for option in catalog.shipping.options}
    if option_id is None and len(options) == 1:
        option_id = next(iter(options))
    option = options.get(option_id or "")
    if option is None:
        return None
    name = option.names.get(locale) or option.names.get(catalog.store.default_locale, option.id)
    currency = session.currency or option.price.currency
    return ShippingChoice(
        option.id,
        option.kind,
        name,
        Money(session.amount_shipping, currency),
        option.min_days,
        option.max_days,
        option.address,
    )


def is_its_checkout(session: SessionInfo, reservation: Reservation) -> bool:
    """Whether `session` is the one the reservation's checkout opened and recorded."""
    return reservation.session_id is not None and reservation.session_id == session.session_id


def payment_mismatches(session: SessionInfo, reservation: Reservation) -> tuple[str, ...]:
    """Flags for a paid session that is not exactly the checkout its reservation opened.

    Only Stripe can sign an event, but any key or app on the account can make a session
    naming one of the shop's reservations in its metadata: a session other than the one
    the checkout attached (`session_mismatch`) must not take that checkout's units, and
    a currency or subtotal other than the reserved lines' needs a person to look.
    """
    flags: list[str] = []
    if reservation.session_id is not None and reservation.session_id != session.session_id:
        flags.append("session_mismatch")
    if session.currency and session.currency != reservation.currency:
        flags.append(f"currency_mismatch:{session.currency}")
    reserved = sum(line.unit_amount * line.quantity for line in reservation.lines)
    if session.amount_subtotal and session.amount_subtotal != reserved:
        flags.append(f"amount_mismatch:{session.amount_subtotal}")
    return tuple(flags)


def build_order(
    session: SessionInfo,
    reservation: Reservation,
    catalog: CatalogSnapshot,
    number: int,
    at: str,
    flags: tuple[str, ...] = (),
) -> Order:
    """The paid order a completed session describes (amounts as Stripe charged them)."""
    store = catalog.store
    currency = session.currency or reservation.currency
    wanted = session.metadata.get("locale") or reservation.locale
    locale = wanted if wanted in store.locales else store.default_locale
    lines = tuple(
        OrderLine(
            line.sku,
            line.title,
            line.variant_label,
            line.quantity,
            Money(line.unit_amount, currency),
        )
        for line in reservation.lines
    )
    subtotal = session.amount_subtotal or sum(line.total.amount for line in lines)
    return Order(
        order_id=str(number),
        number=number,
        access_token=new_access_token(),
        session_id=session.session_id,
        payment_intent=session.payment_intent,
        reservation_id=reservation.reservation_id,
        # The reservation's cart, not the session's client_reference_id: only the
        # cart that checked out may read the order on the success page.
        cart_id=reservation.cart_id or session.client_reference_id or "",
        email=session.email,
        locale=locale,
        lines=lines,
        subtotal=Money(subtotal, currency),
        shipping_amount=Money(session.amount_shipping, currency),
        discount=Money(session.amount_discount, currency),
        tax=Money(session.amount_tax, currency),
        total=Money(session.amount_total, currency),
        shipping=_shipping_choice(session, reservation, catalog, locale),
        address=session.address,
        status=OrderStatus.PAID,
        created_at=at,
        history=(HistoryEntry(at, OrderStatus.PAID, ""),),
        flags=flags,
    )
