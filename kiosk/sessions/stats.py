"""The numbers behind the report, in the standard library only (no scipy needed).

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
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from statistics import median
from typing import Any

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
    """Two-sided p-value of Fisher's exact test for the table [[a, b], [c, d]]."""
    row1, row2, col1 = a + b, c + d, a + c
    n = row1 + row2
    if n == 0 or row1 == 0 or row2 == 0 or col1 == 0 or col1 == n:
        return 1.0

    def log_p(x: int) -> float:
        return (_log_comb(row1, x) + _log_comb(row2, col1 - x) - _log_comb(n, col1))

    observed = log_p(a)
    low, high = max(0, col1 - row2), min(row1, col1)
    total = 0.0
    for x in range(low, high + 1):
        lp = log_p(x)
        if lp <= observed + 1e-7:
            total += math.exp(lp)
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
        return (f"the {_label(name)} version in {t.understood} of {t.answered} answers"
                + (f" ({pct(share)})" if share is not None else ""))
    text = f"People understood {part(first, a)}, and {part(second, b)}; {chance_words(p)}"
    text += f" (Fisher's exact test, p = {p:.3f})." if p >= 0.001 else \
        " (Fisher's exact test, p < 0.001)."
    if min(a.answered, b.answered) < SMALL_SAMPLE:
        text += " Few answers so far: treat this as a first look."
    return text


def analyse(sessions: list[dict], events: list[dict]) -> Analysis:
    """Every table of the report, from the merged sessions and events."""
    by_session = {s["session_id"]: s for s in sessions}
    events = sorted(events, key=lambda e: (e["session_id"], e.get("seq", 0), e.get("at", "")))
    screen_tally: dict[tuple, Tally] = defaultdict(Tally)
    screen_variant: dict[tuple, str] = {}
    positions: dict[tuple, list[int]] = defaultdict(list)
    taps: dict[tuple, int] = defaultdict(int)
    misses: dict[tuple, int] = defaultdict(int)
    abandoned_here: dict[tuple, int] = defaultdict(int)
    variant_tallies: dict[tuple[str, int], dict[str, Tally]] = defaultdict(
        lambda: defaultdict(Tally))
    venues: dict[str, Tally] = defaultdict(Tally)
    session_tally: dict[str, Tally] = defaultdict(Tally)
    totals = Tally()
    walk_position: dict[tuple, int] = defaultdict(int)
    stopped: set[tuple] = set()
    for event in events:
        session = by_session.get(event["session_id"])
        if session is None:
            continue
        deck = (session["deck_id"], int(session["deck_version"]))
        key = (*deck, event.get("screen_id", ""))
        person = (event["session_id"], event.get("participant"))
        kind = event.get("kind")
        if event.get("task"):
            continue  # inside a task: reported per task (breakdowns.py), never mixed in here
        if kind == "tap":
            taps[key] += 1
        elif kind == "miss":
            misses[key] += 1
        if kind != "answer":
            continue
        screen_tally[key].add(event)
        screen_variant.setdefault(key, event.get("variant") or "")
        positions[key].append(walk_position[person])
        walk_position[person] += 1
        if event.get("response") == "abandoned" and person not in stopped:
            stopped.add(person)
            abandoned_here[key] += 1
        if event.get("variant"):
            variant_tallies[deck][event["variant"]].add(event)
        venues[session.get("venue", "")].add(event)
        session_tally[event["session_id"]].add(event)
        totals.add(event)

    rows = []
    for key, tally in screen_tally.items():
        share = tally.share()
        low, high = tally.interval() if tally.answered else (None, None)
        rows.append(ScreenRow(
            deck_id=key[0], deck_version=key[1], screen_id=key[2],
            variant=screen_variant.get(key, ""),
            order=median(positions[key]) if positions[key] else 0.0,
            views=tally.views, answered=tally.answered, understood=tally.understood,
            not_understood=tally.not_understood, skipped=tally.skipped,
            abandoned=tally.abandoned, abandoned_here=abandoned_here[key],
            pct_understood=share, ci_low=low, ci_high=high,
            median_seconds_to_answer=tally.median_seconds(),
            replays_per_view=tally.replays / tally.views if tally.views else None,
            taps=taps[key], misses=misses[key],
            misclick_rate=misses[key] / tally.views if tally.views else None,
            small_sample=tally.answered < SMALL_SAMPLE,
        ))
    decks = sorted({(r.deck_id, r.deck_version) for r in rows})
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
    venue_sessions: dict[str, int] = defaultdict(int)
    for session in sessions:
        venue_sessions[session.get("venue", "")] += 1
    session_rows = sorted(((s, session_tally.get(s["session_id"], Tally())) for s in sessions),
                          key=lambda pair: pair[0].get("started_at", ""))
    return Analysis(
        screens=rows, decks=decks, variants=comparisons,
        variant_tallies={k: dict(v) for k, v in variant_tallies.items()},
        venues=dict(venues), venue_sessions=dict(venue_sessions), sessions=session_rows,
        kiosks={s.get("kiosk_id", "") for s in sessions}, totals=totals,
    )
