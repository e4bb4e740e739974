"""The cache's pickling: frozen, slotted dataclasses come back equal, bad bytes come back None."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from shop.money import Money

from storefront.dataclass_pickle import dump_dataclasses, load_pickled


@dataclass(frozen=True, slots=True)
class Priced:
    """A frozen, slotted dataclass holding another, as the model's do."""

    name: str
    price: Money
    tags: tuple[str, ...] = ()


def test_frozen_slotted_dataclasses_round_trip_equal() -> None:
    value = {
        "a": Priced("Mug", Money(1290, "EUR"), ("camp",)),
        "b": [Priced("Cap", Money(0, "EUR"))],
    }

    assert load_pickled(dump_dataclasses(value)) == value


def test_each_dataclass_is_stored_as_its_class_and_field_values() -> None:
    # Not by pickle's own protocol for a slotted dataclass, whose __setstate__ calls
    # fields() for every object loaded.
    dumped = dump_dataclasses(Priced("Mug", Money(1290, "EUR")))

    assert dumped.count(b"rebuild_dataclass") == 1  # named once, memoized for the rest
    assert b"storefront.dataclass_pickle" in dumped


def test_bytes_that_do_not_unpickle_give_none() -> None:
    assert load_pickled(b"not a pickle") is None
    assert load_pickled(pickle.dumps(1)[:-1]) is None  # cut short
