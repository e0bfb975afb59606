"""What the walk keeps in the session log: one frozen dataclass per record kind.

This is the log's schema, written once. The walk builds these records; the log
(``kiosk.sessions.log.check_fields``) derives its checks from them: the kinds, which fields a
kind cannot do without (``NEEDED``), what each field may hold (its type, or the few words a
``Literal`` allows), and which text must be a short identifier from the deck (``IDENTIFIER``),
so a record can never smuggle in free text.

A record reaches the log as ``record.kind`` and ``record.fields`` (a plain dict). A field left
at its default (``None``, ``False``) is left out: an abandoned answer has no timings, a record
outside a task no ``task``.

To add a record kind: add a dataclass here, list it in ``RECORD_KINDS``, and have the walk
build it; the log then accepts it with no other change.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar, Literal

# Roles a field can have, kept in its dataclass metadata.
NEEDED = "needed"  # the report cannot read the record without it: the log refuses one without
IDENTIFIER = "identifier"  # an id from the deck, never words: held to a short identifier

_NEEDED = MappingProxyType({NEEDED: True})
_ID = MappingProxyType({IDENTIFIER: True})
_NEEDED_ID = MappingProxyType({NEEDED: True, IDENTIFIER: True})

# "skipped": no kiosk says it today, but logs and bundles holding it are still counted.
Response = Literal["understood", "not_understood", "abandoned", "skipped"]
Outcome = Literal["direct", "indirect", "gave_up", "abandoned"]  # how a task ended
ProfileAnswer = Literal["yes", "no", "rather_not_say"]  # a profile question's only answers


@dataclass(frozen=True, kw_only=True)
class Record:
    """Something to keep in the session log; written durably before the next frame.

    Every record has ``participant`` (a number within the session, never a name) and
    ``language``. The subclasses below are the kinds; ``kind`` names one in the log.
    """

    kind: ClassVar[str] = ""
    participant: int = field(metadata=_NEEDED)
    language: str | None

    @property
    def fields(self) -> dict[str, Any]:
        """The record as the log keeps it: every field, less those left at their default."""
        return {
            each.name: getattr(self, each.name)
            for each in dataclasses.fields(self)
            if each.default is dataclasses.MISSING or getattr(self, each.name) != each.default
        }


@dataclass(frozen=True, kw_only=True)
class ScreenRecord(Record):
    """A record about one screen of the deck, as the participant saw it."""

    screen_id: str = field(metadata=_NEEDED)
    variant: str | None
    fallback: bool = False  # True: shown in the deck's main language, for want of a translation


@dataclass(frozen=True, kw_only=True)
class AnswerRecord(ScreenRecord):
    """Green or red on a screen, or on a task's "Was that easy to do?" (then ``task`` is set
    and ``screen_id`` is the screen the task ended on). An abandoned answer has no timings."""

    kind: ClassVar[str] = "answer"
    task: str | None = field(default=None, metadata=_ID)
    response: Response = field(metadata=_NEEDED)
    seconds_to_answer: float | None = None
    seconds_on_screen: float | None = None
    replays: int | None = None


@dataclass(frozen=True, kw_only=True)
class ReplayRecord(ScreenRecord):
    """The participant asked to hear the screen again (``replay_number`` counts from 1).

    ``part`` (counting from 1) is the passage of a read-along screen they asked to hear
    again, so the report can say which passages people needed twice; None: the whole screen.
    """

    kind: ClassVar[str] = "replay"
    seconds_on_screen: float | None
    replay_number: int
    part: int | None = None


@dataclass(frozen=True, kw_only=True)
class TapRecord(ScreenRecord):
    """A tap on a hotspot: ``x``, ``y`` in the image's pixels, where the hotspot leads."""

    kind: ClassVar[str] = "tap"
    seconds_on_screen: float | None
    x: float | None
    y: float | None
    hotspot: str | None  # the deck's own label for the hotspot, not participant text
    goto: str | None
    task: str | None = field(default=None, metadata=_ID)


@dataclass(frozen=True, kw_only=True)
class MissRecord(ScreenRecord):
    """A tap beside every hotspot (``x``, ``y`` None when it missed the image itself)."""

    kind: ClassVar[str] = "miss"
    seconds_on_screen: float | None
    x: float | None
    y: float | None
    task: str | None = field(default=None, metadata=_ID)


@dataclass(frozen=True, kw_only=True)
class TaskStepRecord(ScreenRecord):
    """A screen reached inside a task: ``step`` 1 is the start screen; ``seconds_on_screen``
    is the time on the previous step's screen (None or 0 for the first)."""

    kind: ClassVar[str] = "task_step"
    task: str = field(metadata=_NEEDED_ID)
    step: int = field(metadata=_NEEDED)
    seconds_on_screen: float | None


@dataclass(frozen=True, kw_only=True)
class TaskEndRecord(ScreenRecord):
    """How a task ended: ``seconds`` from the start screen to the outcome, ``steps`` the
    screens visited (start included)."""

    kind: ClassVar[str] = "task_end"
    screen_id: str  # the screen the task ended on; the report does not need it
    task: str = field(metadata=_NEEDED_ID)
    outcome: Outcome = field(metadata=_NEEDED_ID)
    seconds: float | None
    steps: int


@dataclass(frozen=True, kw_only=True)
class ProfileRecord(Record):
    """An answer to one of the deck's optional profile questions (``question`` is its id)."""

    kind: ClassVar[str] = "profile"
    question: str = field(metadata=_NEEDED_ID)
    answer: ProfileAnswer = field(metadata=_NEEDED_ID)


RECORD_KINDS: dict[str, type[Record]] = {
    kind.kind: kind
    for kind in (AnswerRecord, ReplayRecord, TapRecord, MissRecord, TaskStepRecord,
                 TaskEndRecord, ProfileRecord)
}
