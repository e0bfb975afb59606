"""A deck as the rest of the kiosk sees it: plain, immutable data read from ``deck.toml``.

The walk reads these objects, never files; paths are kept relative to the deck folder
until an edge needs the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
class Part:
    """One passage of a screen, read aloud while the kiosk zooms to its region of the picture.

    A letter page cannot be read whole on a 7" screen; a support worker reads it with someone
    a paragraph at a time, pointing. ``rect`` is in image pixels like a hotspot's.
    """

    say: str
    rect: tuple[int, int, int, int]  # x, y, width, height
    label: str = ""  # a short name for the report ("date and time"); default "part N"


@dataclass(frozen=True)
class Translation:
    """A screen's words (and optionally its picture and recording) in another language.

    Anything left None falls back to the deck's main language; the report says so.
    """

    say: str | None = None
    ask: str | None = None
    image: str | None = None
    audio: str | None = None
    parts: tuple[str, ...] | None = None  # each part's words, in the screen's part order


@dataclass(frozen=True)
class Screen:
    id: str
    image: str  # path inside the deck, with forward slashes
    say: str
    ask: str  # already filled from the deck's default when the screen has none
    variant: str | None = None
    audio: str | None = None  # a recorded file inside the deck that replaces the synthetic voice
    hotspots: tuple[Hotspot, ...] = ()
    translations: dict[str, Translation] = field(default_factory=dict, compare=False)
    parts: tuple[Part, ...] = ()  # read in order on arrival; ``say`` is then the whole screen

    def in_language(self, language: str, main_language: str) -> tuple[Screen, bool]:
        """This screen as shown in ``language``, and whether any part fell back to the main one.

        Parts follow the language: a translation with ``parts`` gives each region its own words;
        one without them (but with its own ``say``) is read whole, with no zooming, because the
        main language's passages would not match the words being heard.
        """
        if language == main_language:
            return self, False
        t = self.translations.get(language)
        if t is None:
            return self, True
        fell_back = t.say is None or (t.ask is None and self.ask is not None)
        if t.parts is not None:
            parts = tuple(Part(words, part.rect, part.label)
                          for words, part in zip(t.parts, self.parts, strict=True))
        else:
            parts = () if t.say else self.parts
        local = Screen(self.id, t.image or self.image, t.say or self.say, t.ask or self.ask,
                       self.variant, t.audio if t.say else self.audio, self.hotspots,
                       parts=parts)
        return local, fell_back

    def hotspot_at(self, x: float, y: float) -> Hotspot | None:
        for hotspot in self.hotspots:
            if hotspot.contains(x, y):
                return hotspot
        return None


@dataclass(frozen=True)
class Task:
    """Something to do on a clickable deck: "Find where to change your appointment"."""

    id: str
    instruction: str  # spoken and shown before the participant starts
    start: str  # the screen id it starts on
    done: tuple[str, ...]  # reaching any of these screens counts as done
    path: tuple[str, ...] = ()  # the expected path, start to done (optional): "direct" success
    ask: str = "Was that easy to do?"
    translations: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    # language -> {"instruction": ..., "ask": ...}


@dataclass(frozen=True)
class ProfileQuestion:
    """An optional, anonymous yes/no question asked before the deck ("Are you 65 or older?")."""

    id: str  # a short identifier, e.g. "age-65-plus"; what the log and report use
    question: str
    translations: dict[str, str] = field(default_factory=dict, compare=False)  # language -> text


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    version: int
    language: str  # BCP 47, e.g. "en-GB", "pa", "ur-PK"
    screens: tuple[Screen, ...]
    ask: str = DEFAULT_ASK
    folder: Path | None = None  # where the deck lives on disk (None for decks built in memory)
    # fields we do not know, kept
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    tasks: tuple[Task, ...] = ()
    profile: tuple[ProfileQuestion, ...] = ()
    language_names: dict[str, str] = field(default_factory=dict, compare=False)
    # language -> its name in that language ("ਪੰਜਾਬੀ"), for the spoken language choice

    @property
    def languages(self) -> tuple[str, ...]:
        """The main language first, then every language any screen is translated into."""
        found: dict[str, None] = {self.language: None}
        for screen in self.screens:
            for language in screen.translations:
                found.setdefault(language)
        return tuple(found)

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
