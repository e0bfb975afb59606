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

from kiosk.sessions.stats import SMALL_SAMPLE, Tally, fisher_exact, wilson

MIN_GROUP = 5  # fewer people than this: hidden, so a report cannot point at anyone
OUTCOMES = ("direct", "indirect", "gave_up", "abandoned")
PROFILE_ANSWERS = ("yes", "no", "rather_not_say")
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
    steps_done: list[int] = field(default_factory=list)
    screen_views: int = 0  # task_step records: a screen shown inside the task
    taps: int = 0
    misses: int = 0
    people: set = field(default_factory=set)
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


def analyse_tasks(sessions: list[dict], events: Iterable[dict],
                  ordered: bool = False) -> dict[DeckKey, list[TaskRow]]:
    """Per deck version, its tasks (in the order first met), paths ranked by people.

    ``ordered``: the events already come by session, ``seq`` and time (the store streams
    them so), so they are read once and never held in memory together.
    """
    by_session = {s["session_id"]: s for s in sessions}
    rows: dict[tuple[str, int, str], TaskRow] = {}
    open_path: dict[tuple[Person, str], list[str]] = {}
    path_people: dict[tuple[str, int, str], dict[tuple[str, ...], TaskPath]] = defaultdict(dict)

    def row_for(deck: DeckKey, task: str) -> TaskRow:
        key = (*deck, task)
        if key not in rows:
            rows[key] = TaskRow(deck[0], deck[1], task)
        return rows[key]

    def close(deck: DeckKey, task: str, person: Person, outcome: str) -> None:
        screens = tuple(open_path.pop((person, task), ()))
        if not screens:
            return
        table = path_people[(*deck, task)]
        found = table.setdefault(screens, TaskPath(screens, 0))
        found.people += 1
        found.outcomes[outcome] += 1

    in_order = events if ordered else sorted(
        events, key=lambda e: (e["session_id"], e.get("seq", 0), e.get("at", "")))
    for event in in_order:
        task = event.get("task")
        if not task:
            continue
        session = by_session.get(event["session_id"])
        if session is None:
            continue
        deck = (session["deck_id"], int(session["deck_version"]))
        person = (event["session_id"], event.get("participant"))
        row = row_for(deck, str(task))
        kind = event.get("kind")
        if kind == "task_step":
            row.screen_views += 1
            row.people.add(person)
            if event.get("step") == 1 and open_path.get((person, task)):
                close(deck, task, person, "unfinished")  # a restart without an end
            open_path.setdefault((person, task), []).append(str(event.get("screen_id", "")))
        elif kind == "task_end":
            outcome = str(event.get("outcome", ""))
            if outcome not in OUTCOMES:
                continue
            row.outcomes[outcome] += 1
            row.people.add(person)
            if outcome in ("direct", "indirect"):
                if isinstance(event.get("seconds"), (int, float)):
                    row.seconds_done.append(float(event["seconds"]))
                if isinstance(event.get("steps"), int):
                    row.steps_done.append(event["steps"])
            close(deck, task, person, outcome)
        elif kind == "tap":
            row.taps += 1
        elif kind == "miss":
            row.misses += 1
        elif kind == "answer":
            row.easy.add(event)
    for (deck_id, version, task), table in path_people.items():
        row_for((deck_id, version), task).paths = sorted(
            table.values(), key=lambda p: (-p.people, len(p.screens), p.screens))
    out: dict[DeckKey, list[TaskRow]] = defaultdict(list)
    for row in rows.values():
        out[(row.deck_id, row.deck_version)].append(row)
    return dict(out)


# ---------------------------------------------------------------- people


def main_languages(sessions: list[dict], events: Iterable[dict],
                   known: dict[str, str | None]) -> dict[DeckKey, str]:
    """Each deck version's main language: from the deck if it is here, else the most used."""
    by_session = {s["session_id"]: s for s in sessions}
    counts: dict[DeckKey, Counter] = defaultdict(Counter)
    for event in events:
        session = by_session.get(event["session_id"])
        if session is not None and event.get("language"):
            counts[(session["deck_id"], int(session["deck_version"]))][event["language"]] += 1
    return main_languages_counted(counts, known)


def main_languages_counted(counts: dict[DeckKey, Counter],
                           known: dict[str, str | None]) -> dict[DeckKey, str]:
    """The same, from records counted per deck version and language (by the store's SQL)."""
    out = {}
    for deck, counter in counts.items():
        out[deck] = known.get(deck[0]) or counter.most_common(1)[0][0]
    return out


def chosen_languages(sessions: list[dict], events: Iterable[dict],
                     mains: dict[DeckKey, str]) -> dict[Person, str]:
    """Each person's chosen language: the one their records carry besides the main one."""
    by_session = {s["session_id"]: s for s in sessions}
    seen: dict[Person, Counter] = defaultdict(Counter)
    deck_of: dict[Person, DeckKey] = {}
    for event in events:
        session = by_session.get(event["session_id"])
        if session is None:
            continue
        person = (event["session_id"], event.get("participant"))
        deck = (session["deck_id"], int(session["deck_version"]))
        deck_of[person] = deck
        if event.get("language"):
            seen[person][event["language"]] += 1
    return chosen_languages_counted(seen, deck_of, mains)


def chosen_languages_counted(seen: dict[Person, Counter], deck_of: dict[Person, DeckKey],
                             mains: dict[DeckKey, str]) -> dict[Person, str]:
    """The same, from each person's records counted per language (by the store's SQL)."""
    out = {}
    for person, deck in deck_of.items():
        main = mains.get(deck)
        others = Counter({k: v for k, v in seen[person].items() if k != main})
        out[person] = others.most_common(1)[0][0] if others else (main or "")
    return out


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
                      chosen: dict[Person, str],
                      walk_order: dict[tuple[DeckKey, str], float] | None = None
                      ) -> dict[DeckKey, list[LanguageScreen]]:
    """Per deck version with more than one language: per screen, % understood per language.

    ``walk_order`` (the screen table's order) saves sorting every event again.
    """
    by_session = {s["session_id"]: s for s in sessions}
    cells: dict[tuple[DeckKey, str], dict[tuple[str, str], LanguageCell]] = defaultdict(dict)
    variants: dict[tuple[DeckKey, str], str] = {}
    order: dict[tuple[DeckKey, str], list[int]] = defaultdict(list)
    position: dict[Person, int] = defaultdict(int)
    languages: dict[DeckKey, set[str]] = defaultdict(set)
    ordered = events if walk_order is not None else sorted(
        events, key=lambda e: (e["session_id"], e.get("seq", 0), e.get("at", "")))
    for event in ordered:
        if event.get("kind") != "answer" or event.get("task"):
            continue
        session = by_session.get(event["session_id"])
        if session is None:
            continue
        deck = (session["deck_id"], int(session["deck_version"]))
        person = (event["session_id"], event.get("participant"))
        main = mains.get(deck, "")
        shown = event.get("language") or main
        want = chosen.get(person, shown)
        key = (deck, str(event.get("screen_id", "")))
        cell = cells[key].setdefault((want, shown), LanguageCell(want, shown))
        cell.tally.add(event)
        variants.setdefault(key, event.get("variant") or "")
        if walk_order is None:
            order[key].append(position[person])
            position[person] += 1
        languages[deck].add(want)
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
        place = (walk_order or {}).get((deck, screen_id))
        if place is None:
            place = median(order[(deck, screen_id)]) if order[(deck, screen_id)] else 0.0
        out[deck].append(LanguageScreen(screen_id, variants[(deck, screen_id)], place, ranked))
    for screens in out.values():
        screens.sort(key=lambda s: (s.order, s.screen_id))
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


def profile_answers(events: Iterable[dict]) -> dict[Person, dict[str, str]]:
    """Each person's answer to each profile question (the last one, if asked twice)."""
    out: dict[Person, dict[str, str]] = defaultdict(dict)
    profiles = [e for e in events if e.get("kind") == "profile"]
    for event in sorted(profiles, key=lambda e: (e["session_id"], e.get("seq", 0))):
        if event.get("answer") in PROFILE_ANSWERS:
            out[(event["session_id"], event.get("participant"))][
                str(event.get("question", ""))] = event["answer"]
    return dict(out)


def analyse_profiles(sessions: list[dict], events: Iterable[dict],
                     screen_order: dict[DeckKey, list[tuple[str, str]]]
                     ) -> dict[DeckKey, list[ProfileBreakdown]]:
    """Per deck version and profile question: % understood by answer, small groups hidden."""
    by_session = {s["session_id"]: s for s in sessions}
    answers = profile_answers(events)
    if not answers:
        return {}
    questions: dict[DeckKey, dict[str, None]] = defaultdict(dict)
    asked: dict[tuple[DeckKey, str, str], set] = defaultdict(set)
    for person, given in answers.items():
        session = by_session.get(person[0])
        if session is None:
            continue
        deck = (session["deck_id"], int(session["deck_version"]))
        for question, answer in given.items():
            questions[deck].setdefault(question)
            asked[(deck, question, answer)].add(person)
    # One pass: answers are added up per (deck, screen, the person's whole set of profile
    # answers); each question's groups are then sums of those few piles (fast at 100,000).
    piles: dict[tuple[DeckKey, str, tuple], Tally] = defaultdict(Tally)
    everyone: dict[DeckKey, set] = defaultdict(set)  # what the deck's figures cover
    everyone_on: dict[tuple[DeckKey, str], set] = defaultdict(set)
    signature: dict[Person, tuple] = {p: tuple(sorted(g.items())) for p, g in answers.items()}
    for event in events:
        if event.get("kind") != "answer" or event.get("task"):
            continue
        person = (event["session_id"], event.get("participant"))
        session = by_session.get(event["session_id"])
        if session is None:
            continue
        deck = (session["deck_id"], int(session["deck_version"]))
        screen = str(event.get("screen_id", ""))
        everyone[deck].add(person)
        everyone_on[(deck, screen)].add(person)
        given = signature.get(person)
        if given:
            piles[(deck, screen, given)].add(event)
    overall: dict[tuple[DeckKey, str, str], Tally] = defaultdict(Tally)
    per_screen: dict[tuple[DeckKey, str, str, str], Tally] = defaultdict(Tally)
    for (deck, screen, given), pile in piles.items():
        for question, answer in given:
            for target in (overall[(deck, question, answer)],
                           per_screen[(deck, question, answer, screen)]):
                target.understood += pile.understood
                target.not_understood += pile.not_understood
                target.skipped += pile.skipped
                target.abandoned += pile.abandoned
                target.participants |= pile.participants

    def cells(make: Any, total: int) -> list[GroupCell]:
        made = [GroupCell(answer, make(answer)) for answer in PROFILE_ANSWERS]
        suppress(made, total)
        return made

    out: dict[DeckKey, list[ProfileBreakdown]] = {}
    for deck, found in questions.items():
        breakdowns = []
        for question in found:
            def people_only(answer: str, deck: DeckKey = deck, question: str = question) -> Tally:
                tally = Tally()
                tally.participants = set(asked.get((deck, question, answer), set()))
                return tally
            screens = [(sid, variant, cells(
                lambda a, d=deck, q=question, s=sid: per_screen.get((d, q, a, s), Tally()),
                len(everyone_on[(deck, sid)]))) for sid, variant in screen_order.get(deck, [])]
            total = len(everyone[deck] | {p for (d, _, _), ps in asked.items() if d == deck
                                          for p in ps})
            breakdowns.append(ProfileBreakdown(
                question, cells(people_only, total),
                cells(lambda a, d=deck, q=question: overall.get((d, q, a), Tally()),
                      len(everyone[deck])), screens))
        out[deck] = breakdowns
    return out
