"""Table cells and small pieces of text shared by the report's sections (all HTML-escaped)."""

from __future__ import annotations

import html
from typing import Any

from kiosk.sessions.breakdowns import HIDDEN_TEXT
from kiosk.sessions.stats import SMALL_SAMPLE, Tally, count, pct

ANSWER_WORDS = {"yes": "yes", "no": "no", "rather_not_say": "rather not say"}


MAX_PATHS = 6


ARROW = " → "


def cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return count(value)
    return html.escape(str(value))


def escape(text: Any) -> str:
    return html.escape(str(text))


def interval_text(low: float, high: float) -> str:
    return f"{pct(low)} – {pct(high)}"


def small_flag(flag: bool) -> str:
    return '<span class="small">small sample</span>' if flag else ""


COMPLEMENT_TEXT = "hidden too, so a smaller group cannot be worked out by subtracting"


def hidden(why: str = "small") -> str:
    return (f"<td colspan='2' class='hidden'>"
            f"{COMPLEMENT_TEXT if why == 'complement' else HIDDEN_TEXT}</td>")


def tally_row(cells: list[Any], tally: Any) -> str:
    share = tally.share()
    interval = tally.interval()
    flag = '<span class="small">small sample</span>' if tally.answered < SMALL_SAMPLE else ""
    first = "".join(f"<td>{cell(c)}</td>" for c in cells)
    people_cell = f"<td>{count(tally.people)}</td>"
    return (f"<tr>{first}{people_cell}<td>{count(tally.answered)}</td>"
            f"<td><b>{'–' if share is None else pct(share)}</b></td>"
            f"<td>{'–' if share is None else f'{pct(interval[0])} – {pct(interval[1])}'}</td>"
            f"<td>{count(tally.people_who_left)}</td><td>{flag}</td></tr>")


def tally_cells(tally: Tally) -> str:
    share = tally.share()
    if share is None:
        return "<td>–</td><td>–</td>"
    low, high = tally.interval()
    return (f"<td><b>{pct(share)}</b> ({count(tally.understood)} of {count(tally.answered)})</td>"
            f"<td>{interval_text(low, high)}</td>")
