"""The tasks section: how people got through each task, and the paths they took."""

from __future__ import annotations

from typing import Any

from kiosk.sessions.breakdowns import TaskRow
from kiosk.sessions.deck_info import DeckInfo
from kiosk.sessions.report.cells import (
    ARROW,
    MAX_PATHS,
    escape,
    interval_text,
    small_flag,
)
from kiosk.sessions.report.charts import chart_paths
from kiosk.sessions.stats import count, pct


def path_text(screens: tuple[str, ...]) -> str:
    if len(screens) > 9:
        screens = (*screens[:8], f"… {len(screens) - 8} more")
    return ARROW.join(screens)


def path_outcomes(outcomes: Any) -> str:
    words = {"direct": "done the expected way", "indirect": "done another way",
             "gave_up": "gave up", "abandoned": "walked away", "unfinished": "not finished"}
    return ", ".join(f"{count(n)} {words.get(o, o)}" for o, n in outcomes.most_common())


def task_section(rows: list[TaskRow], info: DeckInfo) -> str:
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
                         f"<b>{pct(share)}</b> ({count(row.outcomes[outcome])})<br>"
                         f"<span class='note'>{interval_text(low, high)}</span>")
        seconds = row.median_seconds()
        rate = row.misclick_rate()
        easy = row.easy
        easy_text = "–" if not easy.answered else (
            f"{count(easy.understood)} of {count(easy.answered)} ({pct(easy.share() or 0)})")
        instruction = info.tasks.get(row.task, ("", ()))[0]
        name = f"<b>{escape(row.task)}</b>" + (
            f"<br><span class='note'>“{escape(instruction)}”</span>" if instruction else "")
        parts.append(
            f"<tr><td>{name}</td><td>{count(row.attempts)}</td>"
            + "".join(f"<td>{c}</td>" for c in cells)
            + f"<td>{'–' if seconds is None else f'{seconds:.1f}'}</td>"
            f"<td>{'–' if rate is None else f'{rate:.2f} ({count(row.misses)})'}</td>"
            f"<td>{easy_text}</td><td>{small_flag(row.small_sample)}</td></tr>")
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
        parts.append(f"<h4>Paths for “{escape(row.task)}”</h4>")
        if expected:
            parts.append(f"<p class='note'>Expected path ({source}): "
                         f"{escape(ARROW.join(expected))}</p>")
        parts.append("<ol class='paths'>")
        for path in row.paths[:MAX_PATHS]:
            mark = " <span class='tag'>expected</span>" if expected and \
                path.screens == tuple(expected) else ""
            parts.append(f"<li><b>{escape(path_text(path.screens))}</b> — {count(path.people)} "
                         f"{'person' if path.people == 1 else 'people'} "
                         f"({pct(path.people / total)}){mark}<br><span class='note'>"
                         f"{escape(path_outcomes(path.outcomes))}</span></li>")
        rest = row.paths[MAX_PATHS:]
        if rest:
            people = count(sum(p.people for p in rest))
            parts.append(f"<li>{count(len(rest))} other paths — {people} "
                         "people</li>")
        parts.append("</ol>")
        diagram = chart_paths(row, expected)
        if diagram:
            parts.append(f"<figure class='chart'>{diagram}</figure>")
    return "".join(parts)
