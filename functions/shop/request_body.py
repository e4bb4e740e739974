"""Read a JSON request body into a typed pydantic model, with the shop's error semantics.

Order of checks: size (413 `body_too_large`), JSON syntax (400 `invalid_json`),
then shape and types (422 `invalid_request`, naming the field). Models are
strict and forbid extra fields: a client sends SKUs and quantities, and a
stray `price` is rejected rather than silently ignored.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import TypeVar
from urllib.parse import parse_qs

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shop.errors import (
    BodyTooLargeError,
    InvalidJsonError,
    RequestValidationError,
    UnsupportedMediaTypeError,
    shown_value,
)
from shop.sku import SKU_PATTERN, check_sku

__all__ = [
    "FORM_CONTENT_TYPE",
    "JSON_CONTENT_TYPE",
    "AddItemRequest",
    "SetQuantityRequest",
    "body_text",
    "check_sku",
    "parse_body",
    "parse_form",
]

# What a plain HTML form posts (the product page's add-to-cart, without JavaScript).
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
_MAX_FORM_FIELDS = 50
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")

M = TypeVar("M", bound=BaseModel)


class StrictModel(BaseModel):
    """Base of request models: strict types, no unknown fields, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class AddItemRequest(StrictModel):
    """POST /api/cart/items."""

    sku: str = Field(pattern=SKU_PATTERN)
    quantity: int = 1


class SetQuantityRequest(StrictModel):
    """PATCH /api/cart/items/{sku}."""

    quantity: int


def _describe(error: ValidationError) -> RequestValidationError:
    first = error.errors(include_url=False)[0]
    field = ".".join(str(part) for part in first["loc"]) or "body"
    kind = first["type"]
    if kind == "missing":
        expected = "is required"
    elif kind == "extra_forbidden":
        expected = "is not an accepted field"
    elif kind == "string_pattern_mismatch":
        given = shown_value(first["input"])
        expected = f"expected a SKU (uppercase letters, digits, hyphens), got {given}"
    else:
        expected = f"{first['msg'].lower()}, got {shown_value(first['input'])}"
    return RequestValidationError(field, expected)


def body_text(body: str | None, is_base64: bool, limit: int) -> str:
    """The request body as text, undoing API Gateway's base64; refuses oversized or non-UTF-8."""
    raw = body or ""
    # Checked before decoding: base64 only shrinks, so an oversized body is refused unread.
    if len(raw) > limit * 2:
        raise BodyTooLargeError(len(raw), limit)
    if not is_base64:
        return raw
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidJsonError("the base64 body does not decode") from exc
    if len(data) > limit:
        raise BodyTooLargeError(len(data), limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidJsonError(f"expected UTF-8 text, byte {exc.start} is not") from exc


def parse_form(text: str, model: type[M], limit: int) -> M:
    """A form-encoded body validated as `model`; fields the model does not name are ignored.

    The product page's form also posts its option pickers (`option-size`, …);
    only the model's fields matter. Integers must be plain digits.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise BodyTooLargeError(size, limit)
    try:
        fields = parse_qs(text, keep_blank_values=True, max_num_fields=_MAX_FORM_FIELDS)
    except ValueError as exc:
        raise RequestValidationError("body", f"expected at most {_MAX_FORM_FIELDS} fields") from exc
    data: dict[str, object] = {}
    for name, info in model.model_fields.items():
        values = fields.get(name)
        if not values:
            continue
        if len(values) > 1:
            raise RequestValidationError(name, f"expected one value, got {len(values)}")
        value = values[0].strip()
        if info.annotation is int:
            if not _WHOLE_NUMBER.fullmatch(value):
                raise RequestValidationError(name, f"expected a whole number, got {value!r}")
            data[name] = int(value)
        else:
            data[name] = value
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _describe(exc) from exc


OPTION_FIELD = "option-"  # the product page's option pickers: option-size, option-color, …


def form_options(text: str) -> dict[str, str]:
    """The options a product form chose, `option-<name>=<value>` → {name: value}.

    Call after `parse_form` accepted the same text (size and field count are checked there).
    """
    fields = parse_qs(text, keep_blank_values=True, max_num_fields=_MAX_FORM_FIELDS)
    chosen: dict[str, str] = {}
    for name, values in fields.items():
        if name.startswith(OPTION_FIELD) and len(name) > len(OPTION_FIELD):
            if len(values) > 1:
                raise RequestValidationError(name, f"expected one value, got {len(values)}")
            chosen[name.removeprefix(OPTION_FIELD)] = values[0].strip()
    return chosen


JSON_CONTENT_TYPE = "application/json"


def _not_json(constant: str) -> object:
    # Python's parser reads NaN and Infinity, which JSON does not have.
    raise ValueError(f"{constant} is not a JSON value")


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in pairs:
        if key in found:
            # Which one counts is up to each parser: an ambiguous request is refused.
            raise ValueError(f'the key "{key[:40]}" is given twice')
        found[key] = value
    return found


def parse_body(raw: str | None, model: type[M], limit: int, media_type: str | None = None) -> M:
    """Check the media type, size, decode JSON and validate it as `model`.

    `media_type` is the request's Content-Type without parameters (None: not checked).
    Raises the matching ShopError.
    """
    if media_type is not None and media_type != JSON_CONTENT_TYPE:
        raise UnsupportedMediaTypeError(media_type[:80], JSON_CONTENT_TYPE)
    text = raw or ""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise BodyTooLargeError(size, limit)
    if not text.strip():
        raise InvalidJsonError("the body is empty")
    try:
        data = json.loads(text, parse_constant=_not_json, object_pairs_hook=_unique_keys)
    except ValueError as exc:
        raise InvalidJsonError(str(exc)) from exc
    except RecursionError as exc:
        # A few KiB of "[[[[…" exhaust the parser's stack: a client error, not a crash.
        raise InvalidJsonError("nested too deeply") from exc
    if not isinstance(data, dict):
        raise RequestValidationError("body", f"expected a JSON object, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _describe(exc) from exc
