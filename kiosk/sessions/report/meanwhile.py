"""What the report does without the screen tallies, done by a second process while SQLite
counts them: ``responses.csv``, then the tasks, the taps and the passages heard again.

The report is mostly SQLite sorting on one core; these parts need none of its counts, so
they run beside it, in a process (Python threads would only take turns), reading the store's
file read-only. Where no second process can run (a frozen program, a machine out of
processes) or the store is in memory (a report from lists), the same functions run here.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class SideCounts:
    """The counts the second process brings back (all small: per task, per screen)."""

    tasks: dict
    taps: dict
    part_replays: dict


def side_work(store: Any, responses: Path) -> SideCounts:
    """Write ``responses.csv``, then count tasks, taps and passages heard again."""
    from kiosk.sessions.breakdowns import tasks_from_store
    from kiosk.sessions.heatmap import taps_from_store
    from kiosk.sessions.report.files import write_responses
    from kiosk.sessions.report.gather import part_replays

    write_responses(store.db, responses)
    return SideCounts(tasks_from_store(store), taps_from_store(store), part_replays(store))


def side_work_from_file(store_file: str, responses: str) -> SideCounts:
    """:func:`side_work` in the second process, on the store's file opened read-only."""
    from kiosk.sessions.designer_store import SqliteStore

    store = SqliteStore.reading(Path(store_file))
    try:
        return side_work(store, Path(responses))
    finally:
        store.close()


def start_side_work(store: Any, responses: Path) -> Callable[[], SideCounts]:
    """Start :func:`side_work` in a second process; returns what waits for its counts."""
    if store.folder is None:
        return lambda: side_work(store, responses)
    from kiosk.sessions.designer_store import STORE_DB

    worker = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        started = worker.submit(side_work_from_file, str(store.folder / STORE_DB),
                                str(responses))
    except (BrokenExecutor, OSError):  # no second process here: done when waited for
        worker.shutdown()
        return lambda: side_work(store, responses)

    def wait() -> SideCounts:
        try:
            return started.result()
        except BrokenExecutor:
            return side_work(store, responses)
        finally:
            worker.shutdown()
    return wait
