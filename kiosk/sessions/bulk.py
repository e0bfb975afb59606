"""The designer's side's bulk work: Python's cycle collector paused, and helper processes.

Importing and reporting a year of answers makes millions of small objects (each event's
dict, each row's tuple, each tally) that hold no reference cycles. Python's cycle collector
looks at the young objects every 700 new ones, and now and then at every object alive, again
and again as the heap grows: 13-20% of the time of reading a big bundle, or of taking its
rows back from the reading process. While paused, objects are still freed by their
reference counts, as always; anything caught in a cycle is collected once it runs again.

The import reads bundles, and the report does its second share of work, in helper processes
(the machine's other cores: Python threads would only take turns). On Linux a helper is
forked: a copy of this process, working at once. A fresh Python (spawn) first takes 0.1-0.2 s
of a core to start and import the modules again, a tenth of a 100,000-answer import or
report, all of it on the way. macOS's system libraries are not safe to fork, and Windows
cannot, so there it is a fresh Python, as Python itself does.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

FORKING = sys.platform == "linux"


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


def helper_processes(count: int = 1) -> list[ProcessPoolExecutor]:
    """``count`` helper processes, as pools to give work to in turn (``pools[n % len(pools)]``).

    Forked: one pool of them all, each forked at its first ``submit`` before the thread that
    tends them starts (a fork beside a running thread could deadlock). Spawned: a pool of one
    process each, since a pool of several starts its processes as work arrives, and if they
    die as they start (a frozen program) its own thread trips over the one starting (Python
    3.11 prints that as a traceback). A forked helper must never use a SQLite connection it
    inherited (https://www.sqlite.org/howtocorrupt.html, section 2.6): ours open their own.
    """
    if FORKING:
        return [ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"))]
    spawn = multiprocessing.get_context("spawn")
    return [ProcessPoolExecutor(1, mp_context=spawn) for _ in range(count)]
