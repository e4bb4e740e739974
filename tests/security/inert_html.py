"""Checks that a parsed HTML document runs nothing it was not meant to: for the escaping tests."""

from __future__ import annotations

import json

import lxml.html

# Script elements the theme writes: data blocks (parsed as JSON) or its own files.
DATA_SCRIPT_TYPES = frozenset({"application/ld+json", "application/json"})
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data")


def active_content(doc: lxml.html.HtmlElement) -> list[str]:
    """Everything in `doc` that could run script: handlers, javascript: URLs, foreign scripts."""
    found: list[str] = []
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        tag = element.tag.lower()
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"<{tag} {name}={value!r}>")
            if name.lower() in URL_ATTRIBUTES and value.strip().lower().startswith("javascript:"):
                found.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed", "base"):
            found.append(f"<{tag}>")
        if tag == "script":
            found.extend(_script_problems(element))
    return found


def _script_problems(script: lxml.html.HtmlElement) -> list[str]:
    text = script.text or ""
    source = script.get("src")
    if source is not None:
        own = source.startswith("/") and not source.startswith("//")
        return [] if own and not text.strip() else [f"<script src={source!r}>{text[:60]}"]
    kind = (script.get("type") or "").lower()
    if kind not in DATA_SCRIPT_TYPES:
        return [f"<script type={kind!r}>{text[:60]}"]
    try:
        json.loads(text)
    except ValueError:
        return [f"<script type={kind!r}> is not JSON (broken out of?): {text[:60]}"]
    # Inside a script element these would end it (or open an escape) early.
    lowered = text.lower()
    return [f"<script type={kind!r}> holds {bad}" for bad in ("</", "<!--") if bad in lowered]
