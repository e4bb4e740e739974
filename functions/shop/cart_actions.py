"""What the cart API does, one function per action, on the ports (no HTTP, no AWS here).

Each action takes the cart id from the cookie (or None), does its work through
the `CartStore` and `InventoryStore` ports, and returns the priced cart plus
what the handler must do with the cookie. An unknown or expired id is never
an error: reads show an empty cart, writes start a new cart under a fresh id
(and set its cookie). Reads never touch the cookie of an unknown cart: a read
answered after a concurrent first write would otherwise delete the new cookie.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from shop import cart as carts
from shop.cart import Cart, needs_ttl_refresh, new_cart
from shop.catalog import CatalogSnapshot
from shop.config import CartLimits
from shop.errors import NotInCartError, StoreUnavailableError, UnsupportedLocaleError
from shop.ports import CartChange, CartStore, HoldLookup, InventoryStore
from shop.pricing import cart_json, price_cart
from shop.reservations import ReservationStatus
from shop.stock import available_units

CookieAction = Literal["set", "keep"]


@dataclass(frozen=True, slots=True)
class CartContext:
    """The collaborators every cart action needs."""

    store: CartStore
    inventory: InventoryStore
    catalog: CatalogSnapshot
    limits: CartLimits
    clock: Callable[[], datetime]
    holds: HoldLookup  # the cart's own checkout hold (its units are the shopper's)


@dataclass(frozen=True, slots=True)
class CartOutcome:
    """A cart action's result: the cart JSON and what to do with the cookie."""

    cart: Cart | None  # None: no stored cart
    body: dict[str, Any]
    cookie: CookieAction


def resolve_locale(catalog: CatalogSnapshot, locale: str | None) -> str:
    """The requested locale if the store publishes it, the default locale if none is given."""
    if locale is None or locale == "":
        return catalog.store.default_locale
    if locale not in catalog.store.locales:
        raise UnsupportedLocaleError(locale, catalog.store.locales)
    return locale


def _own_hold(ctx: CartContext, cart: Cart | None) -> Mapping[str, int]:
    """Units the cart's open checkout holds, by SKU: the shopper's, not gone.

    Back from Stripe's page without paying, the cart's lines are still held for its
    checkout (until it expires); counted as sold, the cart said "only 2 left" of the 3
    the shopper holds and refused the changes the next checkout allows, as that
    checkout gives the hold back first (shop.checkout_flow.close_previous_checkout).
    A completed checkout is no longer the cart's (shop.fulfilment.clear_bought_lines).
    """
    if cart is None or cart.checkout is None:
        return {}
    hold = None
    with contextlib.suppress(StoreUnavailableError):  # then shown as others see it
        hold = ctx.holds.get(cart.checkout)
    if hold is None or hold.status is not ReservationStatus.HELD or hold.cart_id != cart.cart_id:
        return {}
    return {line.sku: line.quantity for line in hold.lines}


def _availability(ctx: CartContext, skus: Iterable[str], cart: Cart | None) -> dict[str, int]:
    wanted = [sku for sku in set(skus) if sku in ctx.catalog.skus]
    if not wanted:
        return {}
    live = ctx.inventory.get_available(wanted)
    initial = {sku: ctx.catalog.skus[sku].initial_stock for sku in wanted}
    available = available_units(wanted, live, initial)
    for sku, held in _own_hold(ctx, cart).items():
        if sku in available:
            available[sku] += held
    return available


def _outcome(ctx: CartContext, cart: Cart, locale: str, cookie: CookieAction) -> CartOutcome:
    skus = [line.sku for line in (*cart.items, *cart.saved)]
    priced = price_cart(cart, ctx.catalog, _availability(ctx, skus, cart))
    body = cart_json(priced, locale, ctx.catalog.store.default_locale)
    return CartOutcome(cart=cart if cart.version else None, body=body, cookie=cookie)


def _empty(ctx: CartContext, locale: str) -> CartOutcome:
    return _outcome(ctx, new_cart("0" * 32, ctx.clock()), locale, "keep")


def _write(ctx: CartContext, cart_id: str | None, change: CartChange, locale: str) -> CartOutcome:
    updated = ctx.store.update(cart_id, change, ctx.clock())
    return _outcome(ctx, updated, locale, "set")


def show_cart(ctx: CartContext, cart_id: str | None, locale: str | None) -> CartOutcome:
    """The shopper's cart; refreshes its TTL (and the cookie) at most once a day."""
    loc = resolve_locale(ctx.catalog, locale)
    now = ctx.clock()
    cart = ctx.store.get(cart_id, now) if cart_id else None
    if cart is None:
        return _empty(ctx, loc)
    if needs_ttl_refresh(cart, now):
        return _outcome(ctx, ctx.store.touch(cart, now), loc, "set")
    return _outcome(ctx, cart, loc, "keep")


def add_to_cart(
    ctx: CartContext, cart_id: str | None, sku: str, quantity: int, locale: str | None
) -> CartOutcome:
    """Add units of a catalog SKU, within the limits and the stock available."""
    loc = resolve_locale(ctx.catalog, locale)
    ctx.catalog.entry(sku)  # UnknownSkuError before anything else
    cart = ctx.store.get(cart_id, ctx.clock()) if cart_id else None
    available = _availability(ctx, [sku], cart)[sku]
    return _write(
        ctx, cart_id, lambda c: carts.add_item(c, sku, quantity, ctx.limits, available), loc
    )


def _existing(ctx: CartContext, cart_id: str | None, sku: str, where: str) -> Cart:
    cart = ctx.store.get(cart_id, ctx.clock()) if cart_id else None
    if cart is None:
        raise NotInCartError(sku, where)
    return cart


def change_quantity(
    ctx: CartContext, cart_id: str | None, sku: str, quantity: int, locale: str | None
) -> CartOutcome:
    """Set a line's quantity (0 removes it); the line must be in the shopper's cart."""
    loc = resolve_locale(ctx.catalog, locale)
    cart = _existing(ctx, cart_id, sku, "cart")
    if cart.line(sku) is None:
        raise NotInCartError(sku)
    if quantity == 0:
        return _write(ctx, cart_id, lambda c: carts.remove_item(c, sku), loc)
    ctx.catalog.entry(sku)  # a SKU the catalog dropped can only be removed
    available = _availability(ctx, [sku], cart)[sku]
    return _write(
        ctx, cart_id, lambda c: carts.set_quantity(c, sku, quantity, ctx.limits, available), loc
    )


def _drop_line(
    ctx: CartContext,
    cart_id: str | None,
    locale: str | None,
    holds: Callable[[Cart], bool],
    drop: CartChange,
) -> CartOutcome:
    """Apply `drop` if the cart `holds` the line; else the cart unchanged (idempotent)."""
    loc = resolve_locale(ctx.catalog, locale)
    cart = ctx.store.get(cart_id, ctx.clock()) if cart_id else None
    if cart is None:
        return _empty(ctx, loc)
    if not holds(cart):
        return _outcome(ctx, cart, loc, "keep")
    return _write(ctx, cart_id, drop, loc)


def remove_from_cart(
    ctx: CartContext, cart_id: str | None, sku: str, locale: str | None
) -> CartOutcome:
    """Remove a line; removing what is not there returns the cart unchanged (idempotent)."""
    return _drop_line(
        ctx,
        cart_id,
        locale,
        lambda cart: cart.line(sku) is not None,
        lambda cart: carts.remove_item(cart, sku),
    )


def save_for_later(
    ctx: CartContext, cart_id: str | None, sku: str, locale: str | None
) -> CartOutcome:
    """Move a cart line to the saved list."""
    loc = resolve_locale(ctx.catalog, locale)
    _existing(ctx, cart_id, sku, "cart")
    return _write(ctx, cart_id, lambda c: carts.save_for_later(c, sku, ctx.limits), loc)


def move_to_cart(
    ctx: CartContext, cart_id: str | None, sku: str, locale: str | None
) -> CartOutcome:
    """Move a saved line back into the cart, if the stock and limits allow."""
    loc = resolve_locale(ctx.catalog, locale)
    cart = _existing(ctx, cart_id, sku, "saved")
    ctx.catalog.entry(sku)
    available = _availability(ctx, [sku], cart)[sku]
    return _write(ctx, cart_id, lambda c: carts.move_to_cart(c, sku, ctx.limits, available), loc)


def forget_saved(
    ctx: CartContext, cart_id: str | None, sku: str, locale: str | None
) -> CartOutcome:
    """Drop a saved line; dropping what is not there returns the cart unchanged."""
    return _drop_line(
        ctx,
        cart_id,
        locale,
        lambda cart: cart.saved_line(sku) is not None,
        lambda cart: carts.remove_saved(cart, sku),
    )
