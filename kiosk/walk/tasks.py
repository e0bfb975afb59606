"""Tasks on clickable decks: "Find where to change your appointment", done by tapping.

The participant hears the task, starts on its start screen, taps hotspots to move (each
screen is a "task_step" record), and either reaches a done screen or presses red for "I'm
stuck"; then they answer "Was that easy to do?". The walk (walk.py) runs those states; here
are the two rules about a task itself: which words it is told in, and how it ended.
"""

from __future__ import annotations

from typing import Literal

from kiosk.decks.model import Task
from kiosk.walk.phrases import Words
from kiosk.walk.records import Outcome

TaskPart = Literal["instruction", "ask"]
DEFAULT_ASK = Task(id="", instruction="", start="", done=()).ask  # what a deck gets by default


def task_words(task: Task, part: TaskPart, language: str, deck_language: str,
               words: Words) -> tuple[str, str]:
    """The task's instruction or question, and the language it is in (it may fall back).

    A deck that kept the default question is asked it in the participant's own words.
    """
    translated = task.translations.get(language, {}).get(part)
    if translated:
        return translated, language
    if part == "ask" and task.ask == DEFAULT_ASK:
        return words.easy_ask, words.language
    return (task.instruction if part == "instruction" else task.ask), deck_language


def reached_outcome(task: Task, path: list[str]) -> Outcome:
    """Reaching a done screen: "direct" on the expected path (or, with none given, without
    going back to a screen already seen), "indirect" any other way."""
    expected = list(task.path)
    direct = path == expected if expected else len(set(path)) == len(path)
    return "direct" if direct else "indirect"
