"""Search-engine metadata of a page: title, description, canonical, hreflang, social cards.

Limits follow what search results display: titles are cut at about 60
characters and descriptions at about 155, so longer text is clipped at a word
boundary here rather than by the search engine in the middle of a word.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from babel.core import get_global

from storefront.model import Store
from storefront.urls import absolute, localize

TITLE_MAX = 60
DESCRIPTION_MAX = 155
DESCRIPTION_MIN = 70  # shorter descriptions are topped up with the next fallback

_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True, slots=True)
class Alternate:
    """One hreflang alternate of a page (including the page itself and x-default)."""

    hreflang: str
    href: str  # absolute URL


@dataclass(frozen=True, slots=True)
class SocialImage:
    """The picture a shared link shows (Open Graph, Twitter), with its size in pixels."""

    url: str  # absolute
    alt: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class PageMeta:
    """Everything a page's <head> says to search engines and social networks."""

    title: str
    description: str
    canonical: str  # absolute URL
    alternates: tuple[Alternate, ...]
    indexable: bool
    og_type: str  # "website" | "product" | "article"
    og_image: SocialImage | None
    og_locale: str  # "en_US"
    json_ld: tuple[dict[str, Any], ...] = field(default=())

    @property
    def robots(self) -> str:
        """The robots meta value: pages that are not indexable are also not followed."""
        return "index, follow" if self.indexable else "noindex, follow"


def clip(text: str, limit: int) -> str:
    """Collapse whitespace and cut at a word boundary to at most `limit` characters."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.–-") + "…"


def page_title(name: str, store_name: str) -> str:
    """`Name | Store` when it fits, else the page name alone (clipped)."""
    name = _SPACES.sub(" ", name).strip()
    if not name or not store_name or name == store_name:
        return clip(name or store_name, TITLE_MAX)
    combined = f"{name} | {store_name}"
    return combined if len(combined) <= TITLE_MAX else clip(name, TITLE_MAX)


def page_description(candidates: Sequence[str]) -> str:
    """The first non-empty candidate, topped up from later ones while too short.

    Only whole sentences of the later ones are added, while they fit: a top-up clipped
    mid-phrase ("Free delivery from…") read as a broken snippet. Only the first, the
    page's own text, is clipped when it alone is too long.
    """
    parts: list[str] = []
    for candidate in candidates:
        text = _SPACES.sub(" ", candidate).strip()
        if not text:
            continue
        for sentence in _SENTENCE_END.split(text) if parts else [text]:
            sentence = sentence if sentence[-1] in ".!?…" else sentence + "."
            if parts and len(" ".join([*parts, sentence])) > DESCRIPTION_MAX:
                break
            parts.append(sentence)
        if len(" ".join(parts)) >= DESCRIPTION_MIN:
            break
    return clip(" ".join(parts), DESCRIPTION_MAX)


def hreflang(locale: str) -> str:
    """BCP 47 language tag of a locale code: `fr_CA` → `fr-CA`."""
    return locale.replace("_", "-")


def og_locale(locale: str) -> str:
    """Open Graph locale (`language_TERRITORY`), using CLDR likely subtags for bare languages."""
    if "_" in locale:
        return locale
    likely = get_global("likely_subtags")
    parts = str(likely.get(locale, locale)).split("_")
    territory = next((p for p in parts[1:] if len(p) == 2 and p.isupper()), None)
    return f"{parts[0]}_{territory}" if territory else parts[0]


def alternates(
    route: str, store: Store, leaving_out: Collection[str] = ()
) -> tuple[Alternate, ...]:
    """The page in every locale but `leaving_out`, plus x-default at the default locale.

    None when fewer than two locales are left: a page in one language has no alternate.
    """
    links = [
        Alternate(hreflang(locale), absolute(localize(route, locale, store), store))
        for locale in store.locales
        if locale not in leaving_out
    ]
    if len(links) < 2:
        return ()
    default = absolute(localize(route, store.default_locale, store), store)
    return (*links, Alternate("x-default", default))
