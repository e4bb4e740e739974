"""The snapshot's JSON format, read and checked field by field.

The format is documented in docs/architecture.md; it is checked strictly,
because a half-read price list must never price a cart. A large shop's SKUs
are each checked when first read (`SkuTable`); deploy checks them all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from shop.catalog import (
    SNAPSHOT_FORMAT,
    CatalogSnapshot,
    ReturnsInfo,
    ShippingInfo,
    ShippingOption,
    SkuEntry,
    StoreInfo,
    after_sale,
)
from shop.errors import CatalogSnapshotError
from shop.money import Money, MoneyError


class _Reader:
    """Typed field access that names the source and the field on any mismatch."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, field: str, expected: str, got: object) -> CatalogSnapshotError:
        return CatalogSnapshotError(self.source, field, f"expected {expected}, got {got!r}")

    def obj(self, data: Any, field: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(field, "an object", data)
        return data

    def str_(self, data: dict[str, Any], key: str, field: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value:
            raise self.fail(f"{field}.{key}", "a non-empty string", value)
        return value

    def int_(self, data: dict[str, Any], key: str, field: str) -> int:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(f"{field}.{key}", "a non-negative integer", value)
        return value

    def bool_(self, data: dict[str, Any], key: str, field: str) -> bool:
        value = data.get(key)
        if not isinstance(value, bool):
            raise self.fail(f"{field}.{key}", "true or false", value)
        return value

    def strings(self, data: dict[str, Any], key: str, field: str) -> tuple[str, ...]:
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{field}.{key}", "a list of strings", value)
        return tuple(value)

    def texts(self, data: dict[str, Any], key: str, field: str) -> dict[str, str]:
        value = data.get(key, {})
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise self.fail(f"{field}.{key}", "an object of locale to text", value)
        return dict(value)

    def money(self, data: dict[str, Any], key: str, field: str, currency: str) -> Money:
        try:
            value = Money.from_json(data.get(key))
        except MoneyError as exc:
            raise self.fail(
                f"{field}.{key}", 'money like {"amount": 8990, "currency": "EUR"}', data.get(key)
            ) from exc
        if value.currency != currency:
            raise self.fail(f"{field}.{key}", f"the store currency {currency}", value.currency)
        return value

    def money_or_none(
        self, data: dict[str, Any], key: str, field: str, currency: str
    ) -> Money | None:
        return None if data.get(key) is None else self.money(data, key, field, currency)


def _day_or_none(r: _Reader, data: dict[str, Any], key: str, field: str) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str) and len(value) == len("2026-12-31"):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise r.fail(f"{field}.{key}", "a date like 2026-12-31, or null", value)


def _sku_entry(r: _Reader, key: str, raw: Any, currency: str) -> SkuEntry:
    """One `skus` entry, checked field by field."""
    where = f"skus.{key}"
    e = r.obj(raw, where)
    image = e.get("image")
    if image is not None and not isinstance(image, str):
        raise r.fail(f"{where}.image", "a path or null", image)
    entry = SkuEntry(
        sku=r.str_(e, "sku", where),
        product=r.str_(e, "product", where),
        titles=r.texts(e, "titles", where),
        variant_labels=r.texts(e, "variant_labels", where),
        urls=r.texts(e, "urls", where),
        image=image,
        price=r.money(e, "price", where, currency),
        compare_at=r.money_or_none(e, "compare_at", where, currency),
        initial_stock=r.int_(e, "initial_stock", where),
        options=r.texts(e, "options", where),
        sale_ends=_day_or_none(r, e, "sale_ends", where),
    )
    if entry.sku != key:
        raise r.fail(f"{where}.sku", f'the key "{key}"', entry.sku)
    return entry


class SkuTable(Mapping[str, SkuEntry]):
    """The snapshot's SKUs, each checked and typed the first time it is read.

    A large shop lists tens of thousands of SKUs and a request reads a few:
    checking all 70,000 of a 10,000-product shop took 0.74 s of every cold start
    (bench/snapshot_load.py), several seconds at a Lambda's CPU share. An entry is
    checked as strictly when read as when all are (`check_all`), so a bad one never
    prices a cart; deploy checks them all before uploading (storefront/deploy).
    Membership, length and iteration read the keys only.
    """

    __slots__ = ("_by_product", "_checked", "_currency", "_day", "_raw", "_reader")

    def __init__(self, raw: dict[str, Any], reader: _Reader, currency: str) -> None:
        self._raw, self._reader, self._currency = raw, reader, currency
        self._checked: dict[str, SkuEntry] = {}
        self._by_product: dict[str, list[str]] | None = None
        self._day: date | None = None

    def __getitem__(self, sku: str) -> SkuEntry:
        found = self._checked.get(sku)
        if found is None:
            raw = self._raw[sku]  # KeyError for a SKU the snapshot does not list
            found = _sku_entry(self._reader, sku, raw, self._currency)
            if self._day is not None:
                found = after_sale(found, self._day)
            self._checked[sku] = found
        return found

    def price_on(self, day: date) -> None:
        """Price every entry as on `day` (UTC): sales past their last day at regular prices."""
        if day != self._day:
            self._day = day
            self._checked.clear()  # entries are made again, for the new day

    def __contains__(self, sku: object) -> bool:
        return sku in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def check_all(self) -> None:
        """Check every entry now (CatalogSnapshotError naming the first bad field)."""
        for sku in self._raw:
            self[sku]

    def of_product(self, product: str) -> list[str]:
        """The SKUs of one product, in snapshot order (an index made on first use)."""
        if self._by_product is None:
            index: dict[str, list[str]] = {}
            for sku, raw in self._raw.items():
                slug = raw.get("product") if isinstance(raw, dict) else None
                if isinstance(slug, str):
                    index.setdefault(slug, []).append(sku)
            self._by_product = index
        return self._by_product.get(product, [])


def parse_snapshot(
    data: Any, source: str = "catalog.json", *, check_every_sku: bool = True
) -> CatalogSnapshot:
    """Check and type a decoded snapshot; raise CatalogSnapshotError naming the bad field.

    Without `check_every_sku`, each SKU entry is checked when first read (`SkuTable`).
    """
    r = _Reader(source)
    root = r.obj(data, "snapshot")
    if root.get("format") != SNAPSHOT_FORMAT:
        raise r.fail("format", f"format {SNAPSHOT_FORMAT}", root.get("format"))
    s = r.obj(root.get("store"), "store")
    currency = r.str_(s, "currency", "store")
    store = StoreInfo(
        name=r.str_(s, "name", "store"),
        base_url=r.str_(s, "base_url", "store"),
        currency=currency,
        default_locale=r.str_(s, "default_locale", "store"),
        locales=r.strings(s, "locales", "store"),
        low_stock_threshold=r.int_(s, "low_stock_threshold", "store"),
        contact_email=r.str_(s, "contact_email", "store"),
    )
    sh = r.obj(root.get("shipping"), "shipping")
    options = []
    raw_options = sh.get("options")
    if not isinstance(raw_options, list):
        raise r.fail("shipping.options", "a list", raw_options)
    for i, raw in enumerate(raw_options):
        where = f"shipping.options[{i}]"
        o = r.obj(raw, where)
        options.append(
            ShippingOption(
                id=r.str_(o, "id", where),
                kind=r.str_(o, "kind", where),
                names=r.texts(o, "names", where),
                price=r.money(o, "price", where, currency),
                min_days=r.int_(o, "min_days", where),
                max_days=r.int_(o, "max_days", where),
                free_over=r.money_or_none(o, "free_over", where, currency),
                # Optional: snapshots built before pickup addresses have none.
                address=r.strings(o, "address", where) if "address" in o else (),
            )
        )
    shipping = ShippingInfo(
        countries=r.strings(sh, "countries", "shipping"),
        free_threshold=r.money_or_none(sh, "free_threshold", "shipping", currency),
        options=tuple(options),
    )
    rt = r.obj(root.get("returns"), "returns")
    returns = ReturnsInfo(
        days=r.int_(rt, "days", "returns"),
        free=r.bool_(rt, "free", "returns"),
        restock_on_refund=r.bool_(rt, "restock_on_refund", "returns"),
    )
    skus = SkuTable(r.obj(root.get("skus"), "skus"), r, currency)
    if check_every_sku:
        skus.check_all()
    return CatalogSnapshot(store=store, shipping=shipping, returns=returns, skus=skus)


def load_snapshot_file(path: Path, *, check_every_sku: bool = True) -> CatalogSnapshot:
    """Read and check a snapshot file (each SKU when first read, without `check_every_sku`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogSnapshotError(str(path), "file", f"expected a readable file ({exc})") from exc
    return parse_snapshot_text(text, str(path), check_every_sku=check_every_sku)


def parse_snapshot_text(
    text: str | bytes, source: str, *, check_every_sku: bool = True
) -> CatalogSnapshot:
    """Decode JSON text and check it as a snapshot."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CatalogSnapshotError(source, "file", f"expected JSON ({exc})") from exc
    return parse_snapshot(data, source, check_every_sku=check_every_sku)
