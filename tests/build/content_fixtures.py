"""The bad-input fixture trees and the one error each must produce, exactly."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "content"
MINIMAL = FIXTURES / "minimal"

# scenario -> (file inside the tree, line, field, message): printed as `file:line: field: message`.
BAD_INPUT: dict[str, tuple[str, int, str, str]] = {
    "bad_yaml": (
        "products/wool-sock.md",
        16,
        "front matter",
        "expected valid YAML, could not parse it: did not find expected ',' or ']' "
        "(while parsing a flow sequence that starts on line 15)",
    ),
    "missing_field": (
        "products/wool-sock.md",
        2,
        "title",
        "required field is missing; expected text",
    ),
    "bad_price": (
        "products/wool-sock.md",
        5,
        "price",
        'expected a decimal like 89.90, got "89,9O"',
    ),
    "bad_currency": (
        "catalog.yaml",
        5,
        "store.currency",
        'expected an ISO 4217 currency code like EUR, got "EURO"',
    ),
    "bad_products_per_page": (
        "catalog.yaml",
        10,
        "store.products_per_page",
        "expected a whole number from 1 to 500, got 0",
    ),
    "too_many_decimals": (
        "products/wool-sock.md",
        5,
        "price",
        'expected at most 2 decimal places for EUR, got "12.905"',
    ),
    "duplicate_sku": (
        "products/wool-sock.md",
        6,
        "sku",
        'duplicate SKU "RTS-41-BLK", already used at {root}/products/trail-shoe.md:20; '
        "expected every SKU once in the whole shop",
    ),
    "duplicate_slug": (
        "products/wool-sock.md",
        1,
        "slug",
        'duplicate slug "wool-sock": {root}/products/Wool-Sock.md already makes '
        "/products/wool-sock/; expected one file per slug (file names are not case-sensitive)",
    ),
    "unknown_category": (
        "products/wool-sock.md",
        4,
        "category",
        'unknown category "stockings"; did you mean "socks"? expected one of catalog.yaml\'s '
        "categories: footwear, socks, trail-running",
    ),
    "undeclared_option_value": (
        "products/trail-shoe.md",
        24,
        "variants[1].options.color",
        'expected one of Black, Moss, got "Red"',
    ),
    "missing_option": (
        "products/trail-shoe.md",
        24,
        "variants[1].options",
        'missing a value for option "color"; expected one of Black, Moss',
    ),
    "missing_image": (
        "products/wool-sock.md",
        13,
        "images[0].src",
        "image file not found: expected {root}/images/wool-sock-1.png to exist",
    ),
    "unknown_related": (
        "products/trail-shoe.md",
        31,
        "related[1]",
        'unknown product "rain-jacket"; expected products/rain-jacket.md to exist',
    ),
    "translation_unknown_product": (
        "products/rain-jacket.fr.md",
        1,
        "slug",
        'translation of an unknown product "rain-jacket"; expected products/rain-jacket.md '
        "to exist",
    ),
    "translation_unknown_locale": (
        "products/trail-shoe.de.md",
        1,
        "locale",
        '"de" is not one of the store\'s other locales (expected one of: fr; '
        "see store.locales in catalog.yaml)",
    ),
    "translation_non_text_field": (
        "products/trail-shoe.fr.md",
        6,
        "price",
        "only text fields can be translated (title, summary, features, specs, image_alts, "
        "option_labels, option_values and the body); price comes from "
        "{root}/products/trail-shoe.md",
    ),
    "broken_link": (
        "pages/about.md",
        6,
        "body",
        'link "/products/trail-shoes/" points to nothing; expected a file '
        'products/trail-shoes.md in the content folder (did you mean "/products/trail-shoe/"?)',
    ),
    "raw_html": (
        "products/trail-shoe.md",
        40,
        "body",
        'raw HTML is not allowed, got "<span style="color:red">"; use Markdown instead '
        "(docs/content.md)",
    ),
}


def expected_line(root: Path, scenario: str) -> str:
    """The exact error line a scenario's tree (read from `root`) must produce."""
    relative, line, field, message = BAD_INPUT[scenario]
    return f"{root.as_posix()}/{relative}:{line}: {field}: {message.format(root=root.as_posix())}"
