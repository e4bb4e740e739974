"""dist/catalog.json: the documented format exactly, deterministic, read by the functions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from shop.money import Money
from shop.snapshot_format import parse_snapshot_text

from storefront.pipeline import check_content
from storefront.snapshot import build_snapshot, snapshot_bytes
from tests.build.content_fixtures import MINIMAL


def test_snapshot_has_exactly_the_documented_keys() -> None:
    snapshot = build_snapshot(check_content(MINIMAL))
    assert list(snapshot) == ["format", "store", "shipping", "returns", "skus"]
    assert snapshot["format"] == 1
    assert list(snapshot["store"]) == [
        "name", "base_url", "currency", "default_locale", "locales", "low_stock_threshold",
        "contact_email",
    ]  # fmt: skip
    assert list(snapshot["shipping"]) == ["countries", "free_threshold", "options"]
    assert list(snapshot["shipping"]["options"][0]) == [
        "id", "kind", "names", "price", "min_days", "max_days", "free_over",
    ]  # fmt: skip
    assert list(snapshot["shipping"]["options"][1])[-1] == "address"  # pickup only
    assert list(snapshot["returns"]) == ["days", "free", "restock_on_refund"]
    assert list(snapshot["skus"]["MWS-01"]) == [
        "sku", "product", "titles", "variant_labels", "urls", "image", "price", "compare_at",
        "sale_ends", "initial_stock", "options",
    ]  # fmt: skip


def test_sku_records_carry_exact_prices_localized_titles_urls_and_stock() -> None:
    skus = build_snapshot(check_content(MINIMAL))["skus"]
    assert list(skus) == ["MWS-01", "RTS-41-BLK", "RTS-42-MOS"]  # sorted
    assert skus["RTS-42-MOS"] == {
        "sku": "RTS-42-MOS",
        "product": "trail-shoe",
        "titles": {"en": "Ridge Trail Shoe", "fr": "Chaussure de trail Ridge"},
        "variant_labels": {"en": "42 / Moss", "fr": "42 / Mousse"},
        "urls": {"en": "/products/trail-shoe/", "fr": "/fr/products/trail-shoe/"},
        "image": "/images/trail-shoe-1.png",
        "price": {"amount": 11990, "currency": "EUR"},
        "compare_at": {"amount": 14900, "currency": "EUR"},
        "sale_ends": None,
        "initial_stock": 0,
        "options": {"size": "42", "color": "Moss"},  # as written, whatever the locale
    }
    assert skus["MWS-01"]["variant_labels"] == {"en": "", "fr": ""}
    assert skus["MWS-01"]["compare_at"] is None


def test_store_shipping_and_returns_are_in_minor_units() -> None:
    snapshot = build_snapshot(check_content(MINIMAL))
    assert snapshot["store"]["contact_email"] == "hello@minimal.example.com"
    assert snapshot["shipping"]["free_threshold"] == {"amount": 7500, "currency": "EUR"}
    assert snapshot["shipping"]["options"][0]["free_over"] == {"amount": 7500, "currency": "EUR"}
    assert snapshot["shipping"]["options"][1]["free_over"] is None
    assert snapshot["returns"] == {"days": 30, "free": True, "restock_on_refund": True}


def test_shoppers_are_promised_handling_plus_transit_days(tmp_path: Path) -> None:
    # Given a shop that takes 1-2 business days to ship, and standard delivery's 2-4 in transit
    content = tmp_path / "content"
    shutil.copytree(MINIMAL, content)
    catalog_yaml = content / "catalog.yaml"
    text = catalog_yaml.read_text(encoding="utf-8")
    catalog_yaml.write_text(
        text.replace(
            '  free_threshold: "75.00"\n', '  free_threshold: "75.00"\n  handling_days: [1, 2]\n'
        ),
        encoding="utf-8",
    )
    # Then the functions (Stripe's delivery estimate, the order email) see 3-6 days
    standard, pickup = build_snapshot(check_content(content))["shipping"]["options"]
    assert (standard["min_days"], standard["max_days"]) == (3, 6)
    assert (pickup["min_days"], pickup["max_days"]) == (1, 3)


def test_snapshot_bytes_are_identical_for_identical_content() -> None:
    first = snapshot_bytes(check_content(MINIMAL))
    assert first == snapshot_bytes(check_content(MINIMAL))
    assert json.loads(first) == build_snapshot(check_content(MINIMAL))


def test_the_functions_read_the_snapshot_the_build_writes() -> None:
    snapshot = parse_snapshot_text(snapshot_bytes(check_content(MINIMAL)), "catalog.json")
    assert snapshot.entry("RTS-41-BLK").price == Money(12900, "EUR")
    assert snapshot.entry("MWS-01").title("fr", "en") == "Merino Wool Sock"
    assert snapshot.variant_with("RTS-41-BLK", {"size": "42", "color": "Moss"}) == "RTS-42-MOS"
    assert snapshot.initial_stock() == {"MWS-01": 40, "RTS-41-BLK": 4, "RTS-42-MOS": 0}
    standard, pickup = snapshot.shipping.options
    assert standard.address == ()
    assert pickup.address == ("1 rue du Lac", "74000 Annecy", "France")  # the order records it


def test_a_variant_shows_its_own_photo_in_the_cart() -> None:
    # The example jacket's second photo is "in black": the cart showed the ochre one.
    root = Path(__file__).resolve().parents[2]
    skus = build_snapshot(check_content(root / "content"))["skus"]

    assert skus["BDJ-L-BLK"]["image"] == "/images/boreal-down-jacket-2.jpg"
    assert skus["BDJ-L-OCH"]["image"] == "/images/boreal-down-jacket-1.jpg"
