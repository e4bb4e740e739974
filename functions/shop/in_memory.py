"""In-memory implementations of the ports, for domain and handler tests without AWS.

They keep the contracts of the DynamoDB adapters (fresh ids for unknown carts,
nothing written when a change raises, versions, never-negative stock) so the
same tests can run against either.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from shop.cart import Cart, expiry_for, new_cart, new_cart_id, stamp
from shop.errors import NegativeStockError
from shop.ports import CartChange
from shop.stock import InventoryRecord


class InMemoryCartStore:
    """Carts in a dict, guarded by a lock (so threaded tests see atomic updates)."""

    def __init__(self) -> None:
        self.carts: dict[str, Cart] = {}
        self.writes = 0
        self._lock = threading.Lock()

    def get(self, cart_id: str, now: datetime) -> Cart | None:
        """The stored cart, or None if absent or expired."""
        cart = self.carts.get(cart_id)
        return None if cart is None or cart.is_expired(now) else cart

    def update(self, cart_id: str | None, change: CartChange, now: datetime) -> Cart:
        """Apply `change` atomically; unknown or expired ids start a new cart with a new id."""
        with self._lock:
            current = self.get(cart_id, now) if cart_id else None
            base = current or new_cart(new_cart_id(), now)
            updated = stamp(change(base), now)
            self.carts[updated.cart_id] = updated
            self.writes += 1
            return updated

    def touch(self, cart: Cart, now: datetime) -> Cart:
        """Refresh the expiry of a stored cart."""
        with self._lock:
            touched = replace(cart, expires_at=expiry_for(now))
            self.carts[cart.cart_id] = touched
            self.writes += 1
            return touched


class InMemoryInventory:
    """Inventory records in a dict."""

    def __init__(self, available: Mapping[str, int] | None = None) -> None:
        self.records: dict[str, InventoryRecord] = {
            sku: InventoryRecord(sku, units) for sku, units in (available or {}).items()
        }
        self.writes = 0

    def get_available(self, skus: Iterable[str]) -> dict[str, int]:
        """Available units for the known SKUs among `skus`."""
        return {sku: self.records[sku].available for sku in skus if sku in self.records}

    def list_records(self) -> list[InventoryRecord]:
        """All records sorted by SKU."""
        return [self.records[sku] for sku in sorted(self.records)]

    def seed(self, initial: Mapping[str, int], now: datetime) -> list[str]:
        """Add records for unknown SKUs only."""
        added = [sku for sku in sorted(initial) if sku not in self.records]
        for sku in added:
            self.records[sku] = InventoryRecord(sku, initial[sku], updated_at=now.isoformat())
            self.writes += 1
        return added

    def set_available(self, sku: str, available: int, now: datetime) -> InventoryRecord:
        """Set available units."""
        if available < 0:
            raise NegativeStockError(sku, 0, available)
        record = self.records.get(sku, InventoryRecord(sku, 0))
        self.records[sku] = replace(record, available=available, updated_at=now.isoformat())
        self.writes += 1
        return self.records[sku]

    def add_available(self, sku: str, delta: int, now: datetime) -> InventoryRecord:
        """Adjust available units, never below zero."""
        record = self.records.get(sku, InventoryRecord(sku, 0))
        if record.available + delta < 0:
            raise NegativeStockError(sku, record.available, delta)
        self.records[sku] = replace(
            record, available=record.available + delta, updated_at=now.isoformat()
        )
        self.writes += 1
        return self.records[sku]


class InMemoryHoldLedger:
    """Hold-allowance counts in a dict (forgetting times are kept, not acted on)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.forget_at: dict[str, int] = {}
        self._lock = threading.Lock()

    def take(self, counters: Sequence[tuple[str, int]], units: int, forget_at: int) -> bool:
        """Add `units` to every count if each stays within its limit; else nothing."""
        with self._lock:
            if any(self.counts.get(key, 0) + units > limit for key, limit in counters):
                return False
            for key, _ in counters:
                self.counts[key] = self.counts.get(key, 0) + units
                self.forget_at[key] = forget_at
            return True

    def give_back(self, keys: Sequence[str], units: int) -> None:
        """Take `units` off each count, never below zero."""
        with self._lock:
            for key in keys:
                if self.counts.get(key, 0) >= units:
                    self.counts[key] -= units
