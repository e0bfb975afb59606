"""What the screen should show right now, as plain data.

The drawing edge turns a ``View`` into pixels every frame; the lamp edge reads ``lamps``.
Keeping this separate from effects means a redraw never changes state (Pygame Zero's
``draw()`` apart from ``update()``).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.decks.model import Deck, Screen

# Lamp states understood by the button lamps and the on-screen buttons.
OFF, ON, PULSE, FLASH = "off", "on", "pulse", "flash"


@dataclass(frozen=True)
class View:
    kind: str  # "welcome", "how", "screen", "still_there", "thanks", "menu", "confirm", "working"
    title: str = ""
    lines: tuple[str, ...] = ()
    symbols: tuple[str | None, ...] = ()  # a button symbol ("yes"/"no") beside each line, if any
    deck: Deck | None = None
    screen: Screen | None = None
    question: str = ""
    ack: str | None = None  # "yes" or "no" while a press is being acknowledged
    buttons: tuple[str, str] | None = None  # labels under the green and the red button
    lamps: tuple[str, str] = (OFF, OFF)  # green lamp, red lamp
    menu_items: tuple[str, ...] = ()
    menu_index: int = 0
    progress: tuple[int, int] | None = None  # (screens answered, screens in the deck)
    banner: str = ""  # a small line for the facilitator (e.g. "rehearsal — nothing is recorded")
    language: str = "en-GB"
    # Read along: the region of the picture being read (x, y, w, h in its pixels; None is the
    # whole picture), and whether the screen is still being read (its question waits).
    region: tuple[int, int, int, int] | None = None
    narrating: bool = False
    # What may be shown next (in the language shown), so pictures are loaded ahead of a press.
    upcoming: tuple[Screen, ...] = ()
