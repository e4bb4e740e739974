"""Property-based: any sequence of shopping, checkout, payment, expiry and refund keeps the books.

Hypothesis drives the real domain (cart actions, checkout, fulfilment, the
sweeper) over the in-memory stores, which keep the DynamoDB adapters' contracts
(shop.in_memory, shop.in_memory_orders). After every step, for every SKU:
available + reserved + sold == initial + merchant adjustments, no count is
negative, `reserved` is exactly what held reservations hold, `sold` is exactly
what the recorded orders sold (less refunds put back on sale), each paid session
has one order with one confirmation email (and one refund email per refund), and
every cart's total is the sum of its lines at the catalog price.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from datetime import UTC, datetime

from hypothesis import currently_in_test_context, settings
from hypothesis import event as hypothesis_event
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from shop import cart_actions as actions
from shop.cart_actions import CartContext, CartOutcome
from shop.checkout_flow import CheckoutContext, start_checkout
from shop.config import CartLimits
from shop.errors import NegativeStockError, ShopError
from shop.fake_payments import FakePaymentGateway
from shop.fulfilment import Fulfilment
from shop.in_memory import InMemoryCartStore, InMemoryInventory
from shop.in_memory_orders import InMemoryOrders, InMemoryReservations
from shop.orders import Address, EmailKind, OrderStatus
from shop.reservations import Reservation, ReservationStatus
from shop.stripe_event_handling import handle_event
from shop.sweeping import sweep
from shop.webhook_events import ChargeRefundedEvent, SessionEvent, SessionInfo

from tests.functions.shop.factories import make_snapshot

SKUS = ("TRS-42-BLK", "SOCK-M", "CAP-1", "GAIT-0")
ANY_SKU = st.sampled_from((*SKUS, "GONE-1"))  # GONE-1: not in the catalog
SHOPPERS = st.integers(min_value=0, max_value=2)
# Mostly quantities a shopper would pick, sometimes ones the API must refuse.
QUANTITIES = st.integers(min_value=1, max_value=3) | st.integers(min_value=-1, max_value=8)
LIMITS = CartLimits(max_line_quantity=6, max_cart_quantity=10, max_lines=3, max_saved=3)
PAID_TYPES = ("checkout.session.completed", "checkout.session.async_payment_succeeded")


def event(text: str) -> None:
    """Count `text` in Hypothesis' statistics (a no-op when a test drives the machine by hand)."""
    if currently_in_test_context():
        hypothesis_event(text)


class ShopBooks(RuleBasedStateMachine):
    """Three shoppers, a merchant and Stripe, acting in any order."""

    def __init__(self) -> None:
        super().__init__()
        self.catalog = make_snapshot()
        self.initial = {sku: min(self.catalog.skus[sku].initial_stock, 4) for sku in SKUS}
        self.adjusted: Counter[str] = Counter()
        self.inventory = InMemoryInventory(self.initial)
        self.reservations = InMemoryReservations(self.inventory)
        self.orders = InMemoryOrders(self.reservations)
        self.carts = InMemoryCartStore()
        self.gateway = FakePaymentGateway()
        self.now = int(time.time())
        self.cart = CartContext(
            store=self.carts,
            inventory=self.inventory,
            catalog=self.catalog,
            limits=LIMITS,
            clock=lambda: datetime.fromtimestamp(self.now, UTC),
            holds=self.reservations,
        )
        self.checkout = CheckoutContext(
            self.carts, self.reservations, self.gateway, self.catalog, "https://shop.example.com"
        )
        self.flagged: list[str] = []
        self.fulfilment = Fulfilment(
            self.orders,
            self.reservations,
            self.catalog,
            self.carts,
            needs_attention=lambda order: self.flagged.append(order.order_id),
        )
        self.cookies: list[str | None] = [None, None, None]
        self.sessions: list[str] = []
        self.payment_intents: dict[str, str] = {}

    # --- shoppers ---------------------------------------------------------------------------

    def _act(self, shopper: int, action: object, *args: object) -> None:
        """Run a cart action; a refusal must leave the stored cart exactly as it was."""
        cart_id = self.cookies[shopper]
        before = self.carts.carts.get(cart_id) if cart_id else None
        try:
            outcome: CartOutcome = action(self.cart, cart_id, *args, None)  # type: ignore[operator]
        except ShopError:
            after = self.carts.carts.get(cart_id) if cart_id else None
            assert after == before
            return
        if outcome.cookie == "set" and outcome.cart is not None:
            self.cookies[shopper] = outcome.cart.cart_id
        assert_cart_body_adds_up(outcome.body, self.catalog.skus)

    @initialize(sku=st.sampled_from(SKUS[:3]), quantity=st.integers(min_value=1, max_value=2))
    def first_shopper_fills_a_cart(self, sku: str, quantity: int) -> None:
        self._act(0, actions.add_to_cart, sku, quantity)

    @rule(shopper=SHOPPERS, sku=ANY_SKU, quantity=QUANTITIES)
    def add(self, shopper: int, sku: str, quantity: int) -> None:
        self._act(shopper, actions.add_to_cart, sku, quantity)

    @rule(shopper=SHOPPERS, sku=ANY_SKU, quantity=st.integers(min_value=0, max_value=8))
    def set_quantity(self, shopper: int, sku: str, quantity: int) -> None:
        self._act(shopper, actions.change_quantity, sku, quantity)

    @rule(shopper=SHOPPERS, sku=ANY_SKU)
    def remove(self, shopper: int, sku: str) -> None:
        self._act(shopper, actions.remove_from_cart, sku)

    @rule(shopper=SHOPPERS, sku=ANY_SKU)
    def save_for_later(self, shopper: int, sku: str) -> None:
        self._act(shopper, actions.save_for_later, sku)

    @rule(shopper=SHOPPERS, sku=ANY_SKU)
    def move_back(self, shopper: int, sku: str) -> None:
        self._act(shopper, actions.move_to_cart, sku)

    @rule(shopper=SHOPPERS, stripe_down=st.booleans())
    def check_out(self, shopper: int, stripe_down: bool) -> None:
        self.gateway.fail_next = 1 if stripe_down else 0
        held_before = self.held_units()
        previous = self.previous_checkout(shopper)
        try:
            created = start_checkout(self.checkout, self.cookies[shopper], None, self.now)
        except ShopError as refused:
            # Empty cart, short stock or Stripe down: nothing may stay held for it. The
            # cart's previous checkout may have been closed first (one cart, one live
            # checkout), which gives its units back even though the new one is refused.
            expected = held_before - self.released_since(previous)
            assert self.held_units() == expected, (held_before, expected)
            event(f"checkout refused: {type(refused).__name__}")
            return
        event("checkout started")
        self.sessions.append(created.session_id)

    def previous_checkout(self, shopper: int) -> Reservation | None:
        """The held reservation of the shopper's cart's latest checkout, if any."""
        cart_id = self.cookies[shopper]
        cart = self.carts.carts.get(cart_id) if cart_id else None
        previous = self.reservations.get(cart.checkout) if cart and cart.checkout else None
        return previous if previous and previous.status is ReservationStatus.HELD else None

    def released_since(self, previous: Reservation | None) -> Counter[str]:
        """The units of `previous` if it has been released since it was seen held."""
        released: Counter[str] = Counter()
        stored = self.reservations.get(previous.reservation_id) if previous else None
        if previous and stored and stored.status is ReservationStatus.RELEASED:
            for line in previous.lines:
                released[line.sku] += line.quantity
        return released

    # --- Stripe -----------------------------------------------------------------------------

    def _session(self, session_id: str, *, paid: bool) -> SessionInfo:
        params = self.gateway.sessions[session_id]
        subtotal = sum(
            int(item["price_data"]["unit_amount"]) * int(item["quantity"])
            for item in params["line_items"]
        )
        intent = self.payment_intents.setdefault(session_id, "pi_" + secrets.token_hex(8))
        return SessionInfo(
            session_id=session_id,
            status="complete",
            payment_status="paid" if paid else "unpaid",
            payment_intent=intent,
            client_reference_id=params["client_reference_id"],
            metadata=params["metadata"],
            currency="EUR",
            amount_subtotal=subtotal,
            amount_total=subtotal,
            amount_discount=0,
            amount_tax=0,
            amount_shipping=0,
            shipping_rate="shr_0",
            email="shopper@example.org",
            address=Address(name="A Shopper", line1="1 rue Royale", city="Annecy", country="FR"),
            locale="en",
            expires_at=int(params["expires_at"]),
        )

    @precondition(lambda self: self.sessions)
    @rule(pick=st.integers(min_value=0), paid=st.booleans(), kind=st.sampled_from(PAID_TYPES))
    def pay(self, pick: int, paid: bool, kind: str) -> None:
        session = self._session(self.sessions[pick % len(self.sessions)], paid=paid)
        delivery = SessionEvent("evt_" + secrets.token_hex(8), kind, self.now, session)
        event(f"pay: {handle_event(self.fulfilment, delivery)}")
        assert handle_event(self.fulfilment, delivery) != "recorded"  # Stripe redelivers

    @precondition(lambda self: self.sessions)
    @rule(pick=st.integers(min_value=0), kind=st.sampled_from(("expired", "async_payment_failed")))
    def expire(self, pick: int, kind: str) -> None:
        session = self._session(self.sessions[pick % len(self.sessions)], paid=False)
        delivery = SessionEvent(
            "evt_" + secrets.token_hex(8), f"checkout.session.{kind}", 0, session
        )
        event(f"expire: {handle_event(self.fulfilment, delivery)}")

    @rule(minutes=st.integers(min_value=0, max_value=60))
    def sweep_later(self, minutes: int) -> None:
        self.now += minutes * 60
        released = sweep(self.reservations, self.now).released
        if released:
            event("sweeper released a reservation")

    @precondition(lambda self: self.orders.orders)
    @rule(pick=st.integers(min_value=0), share=st.sampled_from((0.5, 1.0)))
    def refund(self, pick: int, share: float) -> None:
        order_ids = sorted(self.orders.orders)
        order = self.orders.orders[order_ids[pick % len(order_ids)]][0]
        amount = int(order.total.amount * share)
        delivery = ChargeRefundedEvent(
            event_id="evt_" + secrets.token_hex(8),
            created=self.now,
            charge_id="ch_" + secrets.token_hex(8),
            payment_intent=order.payment_intent,
            currency="EUR",
            amount=order.total.amount,
            amount_refunded=amount,
            refunded=share == 1.0,
            metadata={"reservation_id": order.reservation_id},  # from the PaymentIntent
        )
        event(f"refund: {handle_event(self.fulfilment, delivery)}")
        assert handle_event(self.fulfilment, delivery) != "recorded"

    # --- merchant ---------------------------------------------------------------------------

    @rule(sku=st.sampled_from(SKUS), delta=st.integers(min_value=-3, max_value=3))
    def stock_adjustment(self, sku: str, delta: int) -> None:
        try:
            self.inventory.add_available(sku, delta, datetime.fromtimestamp(self.now, UTC))
        except NegativeStockError:
            return
        self.adjusted[sku] += delta

    # --- the books --------------------------------------------------------------------------

    def held_units(self) -> Counter[str]:
        held: Counter[str] = Counter()
        for reservation in self.reservations.reservations.values():
            if reservation.status is ReservationStatus.HELD:
                for line in reservation.lines:
                    held[line.sku] += line.quantity
        return held

    def sold_by_orders(self) -> Counter[str]:
        sold: Counter[str] = Counter()
        restock = self.catalog.returns.restock_on_refund
        for order, _ in self.orders.orders.values():
            if order.status is OrderStatus.REFUNDED and restock:
                continue
            # Read from the flags here, not with the product's own helper: a bug in
            # that helper would otherwise agree with itself.
            never_sold = {
                sku
                for flag in order.flags
                if flag.startswith("stock_short:")
                for sku in flag.removeprefix("stock_short:").split(",")
            }
            for line in order.lines:
                if line.sku not in never_sold:
                    sold[line.sku] += line.quantity
        return sold

    @invariant()
    def stock_is_conserved_and_never_negative(self) -> None:
        for sku in SKUS:
            record = self.inventory.records[sku]
            assert min(record.available, record.reserved, record.sold) >= 0, record
            total = record.available + record.reserved + record.sold
            assert total == self.initial[sku] + self.adjusted[sku], record

    @invariant()
    def reserved_and_sold_match_reservations_and_orders(self) -> None:
        held, sold = self.held_units(), self.sold_by_orders()
        for sku in SKUS:
            record = self.inventory.records[sku]
            assert record.reserved == held[sku], (sku, record, held)
            assert record.sold == sold[sku], (sku, record, sold)

    @invariant()
    def every_order_recorded_with_flags_is_reported_once(self) -> None:
        # Paid after release or stock short: the operator's alarm counts each one.
        flagged = sorted(i for i, (order, _) in self.orders.orders.items() if order.flags)
        assert sorted(self.flagged) == flagged

    @invariant()
    def each_paid_session_has_one_order_and_each_event_one_email(self) -> None:
        assert len(set(self.orders.sessions.values())) == len(self.orders.sessions)
        emails = Counter((order_id, kind) for order_id, kind, _ in self.orders.outbox)
        for order_id, (order, _) in self.orders.orders.items():
            assert emails[(order_id, EmailKind.CONFIRMATION)] == 1
            # One notice per refund recorded (partial, then the rest), never per delivery.
            refunds = [
                h for h in order.history if h.note.startswith(("refund:", "partial_refund:"))
            ]
            assert emails[(order_id, EmailKind.REFUND)] == len(refunds)


def assert_cart_body_adds_up(body: dict[str, object], skus: object) -> None:
    """Line total = catalog unit price × quantity; subtotal and count are the sums of the lines."""
    items = body["items"]
    assert isinstance(items, list)
    catalog = dict(skus)  # type: ignore[call-overload]
    for item in items:
        unit = catalog[item["sku"]].price.amount
        assert item["unit_price"]["amount"] == unit
        assert item["line_total"]["amount"] == unit * item["quantity"]
        assert 1 <= item["quantity"] <= LIMITS.max_line_quantity
    subtotal = body["subtotal"]
    assert isinstance(subtotal, dict)
    assert subtotal["amount"] == sum(item["line_total"]["amount"] for item in items)
    assert body["item_count"] == sum(item["quantity"] for item in items)
    assert body["item_count"] <= LIMITS.max_cart_quantity  # type: ignore[operator]
    assert len(items) <= LIMITS.max_lines


# No `derandomize` here: under CI Hypothesis' own "ci" profile replays a fixed set of
# examples, so a red CI run is never a coin toss; a developer's run explores new ones.
ShopBooks.TestCase.settings = settings(max_examples=200, stateful_step_count=40, deadline=None)
TestShopBooks = ShopBooks.TestCase


def test_a_refused_checkout_still_closes_the_carts_previous_checkout() -> None:
    """Found by the machine above: a shopper with a live checkout adds a sold-out item.

    Checking out again first closes the live checkout (one cart, one live checkout)
    and gives its units back; the new checkout is then refused as short. The books
    must show the old hold released and nothing held for the refused one.
    """
    books = ShopBooks()
    books.first_shopper_fills_a_cart(sku="TRS-42-BLK", quantity=1)
    books.add(shopper=0, sku="TRS-42-BLK", quantity=3)  # all 4 in stock
    books.add(shopper=1, sku="SOCK-M", quantity=1)
    books.check_out(shopper=1, stripe_down=False)
    books.add(shopper=1, sku="TRS-42-BLK", quantity=1)  # still on sale: nothing held yet
    books.check_out(shopper=0, stripe_down=False)  # holds all 4
    assert books.held_units() == Counter({"TRS-42-BLK": 4, "SOCK-M": 1})

    books.check_out(shopper=1, stripe_down=False)  # refused: TRS-42-BLK is all held

    assert books.held_units() == Counter({"TRS-42-BLK": 4})
    assert len(books.sessions) == 2  # no session for the refused checkout
    books.stock_is_conserved_and_never_negative()
    books.reserved_and_sold_match_reservations_and_orders()
