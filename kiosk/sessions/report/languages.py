"""The languages section: each screen understood in the language people chose."""

from __future__ import annotations

from kiosk.sessions.breakdowns import MIN_GROUP, LanguageScreen
from kiosk.sessions.report.cells import escape, hidden, small_flag, tally_cells
from kiosk.sessions.stats import SMALL_SAMPLE, count, p_value_text, pct


def language_name(code: str) -> str:
    try:
        from kiosk.decks.languages import described

        return str(described(code))
    except Exception:  # noqa: BLE001 - the names are a nicety; the code is always right
        return code


def language_section(screens: list[LanguageScreen], main: str) -> str:
    parts = [f"<h3>By language</h3><p class='note'>The main language is "
             f"{escape(language_name(main))}. Each row counts the answers given in one "
             "language. A screen with no translation is shown in the main language: those "
             "answers are counted on a row of their own, so they do not change either "
             "language's figure. Groups of fewer "
             f"than {MIN_GROUP} people are hidden.</p>"]
    flags, fallbacks = [], []
    parts.append("<table><tr><th>screen</th><th>language</th><th>people</th><th>understood</th>"
                 "<th>95% interval</th><th>compared with the main language</th><th></th></tr>")
    for screen in screens:
        first = True
        for cell in screen.cells:
            label = escape(language_name(cell.chosen))
            if cell.fell_back:
                label += (f"<br><span class='note'>no translation: shown in "
                          f"{escape(language_name(cell.shown))}</span>")
                fallbacks.append((screen.screen_id, cell))
            head = f"<td>{escape(screen.screen_id) if first else ''}</td><td>{label}</td>"
            first = False
            if cell.hidden:
                parts.append(f"<tr>{head}<td>–</td>{hidden()}<td></td><td></td></tr>")
                continue
            compare = ""
            if cell.flag == "far below" and cell.p_vs_main is not None:
                compare = (f"<span class='alert'>far below</span> "
                           f"({p_value_text(cell.p_vs_main)}): check the translation")
                flags.append((screen.screen_id, cell))
            elif cell.flag == "lower":
                compare = "lower, but too few answers to be sure"
            elif cell.p_vs_main is not None:
                compare = "no clear difference"
            parts.append(f"<tr>{head}<td>{count(cell.tally.people)}</td>"
                         f"{tally_cells(cell.tally)}<td>{compare}</td>"
                         f"<td>{small_flag(cell.tally.answered < SMALL_SAMPLE)}</td></tr>")
    parts.append("</table>")
    notes = []
    for screen_id, cell in flags:
        notes.append(f"<li><b>{escape(screen_id)}</b> in {escape(language_name(cell.chosen))}: "
                     f"{count(cell.tally.understood)} of {count(cell.tally.answered)} understood "
                     f"({pct(cell.tally.share() or 0)}), well below the main language; this "
                     "difference is unlikely to be chance.</li>")
    for screen_id, cell in fallbacks:
        people = cell.tally.people
        who = ("fewer than 5 people, so their answers are hidden" if cell.hidden else
               f"{count(people)} {'person' if people == 1 else 'people'}")
        notes.append(f"<li><b>{escape(screen_id)}</b> has no {escape(language_name(cell.chosen))} "
                     f"translation, so people who chose that language heard it in "
                     f"{escape(language_name(cell.shown))} ({who}).</li>")
    if notes:
        parts.append("<ul class='flags'>" + "".join(notes) + "</ul>")
    return "".join(parts)
