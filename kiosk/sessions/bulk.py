"""Python's cycle collector paused while the designer's side does its bulk work.

Importing and reporting a year of answers makes millions of small objects (each event's
dict, each row's tuple, each tally) that hold no reference cycles. Python's cycle collector
looks at the young objects every 700 new ones, and now and then at every object alive, again
and again as the heap grows: 13-20% of the time of reading a big bundle, or of taking its
rows back from the reading process. While paused, objects are still freed by their
reference counts, as always; anything caught in a cycle is collected once it runs again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector for the block (nested blocks leave it to the outermost)."""
    was_running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_running:
            gc.enable()
