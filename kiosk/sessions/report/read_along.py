"""Read along: the passages of each screen that people asked to hear again."""

from __future__ import annotations

from kiosk.sessions.breakdowns import DeckKey
from kiosk.sessions.deck_info import DeckInfo
from kiosk.sessions.report.cells import escape
from kiosk.sessions.report.gather import Breakdowns
from kiosk.sessions.stats import count


def part_replay_section(deck: DeckKey, breakdowns: Breakdowns, info: DeckInfo,
                         screen_ids: list[str]) -> str:
    """Read along: which passages people asked to hear again (a passage heard again is one
    they found hard to follow)."""
    rows = []
    for screen_id in screen_ids:
        counts = breakdowns.part_replays.get((deck[0], deck[1], screen_id))
        if not counts:
            continue
        names = info.parts.get(screen_id, [])
        for number in sorted(counts):
            replays, people = counts[number]
            name = names[number - 1] if number <= len(names) else ""
            rows.append(f"<tr><td>{escape(screen_id)}</td><td>{number}</td><td>{escape(name)}</td>"
                        f"<td>{count(replays)}</td><td>{count(people)}</td></tr>")
    if not rows:
        return ""
    return ("<h3>Read along: passages heard again</h3><p>Each passage of a read-along screen, "
            "and how often people asked to hear that passage again (the whole screen heard "
            "again is counted in the table above).</p><table><tr><th>screen</th><th>part</th>"
            "<th>passage</th><th>heard again</th><th>people</th></tr>" + "".join(rows)
            + "</table>")
