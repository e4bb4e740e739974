"""A product's options and variants: each SKU with its option values, price, was-price, stock, GTIN.

Part of validating one product file (storefront/validate_products.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from shop.money import Money

from storefront.fields import Fields, describe
from storefront.model import Option, Variant, percent_off
from storefront.sku_format import SKU, SKU_EXPECTED

if TYPE_CHECKING:
    from storefront.validate_products import ProductContext

# ASCII digits only: a barcode pasted in full-width digits went to Google as written.
_GTIN = re.compile(r"^(?:\d{8}|\d{12,14})$", re.ASCII)
_OPTION_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


# The commonest guess at how a sale is written, for the product and each variant.
SALE_HINT = {
    "sale_price": "a sale is written as price (what the shopper pays now) with compare_at "
    "(the regular price) above it"
}


def read_options(doc: Fields, ctx: ProductContext) -> tuple[Option, ...] | None:
    options: list[Option] = []
    items = list(doc.records("options", required=False))
    for item in items:
        item.check_keys(("name", "label", "values"))
        name = item.pattern("name", _OPTION_NAME, "a lowercase name like size or color")
        label = item.text("label", required=False)
        values = item.texts("values", min_items=1)
        # Case aside too: Black and black would be two buttons that read the same.
        if values is not None and len({v.casefold() for v in values}) != len(values):
            item.error("values", f"expected each value once, got {', '.join(values)}")
            values = None
        if name is not None and any(o.name == name for o in options):
            item.error("name", f'duplicate option "{name}"')
            name = None
        if name is not None and values is not None:
            labels = dict.fromkeys(ctx.locales, label or name.capitalize())
            options.append(Option(name, labels, values))
    return tuple(options) if len(options) == len(items) else None


def _gtin(doc: Fields, key: str = "gtin") -> str | None:
    value = doc.pattern(key, _GTIN, "a GTIN of 8, 12, 13 or 14 digits", required=False)
    if value is None:
        return None
    digits = [int(d) for d in value]
    # GS1 check digit: weights 3,1,3,… from the right, excluding the check digit itself.
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    if (10 - total % 10) % 10 != digits[-1]:
        doc.error(key, f'expected a GTIN with a valid check digit, got "{value}"')
        return None
    return value


def _variant_options(item: Fields, options: tuple[Option, ...]) -> dict[str, str] | None:
    given = item.mapping("options")
    if given is None:
        return None
    declared = {o.name: o for o in options}
    given.check_keys(tuple(declared), "option")
    chosen: dict[str, str] = {}
    for option in options:
        value = given.data.get(option.name)
        allowed = ", ".join(option.values)
        if value is None:
            item.error(
                "options", f'missing a value for option "{option.name}"; expected one of {allowed}'
            )
            continue
        text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        if text is None or text not in option.values:
            given.error(option.name, f"expected one of {allowed}, got {describe(value)}")
            continue
        chosen[option.name] = text
    return chosen if len(chosen) == len(options) and len(given.data) == len(options) else None


def _price(doc: Fields, currency: str) -> Money | None:
    """A product's or variant's price: above 0 (a placeholder "0" would sell it for free)."""
    price = doc.money("price", currency, required=False)
    if price is not None and price.amount <= 0:
        doc.error(
            "price",
            f"expected a price above 0, got {describe(doc.data['price'])}: Stripe cannot "
            "charge it and Merchant Center refuses items without a price",
        )
        return None
    return price


def read_variants(
    doc: Fields, ctx: ProductContext, options: tuple[Option, ...]
) -> tuple[Variant, ...] | None:
    price = _price(doc, ctx.currency)
    compare_at = doc.money("compare_at", ctx.currency, required=False)
    mpn = doc.text("mpn", required=False)
    if not doc.has("variants"):
        if options:
            doc.error(
                "variants", "required field is missing: options are declared, so list the variants"
            )
            return None
        sku = doc.pattern("sku", SKU, SKU_EXPECTED)
        stock = doc.integer("stock")
        if price is None and not doc.has("price"):
            doc.error("price", "required field is missing; expected a decimal like 89.90")
        gtin = _gtin(doc)
        if sku is None or stock is None or price is None:
            return None
        if not _was_price_above(doc, "compare_at", compare_at, price):
            return None
        return (Variant(sku, {}, price, compare_at, stock, gtin, mpn),)
    if doc.has("sku") or doc.has("stock"):
        doc.error(
            "sku" if doc.has("sku") else "stock",
            "expected either sku and stock, or variants, not both",
        )
    if doc.has("gtin"):
        # A barcode names one variant: at the product's top it was silently dropped.
        doc.error("gtin", "expected a gtin on each variant (each has its own barcode), not here")
    if not options:
        doc.error("variants", "expected options to be declared: variants differ by option values")
        return None
    variants: list[Variant] = []
    combos: dict[tuple[str, ...], int] = {}
    items = list(doc.records("variants", min_items=1))
    for index, item in enumerate(items):
        item.check_keys(
            ("sku", "options", "price", "compare_at", "stock", "gtin", "mpn"), hints=SALE_HINT
        )
        sku = item.pattern("sku", SKU, SKU_EXPECTED)
        chosen = _variant_options(item, options)
        own_price = _price(item, ctx.currency)
        own_compare = item.money("compare_at", ctx.currency, required=False)
        stock = item.integer("stock")
        gtin = _gtin(item)
        if own_price is None and not item.has("price") and not doc.has("price"):
            item.error("price", "required field is missing (the product gives no price either)")
        if chosen is not None:
            combo = tuple(chosen[o.name] for o in options)
            if combo in combos:
                item.error(
                    "options", f"same options as variants[{combos[combo]}] ({', '.join(combo)})"
                )
                chosen = None
            combos[combo] = index
        final_price = own_price or price
        final_compare = own_compare or compare_at
        if final_price is not None and final_compare is not None:
            # Named where it was written: on the variant, or the product's default.
            at, field = (item, "compare_at") if own_compare else (doc, "compare_at")
            # The product's price too: one message for every variant that inherits both.
            label = f"variants[{index}]" if not own_compare and own_price else None
            if not _was_price_above(at, field, final_compare, final_price, label):
                chosen = None
        if sku and chosen is not None and stock is not None and final_price is not None:
            # The product's mpn names its model, not a size or colour: shared by every
            # variant it made them duplicates to Google (which wants the most specific
            # part number), so a variant has its own or none (identifier_exists: no).
            own_mpn = item.text("mpn", required=False) or (mpn if len(items) == 1 else None)
            variants.append(
                Variant(sku, chosen, final_price, own_compare or compare_at, stock, gtin, own_mpn)
            )
    return tuple(variants) if len(variants) == len(items) else None


def check_option_values_used(
    doc: Fields, options: tuple[Option, ...], variants: tuple[Variant, ...]
) -> bool:
    """False (reported) if an option lists a value no variant has.

    The picker would offer it as a button that never leads to anything to buy (always
    "unavailable"), and the structured data would announce a variety that does not exist.
    """
    used = True
    for option, item in zip(options, doc.records("options", required=False), strict=True):
        unused = [v for v in option.values if all(x.options[option.name] != v for x in variants)]
        if unused:
            shown = ", ".join(f'"{v}"' for v in unused)
            item.error(
                "values",
                f"expected every value to be some variant's {option.name}; no variant has "
                f"{shown} (add a variant or remove the value)",
            )
            used = False
    return used


def _was_price_above(
    fields: Fields, key: str, was: Money | None, price: Money, variant: str | None = None
) -> bool:
    """Whether a "was" price is above the price; records an error when it is not.

    At or below the price no sale shows (and Google refuses such a sale price): the
    two prices were swapped, or the sale is over and compare_at was left behind.
    """
    if was is None or (percent_off(price, was) or 0) >= 1:
        return True
    whose = f" of {variant}" if variant else ""
    if was > price:
        # A discount under half a percent of the was-price shows as 0 %: no sale on the
        # page or in the feed, while the editor thought the product was on sale.
        least = _least_was_price(price)
        fields.error(
            key,
            f'expected a "was" price of at least {least.to_decimal_string()} for the price'
            f"{whose} ({price.to_decimal_string()}), got {was.to_decimal_string()}: a "
            "smaller discount rounds to 0 % and shows no sale",
        )
        return False
    fields.error(
        key,
        f'expected a "was" price above the price{whose} ({price.to_decimal_string()}), '
        f"got {was.to_decimal_string()}; remove compare_at when the product is not on sale",
    )
    return False


def _least_was_price(price: Money) -> Money:
    """The lowest "was" price whose discount shows as 1 % (half a percent, rounded up)."""
    amount = price.amount * 200 // 199
    while (percent_off(price, Money(amount, price.currency)) or 0) < 1:
        amount += 1
    return Money(amount, price.currency)
