"""Pausing Python's cycle collector while the build makes objects that all live on.

The collector runs every few hundred allocations and, now and then, walks every
object alive. Loading 10,000 products allocates millions of objects and frees
almost none (none in cycles), so those walks are pure cost: a third of the
validation time. Measured at 10,000 products: the same peak memory with the
collector paused, 12 s instead of 17 s for a cold load and half the time for a
warm one (storefront/product_cache.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector inside the block (nested blocks are fine)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
