"""A deck as the rest of the kiosk sees it: plain, immutable data read from ``deck.toml``.

The walk reads these objects, never files; paths are kept relative to the deck folder
until an edge needs the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_ASK = "Did you understand this?"


@dataclass(frozen=True)
class Hotspot:
    """A tappable area on a screen image, in image pixels."""

    rect: tuple[int, int, int, int]  # x, y, width, height
    goto: str  # a screen id
    label: str = ""

    def contains(self, x: float, y: float) -> bool:
        left, top, width, height = self.rect
        return left <= x < left + width and top <= y < top + height


@dataclass(frozen=True)
class Screen:
    id: str
    image: str  # path inside the deck, with forward slashes
    say: str
    ask: str  # already filled from the deck's default when the screen has none
    variant: str | None = None
    audio: str | None = None  # a recorded file inside the deck that replaces the synthetic voice
    hotspots: tuple[Hotspot, ...] = ()

    def hotspot_at(self, x: float, y: float) -> Hotspot | None:
        for hotspot in self.hotspots:
            if hotspot.contains(x, y):
                return hotspot
        return None


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    version: int
    language: str  # BCP 47, e.g. "en-GB", "pa", "ur-PK"
    screens: tuple[Screen, ...]
    ask: str = DEFAULT_ASK
    folder: Path | None = None  # where the deck lives on disk (None for decks built in memory)
    extra: dict = field(default_factory=dict, compare=False)  # fields we do not know, kept

    def screen(self, screen_id: str) -> Screen:
        for screen in self.screens:
            if screen.id == screen_id:
                return screen
        raise KeyError(screen_id)

    def path_of(self, relative: str) -> Path:
        """The file behind an ``image`` or ``audio`` value."""
        if self.folder is None:
            raise ValueError(f"deck {self.id!r} has no folder on disk")
        return self.folder / relative

    @property
    def variants(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for screen in self.screens:
            if screen.variant:
                seen.setdefault(screen.variant)
        return tuple(seen)
