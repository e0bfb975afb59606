"""Read along: a screen read aloud a passage at a time, the screen following the voice.

A letter page cannot be read whole on a 7" screen, so a deck may split a screen into parts
(``[[screen.part]]``), each with a region of the picture. A support worker reading a letter
with someone reads a paragraph at a time and points at it; the kiosk does the same: it queues
each part as its own tagged ``Speak``, and the speaker's ``SpeechStarted`` news moves the
region shown. The walk never waits for speech: green and red answer at any time.

``Reading`` is pure bookkeeping for the current screen; the ``Visit`` owns one.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.decks.model import Screen
from kiosk.walk.events import SpeechFinished, SpeechStarted, SpeechTag


def reads_along(screen: Screen) -> bool:
    """Whether a screen is read part by part: it has parts, and no recording of the whole
    (a recording cannot be cut into the passages, so it is played whole, unzoomed)."""
    return bool(screen.parts) and not screen.audio


@dataclass
class Reading:
    """Where the reading aloud of the current screen has got to."""

    number: int = 0  # counts every reading (arrival, "hear again"): older news is ignored
    parts: int = 0  # passages in this reading (0: read whole, nothing to follow)
    part: int | None = None  # the passage being read (from 0), None when none is
    narrating: bool = False  # a read-along screen is being read: the question waits
    whole: bool = True  # this reading goes through every part (False: one part again)

    def begin(self, parts: int, first: int = 0, whole: bool = True) -> int:
        """A new reading of ``parts`` passages from ``first``; returns its number for tags."""
        self.number += 1
        self.parts, self.whole = parts, whole
        self.part = first if parts else None
        self.narrating = bool(parts)
        return self.number

    def tag(self, part: int | None) -> SpeechTag:
        return SpeechTag(self.number, part)

    def heard(self, news: SpeechStarted | SpeechFinished) -> None:
        """Follow the voice: a part starting is shown; the question starting, or the last
        part ending, brings back the whole picture and the question."""
        tag = news.tag
        if tag.reading != self.number or not self.narrating:
            return
        if isinstance(news, SpeechStarted) and tag.part is not None:
            self.part = tag.part
        elif isinstance(news, SpeechStarted) or tag.part == self.last_part():
            self.end()

    def last_part(self) -> int | None:
        return self.part if not self.whole else self.parts - 1

    def end(self) -> None:
        """Narration over (or cut short by an answer elsewhere): the whole picture again."""
        self.part, self.narrating = None, False

    def replay_scope(self) -> int | None:
        """What "hear again" reads now: the part being read if narration is mid-part and
        that part was not just read again on its own; else None, the whole screen."""
        if self.narrating and self.part is not None and self.whole:
            return self.part
        return None
