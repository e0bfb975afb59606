"""The vocabulary between the walk and its edges.

Events come in from the keyboard, the mouse or touch screen, the GPIO buttons and the clock;
effects go out to the speaker, the session log and the rest of the app. ``Record`` (the log's
kinds, one dataclass each) lives in ``kiosk/walk/records.py``. The screen itself is
not an effect: the drawing edge asks the walk for its current ``View`` every frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from kiosk.walk.records import Record as Record  # an effect too: re-exported here

if TYPE_CHECKING:
    from kiosk.decks.model import Deck

# ---------------------------------------------------------------- events (edges -> walk)


@dataclass(frozen=True)
class Green:
    """The green button: "I understand" / yes / choose."""


@dataclass(frozen=True)
class Red:
    """The red button: "I don't understand" / no / next option."""


@dataclass(frozen=True)
class Replay:
    """Hear the narration again."""


@dataclass(frozen=True)
class Tap:
    """A touch or click, in the shown image's own pixels (None when it missed the image)."""

    x: float | None
    y: float | None


@dataclass(frozen=True)
class HoldBoth:
    """Both buttons held for the hold time (or F12): the facilitator menu."""


@dataclass(frozen=True)
class Quit:
    """The window was closed, Ctrl+C, or SIGTERM: end cleanly, keeping every answer."""


@dataclass(frozen=True)
class JobFinished:
    """A slow job the walk asked for (install from USB, export) has ended; ``message`` says how.

    ``decks`` is the installed decks after a job that changed them: the job only reports them,
    and the walk takes them on the main loop (a worker thread never changes the walk).
    """

    job: str
    ok: bool
    message: str
    decks: tuple[Deck, ...] | None = None


@dataclass(frozen=True)
class StickInserted:
    """A USB stick was mounted at ``mount``: it may hold decks, or a ``kiosk-export`` folder."""

    mount: Path
    has_decks: bool
    wants_export: bool


@dataclass(frozen=True)
class StickRemoved:
    mount: Path


@dataclass(frozen=True)
class SpeechTag:
    """Which queued words a speech event is about: the ``reading`` of a screen (counted up on
    each arrival and each "hear again", so news of a reading cut short is told apart from the
    current one) and the ``part`` read (None: the question)."""

    reading: int
    part: int | None


@dataclass(frozen=True)
class SpeechStarted:
    """The speaker began playing the words queued with ``tag`` (read-along follows it)."""

    tag: SpeechTag


@dataclass(frozen=True)
class SpeechFinished:
    """The words queued with ``tag`` ended, were cut short, or could not be played at all."""

    tag: SpeechTag


Event = (
    Green | Red | Replay | Tap | HoldBoth | Quit | JobFinished | StickInserted | StickRemoved
    | SpeechStarted | SpeechFinished
)

# ---------------------------------------------------------------- effects (walk -> edges)


@dataclass(frozen=True)
class Speak:
    """Queue speech: play ``recording`` if given, else the narration rendered for ``text``.

    A ``tag`` asks the speaker to say when these words start and end (``SpeechStarted`` /
    ``SpeechFinished``), so the screen can follow the voice."""

    text: str
    language: str
    recording: Path | None = None
    tag: SpeechTag | None = None


@dataclass(frozen=True)
class StopSpeech:
    """Silence now and forget anything queued."""


CueName = Literal["yes", "no", "tap", "miss", "menu"]  # one sound each (kiosk/screen/sound.py)


@dataclass(frozen=True)
class Cue:
    """A short sound that acknowledges a press (or a tap beside every hotspot: "miss")."""

    name: CueName


@dataclass(frozen=True)
class BeginSession:
    deck_id: str
    deck_version: int
    venue: str


@dataclass(frozen=True)
class EndSession:
    reason: str = "ended"


@dataclass(frozen=True)
class StartJob:
    """Ask the app to run a slow job off the main loop ("install_usb", "export_usb", ...)."""

    job: str


@dataclass(frozen=True)
class SetVolume:
    level: float  # 0.0 - 1.0


@dataclass(frozen=True)
class Exit:
    """Leave the program (``shutdown`` True asks the appliance to power off)."""

    shutdown: bool = False


Effect = Speak | StopSpeech | Cue | BeginSession | EndSession | Record | StartJob | SetVolume | Exit
