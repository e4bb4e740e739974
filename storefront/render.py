"""Render the storefront: every planned page through its template, plus assets and images.

`render_site` only produces `OutputFile`s; writing them (and refusing to write
one path twice) is the pipeline's job. Templates receive everything through
their context, so rendering is a pure function of the catalog and `site/`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from markupsafe import Markup
from shop.money import currency_exponent
from shop.site_paths import CART_PAGE, HOME_PAGE, ORDER_PAGE

from storefront.images import ImagePlan
from storefront.model import Catalog
from storefront.output import OutputFile
from storefront.page_fragments import PageFragments
from storefront.plan_pages import plan_pages
from storefront.planned_page import PlannedPage
from storefront.site_assets import SiteAssets, collect_assets, product_images
from storefront.template_errors import theme_error
from storefront.templating import json_for_script, make_environment
from storefront.ui_strings import UiStrings, load_ui_strings
from storefront.urls import localize

COMPILED_TEMPLATES = Path(".cache/templates")  # relative to where the build runs, like dist/
# Scripts every page loads when they exist under site/assets/js/ (all `defer`). site.js
# carries the header cart counter and add to cart; the cart page's own js/cart.js comes
# with its page kind, so product pages stay within their 14 KB budget.
COMMON_SCRIPTS = ("js/site.js",)
# Extra scripts per page kind; besides these, a page of kind K loads js/K.js if present.
KIND_SCRIPTS: dict[str, tuple[str, ...]] = {
    "category": ("js/filters.js",),
    "search": ("js/spelling.js",),  # typo correction, before js/search.js which uses it
    "checkout_success": ("js/order.js",),  # shows the order just paid
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
    """What the page scripts read: strings, locale, currency and the site paths they link to.

    Nothing more: it is in every page, inside the product page's 14 KB (the stock
    levels and free-delivery progress come from the API's answers).
    """
    store = catalog.store
    return {
        # The language tag is the page's <html lang>, which the scripts read.
        "locale": strings.locale,
        "currency": store.currency,
        # Decimals of the API's minor units, as Stripe counts them (shop.money): Intl's own
        # differ for some currencies (HUF: 0 in Chrome, 2 for Stripe and CLDR).
        "exponent": currency_exponent(store.currency),
        "paths": {
            name: localize(route, strings.locale, store)
            for name, route in (("home", HOME_PAGE), ("cart", CART_PAGE), ("order", ORDER_PAGE))
        },
        "strings": dict(strings.js),
    }


class Renderer:
    """Renders planned pages: the theme, strings and assets, loaded once per build.

    A parallel build forks after creating it, so every worker renders with the same
    compiled templates and shared data without pickling any of it.
    """

    def __init__(
        self,
        catalog: Catalog,
        site_dir: Path,
        images: ImagePlan | None = None,
        assets: SiteAssets | None = None,
    ) -> None:
        strings = load_ui_strings(site_dir / "i18n", catalog.store.locales)
        self.assets = assets if assets is not None else collect_assets(site_dir / "assets")
        self.templates_dir = site_dir / "templates"
        self.env = make_environment(self.templates_dir, COMPILED_TEMPLATES)
        # Cards, menu and footer: rendered and minified once per process (forked workers
        # each fill their own), then spliced into every page that shows them.
        self.fragments = PageFragments()
        self.env.globals["memo"] = self.fragments.memo
        self.images = images
        self.pages = plan_pages(catalog, strings)
        self._configs = {locale: client_config(catalog, ui) for locale, ui in strings.items()}
        # Serialised once per locale and set of scripts, with only the strings those scripts use.
        self._client_json: dict[tuple[str, tuple[str, ...]], Markup] = {}

    def _shared(self, page: PlannedPage) -> dict[str, Any]:
        scripts = page_scripts(page.kind, self.assets)
        key = (page.locale, tuple(scripts))
        if key not in self._client_json:
            config = self.assets.fields_read_by(scripts, self._configs[page.locale])
            if "paths" in config:
                config["paths"] = self.assets.fields_read_by(scripts, config["paths"])
            used = self.assets.strings_used_by(scripts, config["strings"])
            self._client_json[key] = json_for_script({**config, "strings": used})
        return {
            "assets": self.assets.paths,
            "inline_css": page_styles(page.kind, self.assets),
            "scripts": scripts,
            "client_json": self._client_json[key],
            "responsive_images": self.images,
        }

    def render(self, page: PlannedPage) -> bytes:
        """One page's HTML, minified, as bytes; ThemeError when its template fails."""
        try:
            template = self.env.get_template(page.template)
            html = template.render({**self._shared(page), **page.context()})
        except Exception as exc:
            error = theme_error(exc, self.templates_dir, page.output)
            if error is None:
                raise
            raise error from None
        return self.fragments.minify(html).encode("utf-8")


def render_site(
    catalog: Catalog, site_dir: Path, images: ImagePlan | None = None
) -> Iterator[OutputFile]:
    """Every HTML page in every locale, the hashed assets and the product images.

    With an image plan, pictures get responsive `<picture>` markup (storefront/images.py
    makes the variant files); without one (`build.py --no-images`), plain `<img>`s of
    the originals.
    """
    renderer = Renderer(catalog, site_dir, images)
    for page in renderer.pages:
        yield OutputFile(page.output, renderer.render(page))
    yield from renderer.assets.files
    yield from product_images(catalog)
