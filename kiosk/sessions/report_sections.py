"""The report's sections for tasks, tap heat maps, languages and profile groups (issue 6).

Kept apart from ``report.py`` so the screen report stays readable; ``report.py`` calls
:func:`build_extras` once and :func:`deck_sections` per deck. Every text from a bundle is
HTML-escaped; a profile or language group of fewer than 5 people is never shown (see
``breakdowns.py``), not in the page and not in the CSVs.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.sessions.breakdowns import (
    HIDDEN_TEXT,
    MIN_GROUP,
    DeckKey,
    GroupCell,
    LanguageScreen,
    ProfileBreakdown,
    TaskRow,
    analyse_tasks,
    chosen_languages_counted,
    languages_from_store,
    main_languages_counted,
    profiles_from_store,
)
from kiosk.sessions.deck_info import DeckInfo, find_deck_info
from kiosk.sessions.heatmap import ScreenTaps, collect_taps, heatmap_png
from kiosk.sessions.stats import SMALL_SAMPLE, Analysis, Tally, pct

ANSWER_WORDS = {"yes": "yes", "no": "no", "rather_not_say": "rather not say"}
MAX_PATHS = 6
ARROW = " → "


@dataclass
class Extras:
    """Everything issue 6 adds to the report, worked out once."""

    tasks: dict[DeckKey, list[TaskRow]] = field(default_factory=dict)
    languages: dict[DeckKey, list[LanguageScreen]] = field(default_factory=dict)
    mains: dict[DeckKey, str] = field(default_factory=dict)
    profiles: dict[DeckKey, list[ProfileBreakdown]] = field(default_factory=dict)
    taps: dict[tuple[str, int, str], ScreenTaps] = field(default_factory=dict)
    decks: dict[str, DeckInfo] = field(default_factory=dict)
    # read along: (deck, version, screen) -> {part number: (replays, people who replayed)}
    part_replays: dict[tuple[str, int, str], dict[int, tuple[int, int]]] = field(
        default_factory=dict)


TASK_COLUMNS = ("session_id", "participant", "kind", "task", "step", "screen_id", "outcome",
                "seconds", "steps", "response", "seconds_to_answer", "replays")
TASK_SQL = """
SELECT e.session_id, e.participant, e.kind, e.task, e.step, e.screen_id, e.outcome,
       e.seconds, e.steps, e.response, e.seconds_to_answer, e.replays
FROM events AS e
WHERE e.in_task AND e.deck_id IS NOT NULL
ORDER BY e.session_id, e.seq, e.at
"""
TAP_COLUMNS = ("session_id", "kind", "screen_id", "x", "y", "hotspot", "label")
TAP_SQL = """
SELECT e.session_id, e.kind, e.screen_id, e.x, e.y, e.hotspot, e.label
FROM events AS e
WHERE e.kind IN ('tap', 'miss') AND e.deck_id IS NOT NULL
"""
PART_REPLAY_SQL = """
SELECT e.deck_id, e.deck_version, e.screen_id, e.part, COUNT(*), COUNT(DISTINCT e.person)
FROM events AS e
WHERE e.kind = 'replay' AND e.deck_id IS NOT NULL AND e.part IS NOT NULL
GROUP BY 1, 2, 3, 4
"""


def build_extras(analysis: Analysis, store: Any, deck_folders: list[Path]) -> Extras:
    """Tasks, taps, languages and profile groups, each from the events it needs (SQL).

    ``store`` is a ``SqliteStore``. Languages and profile groups are counted in SQL; tasks
    and taps read only the columns they need, streamed from the store (never every event in
    memory at once).
    """
    sessions = [s for s, _ in analysis.sessions]
    deck_ids = {s.get("deck_id", "") for s in sessions}
    decks = {d: find_deck_info(d, deck_folders) for d in sorted(deck_ids, key=str)}
    counts: dict[DeckKey, Counter] = defaultdict(Counter)
    seen: dict[Any, Counter] = defaultdict(Counter)
    deck_of: dict[Any, DeckKey] = {}
    for session_id, participant, deck_id, version, language, n in store.query(
            "SELECT session_id, participant, deck_id, deck_version, language, COUNT(*) "
            "FROM events WHERE deck_id IS NOT NULL GROUP BY person, language"):
        person = (session_id, participant)
        deck_of[person] = (deck_id, version)
        if language:
            seen[person][language] += n
            counts[(deck_id, version)][language] += n
    mains = main_languages_counted(counts, {d: i.language for d, i in decks.items()})
    chosen = chosen_languages_counted(seen, deck_of, mains)
    order = {deck: [(r.screen_id, r.variant) for r in analysis.deck_screens(deck)]
             for deck in analysis.decks}
    return Extras(
        tasks=analyse_tasks(sessions, store.rows(TASK_SQL, TASK_COLUMNS), ordered=True),
        languages=languages_from_store(store, mains, chosen, {
            ((r.deck_id, r.deck_version), r.screen_id): r.order for r in analysis.screens}),
        mains=mains,
        profiles=profiles_from_store(store, order),
        taps=collect_taps(sessions, store.rows(TAP_SQL, TAP_COLUMNS)),
        decks=decks,
        part_replays=part_replays(store),
    )


def part_replays(store: Any) -> dict[tuple[str, int, str], dict[int, tuple[int, int]]]:
    """How often each read-along part was asked for again, and by how many people."""
    found: dict[tuple[str, int, str], dict[int, tuple[int, int]]] = defaultdict(dict)
    for deck_id, version, screen_id, part, replays, people in store.query(PART_REPLAY_SQL):
        if isinstance(part, int) and not isinstance(part, bool) and part > 0:
            found[(deck_id, version, screen_id)][part] = (replays, people)
    return dict(found)


def _e(text: Any) -> str:
    return html.escape(str(text))


def _interval(low: float, high: float) -> str:
    return f"{pct(low)} – {pct(high)}"


def _small(flag: bool) -> str:
    return '<span class="small">small sample</span>' if flag else ""


COMPLEMENT_TEXT = "hidden too, so a smaller group cannot be worked out by subtracting"


def _hidden(why: str = "small") -> str:
    return (f"<td colspan='2' class='hidden'>"
            f"{COMPLEMENT_TEXT if why == 'complement' else HIDDEN_TEXT}</td>")


# ---------------------------------------------------------------- tasks


def _path_text(screens: tuple[str, ...]) -> str:
    if len(screens) > 9:
        screens = (*screens[:8], f"… {len(screens) - 8} more")
    return ARROW.join(screens)


def _path_outcomes(outcomes: Any) -> str:
    words = {"direct": "done the expected way", "indirect": "done another way",
             "gave_up": "gave up", "abandoned": "walked away", "unfinished": "not finished"}
    return ", ".join(f"{n} {words.get(o, o)}" for o, n in outcomes.most_common())


def chart_paths(row: TaskRow, expected: tuple[str, ...]) -> str | None:
    """A path diagram: screens by step, lines as thick as the number of people who moved."""
    from collections import Counter

    from kiosk.sessions.report import BLUE, GREEN, RED, _png, _pyplot, chart_text

    moves: Counter = Counter()
    finishes: Counter = Counter()
    screens: dict[str, int] = {}
    longest = 0
    for path in row.paths:
        shown = path.screens[:8]
        longest = max(longest, len(shown))
        for screen in shown:
            screens.setdefault(screen, len(screens))
        for step, (a, b) in enumerate(zip(shown, shown[1:], strict=False)):
            moves[(step, a, b)] += path.people
        good = path.outcomes["direct"] + path.outcomes["indirect"]
        finishes[(len(shown) - 1, shown[-1], good > 0)] += path.people
    if not moves or len(screens) > 14:
        return None
    from matplotlib.collections import LineCollection

    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(8, 0.45 * len(screens) + 1.3))
    top = max(moves.values())
    # a move made by fewer than 2% of people is left out: it would only add scribble
    floor = max(1, round(0.02 * sum(p.people for p in row.paths)))
    on_path = {(step, a, b) for step, (a, b) in
               enumerate(zip(expected, expected[1:], strict=False))}
    kept = sorted(((k, n) for k, n in moves.items() if n >= floor), key=lambda kv: kv[1])
    segments = [[(step, screens[a]), (step + 1, screens[b])] for (step, a, b), _ in kept]
    axes.add_collection(LineCollection(
        segments, colors=[GREEN if move in on_path else BLUE for move, _ in kept],
        linewidths=[0.8 + 9 * n / top for _, n in kept], alpha=0.55, capstyle="round"))
    stops = [(step, screens[screen], n) for (step, screen, good), n in finishes.items()
             if not good and n >= floor]
    if stops:
        axes.scatter([s[0] for s in stops], [s[1] for s in stops],
                     s=[20 + 200 * s[2] / top for s in stops], color=RED, zorder=3, alpha=0.7)
    axes.set_ylim(len(screens) - 0.5, -0.5)
    axes.set_yticks(list(screens.values()), [chart_text(s) for s in screens])
    axes.set_xticks(range(longest), [f"step {i + 1}" for i in range(longest)], fontsize=8)
    axes.set_xlim(-0.3, longest - 0.7)
    left_out = "" if floor <= 1 else f"; moves by fewer than {floor} people not drawn"
    axes.set_title("Paths: thicker = more people; green = the expected path; red dots = gave "
                   f"up or walked away there{left_out}", loc="left", fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def _task_section(rows: list[TaskRow], info: DeckInfo) -> str:
    parts = ["<h3>Tasks</h3><p class='note'>Each task asked people to do something on the "
             "mock-up by tapping its buttons. <b>Expected way</b>: on the expected path; "
             "<b>another way</b>: reached the end by a different route. Shares are of every "
             "attempt, with 95% intervals. Misclicks: taps on no button, per screen shown "
             "during the task. 'Easy' answers are not counted in the screens' figures.</p>"]
    parts.append("<table><tr><th>task</th><th>attempts</th><th>expected way</th>"
                 "<th>another way</th><th>gave up</th><th>walked away</th>"
                 "<th>median seconds to finish</th><th>misclicks per screen</th>"
                 "<th>found it easy</th><th></th></tr>")
    for row in rows:
        cells = []
        for outcome in ("direct", "indirect", "gave_up", "abandoned"):
            share, low, high = row.share(outcome)
            cells.append("–" if share is None else
                         f"<b>{pct(share)}</b> ({row.outcomes[outcome]})<br>"
                         f"<span class='note'>{_interval(low, high)}</span>")
        seconds = row.median_seconds()
        rate = row.misclick_rate()
        easy = row.easy
        easy_text = "–" if not easy.answered else (
            f"{easy.understood} of {easy.answered} ({pct(easy.share() or 0)})")
        instruction = info.tasks.get(row.task, ("", ()))[0]
        name = f"<b>{_e(row.task)}</b>" + (
            f"<br><span class='note'>“{_e(instruction)}”</span>" if instruction else "")
        parts.append(
            f"<tr><td>{name}</td><td>{row.attempts}</td>"
            + "".join(f"<td>{c}</td>" for c in cells)
            + f"<td>{'–' if seconds is None else f'{seconds:.1f}'}</td>"
            f"<td>{'–' if rate is None else f'{rate:.2f} ({row.misses})'}</td>"
            f"<td>{easy_text}</td><td>{_small(row.small_sample)}</td></tr>")
    parts.append("</table>")
    for row in rows:
        if not row.paths:
            continue
        expected = info.tasks.get(row.task, ("", ()))[1]
        source = "the deck"
        if not expected:  # the deck is not here: the path the kiosk judged "direct"
            direct = [p for p in row.paths if p.outcomes["direct"]]
            expected = max(direct, key=lambda p: p.outcomes["direct"]).screens if direct else ()
            source = "the path the kiosk counted as the expected way"
        total = sum(p.people for p in row.paths)
        parts.append(f"<h4>Paths for “{_e(row.task)}”</h4>")
        if expected:
            parts.append(f"<p class='note'>Expected path ({source}): "
                         f"{_e(ARROW.join(expected))}</p>")
        parts.append("<ol class='paths'>")
        for path in row.paths[:MAX_PATHS]:
            mark = " <span class='tag'>expected</span>" if expected and \
                path.screens == tuple(expected) else ""
            parts.append(f"<li><b>{_e(_path_text(path.screens))}</b> — {path.people} "
                         f"{'person' if path.people == 1 else 'people'} "
                         f"({pct(path.people / total)}){mark}<br><span class='note'>"
                         f"{_e(_path_outcomes(path.outcomes))}</span></li>")
        rest = row.paths[MAX_PATHS:]
        if rest:
            parts.append(f"<li>{len(rest)} other paths — {sum(p.people for p in rest)} "
                         "people</li>")
        parts.append("</ol>")
        diagram = chart_paths(row, expected)
        if diagram:
            parts.append(f"<img alt='path diagram for {_e(row.task)}' src='{diagram}'>")
    return "".join(parts)


# ---------------------------------------------------------------- heat maps


def _heatmap_section(deck: DeckKey, extras: Extras, screen_ids: list[str]) -> str:
    info = extras.decks.get(deck[0]) or DeckInfo(deck[0], deck[0])
    found = [extras.taps[(*deck, s)] for s in screen_ids if (*deck, s) in extras.taps]
    found += [t for k, t in sorted(extras.taps.items())
              if k[:2] == deck and k[2] not in screen_ids]  # screens only seen in tasks
    found = [t for t in found if t.total]
    if not found:
        return ""
    parts = ["<h3>Where people pressed</h3><p class='note'>Every tap, in the tasks and "
             "outside them. <span style='color:#148c3c'>●</span> a button, "
             "<span style='color:#c81e1e'>✕</span> no button (a misclick); the blue boxes are "
             "the buttons; yellow to red: where most presses were.</p>"]
    if not info.found:
        parts.append("<p class='note'>This deck is not on this computer, so the maps are "
                     "drawn on a blank canvas. Put the deck in the decks folder to see the "
                     "screens under the taps.</p>")
    elif info.version is not None and info.version != deck[1]:
        parts.append(f"<p class='note'>Drawn over version {info.version} of the deck (this "
                     f"is version {deck[1]}): the buttons may have moved.</p>")
    parts.append("<div class='maps'>")
    for taps in found:
        uri = heatmap_png(taps, info.images.get(taps.screen_id),
                          info.hotspots.get(taps.screen_id, []))
        labels = ", ".join(f"{_e(k)} {v}" for k, v in
                           sorted(taps.by_label.items(), key=lambda kv: -kv[1]) if k)
        off = f"; {taps.off_image} off the picture" if taps.off_image else ""
        parts.append(
            f"<figure><img alt='taps on {_e(taps.screen_id)}' src='{uri}'>"
            f"<figcaption><b>{_e(taps.screen_id)}</b>: {len(taps.hits)} on a button, "
            f"{len(taps.misses)} misclicks{off}"
            + (f"<br><span class='note'>{labels}</span>" if labels else "")
            + "</figcaption></figure>")
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------- languages


def _language_name(code: str) -> str:
    try:
        from kiosk.decks.languages import described

        return str(described(code))
    except Exception:  # noqa: BLE001 - the names are a nicety; the code is always right
        return code


def _tally_cells(tally: Tally) -> str:
    share = tally.share()
    if share is None:
        return "<td>–</td><td>–</td>"
    low, high = tally.interval()
    return (f"<td><b>{pct(share)}</b> ({tally.understood} of {tally.answered})</td>"
            f"<td>{_interval(low, high)}</td>")


def _language_section(screens: list[LanguageScreen], main: str) -> str:
    parts = [f"<h3>By language</h3><p class='note'>The main language is {_e(_language_name(main))}."
             " Each row counts the answers given in one language. A screen with no "
             "translation is shown in the main language: those answers are counted on a row "
             "of their own, so they do not change either language's figure. Groups of fewer "
             f"than {MIN_GROUP} people are hidden.</p>"]
    flags, fallbacks = [], []
    parts.append("<table><tr><th>screen</th><th>language</th><th>people</th><th>understood</th>"
                 "<th>95% interval</th><th>compared with the main language</th><th></th></tr>")
    for screen in screens:
        first = True
        for cell in screen.cells:
            label = _e(_language_name(cell.chosen))
            if cell.fell_back:
                label += (f"<br><span class='note'>no translation: shown in "
                          f"{_e(_language_name(cell.shown))}</span>")
                fallbacks.append((screen.screen_id, cell))
            head = f"<td>{_e(screen.screen_id) if first else ''}</td><td>{label}</td>"
            first = False
            if cell.hidden:
                parts.append(f"<tr>{head}<td>–</td>{_hidden()}<td></td><td></td></tr>")
                continue
            compare = ""
            if cell.flag == "far below":
                compare = (f"<span class='alert'>far below</span> (p = {cell.p_vs_main:.3f}): "
                           "check the translation")
                flags.append((screen.screen_id, cell))
            elif cell.flag == "lower":
                compare = "lower, but too few answers to be sure"
            elif cell.p_vs_main is not None:
                compare = "no clear difference"
            parts.append(f"<tr>{head}<td>{cell.tally.people}</td>"
                         f"{_tally_cells(cell.tally)}<td>{compare}</td>"
                         f"<td>{_small(cell.tally.answered < SMALL_SAMPLE)}</td></tr>")
    parts.append("</table>")
    notes = []
    for screen_id, cell in flags:
        notes.append(f"<li><b>{_e(screen_id)}</b> in {_e(_language_name(cell.chosen))}: "
                     f"{cell.tally.understood} of {cell.tally.answered} understood "
                     f"({pct(cell.tally.share() or 0)}), well below the main language; this "
                     "difference is unlikely to be chance.</li>")
    for screen_id, cell in fallbacks:
        people = cell.tally.people
        who = ("fewer than 5 people, so their answers are hidden" if cell.hidden else
               f"{people} {'person' if people == 1 else 'people'}")
        notes.append(f"<li><b>{_e(screen_id)}</b> has no {_e(_language_name(cell.chosen))} "
                     f"translation, so people who chose that language heard it in "
                     f"{_e(_language_name(cell.shown))} ({who}).</li>")
    if notes:
        parts.append("<ul class='flags'>" + "".join(notes) + "</ul>")
    return "".join(parts)


# ---------------------------------------------------------------- profile groups


def _group_cells(cells: list[GroupCell]) -> str:
    out = []
    for cell in cells:
        if cell.hidden:
            out.append(_hidden(cell.why_hidden))
        elif cell.people == 0:
            out.append("<td colspan='2' class='note'>nobody</td>")
        else:
            out.append(_tally_cells(cell.tally).replace(
                "</td><td>", f"{' ' + _small(True) if cell.tally.answered < SMALL_SAMPLE else ''}"
                "</td><td>", 1))
    return "".join(out)


def _profile_section(breakdowns: list[ProfileBreakdown], info: DeckInfo) -> str:
    parts = ["<h3>Who understood</h3><p class='note'>Answers to the optional, anonymous "
             "questions at the start. Each cell: % understood among the people who gave that "
             f"answer, with its 95% interval. A group of fewer than {MIN_GROUP} people is "
             "hidden; where the people left out could then be worked out by subtracting the "
             "shown groups from a screen's total, the next smallest group is hidden too. One "
             "person answers several screens, so treat the pooled figures as a guide.</p>"]
    head = "".join(f"<th colspan='2'>{w}</th>" for w in ANSWER_WORDS.values())
    for breakdown in breakdowns:
        question = info.questions.get(breakdown.question, "")
        parts.append(f"<h4>{_e(question or breakdown.question)}"
                     + (f" <span class='note'>({_e(breakdown.question)})</span>"
                        if question else "") + "</h4>")
        people = []
        for cell in breakdown.asked:
            word = ANSWER_WORDS[cell.answer]
            people.append(f"{word}: " + (
                "fewer than 5 people (hidden)" if cell.why_hidden == "small" else
                "hidden (so a smaller group cannot be worked out)" if cell.hidden else
                f"{cell.people} {'person' if cell.people == 1 else 'people'}"))
        parts.append(f"<p class='note'>{_e('; '.join(people))}</p>")
        parts.append(f"<table><tr><th>screen</th>{head}</tr>")
        parts.append(f"<tr><td><b>all screens</b></td>{_group_cells(breakdown.overall)}</tr>")
        for screen_id, variant, cells in breakdown.screens:
            label = _e(screen_id) + (f" <span class='note'>[{_e(variant)}]</span>"
                                     if variant else "")
            parts.append(f"<tr><td>{label}</td>{_group_cells(cells)}</tr>")
        parts.append("</table>")
    return "".join(parts)


def deck_sections(deck: DeckKey, extras: Extras, screen_ids: list[str]) -> str:
    """Tasks, heat maps, languages and profile groups for one deck version (may be empty)."""
    info = extras.decks.get(deck[0]) or DeckInfo(deck[0], deck[0])
    parts = []
    if extras.tasks.get(deck):
        parts.append(_task_section(extras.tasks[deck], info))
    parts.append(_heatmap_section(deck, extras, screen_ids))
    parts.append(_part_replay_section(deck, extras, info, screen_ids))
    if extras.languages.get(deck):
        parts.append(_language_section(extras.languages[deck], extras.mains.get(deck, "")))
    if extras.profiles.get(deck):
        parts.append(_profile_section(extras.profiles[deck], info))
    return "".join(parts)


def _part_replay_section(deck: DeckKey, extras: Extras, info: DeckInfo,
                         screen_ids: list[str]) -> str:
    """Read along: which passages people asked to hear again (a passage heard again is one
    they found hard to follow)."""
    rows = []
    for screen_id in screen_ids:
        counts = extras.part_replays.get((deck[0], deck[1], screen_id))
        if not counts:
            continue
        names = info.parts.get(screen_id, [])
        for number in sorted(counts):
            replays, people = counts[number]
            name = names[number - 1] if number <= len(names) else ""
            rows.append(f"<tr><td>{_e(screen_id)}</td><td>{number}</td><td>{_e(name)}</td>"
                        f"<td>{replays}</td><td>{people}</td></tr>")
    if not rows:
        return ""
    return ("<h3>Read along: passages heard again</h3><p>Each passage of a read-along screen, "
            "and how often people asked to hear that passage again (the whole screen heard "
            "again is counted in the table above).</p><table><tr><th>screen</th><th>part</th>"
            "<th>passage</th><th>heard again</th><th>people</th></tr>" + "".join(rows)
            + "</table>")


EXTRA_CSS = """
.hidden{color:#555;font-style:italic;background:#f5f5f5}.alert{background:#fde2e0;
border:1px solid #b3261e;border-radius:3px;padding:0 .3rem;font-weight:bold}
.tag{background:#e3f1e6;border:1px solid #1b7f3b;border-radius:3px;padding:0 .3rem;
font-size:.8rem}.maps{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));
gap:1rem}figure{margin:0}figcaption{font-size:.9rem}.paths li{margin:.3rem 0}
.flags li{margin:.2rem 0}
"""


# ---------------------------------------------------------------- tidy CSVs


def csv_tables(extras: Extras) -> dict[str, tuple[list[dict], tuple[str, ...]]]:
    """The tidy tables behind the new sections (hidden groups have empty figures)."""
    tasks, paths, languages, profiles = [], [], [], []
    for (deck_id, version), rows in sorted(extras.tasks.items()):
        for row in rows:
            record: dict[str, Any] = {"deck_id": deck_id, "deck_version": version,
                                      "task": row.task, "attempts": row.attempts}
            for outcome in ("direct", "indirect", "gave_up", "abandoned"):
                share, low, high = row.share(outcome)
                record.update({outcome: row.outcomes[outcome],
                               f"{outcome}_share": share, f"{outcome}_ci_low": low,
                               f"{outcome}_ci_high": high})
            record.update({"median_seconds_to_finish": row.median_seconds(),
                           "screen_views": row.screen_views, "misses": row.misses,
                           "misclick_rate": row.misclick_rate(),
                           "easy": row.easy.understood, "easy_answered": row.easy.answered})
            tasks.append(record)
            for rank, path in enumerate(row.paths, start=1):
                paths.append({"deck_id": deck_id, "deck_version": version, "task": row.task,
                              "rank": rank, "path": " > ".join(path.screens),
                              "people": path.people,
                              "finished": path.outcomes["direct"] + path.outcomes["indirect"]})
    for (deck_id, version), screens in sorted(extras.languages.items()):
        for screen in screens:
            for cell in screen.cells:
                shown = not cell.hidden
                languages.append({
                    "deck_id": deck_id, "deck_version": version, "screen_id": screen.screen_id,
                    "chosen_language": cell.chosen, "shown_language": cell.shown,
                    "fell_back": cell.fell_back, "hidden": cell.hidden,
                    "people": cell.tally.people if shown else "",
                    "understood": cell.tally.understood if shown else "",
                    "answered": cell.tally.answered if shown else "",
                    "pct_understood": cell.tally.share() if shown else "",
                    "flag": cell.flag if shown else ""})
    for (deck_id, version), breakdowns in sorted(extras.profiles.items()):
        for breakdown in breakdowns:
            rows_ = [("(all screens)", breakdown.overall)] + [
                (sid, cells) for sid, _, cells in breakdown.screens]
            for screen_id, cells in rows_:
                for cell in cells:
                    shown = not cell.hidden
                    low, high = cell.tally.interval()
                    profiles.append({
                        "deck_id": deck_id, "deck_version": version,
                        "question": breakdown.question, "answer": cell.answer,
                        "screen_id": screen_id, "hidden": cell.hidden,
                        "people": cell.people if shown else "",
                        "understood": cell.tally.understood if shown else "",
                        "answered": cell.tally.answered if shown else "",
                        "pct_understood": cell.tally.share() if shown else "",
                        "ci_low": low if shown and cell.tally.answered else "",
                        "ci_high": high if shown and cell.tally.answered else ""})

    def columns(rows: list[dict], fallback: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(rows[0]) if rows else fallback

    return {
        "tasks.csv": (tasks, columns(tasks, ("deck_id", "deck_version", "task"))),
        "task_paths.csv": (paths, columns(paths, ("deck_id", "deck_version", "task", "path"))),
        "languages.csv": (languages, columns(languages, ("deck_id", "deck_version",
                                                         "screen_id"))),
        "profiles.csv": (profiles, columns(profiles, ("deck_id", "deck_version", "question"))),
    }
