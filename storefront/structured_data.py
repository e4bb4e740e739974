"""JSON-LD (schema.org) for rich results: Organization, WebSite, Product(Group), breadcrumbs.

The return policy and the shipping details are defined once per page as nodes
with an `@id` (the policy under the Organization) and every offer references
them, instead of repeating them in each variant. A delivery option has one node
per cost the page's offers get: its price, and 0.00 for offers at or above the
free-delivery threshold, by the checkout's own rule (`shop.shipping_rates`).
Prices are decimal strings from `Money`, never floats.
"""

from __future__ import annotations

from typing import Any

from shop.money import Money
from shop.shipping_rates import shipping_price

from storefront.model import Catalog, Product, ShippingOption, Variant
from storefront.option_attributes import option_attributes
from storefront.urls import absolute, image_path, localize, product_route
from storefront.variant_picker import variant_image
from storefront.views import Crumb, average_rating

SCHEMA = "https://schema.org"
# Option names that Google understands in `variesBy`, and the property each maps to.
JsonLd = dict[str, Any]


def organization_id(catalog: Catalog) -> str:
    """The @id of the shop's Organization node."""
    return catalog.store.base_url + "/#organization"


def return_policy_id(catalog: Catalog) -> str:
    """The @id of the shop-wide MerchantReturnPolicy node."""
    return catalog.store.base_url + "/#return-policy"


def shipping_id(catalog: Catalog, option: ShippingOption, cost: Money) -> str:
    """The @id of one delivery option's OfferShippingDetails node at `cost`."""
    # Offers over the free-delivery threshold point to a node of their own at 0.00.
    free = cost != option.price
    return f"{catalog.store.base_url}/#shipping-{option.id}{'-free' if free else ''}"


def _delivery_rates(catalog: Catalog, price: Money) -> list[tuple[ShippingOption, Money]]:
    """Each delivery option (pickup is not shipping) with its cost for one unit at `price`.

    The checkout's rule, so an offer advertises what the shopper would pay for it.
    """
    return [
        (option, shipping_price(option, price, catalog.shipping))
        for option in catalog.shipping.options
        if option.kind == "delivery"
    ]


def _return_policy(catalog: Catalog) -> JsonLd:
    policy = catalog.returns
    node: JsonLd = {
        "@type": "MerchantReturnPolicy",
        "@id": return_policy_id(catalog),
        "applicableCountry": list(catalog.shipping.countries),
        "returnPolicyCategory": f"{SCHEMA}/MerchantReturnFiniteReturnWindow",
        "merchantReturnDays": policy.days,
        "returnMethod": f"{SCHEMA}/ReturnByMail",
    }
    if catalog.store.contact.country:
        # Where returns are sent: the shop's own country (Google recommends it).
        node["returnPolicyCountry"] = catalog.store.contact.country
    if policy.free:
        node["returnFees"] = f"{SCHEMA}/FreeReturn"
    elif policy.fee is not None:
        node["returnFees"] = f"{SCHEMA}/ReturnShippingFees"
        node["returnShippingFeesAmount"] = {
            "@type": "MonetaryAmount",
            "value": policy.fee.to_decimal_string(),
            "currency": policy.fee.currency,
        }
    else:
        node["returnFees"] = f"{SCHEMA}/ReturnFeesCustomerResponsibility"
    return node


def _days(low: int, high: int) -> JsonLd:
    return {"@type": "QuantitativeValue", "minValue": low, "maxValue": high, "unitCode": "DAY"}


def shipping_details(catalog: Catalog, product: Product) -> list[JsonLd]:
    """One OfferShippingDetails node per delivery option and cost the product's offers use."""
    rates: dict[str, tuple[ShippingOption, Money]] = {}
    for variant in product.variants:
        for option, cost in _delivery_rates(catalog, variant.price):
            rates.setdefault(shipping_id(catalog, option, cost), (option, cost))
    return [
        {
            "@type": "OfferShippingDetails",
            "@id": node_id,
            "shippingRate": {
                "@type": "MonetaryAmount",
                "value": cost.to_decimal_string(),
                "currency": cost.currency,
            },
            "shippingDestination": [
                {"@type": "DefinedRegion", "addressCountry": country}
                for country in catalog.shipping.countries
            ],
            "deliveryTime": {
                "@type": "ShippingDeliveryTime",
                "handlingTime": _days(*catalog.shipping.handling_days),
                "transitTime": _days(option.min_days, option.max_days),
            },
        }
        for node_id, (option, cost) in rates.items()
    ]


def organization(catalog: Catalog) -> JsonLd:
    """The shop as an OnlineStore, with contact details and its return policy."""
    store = catalog.store
    node: JsonLd = {
        "@type": "OnlineStore",
        "@id": organization_id(catalog),
        "name": store.name,
        "legalName": store.legal.name,
        "url": store.base_url + "/",
        "email": store.contact.email,
        "contactPoint": {
            "@type": "ContactPoint",
            "contactType": "customer service",
            "email": store.contact.email,
        },
        "hasMerchantReturnPolicy": _return_policy(catalog),
    }
    if store.contact.phone:
        node["telephone"] = store.contact.phone
        node["contactPoint"]["telephone"] = store.contact.phone
    if store.contact.address_lines:
        node["address"] = {
            "@type": "PostalAddress",
            "streetAddress": store.contact.address_lines[0],
            **({"postalCode": store.contact.postal_code} if store.contact.postal_code else {}),
            **({"addressLocality": store.contact.locality} if store.contact.locality else {}),
            "addressCountry": store.contact.country,
        }
    if store.legal.vat_id:
        node["vatID"] = store.legal.vat_id
    return node


def website(catalog: Catalog, locale: str) -> JsonLd:
    """The WebSite node with the site search box (SearchAction) for `locale`."""
    store = catalog.store
    search = absolute(localize("/search/", locale, store), store)
    return {
        "@type": "WebSite",
        "@id": absolute(localize("/", locale, store), store) + "#website",
        "name": store.name,
        "url": absolute(localize("/", locale, store), store),
        "inLanguage": locale.replace("_", "-"),
        "publisher": {"@id": organization_id(catalog)},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": search + "?q={search_term_string}"},
            "query-input": "required name=search_term_string",
        },
    }


def breadcrumb_list(crumbs: list[Crumb], home_name: str, catalog: Catalog, locale: str) -> JsonLd:
    """A BreadcrumbList of absolute URLs; the current page (last) is named but not linked."""
    items: list[JsonLd] = []
    for position, crumb in enumerate(crumbs, start=1):
        item: JsonLd = {"@type": "ListItem", "position": position, "name": crumb.name or home_name}
        if position < len(crumbs):
            item["item"] = absolute(localize(crumb.route, locale, catalog.store), catalog.store)
        items.append(item)
    return {"@type": "BreadcrumbList", "itemListElement": items}


def _offer(catalog: Catalog, product: Product, variant: Variant, url: str) -> JsonLd:
    offer: JsonLd = {
        "@type": "Offer",
        "url": url,
        "price": variant.price.to_decimal_string(),
        "priceCurrency": variant.price.currency,
        "availability": f"{SCHEMA}/{'InStock' if variant.in_stock else 'OutOfStock'}",
        "itemCondition": f"{SCHEMA}/NewCondition",
        "seller": {"@id": organization_id(catalog)},
        "hasMerchantReturnPolicy": {"@id": return_policy_id(catalog)},
        "shippingDetails": [
            {"@id": shipping_id(catalog, option, cost)}
            for option, cost in _delivery_rates(catalog, variant.price)
        ],
    }
    if variant.on_sale and variant.compare_at is not None:
        # Google shows the "was" price as a strikethrough price specification.
        offer["priceSpecification"] = {
            "@type": "UnitPriceSpecification",
            "priceType": f"{SCHEMA}/StrikethroughPrice",
            "price": variant.compare_at.to_decimal_string(),
            "priceCurrency": variant.compare_at.currency,
        }
        if product.sale_ends is not None:
            offer["priceValidUntil"] = product.sale_ends.isoformat()
    return offer


def _reviews(product: Product) -> JsonLd:
    rating = average_rating(product)
    if rating is None:
        return {}
    return {
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": str(rating),
            "reviewCount": len(product.reviews),
            "bestRating": 5,
            "worstRating": 1,
        },
        "review": [
            {
                "@type": "Review",
                "author": {"@type": "Person", "name": r.author},
                "datePublished": r.date.isoformat(),
                **({"name": r.title} if r.title else {}),  # a review may have no title
                "reviewBody": r.body,
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": r.rating,
                    "bestRating": 5,
                    "worstRating": 1,
                },
            }
            for r in product.reviews
        ],
    }


def product_node(catalog: Catalog, product: Product, locale: str) -> JsonLd:
    """Product (one variant) or ProductGroup with `hasVariant` (several variants)."""
    store = catalog.store
    text = product.text(locale, store.default_locale)
    url = absolute(localize(product_route(product.slug), locale, store), store)
    images = [absolute(image_path(image.src), store) for image in product.images]
    common: JsonLd = {
        "name": text.title,
        "description": text.summary,
        "url": url,
        "image": images,
        "brand": {"@type": "Brand", "name": product.brand},
        **_reviews(product),
    }
    if len(product.variants) == 1:
        variant = product.variants[0]
        node: JsonLd = {"@type": "Product", "@id": url + "#product", "sku": variant.sku, **common}
        node.update(_identifiers(variant))
        node["offers"] = _offer(catalog, product, variant, url)
        return node
    varies = option_attributes(product)
    group: JsonLd = {
        "@type": "ProductGroup",
        "@id": url + "#product",
        "productGroupID": product.slug,
        **common,
        # The model's part number: each variant has its own, or none (validate_variants.py).
        **({"mpn": product.mpn} if product.mpn else {}),
        "variesBy": [f"{SCHEMA}/{attribute}" for attribute in varies.values()],
        "hasVariant": [],
    }
    for variant in product.variants:
        variant_url = f"{url}?sku={variant.sku}"
        # The photo of this colour (or pattern…) when one names it, as the picker shows.
        position = variant_image(product, variant, store.default_locale) or 1
        item: JsonLd = {
            "@type": "Product",
            "sku": variant.sku,
            "name": f"{text.title} – {product.variant_label(variant, locale)}",
            "url": variant_url,
            "image": images[position - 1],
            **_identifiers(variant),
        }
        for option in product.options:
            attribute = varies.get(option.name)
            if attribute and option.name in variant.options:
                # In the page's language, as the page shows it ("Noir" on a French page).
                item[attribute] = option.value_label(variant.options[option.name], locale)
        item["offers"] = _offer(catalog, product, variant, variant_url)
        group["hasVariant"].append(item)
    return group


def _identifiers(variant: Variant) -> JsonLd:
    found: JsonLd = {}
    if variant.gtin:
        found["gtin"] = variant.gtin
    if variant.mpn:
        found["mpn"] = variant.mpn
    return found


def graph(*nodes: JsonLd) -> JsonLd:
    """One JSON-LD document holding `nodes`, so `@id` references resolve within the page."""
    return {"@context": SCHEMA, "@graph": list(nodes)}
