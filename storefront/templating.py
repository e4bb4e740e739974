"""The Jinja2 environment: strict, autoescaped, with locale-aware filters.

Templates get everything through their context and do no I/O. Filters that
depend on the page's language read `locale` (and `strings`, `store`) from the
template context, so one template renders every locale.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal
from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from markupsafe import Markup
from shop.config import CartLimits
from shop.money import Money
from shop.site_paths import CART_ADDED_ANCHOR, CART_FORM_REFUSALS

from storefront.ui_strings import UiStrings
from storefront.urls import localize


def format_money(money: Money, locale: str) -> str:
    """Money as shoppers in `locale` write it: "€129.00" (en), "129,00 €" (fr)."""
    return _format_amount(money.amount, money.currency, locale)


# A shop repeats the same few prices on thousands of pages; Babel's formatting
# is the slowest step of rendering, so each (amount, currency, locale) is done once.
@lru_cache(maxsize=8192)
def _format_amount(amount: int, currency: str, locale: str) -> str:
    return format_currency(Money(amount, currency).to_decimal(), currency, locale=locale)


@lru_cache(maxsize=4096)
def _format_date(value: date, form: str, locale: str) -> str:
    return format_date(value, format=form, locale=locale)


def json_for_script(data: Any) -> Markup:
    """JSON safe to place inside a <script> element (no `</script>` or `<!--` breakout)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped above for the script context


@pass_context
def _money(context: Context, money: Money) -> str:
    return format_money(money, context["locale"])


@pass_context
def _date(context: Context, value: date, form: str = "long") -> str:
    return _format_date(value, form, context["locale"])


@pass_context
def _number(context: Context, value: float | int, digits: int = 1) -> str:
    pattern = "#,##0." + "#" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=context["locale"])


@pass_context
def _join(context: Context, items: list[str]) -> str:
    return format_list(list(items), locale=context["locale"])


@pass_context
def _translate(context: Context, key: str, **params: object) -> str:
    strings: UiStrings = context["strings"]
    return strings.text(key, **params)


@pass_context
def _translate_plural(context: Context, key: str, count: int, **params: object) -> str:
    strings: UiStrings = context["strings"]
    return strings.plural(key, count, **params)


@pass_context
def _url(context: Context, route: str, locale: str | None = None) -> str:
    return localize(route, locale or context["locale"], context["store"])


@pass_context
def _asset(context: Context, name: str) -> str:
    assets: dict[str, str] = context["assets"]
    try:
        return assets[name]
    except KeyError:
        raise KeyError(f"asset {name!r}: not found under site/assets/") from None


def _fragment_memo() -> Callable[..., Markup]:
    """The `memo` global: `{% call memo(*key) %}…{% endcall %}` renders its body once per key.

    A product card, the menu and the footer come out the same on thousands of pages;
    Jinja would render them again on each. The template names in the key everything
    the body shows besides what is fixed for the environment's build (catalog, theme,
    image plan): one cache per environment, so a new build starts empty. The renderer
    puts its own in place, which also minifies each fragment once
    (storefront/page_fragments.py).
    """
    fragments: dict[tuple[Hashable, ...], Markup] = {}

    def memo(*key: Hashable, caller: Callable[[], str]) -> Markup:
        found = fragments.get(key)
        if found is None:
            found = fragments[key] = Markup(caller())  # noqa: S704 - autoescaped template output
        return found

    return memo


def make_environment(templates_dir: Path, compiled_dir: Path | None = None) -> Environment:
    """A Jinja2 environment over `templates_dir` with the shop's filters and globals.

    With `compiled_dir`, compiled templates are kept there between builds (Jinja checks
    each template's source and its own version): an edit that renders a dozen pages
    skips compiling the templates, a quarter of a second.
    """
    bytecode = None
    if compiled_dir is not None:
        # The options below shape the compiled code but are not in Jinja's key: a folder
        # per version of this module.
        options = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=8).hexdigest()
        (compiled_dir / options).mkdir(parents=True, exist_ok=True)
        bytecode = FileSystemBytecodeCache(str(compiled_dir / options))
    env = Environment(
        bytecode_cache=bytecode,
        loader=FileSystemLoader(templates_dir),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["money"] = _money
    env.filters["date"] = _date
    env.filters["number"] = _number
    env.filters["join_list"] = _join
    env.filters["json_script"] = json_for_script
    env.globals["t"] = _translate
    env.globals["tn"] = _translate_plural
    env.globals["url"] = _url
    env.globals["asset"] = _asset
    env.globals["memo"] = _fragment_memo()
    # The cart function's units-per-line limit (its default; CART_MAX_LINE_QUANTITY may
    # lower it): the quantity field's `max`, so the browser says so before the API refuses.
    env.globals["max_per_line"] = CartLimits().max_line_quantity
    env.globals["cart_refusals"] = CART_FORM_REFUSALS
    env.globals["cart_added_anchor"] = CART_ADDED_ANCHOR
    return env
