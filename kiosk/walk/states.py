"""The walk's states, and the check that every state has what it needs.

A ``State`` is a ``StrEnum``: ``walk.state == "screen"`` still holds, and a misspelt state is
an AttributeError at import instead of a silent no-op. The walk's tables (a press handler and
a view for every state) go through ``complete`` when their module is imported, so a state added
without its handler or view stops the kiosk from starting rather than failing mid-session.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

T = TypeVar("T")


class State(StrEnum):
    WELCOME = "welcome"  # waiting for the next person (or "not ready" without a session)
    LANGUAGE = "language"  # each offered language's name, in that language
    HOW = "how"  # how the buttons work
    PROFILE_INTRO = "profile_intro"  # "a few optional questions about you"
    PROFILE = "profile"  # one profile question
    SCREEN = "screen"  # a screen of the deck, waiting for green or red (or a tap)
    ACK = "ack"  # the tick or cross after an answer
    TASK_INTRO = "task_intro"  # a task's instruction
    TASK = "task"  # finding the way by tapping
    TASK_DONE = "task_done"  # "Well done!" over the screen the task ended on
    TASK_ASK = "task_ask"  # "Was that easy to do?"
    STILL_THERE = "still_there"  # "Are you still there?" after a long quiet
    THANKS = "thanks"  # the thank-you screen
    MENU = "menu"  # the facilitator menu
    PIN = "pin"  # the facilitator's code, before the menu


# States in which a participant is part-way through; quiet there means "still there?".
IN_PROGRESS = frozenset({State.LANGUAGE, State.HOW, State.PROFILE_INTRO, State.SCREEN,
                         State.TASK_INTRO, State.TASK, State.TASK_ASK})


def complete(table: Mapping[State, T], what: str) -> Mapping[State, T]:
    """``table`` as a read-only mapping, if it has an entry for every state; else refuse it."""
    missing = [state.value for state in State if state not in table]
    if missing:
        raise TypeError(f"the walk has no {what} for the state(s) {', '.join(missing)}: "
                        f"every state needs one")
    return MappingProxyType(dict(table))
