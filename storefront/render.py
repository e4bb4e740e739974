"""Render the storefront: every planned page through its template, plus assets and images.

`render_site` only produces `OutputFile`s; writing them (and refusing to write
one path twice) is the pipeline's job. Templates receive everything through
their context, so rendering is a pure function of the catalog and `site/`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storefront.images import ImagePlan
from storefront.minify import minify_page
from storefront.model import Catalog
from storefront.output import OutputFile
from storefront.plan_pages import PlannedPage, plan_pages
from storefront.site_assets import SiteAssets, collect_assets, product_images
from storefront.templating import json_for_script, make_environment
from storefront.ui_strings import UiStrings, load_ui_strings
from storefront.urls import localize

# Scripts every page loads when they exist under site/assets/js/ (all `defer`).
COMMON_SCRIPTS = ("js/site.js", "js/cart.js")
# Extra scripts per page kind; besides these, a page of kind K loads js/K.js if present.
KIND_SCRIPTS: dict[str, tuple[str, ...]] = {
    "product": ("js/stock.js",),
    "category": ("js/filters.js",),
    "search": ("js/spelling.js",),  # typo correction, before js/search.js which uses it
}


def page_scripts(kind: str, assets: SiteAssets) -> list[str]:
    """Public paths of the scripts a page of `kind` loads, in order, without duplicates."""
    wanted = [*COMMON_SCRIPTS, *KIND_SCRIPTS.get(kind, ()), f"js/{kind}.js"]
    return [assets.paths[name] for name in dict.fromkeys(wanted) if name in assets.paths]


def page_styles(kind: str, assets: SiteAssets) -> str:
    """The CSS inlined in a page of `kind`: css/site.css, then css/<kind>.css if present.

    Inlined rather than linked so the first view needs no extra request; split per
    page kind so no page carries the rules of the others.
    """
    names = dict.fromkeys(("css/site.css", f"css/{kind}.css"))
    return "\n".join(assets.stylesheets[name] for name in names if name in assets.stylesheets)


def client_config(catalog: Catalog, strings: UiStrings) -> dict[str, Any]:
    """What the page scripts need: strings, locale, currency and a few site paths."""
    store = catalog.store
    threshold = catalog.shipping.free_threshold
    return {
        "locale": strings.locale,
        "lang": strings.locale.replace("_", "-"),
        "currency": store.currency,
        "low_stock_threshold": store.low_stock_threshold,
        "free_shipping_threshold": threshold.to_json() if threshold else None,
        "paths": {
            name: localize(route, strings.locale, store)
            for name, route in (
                ("home", "/"),
                ("cart", "/cart/"),
                ("search", "/search/"),
                ("order", "/order/"),
                ("checkout_success", "/checkout/success/"),
                ("checkout_cancel", "/checkout/cancel/"),
            )
        },
        "strings": dict(strings.js),
    }


def render_page(page: PlannedPage, env_context: dict[str, Any], template_source: Any) -> OutputFile:
    """Render one planned page with the shared context added."""
    html = minify_page(template_source.render({**env_context, **page.context}))
    return OutputFile(page.output, html.encode("utf-8"))


def render_site(
    catalog: Catalog, site_dir: Path, images: ImagePlan | None = None
) -> Iterator[OutputFile]:
    """Every HTML page in every locale, the hashed assets and the product images.

    With an image plan, pictures get responsive `<picture>` markup (storefront/images.py
    makes the variant files); without one (`build.py --no-images`), plain `<img>`s of
    the originals.
    """
    strings = load_ui_strings(site_dir / "i18n", catalog.store.locales)
    assets = collect_assets(site_dir / "assets")
    env = make_environment(site_dir / "templates")
    # Serialised once per locale: the same JSON goes into every page of that locale.
    configs = {
        locale: json_for_script(client_config(catalog, ui)) for locale, ui in strings.items()
    }
    for page in plan_pages(catalog, strings):
        shared = {
            "assets": assets.paths,
            "inline_css": page_styles(page.kind, assets),
            "scripts": page_scripts(page.kind, assets),
            "client_json": configs[page.locale],
            "responsive_images": images,
        }
        yield render_page(page, shared, env.get_template(page.template))
    yield from assets.files
    yield from product_images(catalog)
