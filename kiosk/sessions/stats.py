"""The numbers behind the report, in the standard library only (SQLite and math).

- % understood counts ``understood`` out of ``understood + not_understood``: a screen someone
  skipped or walked away from tells us nothing about whether it is clear, so those are
  counted separately (``skipped``, ``abandoned``) and shown, not mixed in.
- 95% intervals are Wilson score intervals: honest at small n and near 0% or 100%, where the
  textbook normal interval is not.
- Answers that carry a ``task`` answer "Was that easy to do?" after a task, not "did you
  understand this screen?": they are left out of every figure here and reported per task
  (``breakdowns.py``), as are taps and misses made inside a task.
- Variants are compared with Fisher's exact test (two-sided, computed in log space, exact at
  any n here), not a z-test, because co-design samples are often small.
- The counting is done by the designer store's SQL (``analyse_store``; GROUP BY over one
  narrow copy of the answers that count; each person's walk order from a copy sorted once;
  medians from how often each value occurs, counted by a GROUP BY: no window functions,
  which were the slowest part), so a year of answers is never looped over in Python. ``analyse`` on
  lists puts them in an in-memory store first.
- Checked against scipy and statsmodels for every count up to 200 of 200
  (``tests/sessions/test_sessions_stats_props.py``); neither is needed to run.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from itertools import accumulate, groupby
from operator import itemgetter
from statistics import median
from typing import Any

from kiosk.sessions.profile_answers import SIGNATURES, ProfileAnswers, read_profile_answers

Z95 = 1.959963984540054
SMALL_SAMPLE = 10  # fewer answers than this: flagged, not hidden


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion (0..1); (0, 1) when there is no data.

    Clamped here, at the source, so that it always holds its own estimate and lies in
    [0, 1]: in floating point the upper end for n of n comes out as 0.9999999999999999 for
    many n (and the lower end for 0 of n as 5.6e-17), which made an error bar a hair
    negative and stopped the report. The exact interval touches 1 (or 0) there.
    """
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= successes <= n:
        raise ValueError(f"{successes} successes out of {n} is not a proportion")
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    low = 0.0 if successes == 0 else min(p, max(0.0, centre - half))
    high = 1.0 if successes == n else max(p, min(1.0, centre + half))
    return low, high


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test for the table [[a, b], [c, d]]: the chance
    of every table with these margins no likelier than the one seen.

    The tables' chances rise to one peak and fall away (the hypergeometric distribution is
    log-concave), so they are walked outwards from the peak, each from the one before by
    its ratio, and a walk stops once all that is left beyond it is too small to change the
    sum (under e^-40 of the table seen): a few thousand steps at a million answers, where
    summing every table took a second per comparison."""
    row1, row2, col1 = a + b, c + d, a + c
    n = row1 + row2
    if n == 0 or row1 == 0 or row2 == 0 or col1 == 0 or col1 == n:
        return 1.0

    def log_p(x: int) -> float:
        return (_log_comb(row1, x) + _log_comb(row2, col1 - x) - _log_comb(n, col1))

    observed = log_p(a)
    low, high = max(0, col1 - row2), min(row1, col1)
    peak = min(high, max(low, (row1 + 1) * (col1 + 1) // (n + 2)))
    at_peak = log_p(peak)
    total = math.exp(at_peak) if at_peak <= observed + 1e-7 else 0.0
    for step in (1, -1):
        lp, x = at_peak, peak
        while low <= x + step <= high:
            # log of the ratio of the chance of table x + step to that of table x
            if step == 1:
                ratio = math.log((row1 - x) * (col1 - x)) - math.log(
                    (x + 1) * (row2 - col1 + x + 1))
            else:
                ratio = math.log(x * (row2 - col1 + x)) - math.log(
                    (row1 - x + 1) * (col1 - x + 1))
            lp, x = lp + ratio, x + step
            if lp <= observed + 1e-7:
                total += math.exp(lp)
            # further on, each ratio is smaller still: the rest is at most this one's share
            # of a geometric series
            if ratio < 0 and lp - math.log(-math.expm1(ratio)) < observed - 40:
                break
    return min(1.0, total)


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def chance_words(p: float) -> str:
    """How a p-value reads to someone who is not a statistician."""
    if p < 0.01:
        return "this difference is very unlikely to be chance"
    if p < 0.05:
        return "this difference is unlikely to be chance"
    if p < 0.2:
        return "this difference might be chance; more answers would tell"
    return "this difference could easily be chance"


def pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def p_value_text(p: float) -> str:
    """"p = 0.016", or "p < 0.001" where three decimals would show a misleading 0.000."""
    return f"p = {p:.3f}" if p >= 0.001 else "p < 0.001"


def count(n: int) -> str:
    """A count as people read it: 742,164 rather than 742164."""
    return f"{n:,}"


@dataclass
class Tally:
    """Answers of one group (a screen, a variant, a venue, a session)."""

    understood: int = 0
    not_understood: int = 0
    skipped: int = 0
    abandoned: int = 0
    seconds: list[float] = field(default_factory=list)
    replays: int = 0
    participants: set = field(default_factory=set)
    walked_away: set = field(default_factory=set)  # people who left part-way
    # Counted by the store (SQL) instead of kept as sets: distinct people, people who walked
    # away, and the median seconds; None when this tally was built with ``add``.
    people_counted: int | None = None
    left_counted: int | None = None
    median_counted: float | None = None

    @classmethod
    def counted(cls, understood: int, not_understood: int, skipped: int, abandoned: int,
                replays: int, people: int, left: int,
                median_seconds: float | None = None) -> Tally:
        """A tally whose counting the designer store did (no per-answer Python)."""
        return cls(int(understood or 0), int(not_understood or 0), int(skipped or 0),
                   int(abandoned or 0), replays=int(replays or 0), people_counted=int(people),
                   left_counted=int(left), median_counted=median_seconds)

    @property
    def people(self) -> int:
        """How many different people (one person in one session) this tally covers."""
        return self.people_counted if self.people_counted is not None else \
            len(self.participants)

    @property
    def people_who_left(self) -> int:
        return self.left_counted if self.left_counted is not None else len(self.walked_away)

    def add(self, event: dict) -> None:
        response = event.get("response")
        if response == "understood":
            self.understood += 1
        elif response == "not_understood":
            self.not_understood += 1
        elif response == "skipped":
            self.skipped += 1
        elif response == "abandoned":
            self.abandoned += 1
            self.walked_away.add((event["session_id"], event.get("participant")))
        if response in ("understood", "not_understood"):
            seconds = event.get("seconds_to_answer")
            if isinstance(seconds, (int, float)):
                self.seconds.append(float(seconds))
        replays = event.get("replays")
        if isinstance(replays, int):
            self.replays += replays
        self.participants.add((event["session_id"], event.get("participant")))

    @property
    def answered(self) -> int:
        return self.understood + self.not_understood

    @property
    def views(self) -> int:
        return self.answered + self.skipped + self.abandoned

    def share(self) -> float | None:
        return self.understood / self.answered if self.answered else None

    def interval(self) -> tuple[float, float]:
        return wilson(self.understood, self.answered)

    def median_seconds(self) -> float | None:
        if self.median_counted is not None:
            return self.median_counted
        return median(self.seconds) if self.seconds else None


@dataclass
class ScreenRow:
    deck_id: str
    deck_version: int
    screen_id: str
    variant: str
    order: float
    views: int
    answered: int
    understood: int
    not_understood: int
    skipped: int
    abandoned: int
    abandoned_here: int  # people whose walk stopped at this screen
    pct_understood: float | None
    ci_low: float | None
    ci_high: float | None
    median_seconds_to_answer: float | None
    replays_per_view: float | None
    taps: int
    misses: int
    misclick_rate: float | None  # taps that missed every hotspot, per view of the screen
    small_sample: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class VariantComparison:
    deck_id: str
    deck_version: int
    first: str
    second: str
    first_tally: Tally
    second_tally: Tally
    p_value: float
    sentence: str


@dataclass
class Analysis:
    screens: list[ScreenRow]
    decks: list[tuple[str, int]]
    variants: dict[tuple[str, int], list[VariantComparison]]
    variant_tallies: dict[tuple[str, int], dict[str, Tally]]
    venues: dict[str, Tally]
    venue_sessions: dict[str, int]
    sessions: list[tuple[dict, Tally]]
    kiosks: set[str]
    totals: Tally
    # each screen's tally (deck id, version, screen id), and the different people with
    # answers that count per deck version: the profile groups' totals (which hide a group
    # that could be worked out by subtraction) and the language table's main language
    screen_tallies: dict[tuple[str, int, str], Tally] = field(default_factory=dict)
    people_in_deck: dict[tuple[str, int], int] = field(default_factory=dict)
    # everyone's profile answers, and each screen's answers per set of them (deck id,
    # version, screen, the set's number, then the tally's seven counts): the profile groups
    profiles: ProfileAnswers = field(default_factory=ProfileAnswers)
    profile_piles: list[tuple] = field(default_factory=list)

    def deck_screens(self, deck: tuple[str, int]) -> list[ScreenRow]:
        return sorted((r for r in self.screens if (r.deck_id, r.deck_version) == deck),
                      key=lambda r: (r.order, r.screen_id))

    def least_understood(self) -> list[ScreenRow]:
        scored = [r for r in self.screens if r.pct_understood is not None]
        return sorted(scored, key=lambda r: (r.pct_understood, -r.answered))


def _label(variant: str) -> str:
    return variant.replace("-", " ").replace("_", " ")


def variant_sentence(first: str, a: Tally, second: str, b: Tally, p: float) -> str:
    """A plain-English comparison that puts the counts first, then the honest caveat."""
    def part(name: str, t: Tally) -> str:
        share = t.share()
        return (f"the {_label(name)} version in {count(t.understood)} of "
                f"{count(t.answered)} answers"
                + (f" ({pct(share)})" if share is not None else ""))
    text = f"People understood {part(first, a)}, and {part(second, b)}; {chance_words(p)}"
    text += f" (Fisher's exact test, {p_value_text(p)})."
    if min(a.answered, b.answered) < SMALL_SAMPLE:
        text += " Few answers so far: treat this as a first look."
    return text


def analyse(sessions: list[dict], events: list[dict]) -> Analysis:
    """Every table of the report, from lists of sessions and events (tests, small runs).

    The lists are put in an in-memory designer store and counted there, so there is one way
    to count: :func:`analyse_store`.
    """
    from kiosk.sessions.designer_store import SqliteStore

    store = SqliteStore(None)
    try:
        store.add_sessions(sessions)
        store.add_events(events)
        return analyse_store(store)
    finally:
        store.close()


# Answers that count towards a screen: not inside a task, from a session in the store.
ANSWERS = "kind = 'answer' AND in_task = 0 AND deck_id IS NOT NULL"
TALLY_COLUMNS = """SUM(response = 'understood'), SUM(response = 'not_understood'),
    SUM(response = 'skipped'), SUM(response = 'abandoned'), COALESCE(SUM(replays), 0),
    COUNT(DISTINCT person), COUNT(DISTINCT CASE WHEN response = 'abandoned' THEN person END)"""
SCREEN = "deck_id, deck_version, screen_id"

# The answers that count, copied once per report into a narrow temporary table (about a
# third of the events and half the columns; each session by its number, not its id and
# venue; each screen by its number in ``answer_screens``, not its deck, version and id:
# every GROUP BY below sorts a million answers, by one small number a third quicker): every
# tally below reads it, not the store. Copied in walk order (each person's answers
# together, by ``seq`` then time), so that a row's place in its person's walk is its row
# number less the person's first (``walk_places``): sorting while copying cost less than a
# second copy in that order.
COUNTED = "temp.counted_answers"
COUNTED_COLUMNS = ("s.number AS screen_no, e.variant, e.session_no, e.person, e.seq, e.at, "
                   "e.response, e.replays, e.seconds_to_answer, e.language")
_COPY_COUNTED = f"""
CREATE TABLE {COUNTED} AS SELECT {COUNTED_COLUMNS} FROM events AS e NOT INDEXED
LEFT JOIN answer_screens AS s ON s.deck_id = e.deck_id AND s.deck_version IS e.deck_version
    AND s.screen_id IS e.screen_id
WHERE {" AND ".join(f"e.{term}" for term in ANSWERS.split(" AND "))}
ORDER BY e.session_no, e.person, e.seq, e.at
"""


def counted_answers(store: Any) -> str:
    """The name of the temporary table of the answers that count (``ANSWERS``), built now
    unless the store is unchanged since it was last built on this connection: SQLite's
    ``data_version`` moves when another connection changed the file, the store's
    ``generation`` when this one added or deleted events (both free to ask, where counting
    the events is a pass over them)."""
    from kiosk.sessions.designer_store import ADD_ANSWER_SCREENS

    db = store.db
    stamp = _stamp(store)
    if getattr(store, "_counted_stamp", None) == stamp:
        return COUNTED
    db.execute(f"DROP TABLE IF EXISTS {COUNTED}")
    db.execute(_COPY_COUNTED)
    if db.execute(f"SELECT 1 FROM {COUNTED} WHERE screen_no IS NULL LIMIT 1").fetchone():
        # a screen the store had not numbered (never, unless its file was changed by hand
        # or by a version that knew nothing of answer_screens): numbered now, copied again
        db.execute(ADD_ANSWER_SCREENS.format(where=ANSWERS))
        db.execute(f"DROP TABLE {COUNTED}")
        db.execute(_COPY_COUNTED)
    store._counted_stamp = stamp
    store._screen_of = {number: (deck_id, version, screen_id) for number, deck_id, version,
                        screen_id in db.execute("SELECT * FROM answer_screens")}
    return COUNTED


def screen_of(store: Any) -> dict[int, tuple[str, int, str]]:
    """Each screen's (deck id, version, screen id), by its number in the answers that count
    (``screen_no``), read as they were copied."""
    counted_answers(store)
    found: dict[int, tuple[str, int, str]] = store._screen_of
    return found


def _stamp(store: Any) -> tuple[int, int]:
    return store.db.execute("PRAGMA data_version").fetchone()[0], store.generation


# Everyone with answers that count (``person``), with the row of temp.walk where their walk
# starts (``first``, for walk_places only) and where they first walked away (``left_at``,
# NULL if they never did): made by walk_places, kept for the profile groups.
ANSWERING = "temp.answering_people"


def answering_people(store: Any) -> str:
    """The name of the table of everyone with answers that count (``ANSWERING``), made by
    :func:`walk_places` (again, if the store changed since it was)."""
    if getattr(store, "_answering_stamp", None) != _stamp(store):
        walk_places(store)
    return ANSWERING


def _screen_medians(store: Any, value: str, source: str, where: str = "",
                    extra: str = "0") -> dict[tuple, tuple[float, int]]:
    """Per screen (``screen_no`` of ``source``; keyed by deck id, version and screen id): the
    median of ``value`` and the sum of ``extra``.

    SQLite counts how often each value occurs on each screen (a GROUP BY: its answers sorted
    once, and a few thousand rows back); the middle of each screen is then found in those
    counts. Copying the answers sorted into a table and looking up its middle rows cost a
    third more; window functions were slower still."""
    found: dict[tuple, tuple[float, int]] = {}
    screens = screen_of(store)
    rows = store.db.execute(f"SELECT screen_no, {value}, COUNT(*), SUM({extra}) FROM {source}"
                            f"{' WHERE ' + where if where else ''} "
                            "GROUP BY 1, 2 ORDER BY 1, 2")  # (each screen's together)
    for number, counted in groupby(rows, key=itemgetter(0)):
        values, counts, extras = zip(*(row[1:] for row in counted), strict=True)
        running = list(accumulate(counts))  # how many values up to and including each

        def nth(place: int, values: tuple = values, running: list = running) -> Any:
            return values[bisect_right(running, place)]

        total = running[-1]
        found[screens[number]] = ((nth((total - 1) // 2) + nth(total // 2)) / 2,
                                  int(sum(extras)))
    return found


def walk_places(store: Any) -> dict[tuple, tuple[float, int]]:
    """Per screen: where it sits in people's walks (the median position among each person's
    answers, by ``seq`` then time) and how many people walked away there (their first
    "abandoned"). The answers that count are in walk order (``counted_answers``), so a
    row's position is its row number less its person's first: no window functions."""
    db = store.db
    counted = counted_answers(store)
    db.execute(f"DROP TABLE IF EXISTS {ANSWERING}")
    db.execute(f"CREATE TABLE {ANSWERING} "
               "(person INTEGER PRIMARY KEY, first INTEGER, left_at INTEGER)")
    db.execute(f"INSERT INTO {ANSWERING} SELECT person, MIN(rowid), "
               f"MIN(CASE WHEN response = 'abandoned' THEN rowid END) FROM {counted} "
               "GROUP BY person")
    store._answering_stamp = _stamp(store)
    return _screen_medians(store, "a.rowid - s.first",
                           f"{counted} AS a JOIN {ANSWERING} AS s ON s.person = a.person",
                           extra="a.rowid IS s.left_at")


def median_seconds(store: Any) -> dict[tuple, float]:
    """Per screen: the median seconds to answer, over answers with a response and a time."""
    found = _screen_medians(store, "seconds_to_answer", counted_answers(store),
                            "response IN ('understood', 'not_understood') "
                            "AND seconds_to_answer IS NOT NULL")
    return {key: value[0] for key, value in found.items()}


def _screen_order(key: tuple) -> tuple:
    """A screen's (deck id, version, screen id) as SQLite orders them (a NULL first)."""
    return tuple((value is not None, value) for value in key)


def _variant_tallies(store: Any) -> dict[tuple[str, int, str], Tally]:
    """Per deck version and variant (other than none), the tally of its answers that count."""
    rows = store.query(f"SELECT deck_id, deck_version, variant, {TALLY_COLUMNS} "
                       f"FROM {counted_answers(store)} JOIN answer_screens ON number = screen_no "
                       "WHERE variant != '' GROUP BY 1, 2, 3")
    return {(row[0], row[1], row[2]): Tally.counted(*row[3:]) for row in rows}


def sum_tallies(parts: list[Tally]) -> Tally:
    """Tallies of different people added up (sessions never share a person)."""
    return Tally.counted(*(sum(getattr(t, name) for t in parts) for name in (
        "understood", "not_understood", "skipped", "abandoned", "replays", "people",
        "people_who_left")))


def analyse_store(store: Any) -> Analysis:
    """Every table of the report, counted by the designer store's SQL (``SqliteStore``)."""
    # each screen counted per set of profile answers (the profile groups' piles: see
    # profile_answers.py), then added up: a person has one set, so distinct people add up
    profiles = read_profile_answers(store)
    sums: dict[tuple, list[int]] = {}
    variant_of: dict[tuple, str] = {}
    piles = []
    screens = screen_of(store)
    for row in store.query(f"SELECT screen_no, g.signature, MAX(variant), {TALLY_COLUMNS} "
                           f"FROM {counted_answers(store)} LEFT JOIN {SIGNATURES} AS g "
                           "ON g.who = person GROUP BY 1, 2"):
        key, signature, variant, counts = screens[row[0]], row[1], row[2], row[3:]
        total = sums.setdefault(key, [0] * len(counts))
        for place, value in enumerate(counts):
            total[place] += int(value or 0)
        if variant is not None and variant > variant_of.get(key, ""):
            variant_of[key] = variant
        if signature is not None:
            piles.append((*key, signature, *counts))
    # (by deck, version and screen id, whatever order the store numbered them in: the
    # tables list screens that tie, on their place in walks or on % understood, by id)
    screen_tally = {key: Tally.counted(*sums[key]) for key in sorted(sums, key=_screen_order)}
    medians = median_seconds(store)
    walk = walk_places(store)
    taps = {tuple(r[:3]): (r[3], r[4]) for r in store.query(
        f"SELECT {SCREEN}, SUM(kind = 'tap'), SUM(kind = 'miss') FROM events "
        f"WHERE kind IN ('tap', 'miss') AND kind != 'answer' AND in_task = 0 "
        f"GROUP BY {SCREEN}")}
    rows = []
    for key, tally in screen_tally.items():
        tally.median_counted = medians.get(key)
        order, left_here = walk.get(key, (0.0, 0))
        tapped, missed = taps.get(key, (0, 0))
        low, high = tally.interval() if tally.answered else (None, None)
        rows.append(ScreenRow(
            deck_id=key[0], deck_version=key[1], screen_id=key[2],
            variant=variant_of.get(key) or "", order=float(order or 0.0),
            views=tally.views, answered=tally.answered, understood=tally.understood,
            not_understood=tally.not_understood, skipped=tally.skipped,
            abandoned=tally.abandoned, abandoned_here=int(left_here),
            pct_understood=tally.share(), ci_low=low, ci_high=high,
            median_seconds_to_answer=tally.median_seconds(),
            replays_per_view=tally.replays / tally.views if tally.views else None,
            taps=int(tapped), misses=int(missed),
            misclick_rate=missed / tally.views if tally.views else None,
            small_sample=tally.answered < SMALL_SAMPLE,
        ))
    decks = sorted({(r.deck_id, r.deck_version) for r in rows})
    variant_tallies: dict[tuple[str, int], dict[str, Tally]] = defaultdict(dict)
    for (deck_id, version, variant), tally in _variant_tallies(store).items():
        variant_tallies[(deck_id, version)][variant] = tally
    comparisons: dict[tuple[str, int], list[VariantComparison]] = {}
    for deck, tallies in variant_tallies.items():
        names = sorted(tallies, key=lambda v: (v != "original", v))
        found = []
        for i, first in enumerate(names):
            for second in names[i + 1:]:
                a, b = tallies[first], tallies[second]
                p = fisher_exact(a.understood, a.not_understood, b.understood, b.not_understood)
                # the better-understood version first: that is the news
                if (b.share() or 0) > (a.share() or 0):
                    first_, second_, a_, b_ = second, first, b, a
                else:
                    first_, second_, a_, b_ = first, second, a, b
                found.append(VariantComparison(deck[0], deck[1], first_, second_, a_, b_, p,
                                               variant_sentence(first_, a_, second_, b_, p)))
        if found:
            comparisons[deck] = found
    by_session, venue_of = {}, {}
    people_in_deck: dict[tuple[str, int], int] = defaultdict(int)
    session_of = {number: (session_id, venue) for number, session_id, venue in
                  store.query("SELECT number, session_id, venue FROM sessions")}
    # (a session's answers are all of its deck: the deck of any of its screens is its own)
    for number, screen, *counts in store.query(
            f"SELECT session_no, MIN(screen_no), {TALLY_COLUMNS} FROM {counted_answers(store)} "
            "GROUP BY 1"):
        session_id, venue = session_of.get(number, (str(number), ""))
        by_session[session_id] = tally = Tally.counted(*counts)
        venue_of[session_id] = venue or ""
        people_in_deck[screens[screen][:2]] += tally.people
    # A person is one participant in one session, so venues and the whole are sums of the
    # sessions' tallies: no more passes over the answers.
    venue_parts: dict[str, list[Tally]] = defaultdict(list)
    for session_id, tally in by_session.items():
        venue_parts[venue_of[session_id]].append(tally)
    venues = {venue: sum_tallies(parts) for venue, parts in venue_parts.items()}
    sessions = store.documents("sessions", order="started_at, rowid")
    session_rows = [(s, by_session.get(s.get("session_id"), Tally())) for s in sessions]
    venue_sessions = {venue or "": int(n) for venue, n in store.query(
        "SELECT venue, COUNT(*) FROM sessions GROUP BY venue")}
    kiosks = {k or "" for (k,) in store.query("SELECT DISTINCT kiosk_id FROM sessions")}
    totals = sum_tallies(list(by_session.values()))
    return Analysis(
        screens=rows, decks=decks, variants=comparisons,
        variant_tallies={k: dict(v) for k, v in variant_tallies.items()},
        venues=venues, venue_sessions=venue_sessions, sessions=session_rows,
        kiosks=kiosks, totals=totals,
        screen_tallies=screen_tally,
        people_in_deck=dict(people_in_deck), profiles=profiles, profile_piles=piles,
    )
