"""What the domain needs from the outside world, as Protocols; adapters implement them.

Dependencies point one way: handlers -> domain -> ports <- adapters. Tests use
the `InMemory*` doubles from `shop.in_memory`; production uses `shop.adapters.*`.
Further ports (payments, mail, orders) are added below, each as its own Protocol.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Protocol

from shop.cart import Cart
from shop.stock import InventoryRecord

CartChange = Callable[[Cart], Cart]


class CartStore(Protocol):
    """Persistence of carts, with optimistic locking on `Cart.version`."""

    def get(self, cart_id: str, now: datetime) -> Cart | None:
        """The stored cart, or None if it does not exist or has expired."""
        ...

    def update(self, cart_id: str | None, change: CartChange, now: datetime) -> Cart:
        """Apply `change` to the stored cart and save it, retrying on concurrent writes.

        With `cart_id` None, or an id that does not exist or has expired, a new
        cart with a fresh server-generated id is created (a client never picks
        its cart id). If `change` raises, nothing is written. The returned cart
        carries the new version and expiry (refreshed to 30 days from `now`).
        """
        ...

    def touch(self, cart: Cart, now: datetime) -> Cart:
        """Push the cart's expiry to 30 days from `now` (used on reads, at most daily)."""
        ...


class InventoryStore(Protocol):
    """Units available per SKU; only conditional writes, never below zero."""

    def get_available(self, skus: Iterable[str]) -> dict[str, int]:
        """Available units for the SKUs the table knows (unknown SKUs are absent)."""
        ...

    def list_records(self) -> list[InventoryRecord]:
        """Every inventory record, sorted by SKU (merchant command)."""
        ...

    def seed(self, initial: Mapping[str, int], now: datetime) -> list[str]:
        """Create records for SKUs not yet known; never overwrite a live count. Returns new SKUs."""
        ...

    def set_available(self, sku: str, available: int, now: datetime) -> InventoryRecord:
        """Set the available units of one SKU (merchant stock take)."""
        ...

    def add_available(self, sku: str, delta: int, now: datetime) -> InventoryRecord:
        """Adjust available units by `delta`; raise NegativeStockError below zero."""
        ...
