"""Product feeds: a Google Merchant Center RSS 2.0 feed, and the Atom feed of new products.

One file of each per locale: `/feeds/products.xml` and `/feeds/new.atom` for the
default locale, `/<locale>/feeds/...` for the others, so a merchant can register
one Merchant Center feed per target language. Prices come from the same
catalog as the pages and the checkout snapshot, so a feed never advertises a
price the shop does not charge. Dates come from the content, never the clock.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import date
from functools import partial
from xml.sax.saxutils import escape

from shop.money import Money
from shop.shipping_rates import shipping_price
from shop.stock import merchant_availability

from storefront.atom_feed import build_atom_feed
from storefront.bucket_cache import BucketCache, product_parts
from storefront.category_tree import category_trail
from storefront.html_text import plain_text
from storefront.model import Catalog, Product
from storefront.option_attributes import option_attributes
from storefront.output import OutputFile
from storefront.urls import absolute, image_path, localize, product_route
from storefront.variant_picker import other_variants_images, variant_image

MERCHANT_FEED_ROUTE = "/feeds/products.xml"
# Merchant Center limits (product data specification).
MAX_TITLE = 150
MAX_DESCRIPTION = 5000
MAX_ADDITIONAL_IMAGES = 10


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _variant_title(title: str, label: str) -> str:
    """`Title – 42 / Black` within MAX_TITLE, the product title shortened, never the label.

    Cut at the end, a long title left every variant of a product the same title.
    """
    if not label:
        return _clip(title, MAX_TITLE)
    suffix = f" – {label}"
    return _clip(title, max(MAX_TITLE - len(suffix), 1)) + suffix


def merchant_price(money: Money) -> str:
    """A price as Merchant Center reads it: "129.00 EUR"."""
    return f"{money.to_decimal_string()} {money.currency}"


def _g(name: str, value: str) -> str:
    return f"<g:{name}>{escape(value)}</g:{name}>"


def _sale_window(published: date, sale_ends: date) -> str:
    """ISO 8601 interval of a sale: from publication to the last second of `sale_ends` (UTC)."""
    start = min(published, sale_ends)
    return f"{start.isoformat()}T00:00:00Z/{sale_ends.isoformat()}T23:59:59Z"


def _shipping(catalog: Catalog, locale: str, price: Money) -> list[str]:
    """One g:shipping per destination country and delivery option, with this item's cost."""
    blocks: list[str] = []
    for country in catalog.shipping.countries:
        for option in catalog.shipping.options:
            if option.kind != "delivery":
                continue  # pickup is not shipping; Merchant Center models it separately
            # One unit of the item is the whole order: priced as the checkout would charge it.
            cost = shipping_price(option, price, catalog.shipping)
            name = option.names.get(locale) or option.names[catalog.store.default_locale]
            blocks.append(
                "<g:shipping>"
                + _g("country", country)
                + _g("service", name)
                + _g("price", merchant_price(cost))
                + _g("min_transit_time", str(option.min_days))
                + _g("max_transit_time", str(option.max_days))
                + "</g:shipping>"
            )
    return blocks


def _product_type(catalog: Catalog, locale: str, category: str) -> str | None:
    """The product's category trail as Merchant Center's product_type ("Footwear > Trail")."""
    trail = category_trail(catalog, category)
    if not trail:
        return None
    default = catalog.store.default_locale
    return " > ".join(c.names.get(locale) or c.names[default] for c in trail)


class _LocaleFeed:
    """What every item of one locale's feed shares, each worked out once.

    A large shop's feed has one item per variant (tens of thousands): the shipping
    blocks (one per price, and prices repeat), the price strings and the category
    trails are the same for many items, so they are kept rather than made again.
    """

    def __init__(self, catalog: Catalog, locale: str) -> None:
        self.catalog, self.locale = catalog, locale
        self._shipping: dict[Money, str] = {}
        self._prices: dict[Money, str] = {}
        self._types: dict[str, str | None] = {}
        self._categories = {c.slug: c for c in catalog.categories}
        # The shop's handling time, once per item: inside each g:shipping block (one per
        # country and option) it would add over half to a large shop's feed.
        low, high = catalog.shipping.handling_days
        self._handling = _g("min_handling_time", str(low)) + _g("max_handling_time", str(high))

    def shipping(self, price: Money) -> str:
        """The g:shipping blocks of an item at this price, then the shop's handling time."""
        blocks = self._shipping.get(price)
        if blocks is None:
            blocks = "".join(_shipping(self.catalog, self.locale, price)) + self._handling
            self._shipping[price] = blocks
        return blocks

    def price(self, money: Money) -> str:
        """A price element's text, "129.00 EUR"."""
        text = self._prices.get(money)
        if text is None:
            text = self._prices[money] = escape(merchant_price(money))
        return text

    def audience(self, product: Product) -> str:
        """Google's category, gender and age group of a product's items, where known.

        Merchant Center refuses clothing and shoes without a gender and an age group.
        """
        category = self._categories.get(product.category)
        if category is None:
            return ""
        fields = [
            ("google_product_category", category.google_category),
            ("gender", product.gender or category.gender),
            ("age_group", product.age_group or category.age_group),
        ]
        return "".join(_g(name, value) for name, value in fields if value)

    def product_type(self, category: str) -> str | None:
        """The product_type element of a category, or None for a product without a trail."""
        if category not in self._types:
            names = _product_type(self.catalog, self.locale, category)
            self._types[category] = _g("product_type", names) if names else None
        return self._types[category]


def merchant_items(feed: _LocaleFeed, product: Product) -> Iterator[str]:
    """The <item>s of one product in one locale's Merchant Center feed: one per variant."""
    catalog, locale = feed.catalog, feed.locale
    store = catalog.store
    text = product.text(locale, store.default_locale)
    description = _g(
        "description",
        _clip(text.summary or plain_text(text.body_html) or text.title, MAX_DESCRIPTION),
    )
    link = absolute(localize(product_route(product.slug), locale, store), store)
    images = [absolute(image_path(image.src), store) for image in product.images]
    # (main image's index, other looks' photos) -> the image fields
    images_xml: dict[tuple[int, frozenset[int]], str] = {}
    several = len(product.variants) > 1
    # Fields after the price that do not depend on the variant, in the feed's order.
    brand = _g("brand", product.brand)
    group = _g("item_group_id", product.slug) if several else ""
    product_type = feed.product_type(product.category)
    audience = feed.audience(product)
    attributes = option_attributes(product)
    sale_window = (
        _g("sale_price_effective_date", _sale_window(product.published, product.sale_ends))
        if product.sale_ends is not None
        else ""
    )
    for variant in product.variants:
        # A colour variant's item shows the photo of that colour, as the page's picker does.
        main = (variant_image(product, variant, store.default_locale) or 1) - 1
        # Not the photos of the other colours: the rust tee's item is no charcoal tee.
        hidden = frozenset(other_variants_images(product, variant, store.default_locale))
        if (main, hidden) not in images_xml:
            others = [url for i, url in enumerate(images) if i != main and i + 1 not in hidden]
            images_xml[main, hidden] = _g("image_link", images[main]) + "".join(
                _g("additional_image_link", url) for url in others[:MAX_ADDITIONAL_IMAGES]
            )
        label = product.variant_label(variant, locale)
        fields = [
            _g("id", variant.sku),
            _g("title", _variant_title(text.title, label)),
            description,
            # The product page preselects the variant named in ?sku=.
            _g("link", f"{link}?sku={variant.sku}" if several else link),
            images_xml[main, hidden],
            _AVAILABILITY[merchant_availability(variant.units)],
        ]
        if variant.on_sale and variant.compare_at is not None:
            # Merchant Center's `price` is the regular price; the discount goes in `sale_price`.
            fields.append(f"<g:price>{feed.price(variant.compare_at)}</g:price>")
            fields.append(f"<g:sale_price>{feed.price(variant.price)}</g:sale_price>")
            fields.append(sale_window)
        else:
            fields.append(f"<g:price>{feed.price(variant.price)}</g:price>")
        fields.append(brand)
        if variant.gtin:
            fields.append(_g("gtin", variant.gtin))
        if variant.mpn:
            fields.append(_g("mpn", variant.mpn))
        if not variant.gtin and not variant.mpn:
            fields.append(_NO_IDENTIFIER)
        fields.append(_NEW)
        fields.append(group)
        for option in product.options:
            attribute = attributes.get(option.name)
            if attribute and option.name in variant.options:
                # In the feed's language, as its title: "Noir" in the French feed.
                fields.append(
                    _g(attribute, option.value_label(variant.options[option.name], locale))
                )
        if product_type:
            fields.append(product_type)
        fields.append(audience)
        fields.append(feed.shipping(variant.price))
        yield "<item>" + "".join(fields) + "</item>\n"


# The editors' stock as of the build; feeds/availability.xml (functions/feed_availability)
# overrides it hourly with the live count, by the same rule.
_AVAILABILITY = {value: _g("availability", value) for value in ("in_stock", "out_of_stock")}
_NO_IDENTIFIER = _g("identifier_exists", "no")
_NEW = _g("condition", "new")


def build_merchant_feed(
    catalog: Catalog, locale: str, cache: BucketCache | None = None
) -> OutputFile:
    """The Merchant Center RSS 2.0 feed of every variant, in one locale.

    Items come bucket by bucket of products (one bucket, in catalog order, for a shop
    of up to 500 products), each slice of a bucket read from `cache` when it has it.
    """
    store = catalog.store
    route = localize(MERCHANT_FEED_ROUTE, locale, store)
    home = absolute(localize("/", locale, store), store)
    tagline = store.tagline.get(locale) or store.tagline.get(store.default_locale) or store.name
    feed = _LocaleFeed(catalog, locale)

    def make(bucket: tuple[Product, ...]) -> bytes:
        # A product without this locale's translation has no page to offer in it (its
        # page repeats the default text, noindex): Merchant Center wants the feed's
        # language in every item, so it is left out, as from the sitemap.
        return "".join(
            item
            for product in bucket
            if locale not in product.untranslated
            for item in merchant_items(feed, product)
        ).encode()

    # Bytes from here on: the items of a large shop are tens of MB, kept and joined as they are.
    items = [
        cache.part(f"feed:{locale}", bucket, partial(make, bucket)) if cache else make(bucket)
        for bucket in product_parts(catalog.products)
    ]
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">\n<channel>\n'
        f"<title>{escape(store.name)}</title>\n<link>{escape(home)}</link>\n"
        # Feed readers render RSS 2.0's <description> as HTML: escape the plain text for HTML too.
        f"<description>{escape(html.escape(tagline, quote=False))}</description>\n"
        f"<language>{escape(locale)}</language>\n"
    )
    return OutputFile(route.lstrip("/"), b"".join([head.encode(), *items, b"</channel>\n</rss>\n"]))


def build_feeds(catalog: Catalog, cache: BucketCache | None = None) -> Iterator[OutputFile]:
    """Every feed of the shop: Merchant Center and Atom, one of each per locale."""
    for locale in catalog.store.locales:
        yield build_merchant_feed(catalog, locale, cache)
        yield build_atom_feed(catalog, locale)
