"""Issue 6's figures: tasks, languages and profile groups, from the merged events.

- **Tasks** come from ``task_step`` (every screen on the way, in ``seq`` order per person),
  ``task_end`` (outcome, seconds, steps), ``tap``/``miss`` with ``task`` (misclicks), and
  answers with ``task`` ("Was that easy to do?"). Outcome shares are out of every attempt
  that ended (direct + indirect + gave up + walked away), with 95% Wilson intervals.
- **Languages**: each record carries the language the kiosk actually used. A person's
  *chosen* language is the one their records carry other than the deck's main language (if
  any); a screen of theirs recorded in the main language therefore *fell back* (no
  translation). Those answers are counted apart ("pa, shown in en-GB"), never mixed into
  either language's own rate.
- **Profile groups**: answers to the optional questions are linked to answers by
  (session_id, participant). A group of fewer than ``MIN_GROUP`` people is hidden wherever it
  appears. The report also shows each screen's total, so everyone *not* in a shown group
  (hidden groups plus people who did not answer the question) could be worked out by
  subtraction: when that remainder is 1 to 4 people, the smallest shown group is hidden too
  (complementary suppression, as official statistics do), until the remainder is 0 or 5+.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from kiosk.sessions.profile_answers import PROFILE_ANSWERS
from kiosk.sessions.stats import (
    SMALL_SAMPLE,
    TALLY_COLUMNS,
    Analysis,
    Tally,
    fisher_exact,
    wilson,
)

MIN_GROUP = 5  # fewer people than this: hidden, so a report cannot point at anyone
OUTCOMES = ("direct", "indirect", "gave_up", "abandoned")
FAR_BELOW_POINTS = 0.15  # a translation this far below the main language is worth a look
HIDDEN_TEXT = "fewer than 5 people — hidden to protect privacy"

Person = tuple[str, Any]  # (session_id, participant)
DeckKey = tuple[str, int]


# ---------------------------------------------------------------- tasks


@dataclass
class TaskPath:
    """One way through a task and how many people took it."""

    screens: tuple[str, ...]
    people: int
    outcomes: Counter = field(default_factory=Counter)


@dataclass
class TaskRow:
    """Everything the report says about one task of one deck version."""

    deck_id: str
    deck_version: int
    task: str
    outcomes: Counter = field(default_factory=Counter)
    seconds_done: list[float] = field(default_factory=list)  # direct or indirect only
    screen_views: int = 0  # task_step records: a screen shown inside the task
    taps: int = 0
    misses: int = 0
    paths: list[TaskPath] = field(default_factory=list)
    easy: Tally = field(default_factory=Tally)  # "Was that easy to do?"

    @property
    def attempts(self) -> int:
        return sum(self.outcomes[o] for o in OUTCOMES)

    def share(self, *outcomes: str) -> tuple[float | None, float, float]:
        """Share of attempts with any of ``outcomes``, and its 95% Wilson interval."""
        n = self.attempts
        k = sum(self.outcomes[o] for o in outcomes)
        low, high = wilson(k, n)
        return (k / n if n else None), low, high

    def median_seconds(self) -> float | None:
        return median(self.seconds_done) if self.seconds_done else None

    def misclick_rate(self) -> float | None:
        return self.misses / self.screen_views if self.screen_views else None

    @property
    def small_sample(self) -> bool:
        return self.attempts < SMALL_SAMPLE


def analyse_tasks(sessions: list[dict], events: Iterable[dict]) -> dict[DeckKey, list[TaskRow]]:
    """Per deck version, its tasks (in the order first met), paths ranked by people.

    From lists: counted by :func:`tasks_from_store` in an in-memory store (one way).
    """
    store = _memory_store(sessions, events)
    try:
        return tasks_from_store(store)
    finally:
        store.close()


# A task is known by its name as text (``TASK``: a hand-made bundle may name one 5 and
# another "5"; they are one task). The steps of tasks in walk order (a session's together,
# by its number: quicker to sort than its id), each person by the store's number for them,
# and the ends that say how an attempt went: the paths are followed in Python, one row at a
# time, counting the screens shown inside each task and how each attempt ended on the way.
# The rest is counted in SQL: the times of those who got there (TASK_SECONDS_SQL), taps
# and misses inside tasks (TASK_TAPS_SQL) and the answers to "Was that easy to do?"
# (TASK_EASY_SQL). Through the index on kind: the steps and ends are a fifth of the events.
TASK = "CAST(task AS TEXT)"
_ENDED = "kind = 'task_end' AND outcome IN ({})".format(", ".join(f"'{o}'" for o in OUTCOMES))
TASK_SQL = f"""
SELECT person, {TASK}, kind = 'task_step', step, COALESCE(screen_id, ''),
       CASE WHEN kind = 'task_end' THEN outcome END, deck_id, deck_version
FROM events
WHERE kind IN ('task_step', 'task_end') AND kind != 'answer' AND in_task
  AND deck_id IS NOT NULL AND (kind = 'task_step' OR {_ENDED})
ORDER BY session_no, seq, at, id
"""
TASK_SECONDS_SQL = f"""
SELECT deck_id, deck_version, {TASK}, seconds FROM events
WHERE kind = 'task_end' AND kind != 'answer' AND in_task AND deck_id IS NOT NULL
  AND outcome IN ('direct', 'indirect') AND typeof(seconds) IN ('integer', 'real')
"""
TASK_TAPS_SQL = f"""
SELECT deck_id, deck_version, {TASK}, SUM(kind = 'tap'), SUM(kind = 'miss') FROM events
WHERE kind IN ('tap', 'miss') AND kind != 'answer' AND in_task AND deck_id IS NOT NULL
GROUP BY 1, 2, 3
"""
TASK_EASY_SQL = f"""
SELECT deck_id, deck_version, {TASK}, {{tally}} FROM events NOT INDEXED
WHERE kind = 'answer' AND in_task AND deck_id IS NOT NULL
GROUP BY 1, 2, 3
"""


TaskKey = tuple[str, int, str]  # deck id, version, task


def tasks_from_store(store: Any) -> dict[DeckKey, list[TaskRow]]:
    """The tasks, counted by the store's SQL (``SqliteStore``): :func:`count_tasks`, then
    :func:`finish_tasks` with the answers to "Was that easy to do?" (a report does the two
    in different processes)."""
    return finish_tasks(count_tasks(store), easy_answers(store))


def count_tasks(store: Any) -> dict[TaskKey, TaskRow]:
    """Each task's attempts, times, taps and paths; a person's path through a task is the
    screens of their ``task_step`` records in walk order, up to its ``task_end`` (or a
    restart at step 1), followed here one record at a time."""
    rows: dict[TaskKey, TaskRow] = {}
    paths, seen = _task_paths(store)
    for (deck_id, version, task, outcome), n in seen.items():
        row = _task_row(rows, (deck_id, version, task))
        if outcome is None:
            row.screen_views = n
        else:
            row.outcomes[outcome] = n
    for deck_id, version, task, seconds in store.query(TASK_SECONDS_SQL):
        _task_row(rows, (deck_id, version, task)).seconds_done.append(float(seconds))
    for deck_id, version, task, taps, misses in store.query(TASK_TAPS_SQL):
        row = _task_row(rows, (deck_id, version, task))
        row.taps, row.misses = int(taps), int(misses)
    for key, found in paths.items():
        _task_row(rows, key).paths = sorted(
            found.values(), key=lambda p: (-p.people, len(p.screens), p.screens))
    return rows


def easy_answers(store: Any) -> dict[TaskKey, Tally]:
    """The answers to "Was that easy to do?" of each task (a pass over every event)."""
    return {(deck_id, version, task): Tally.counted(*counts) for deck_id, version, task, *counts
            in store.query(TASK_EASY_SQL.format(tally=TALLY_COLUMNS))}


def finish_tasks(rows: dict[TaskKey, TaskRow], easy: dict[TaskKey, Tally]
                 ) -> dict[DeckKey, list[TaskRow]]:
    """The counted tasks with their easy answers, per deck version, by name."""
    for key, tally in easy.items():
        _task_row(rows, key).easy = tally
    out: dict[DeckKey, list[TaskRow]] = defaultdict(list)
    for row in sorted(rows.values(), key=lambda row: row.task):
        out[(row.deck_id, row.deck_version)].append(row)
    return dict(out)


def _task_row(rows: dict[TaskKey, TaskRow], key: TaskKey) -> TaskRow:
    if key not in rows:
        rows[key] = TaskRow(*key)
    return rows[key]


def _task_paths(store: Any) -> tuple[dict[tuple[str, int, str], dict[tuple[str, ...], TaskPath]],
                                      Counter]:
    """Per deck version and task, each way through it and how many people took it, and how
    their attempts ended ("unfinished": started again at step 1 without an end); and how
    many of its steps and of each ending there were (deck id, version, task, outcome: None
    for a step)."""
    found: dict[tuple[str, int, str], dict[tuple[str, ...], TaskPath]] = defaultdict(dict)
    open_path: dict[tuple[int, str], list[str]] = {}  # (person, task): screens so far
    seen: Counter = Counter()

    def close(deck_id: str, version: int, task: str, screens: list[str], outcome: str) -> None:
        table = found[(deck_id, version, task)]
        path = tuple(screens)
        taken = table.get(path)
        if taken is None:
            taken = table[path] = TaskPath(path, 0)
        taken.people += 1
        taken.outcomes[outcome] += 1

    for person, task, is_step, step, screen_id, outcome, deck_id, version in store.db.execute(
            TASK_SQL):
        seen[(deck_id, version, task, outcome)] += 1
        who = (person, task)
        screens = open_path.get(who)
        if is_step:
            if screens is None:
                open_path[who] = [screen_id]
            elif step == 1 and screens:  # a restart without an end
                close(deck_id, version, task, screens, "unfinished")
                open_path[who] = [screen_id]
            else:
                screens.append(screen_id)
        elif screens:
            del open_path[who]
            close(deck_id, version, task, screens, outcome)
    return found, seen


# ---------------------------------------------------------------- people


# Each person's records in languages other than their deck version's main one, counted per
# language (by person, a number, then language): a person with none chose the main one.
# Only those records are sorted, not every event (a year: 0.7 s, where counting every
# person's every language took 1.2). (LEFT JOIN: every event looked at once, a deck version
# with no main language found in the few rows of ``main_of_deck``.)
OTHER_LANGUAGES_SQL = """
SELECT e.person, e.language, COUNT(*) FROM events AS e NOT INDEXED
LEFT JOIN temp.main_of_deck AS m ON m.deck_id = e.deck_id AND m.deck_version = e.deck_version
WHERE e.deck_id IS NOT NULL AND e.language != '' AND e.language IS NOT m.language
GROUP BY e.person, e.language ORDER BY e.person, e.language
"""
# Where a deck version's own language is not known (its folder is not here), the one most
# heard is its main one: every person's records counted per language first (one pass over
# every event), then the totals and the other languages read from those few rows.
PERSON_LANGUAGES_SQL = """
CREATE TEMP TABLE person_language AS
SELECT person, deck_id, deck_version, language, COUNT(*) AS n FROM events
WHERE deck_id IS NOT NULL AND language != '' GROUP BY person, language ORDER BY person, language
"""
# Languages heard per deck version, in the order a pass over people (by their number) first
# meets them, so a tie for the most heard is settled the same way every time.
LANGUAGE_TOTALS_SQL = """
SELECT deck_id, deck_version, language, SUM(n) FROM temp.person_language
GROUP BY deck_id, deck_version, language ORDER BY MIN(person), language
"""
OTHER_COUNTED_LANGUAGES_SQL = """
SELECT p.person, p.language, p.n FROM temp.person_language AS p
LEFT JOIN temp.main_of_deck AS m ON m.deck_id = p.deck_id AND m.deck_version = p.deck_version
WHERE p.language IS NOT m.language ORDER BY p.rowid
"""


def people_languages(store: Any, known: dict[str, str | None],
                     mains: dict[DeckKey, str] | None = None
                     ) -> tuple[dict[DeckKey, str], dict[int, str]]:
    """Each deck version's main language (the deck's own where ``known``, else the one most
    heard; or ``mains`` as given), and each person's chosen language where it is not their
    deck version's main one, by the store's number for them (``person``): the one their
    records carry most besides the main one (the first in language order if two tie).
    Everyone else chose the main one. Per person only the answer so far is kept in Python."""
    from kiosk.sessions.designer_store import one_transaction

    db = store.db
    others = OTHER_LANGUAGES_SQL
    if mains is None:
        decks = db.execute("SELECT DISTINCT deck_id, deck_version FROM sessions").fetchall()
        mains = {deck: language for deck in decks if (language := known.get(deck[0]))}
        if len(mains) < len(decks):
            db.execute("DROP TABLE IF EXISTS temp.person_language")
            db.execute(PERSON_LANGUAGES_SQL)
            counts: dict[DeckKey, Counter] = defaultdict(Counter)
            for deck_id, version, language, n in db.execute(LANGUAGE_TOTALS_SQL):
                counts[(deck_id, version)][language] += n
            mains.update({deck: counter.most_common(1)[0][0]
                          for deck, counter in counts.items() if deck not in mains})
            others = OTHER_COUNTED_LANGUAGES_SQL
    db.execute("DROP TABLE IF EXISTS temp.main_of_deck")
    db.execute("CREATE TEMP TABLE main_of_deck (deck_id TEXT, deck_version INTEGER, "
               "language TEXT, PRIMARY KEY (deck_id, deck_version))")
    chosen: dict[int, str] = {}
    top: dict[int, int] = {}
    try:
        with one_transaction(db):
            db.executemany("INSERT OR REPLACE INTO temp.main_of_deck VALUES (?, ?, ?)",
                           [(*deck, language) for deck, language in mains.items()])
        for person, language, n in db.execute(others):
            if n > top.get(person, 0):
                chosen[person], top[person] = language, n
    finally:
        db.execute("DROP TABLE IF EXISTS temp.main_of_deck")
        db.execute("DROP TABLE IF EXISTS temp.person_language")
    return mains, chosen


def main_languages(sessions: list[dict], events: Iterable[dict],
                   known: dict[str, str | None]) -> dict[DeckKey, str]:
    """Each deck version's main language, from lists: counted by :func:`people_languages`
    in an in-memory store (one way)."""
    store = _memory_store(sessions, events)
    try:
        return people_languages(store, known)[0]
    finally:
        store.close()


def chosen_languages(sessions: list[dict], events: Iterable[dict],
                     mains: dict[DeckKey, str]) -> dict[Person, str]:
    """Each person's chosen language, from lists, by (session id, participant): counted by
    :func:`people_languages` in an in-memory store (one way)."""
    store = _memory_store(sessions, events)
    try:
        chosen = people_languages(store, {}, mains)[1]
        return {(session_id, participant): chosen.get(person) or mains.get((deck_id, version))
                or "" for person, session_id, participant, deck_id, version in store.db.execute(
                    "SELECT DISTINCT person, session_id, participant, deck_id, deck_version "
                    "FROM events WHERE deck_id IS NOT NULL")}
    finally:
        store.close()


# ---------------------------------------------------------------- languages


@dataclass
class LanguageCell:
    """One screen's answers in one language (``shown`` differs when it fell back)."""

    chosen: str
    shown: str
    tally: Tally = field(default_factory=Tally)
    p_vs_main: float | None = None
    flag: str = ""  # "far below" / "lower" / ""

    @property
    def fell_back(self) -> bool:
        return self.chosen != self.shown

    @property
    def hidden(self) -> bool:
        return self.tally.people < MIN_GROUP


@dataclass
class LanguageScreen:
    screen_id: str
    variant: str
    order: float
    cells: list[LanguageCell]


def analyse_languages(sessions: list[dict], events: Iterable[dict], mains: dict[DeckKey, str],
                      chosen: dict[Person, str]) -> dict[DeckKey, list[LanguageScreen]]:
    """Per deck version with more than one language: per screen, % understood per language.
    ``chosen``: each person's chosen language, as :func:`chosen_languages` finds it.

    From lists (tests, small runs): they go into an in-memory store and
    :func:`languages_from_store` counts them, so there is one way to count.
    """
    from kiosk.sessions.designer_store import person_key
    from kiosk.sessions.stats import analyse_store

    store = _memory_store(sessions, events)
    try:
        return languages_from_store(store, mains, {
            person_key(*person): language for person, language in chosen.items()},
            analyse_store(store))
    finally:
        store.close()


def _memory_store(sessions: list[dict], events: Iterable[dict]) -> Any:
    from kiosk.sessions.designer_store import SqliteStore

    store = SqliteStore(None)
    store.add_sessions(sessions)
    store.add_events(list(events))
    return store


# The answers of people who chose another language than their deck version's main one (each
# screen by its number; ``main_language``: its deck version's main language), per screen,
# chosen and shown language. (CROSS JOIN: the answers looked at once each, in order.)
OTHER_CHOOSERS = """
FROM {counted} AS e CROSS JOIN temp.chosen_language AS c ON c.who = e.person
LEFT JOIN temp.main_language AS m ON m.screen_no = e.screen_no
WHERE c.language IS NOT COALESCE(m.language, '')
"""
LANGUAGE_SQL = """
SELECT e.screen_no, c.language, COALESCE(NULLIF(e.language, ''), m.language, ''), {tally}
""" + OTHER_CHOOSERS + "GROUP BY 1, 2, 3"
# ...and how many of them answered each screen and walked away there (one may have seen it
# in two languages, so their cells do not add up to this)
OTHER_CHOOSERS_SQL = """
SELECT e.screen_no, COUNT(DISTINCT e.person),
       COUNT(DISTINCT CASE WHEN e.response = 'abandoned' THEN e.person END)
""" + OTHER_CHOOSERS + "GROUP BY 1"


def languages_from_store(store: Any, mains: dict[DeckKey, str], chosen: dict[int, str],
                         analysis: Analysis) -> dict[DeckKey, list[LanguageScreen]]:
    """The language table, counted by the store's SQL (``SqliteStore``): per deck version,
    screen, chosen and shown language. ``chosen``: by the store's number for each person
    (``person``), as :func:`people_languages` finds them; ``analysis``: the screen table.

    Everyone who chose the main language has no record in any other (that is how it is
    chosen), so all their answers are in its own cell: the screen's tally less the others'.
    Only the others' answers are sorted (a year: a third of the answers, 0.7 s, where
    sorting all of them took 1.3)."""
    from kiosk.sessions.designer_store import one_transaction
    from kiosk.sessions.stats import counted_answers, screen_of

    db = store.db
    counted, screens = counted_answers(store), screen_of(store)
    db.execute("DROP TABLE IF EXISTS temp.main_language")  # (of an earlier version's layout)
    db.execute("CREATE TEMP TABLE main_language (screen_no INTEGER PRIMARY KEY, language TEXT)")
    db.execute("CREATE TEMP TABLE IF NOT EXISTS chosen_language "
               "(who INTEGER PRIMARY KEY, language TEXT)")
    db.execute("DELETE FROM temp.chosen_language")
    with one_transaction(db):
        db.executemany("INSERT INTO temp.main_language VALUES (?, ?)",
                       [(number, mains[key[:2]]) for number, key in screens.items()
                        if key[:2] in mains])
        db.executemany("INSERT OR REPLACE INTO temp.chosen_language VALUES (?, ?)",
                       chosen.items())
    cells: dict[tuple[DeckKey, str], dict[tuple[str, str], LanguageCell]] = defaultdict(dict)
    languages: dict[DeckKey, set[str]] = defaultdict(set)
    others: dict[tuple, list[int]] = defaultdict(lambda: [0] * 7)  # the screen's, summed
    for row in store.query(LANGUAGE_SQL.format(tally=TALLY_COLUMNS, counted=counted)):
        number, want, shown = row[:3]
        deck_id, version, screen_id = screens[number]
        deck, key = (deck_id, version), ((deck_id, version), screen_id)
        cells[key][(want, shown)] = LanguageCell(want, shown, Tally.counted(*row[3:]))
        languages[deck].add(want)
        total = others[screens[number]]
        for index, value in enumerate(row[3:8]):
            total[index] += int(value or 0)
    for number, people, left in store.query(OTHER_CHOOSERS_SQL.format(counted=counted)):
        others[screens[number]][5:] = [people, left]
    variant_of = {((r.deck_id, r.deck_version), r.screen_id): r.variant
                  for r in analysis.screens}
    walk_order = {((r.deck_id, r.deck_version), r.screen_id): r.order
                  for r in analysis.screens}
    for (deck_id, version, screen_id), tally in analysis.screen_tallies.items():
        deck = (deck_id, version)
        main = mains.get(deck) or ""
        left = [a - b for a, b in zip(
            (tally.understood, tally.not_understood, tally.skipped, tally.abandoned,
             tally.replays, tally.people, tally.people_who_left),
            others.get((deck_id, version, screen_id), [0] * 7), strict=True)]
        if left[5]:  # someone who chose the main language answered it (in any way)
            cells[(deck, screen_id)][(main, main)] = LanguageCell(main, main,
                                                                  Tally.counted(*left))
            languages[deck].add(main)
    out: dict[DeckKey, list[LanguageScreen]] = defaultdict(list)
    for (deck, screen_id), found in cells.items():
        if len(languages[deck]) < 2:
            continue
        main = mains.get(deck, "")
        base = found.get((main, main))
        for cell in found.values():
            if cell.fell_back or cell.chosen == main or base is None:
                continue
            if not base.tally.answered or not cell.tally.answered:
                continue
            a, b = cell.tally, base.tally
            cell.p_vs_main = fisher_exact(a.understood, a.not_understood,
                                          b.understood, b.not_understood)
            gap = (b.share() or 0.0) - (a.share() or 0.0)
            if gap > 0 and cell.p_vs_main < 0.05:
                cell.flag = "far below"
            elif gap >= FAR_BELOW_POINTS:
                cell.flag = "lower"
        ranked = sorted(found.values(), key=lambda c: (c.chosen != main, c.chosen, c.fell_back))
        place = walk_order.get((deck, screen_id), 0.0)
        out[deck].append(LanguageScreen(screen_id, variant_of.get((deck, screen_id), ""), place,
                                        ranked))
    for listed in out.values():
        listed.sort(key=lambda s: (s.order, s.screen_id))
    return dict(out)


# ---------------------------------------------------------------- profile groups


@dataclass
class GroupCell:
    """% understood for the people who gave one answer to one profile question."""

    answer: str
    tally: Tally = field(default_factory=Tally)
    hidden: bool = False
    why_hidden: str = ""  # "small" (fewer than MIN_GROUP) or "complement"

    @property
    def people(self) -> int:
        return self.tally.people


def suppress(cells: list[GroupCell], everyone: int) -> None:
    """Hide groups under MIN_GROUP people, then more until the rest cannot be subtracted out.

    ``everyone`` is how many people the same figure covers in total (shown elsewhere).
    """
    for cell in cells:
        if 0 < cell.people < MIN_GROUP:
            cell.hidden, cell.why_hidden = True, "small"
    shown = sorted((c for c in cells if not c.hidden and c.people > 0), key=lambda c: c.people)
    while shown and 0 < everyone - sum(c.people for c in shown) < MIN_GROUP:
        smallest = shown.pop(0)
        smallest.hidden, smallest.why_hidden = True, "complement"


@dataclass
class ProfileBreakdown:
    """One profile question within one deck version: overall and per screen."""

    question: str
    asked: list[GroupCell]  # how many people gave each answer (any screen)
    overall: list[GroupCell]  # all the deck's screen answers pooled, by answer
    screens: list[tuple[str, str, list[GroupCell]]]  # (screen id, variant, cells)


def analyse_profiles(sessions: list[dict], events: Iterable[dict],
                     screen_order: dict[DeckKey, list[tuple[str, str]]]
                     ) -> dict[DeckKey, list[ProfileBreakdown]]:
    """Per deck version and profile question: % understood by answer, small groups hidden.

    From lists: counted by :func:`profiles_from_store` in an in-memory store (one way).
    """
    from kiosk.sessions.stats import analyse_store

    store = _memory_store(sessions, events)
    try:
        return profiles_from_store(store, screen_order, analyse_store(store))
    finally:
        store.close()


def profiles_from_store(store: Any, screen_order: dict[DeckKey, list[tuple[str, str]]],
                        analysis: Analysis) -> dict[DeckKey, list[ProfileBreakdown]]:
    """The profile groups, added up from the piles the screen tallies counted in SQL
    (``analysis.profile_piles``: each screen's answers per set of profile answers); how many
    people answered each screen and deck version in all comes from the screen tallies too."""

    from kiosk.sessions.stats import answering_people

    profiles = analysis.profiles
    if not profiles.signature_of:  # nobody answered a profile question
        return {}
    deck_of, signature_of, given_of = profiles.deck_of, profiles.signature_of, profiles.given_of
    questions, asked = profiles.questions, profiles.asked
    # all screens pooled: each pile's people (each once) and those who walked away, from the
    # list of everyone with answers that count (no second pass over every answer); and
    # everyone who answered or answered a question, per deck version
    pooled: dict[tuple[DeckKey, int], list[int]] = defaultdict(lambda: [0] * 7)
    covered: dict[DeckKey, int] = defaultdict(int, analysis.people_in_deck)
    answering = set()
    for person, left in store.db.execute(
            f"SELECT person, left_at IS NOT NULL FROM {answering_people(store)}"):
        answering.add(person)
        signature = signature_of.get(person)
        if signature is not None:
            pile = pooled[(deck_of[person], signature)]
            pile[5] += 1
            pile[6] += left
    for person, deck in deck_of.items():
        if person not in answering:
            covered[deck] += 1
    del answering
    overall: dict[tuple[DeckKey, str, str], list[int]] = defaultdict(lambda: [0] * 7)
    per_screen: dict[tuple[DeckKey, str, str, str], list[int]] = defaultdict(lambda: [0] * 7)
    for row in analysis.profile_piles:
        deck, screen, signature = (row[0], row[1]), row[2], row[3]
        sums = pooled[(deck, signature)]
        for index, value in enumerate(row[4:9]):  # answers and replays add up over screens
            sums[index] += int(value or 0)
        for question, answer in given_of[signature]:  # different piles: different people
            target = per_screen[(deck, question, answer, screen)]
            for index, value in enumerate(row[4:]):
                target[index] += int(value or 0)
    for (deck, signature), sums in pooled.items():
        if sums[5]:  # a pile with answers that count
            for question, answer in given_of[signature]:
                target = overall[(deck, question, answer)]
                for index, value in enumerate(sums):
                    target[index] += value
    everyone = analysis.people_in_deck
    everyone_on = {((deck_id, version), screen): tally.people
                   for (deck_id, version, screen), tally in analysis.screen_tallies.items()}

    def summed(sums: list[int] | None) -> Tally:
        return Tally.counted(*sums) if sums else Tally()

    def cells(make: Any, total: int) -> list[GroupCell]:
        made = [GroupCell(answer, make(answer)) for answer in PROFILE_ANSWERS]
        suppress(made, total)
        return made

    out: dict[DeckKey, list[ProfileBreakdown]] = {}
    for deck, found in questions.items():
        breakdowns = []
        for question in found:
            screens = [(sid, variant, cells(
                lambda a, d=deck, q=question, s=sid: summed(per_screen.get((d, q, a, s))),
                everyone_on.get((deck, sid), 0))) for sid, variant in screen_order.get(deck, [])]
            breakdowns.append(ProfileBreakdown(
                question,
                cells(lambda a, d=deck, q=question: Tally.counted(
                    0, 0, 0, 0, 0, asked.get((d, q, a), 0), 0), covered.get(deck, 0)),
                cells(lambda a, d=deck, q=question: summed(overall.get((d, q, a))),
                      everyone.get(deck, 0)), screens))
        out[deck] = breakdowns
    return out
