"""The cart, as plain data: lines, saved-for-later lines, and the rules for changing them.

Pure domain: no I/O, no clock, no AWS. Every change returns a new `Cart`, or
raises a domain error and changes nothing. Stock is checked against a number
the caller looked up (`available`); the authoritative check is the checkout's
conditional reservation, this one keeps shoppers from building a cart that
cannot be bought.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from shop.config import CartLimits
from shop.errors import CartLimitError, NotInCartError, OutOfStockError, QuantityError

CART_TTL = timedelta(days=30)  # the cart cookie lives as long (shop.cookies)
# Re-write the expiry on a read only when it has drifted this far: the header
# counter reads the cart on every page view and must not cost a write each time.
TTL_REFRESH_AFTER = timedelta(days=1)


def new_cart_id() -> str:
    """A fresh, unguessable cart id: 128 bits from the OS CSPRNG as 32 hex chars."""
    return secrets.token_hex(16)


@dataclass(frozen=True, slots=True)
class CartLine:
    """One SKU and how many units of it."""

    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Cart:
    """A shopper's cart; `version` is the optimistic-lock counter of its stored copy."""

    cart_id: str
    items: tuple[CartLine, ...] = ()
    saved: tuple[CartLine, ...] = ()
    version: int = 0  # 0: never stored
    created_at: datetime | None = None
    updated_at: datetime | None = None
    expires_at: int = 0  # epoch seconds (DynamoDB TTL)
    # The reservation of the cart's latest checkout: a new checkout first closes it, so
    # one cart never holds its units twice nor can be paid for twice.
    checkout: str | None = None

    def line(self, sku: str) -> CartLine | None:
        """The cart line for `sku`, if any."""
        return next((line for line in self.items if line.sku == sku), None)

    def saved_line(self, sku: str) -> CartLine | None:
        """The saved-for-later line for `sku`, if any."""
        return next((line for line in self.saved if line.sku == sku), None)

    @property
    def item_count(self) -> int:
        """Units in the cart (saved lines do not count)."""
        return sum(line.quantity for line in self.items)

    def is_expired(self, now: datetime) -> bool:
        """True once the TTL has passed (DynamoDB deletes expired items only eventually)."""
        return self.expires_at != 0 and self.expires_at <= int(now.timestamp())


def expiry_for(now: datetime) -> int:
    """The TTL attribute for a cart used at `now`: 30 days later, in epoch seconds."""
    return int((now + CART_TTL).timestamp())


def needs_ttl_refresh(cart: Cart, now: datetime) -> bool:
    """True when a read should push the expiry forward (at most once a day)."""
    return expiry_for(now) - cart.expires_at >= TTL_REFRESH_AFTER.total_seconds()


def _with_line(lines: tuple[CartLine, ...], sku: str, quantity: int) -> tuple[CartLine, ...]:
    """Lines with `sku` set to `quantity` (appended if new, dropped if 0), order kept."""
    if quantity == 0:
        return tuple(line for line in lines if line.sku != sku)
    if any(line.sku == sku for line in lines):
        return tuple(CartLine(sku, quantity) if line.sku == sku else line for line in lines)
    return (*lines, CartLine(sku, quantity))


def _check_line(sku: str, quantity: int, limits: CartLimits, available: int) -> None:
    if not 1 <= quantity <= limits.max_line_quantity:
        raise QuantityError(sku, quantity, 1, limits.max_line_quantity)
    if quantity > available:
        raise OutOfStockError(sku, quantity, max(available, 0))


def _check_cart(items: tuple[CartLine, ...], limits: CartLimits) -> None:
    if len(items) > limits.max_lines:
        raise CartLimitError("lines", len(items), limits.max_lines)
    units = sum(line.quantity for line in items)
    if units > limits.max_cart_quantity:
        raise CartLimitError("units", units, limits.max_cart_quantity)


def add_item(cart: Cart, sku: str, quantity: int, limits: CartLimits, available: int) -> Cart:
    """Add `quantity` units of `sku` (merging with an existing line)."""
    if not 1 <= quantity <= limits.max_line_quantity:
        raise QuantityError(sku, quantity, 1, limits.max_line_quantity)
    existing = cart.line(sku)
    total = quantity + (existing.quantity if existing else 0)
    _check_line(sku, total, limits, available)
    items = _with_line(cart.items, sku, total)
    _check_cart(items, limits)
    return replace(cart, items=items)


def set_quantity(cart: Cart, sku: str, quantity: int, limits: CartLimits, available: int) -> Cart:
    """Set the line's quantity; 0 removes the line. The line must exist."""
    if cart.line(sku) is None:
        raise NotInCartError(sku)
    if quantity == 0:
        return remove_item(cart, sku)
    existing = cart.line(sku)
    # Lowering a quantity is always allowed, even when stock has dropped below it since,
    # so a shopper can fix an over-stock line one step at a time.
    lowering = existing is not None and quantity <= existing.quantity
    if not 0 <= quantity <= limits.max_line_quantity:
        raise QuantityError(sku, quantity, 0, limits.max_line_quantity)
    if not lowering and quantity > available:
        raise OutOfStockError(sku, quantity, max(available, 0))
    items = _with_line(cart.items, sku, quantity)
    _check_cart(items, limits)
    return replace(cart, items=items)


def remove_item(cart: Cart, sku: str) -> Cart:
    """Remove the line for `sku`; removing an absent line changes nothing (idempotent)."""
    return replace(cart, items=_with_line(cart.items, sku, 0))


def save_for_later(cart: Cart, sku: str, limits: CartLimits) -> Cart:
    """Move the cart line for `sku` to the saved list (merging quantities, capped)."""
    line = cart.line(sku)
    if line is None:
        raise NotInCartError(sku)
    existing = cart.saved_line(sku)
    quantity = min(line.quantity + (existing.quantity if existing else 0), limits.max_line_quantity)
    saved = _with_line(cart.saved, sku, quantity)
    if len(saved) > limits.max_saved:
        raise CartLimitError("saved lines", len(saved), limits.max_saved)
    return replace(cart, items=_with_line(cart.items, sku, 0), saved=saved)


def move_to_cart(cart: Cart, sku: str, limits: CartLimits, available: int) -> Cart:
    """Move a saved line back into the cart, checking the line, cart and stock limits."""
    saved = cart.saved_line(sku)
    if saved is None:
        raise NotInCartError(sku, "saved")
    existing = cart.line(sku)
    total = saved.quantity + (existing.quantity if existing else 0)
    _check_line(sku, total, limits, available)
    items = _with_line(cart.items, sku, total)
    _check_cart(items, limits)
    return replace(cart, items=items, saved=_with_line(cart.saved, sku, 0))


def remove_saved(cart: Cart, sku: str) -> Cart:
    """Forget a saved line; forgetting an absent one changes nothing (idempotent)."""
    return replace(cart, saved=_with_line(cart.saved, sku, 0))


def new_cart(cart_id: str, now: datetime) -> Cart:
    """An empty, never-stored cart."""
    return Cart(cart_id=cart_id, created_at=now, updated_at=now, expires_at=expiry_for(now))


def stamp(cart: Cart, now: datetime) -> Cart:
    """The cart as it is about to be stored: next version, updated time, fresh expiry."""
    return replace(
        cart,
        version=cart.version + 1,
        created_at=cart.created_at or now,
        updated_at=now,
        expires_at=expiry_for(now),
    )
