"""At start, ``kiosk run`` checks every installed deck's narration and makes what is missing.

A clip can be missing because an install could not make it (the deck still went in, see
``library.SILENT_RULE``), or because the cache was cleared or an SD card lost a file. The
check and the rendering run on one background thread driving the speech worker processes,
so the first frame never waits; until they finish, the facilitator's banner says narration
is being made, and if some still cannot be made it says which deck stays partly silent.

The interface for the app is small, a ``kiosk.app.Watcher``: ``status`` (what the banner
should say now; "" when all is well; another fault is never covered by it) and ``faults``
(lasting problems, each once, like the speaker's); ``done`` (an Event) is for tests.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.decks.model import Deck
    from kiosk.decks.narration import NarrationCache

log = logging.getLogger(__name__)


class NarrationRepair:
    """Checks the installed decks' narration and makes the missing clips, in the background."""

    def __init__(self, cache: NarrationCache, decks: Sequence[Deck], parallel: int = 1) -> None:
        self.cache = cache
        self.decks = list(decks)
        self.parallel = parallel  # one worker at a time: the screen keeps the other cores
        self.status = ""
        self.faults: list[str] = []
        self.made = 0
        self.could_not_make = 0
        self.done = threading.Event()

    def start(self) -> NarrationRepair:
        threading.Thread(target=self._run, name="narration-repair", daemon=True).start()
        return self

    def _run(self) -> None:
        try:
            self._repair()
        except Exception as error:  # noqa: BLE001 - the kiosk runs on; the facilitator is told
            log.exception("The narration check failed")
            self._fault(f"The narration could not be checked ({error}); some screens may be "
                        "shown without sound.")
        finally:
            self.done.set()

    def _repair(self) -> None:
        wanted = [(deck, len(self.cache.clips_to_make(deck))) for deck in self.decks]
        total = sum(count for _, count in wanted)
        names = ", ".join(f"'{deck.title}'" for deck, count in wanted if count)
        finished = 0

        def progress() -> None:
            nonlocal finished
            finished += 1
            self.status = _making(finished, total)

        if total:
            log.warning("%d narration clips are missing (%s); making them now.", total, names)
            self.status = _making(0, total)
        silent: list[str] = []
        for deck, _count in wanted:
            report = self.cache.render_deck(deck, parallel=self.parallel, on_clip=progress)
            self.made += report.made
            if not report.complete:
                self.could_not_make += report.could_not_make
                why = report.missing[0] if report.missing else "the speech engine failed"
                silent.append(f"'{deck.title}' has {len(report.silent)} "
                              + ("screen" if len(report.silent) == 1 else "screens")
                              + f" without narration ({why})")
        if silent:
            self._fault("; ".join(silent) + ". Those screens are shown without sound; "
                        "install the deck again to try once more.")
        else:
            if total:
                log.warning("The missing narration is made: %d clips.", self.made)
            self.status = ""

    def _fault(self, message: str) -> None:
        self.faults.append(message)  # (the app logs it and shows it: KioskApp.notice_faults)
        self.status = message


def _making(finished: int, total: int) -> str:
    """Short: the banner is two lines on a 800x480 screen. The log names the decks."""
    return (f"Making missing narration: {finished} of {total} clips. "
            "Until then some screens are silent.")


def repair_narration_soon(cache: NarrationCache, decks: Sequence[Deck]) -> NarrationRepair:
    """Start the check; give the result to the app as a watcher so the banner follows it."""
    return NarrationRepair(cache, decks).start()
