"""Everything the deck sections show beyond the screen tallies, counted once from the store:
tasks, taps, languages, profile groups and the passages people asked to hear again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.sessions.breakdowns import (
    DeckKey,
    LanguageScreen,
    ProfileBreakdown,
    TaskRow,
    easy_answers,
    finish_tasks,
    languages_from_store,
    people_languages,
    profiles_from_store,
)
from kiosk.sessions.deck_info import DeckInfo, find_deck_info
from kiosk.sessions.report.meanwhile import SideWork, Taps
from kiosk.sessions.stats import Analysis


@dataclass
class Breakdowns:
    """What the deck sections show beyond the screen tallies, counted once per report."""

    tasks: dict[DeckKey, list[TaskRow]] = field(default_factory=dict)
    languages: dict[DeckKey, list[LanguageScreen]] = field(default_factory=dict)
    mains: dict[DeckKey, str] = field(default_factory=dict)
    profiles: dict[DeckKey, list[ProfileBreakdown]] = field(default_factory=dict)
    decks: dict[str, DeckInfo] = field(default_factory=dict)
    # read along: (deck, version, screen) -> {part number: (replays, people who replayed)}
    part_replays: dict[tuple[str, int, str], dict[int, tuple[int, int]]] = field(
        default_factory=dict)
    # every screen's taps and heat map, waited for when first needed
    taps: Callable[[], Taps] = Taps


PART_REPLAY_SQL = """
SELECT e.deck_id, e.deck_version, e.screen_id, e.part, COUNT(*), COUNT(DISTINCT e.person)
FROM events AS e
WHERE e.kind = 'replay' AND e.kind != 'answer' AND e.deck_id IS NOT NULL
  AND e.part IS NOT NULL
GROUP BY 1, 2, 3, 4
"""


def gather_breakdowns(analysis: Analysis, store: Any, deck_folders: list[Path],
                      side: SideWork) -> Breakdowns:
    """Tasks, taps, languages and profile groups, each from the events it needs (SQL).

    ``store`` is a ``SqliteStore``. Languages and profile groups are counted in SQL; tasks
    and taps read only the columns they need, streamed from the store (never every event in
    memory at once). ``side``: the second process finding each person's language, counting
    tasks and taps, and drawing the heat maps, meanwhile (``meanwhile.py``).
    """
    sessions = [s for s, _ in analysis.sessions]
    deck_ids = {s.get("deck_id", "") for s in sessions}
    decks = {d: find_deck_info(d, deck_folders) for d in sorted(deck_ids, key=str)}
    mains, chosen = side.wait_for_languages()
    order = {deck: [(r.screen_id, r.variant) for r in analysis.deck_screens(deck)]
             for deck in analysis.decks}
    languages = languages_from_store(store, mains, chosen, analysis)
    del chosen
    profiles = profiles_from_store(store, order, analysis)
    easy, replays = easy_answers(store), part_replays(store)  # (so the other waits less)
    counted = finish_tasks(side.wait_for_tasks(), easy)  # last: the other has had all this time
    tasks = {deck: in_deck_order(rows, decks.get(deck[0])) for deck, rows in counted.items()}
    return Breakdowns(tasks=tasks, languages=languages, mains=mains, profiles=profiles,
                      decks=decks, part_replays=replays, taps=side.wait_for_taps)


def in_deck_order(rows: list[TaskRow], deck: DeckInfo | None) -> list[TaskRow]:
    """A deck version's tasks in the order its deck lists them (where the deck is here),
    then any others by name."""
    order = {task: place for place, task in enumerate(deck.tasks if deck else ())}
    return sorted(rows, key=lambda row: (order.get(row.task, len(order)), row.task))


def languages_of_people(store: Any, deck_folders: list[Path]
                        ) -> tuple[dict[DeckKey, str], dict[int, str]]:
    """:func:`people_languages` with each deck's own language where the deck is here: one
    pass over every event, which the second process makes while this one counts the screens
    (``meanwhile.py``)."""
    deck_ids = {s.get("deck_id", "") for s in store.documents("sessions")}
    return people_languages(store, {d: find_deck_info(d, deck_folders).language
                                    for d in sorted(deck_ids, key=str)})


def part_replays(store: Any) -> dict[tuple[str, int, str], dict[int, tuple[int, int]]]:
    """How often each read-along part was asked for again, and by how many people."""
    found: dict[tuple[str, int, str], dict[int, tuple[int, int]]] = defaultdict(dict)
    for deck_id, version, screen_id, part, replays, people in store.query(PART_REPLAY_SQL):
        if isinstance(part, int) and not isinstance(part, bool) and part > 0:
            found[(deck_id, version, screen_id)][part] = (replays, people)
    return dict(found)
