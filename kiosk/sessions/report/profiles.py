"""The profile groups section: % understood by each answer to the deck's profile questions."""

from __future__ import annotations

from kiosk.sessions.breakdowns import MIN_GROUP, GroupCell, ProfileBreakdown
from kiosk.sessions.deck_info import DeckInfo
from kiosk.sessions.report.cells import ANSWER_WORDS, escape, hidden, small_flag, tally_cells
from kiosk.sessions.stats import SMALL_SAMPLE, count


def group_cells(cells: list[GroupCell]) -> str:
    out = []
    for cell in cells:
        if cell.hidden:
            out.append(hidden(cell.why_hidden))
        elif cell.people == 0:
            out.append("<td colspan='2' class='note'>nobody</td>")
        else:
            flag = " " + small_flag(True) if cell.tally.answered < SMALL_SAMPLE else ""
            out.append(tally_cells(cell.tally).replace("</td><td>", f"{flag}</td><td>", 1))
    return "".join(out)


def profile_section(breakdowns: list[ProfileBreakdown], info: DeckInfo) -> str:
    parts = ["<h3>Who understood</h3><p class='note'>Answers to the optional, anonymous "
             "questions at the start. Each cell: % understood among the people who gave that "
             f"answer, with its 95% interval. A group of fewer than {MIN_GROUP} people is "
             "hidden; where the people left out could then be worked out by subtracting the "
             "shown groups from a screen's total, the next smallest group is hidden too. One "
             "person answers several screens, so treat the pooled figures as a guide.</p>"]
    head = "".join(f"<th colspan='2'>{w}</th>" for w in ANSWER_WORDS.values())
    for breakdown in breakdowns:
        question = info.questions.get(breakdown.question, "")
        parts.append(f"<h4>{escape(question or breakdown.question)}"
                     + (f" <span class='note'>({escape(breakdown.question)})</span>"
                        if question else "") + "</h4>")
        people = []
        for cell in breakdown.asked:
            word = ANSWER_WORDS[cell.answer]
            people.append(f"{word}: " + (
                "fewer than 5 people (hidden)" if cell.why_hidden == "small" else
                "hidden (so a smaller group cannot be worked out)" if cell.hidden else
                f"{count(cell.people)} {'person' if cell.people == 1 else 'people'}"))
        parts.append(f"<p class='note'>{escape('; '.join(people))}</p>")
        parts.append(f"<table><tr><th>screen</th>{head}</tr>")
        parts.append(f"<tr><td><b>all screens</b></td>{group_cells(breakdown.overall)}</tr>")
        for screen_id, variant, cells in breakdown.screens:
            label = escape(screen_id) + (f" <span class='note'>[{escape(variant)}]</span>"
                                     if variant else "")
            parts.append(f"<tr><td>{label}</td>{group_cells(cells)}</tr>")
        parts.append("</table>")
    return "".join(parts)
