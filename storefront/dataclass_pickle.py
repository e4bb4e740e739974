"""Pickling the build's frozen dataclasses fast: each as its class and field values.

The product cache (storefront/product_cache.py) stores every validated product as a
pickle. Python's own pickling of a frozen, slotted dataclass calls fields() and
setattr per object on load; for the 130,000 objects of a 10,000-product cache that
was half of the unpickling time.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from collections.abc import Callable

_FIELDS: dict[type, tuple[str, ...]] = {}  # dataclass -> its field names, in order


def _field_names(cls: type) -> tuple[str, ...] | None:
    names = _FIELDS.get(cls)
    if names is None and dataclasses.is_dataclass(cls):
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def rebuild_dataclass(cls: type, values: tuple[object, ...]) -> object:
    """A dataclass instance from its field values, bypassing __init__ and frozen-ness.

    What a frozen dataclass's own __setstate__ does, without calling fields() for
    each of the 130,000 objects of a 10,000-product cache: unpickling takes half as long.
    """
    instance: object = object.__new__(cls)
    for name, value in zip(_FIELDS.get(cls) or _field_names(cls) or (), values, strict=True):
        object.__setattr__(instance, name, value)
    return instance


_Reduced = tuple[Callable[..., object], tuple[object, ...]]
_AS_USUAL: _Reduced = NotImplemented  # reducer_override's "pickle this one as usual"


class _Pickler(pickle.Pickler):
    """Pickles dataclasses (the model's, Money, drafts) as their field values."""

    def reducer_override(self, obj: object) -> _Reduced:
        """A dataclass instance as `rebuild_dataclass(cls, values)`; anything else as usual."""
        names = _field_names(type(obj))
        if names is None or isinstance(obj, type):
            return _AS_USUAL
        return rebuild_dataclass, (type(obj), tuple(getattr(obj, name) for name in names))


def dump_dataclasses(value: object) -> bytes:
    """`value` pickled, each dataclass in it as its class and field values."""
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def load_pickled(data: bytes) -> object:
    """What `dump_dataclasses` pickled; None when it cannot be unpickled (check its type)."""
    try:
        return pickle.loads(data)  # noqa: S301 - the caller's own cache, checksum verified
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError, ValueError):
        return None
