"""What the report does without the screen tallies, done by a second process while SQLite
counts them: each person's language, the tasks, the taps and their heat maps, then
``responses.csv``, in the order this process needs them (the file last: only the end of the
report waits for it). (The passages heard again and the answers to "Was that easy to do?"
are counted by the first process: it finishes its own work sooner.)

The report is mostly SQLite sorting on one core; these parts need none of its counts, so
they run beside it, in a process (Python threads would only take turns), reading the store's
file read-only. Where no second process can run (a frozen program, a machine out of
processes) or the store is in memory (a report from lists), the same functions run here.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from kiosk.sessions.bulk import helper_processes, no_cycle_collection
from kiosk.sessions.heatmap import TapCounts

T = TypeVar("T")
HeatMaps = dict[tuple[str, int, str], str]  # (deck, version, screen) -> PNG data URI


@dataclass
class Taps:
    """Every screen's taps and misses counted (``TapCounts``) and its heat map, for the
    page's "Where people pressed" (the taps are read once, for both)."""

    taps: dict[tuple[str, int, str], TapCounts] = field(default_factory=dict)
    heat_maps: HeatMaps = field(default_factory=dict)


def counted_tasks(store: Any) -> dict[tuple[str, int, str], Any]:
    """Each task's attempts, times, taps and paths (``breakdowns.count_tasks``)."""
    from kiosk.sessions.breakdowns import count_tasks

    return count_tasks(store)


def responses_file(store: Any, target: Path) -> list[Path]:
    """Write ``responses.csv`` (every answer; past a spreadsheet's rows, more files)."""
    from kiosk.sessions.report.files import write_responses

    return write_responses(store.db, target)


def taps_and_heat_maps(store: Any, deck_folders: list[Path]) -> Taps:
    """Every screen's taps, and its heat map drawn over the deck's picture where the deck is
    here."""
    from kiosk.sessions.deck_info import find_deck_info
    from kiosk.sessions.heatmap import heatmap_png, taps_from_store

    taps = taps_from_store(store)
    pressed = {key: found for key, found in taps.items() if found.total}
    decks = {deck_id: find_deck_info(deck_id, deck_folders)
             for deck_id in sorted({key[0] for key in pressed}, key=str)}
    return Taps({key: found.counts() for key, found in taps.items()},
                {key: heatmap_png(found, decks[key[0]].images.get(key[2]),
                                  decks[key[0]].hotspots.get(key[2], []))
                 for key, found in pressed.items()})


@no_cycle_collection()
def _on_file(job: Callable[..., T], store_file: str, *args: Any) -> T:
    """``job(store, *args)`` in the second process, the store's file opened read-only."""
    from kiosk.sessions.designer_store import SqliteStore

    store = SqliteStore.reading(Path(store_file))
    try:
        return job(store, *args)
    finally:
        store.close()


_NOT_DONE = object()


class SideWork:
    """The second process and its jobs, done in the order they were started; each
    ``wait_for_...`` gives that job's result (done here instead if the process could not
    run). :meth:`close` lets it finish."""

    def __init__(self, store: Any, responses: Path, deck_folders: list[Path]) -> None:
        from kiosk.sessions.report.gather import languages_of_people

        self.store, self.deck_folders = store, deck_folders
        self.jobs: list[Callable[[], Any]] = []  # each job as done here
        self.started: list[Future | None] = []  # and as started in the second process
        self.results: dict[int, Any] = {}
        self.worker: ProcessPoolExecutor | None = None
        self.file: str | None = None
        if store.folder is not None:  # (in memory: nothing to share with another process)
            from kiosk.sessions.designer_store import STORE_DB

            self.file = str(store.folder / STORE_DB)
            (self.worker,) = helper_processes()
        # in the order they are waited for; the first starts the process, with this one's
        # connection to the store closed meanwhile (it may be forked: see bulk.py)
        with store.disconnected() if self.worker is not None else nullcontext():
            self._on_store(languages_of_people, deck_folders)
        self._on_store(counted_tasks)
        self._on_store(taps_and_heat_maps, deck_folders)
        self._on_store(responses_file, responses)

    def _on_store(self, job: Callable[..., Any], *args: Any) -> None:
        """Start ``job(store, *args)``: there on the store's file opened read-only."""
        self._start(partial(job, self.store, *args), _on_file, job, self.file, *args)

    def _start(self, here: Callable[[], Any], *there: Any) -> None:
        """Start ``there`` (a function and its arguments, sent to the second process);
        ``here`` does the same job in this process if that one cannot."""
        started = None
        if self.worker is not None:
            try:
                started = self.worker.submit(*there)
            except (BrokenExecutor, OSError):  # no second process here: each done when asked
                self.close()
        self.jobs.append(here)
        self.started.append(started)

    def _result(self, index: int) -> Any:
        if index not in self.results:
            started, found = self.started[index], _NOT_DONE
            if started is not None:
                try:
                    found = started.result()
                except BrokenExecutor:  # the process ended before it could do this job
                    pass
            if found is _NOT_DONE:
                found = self.jobs[index]()
            self.results[index] = found
        return self.results[index]

    def wait_for_languages(self) -> tuple[dict[tuple[str, int], str], dict[int, str]]:
        """Each deck version's main language, and each person's chosen language."""
        languages: tuple[dict[tuple[str, int], str], dict[int, str]] = self._result(0)
        return languages

    def wait_for_tasks(self) -> dict[tuple[str, int, str], Any]:
        """Each task's rows, counted (``breakdowns.count_tasks``), by deck, version, task."""
        tasks: dict[tuple[str, int, str], Any] = self._result(1)
        return tasks

    def wait_for_taps(self) -> Taps:
        taps: Taps = self._result(2)
        return taps

    def wait_for_responses(self) -> list[Path]:
        """``responses.csv`` (and any more files of answers), once written."""
        written: list[Path] = self._result(3)
        return written

    def close(self) -> None:
        if self.worker is not None:
            self.worker.shutdown()
            self.worker = None
        self.started = [None] * len(self.started)
