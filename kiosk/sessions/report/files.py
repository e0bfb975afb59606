"""The report's CSV files: the screen table, every answer, and the sections' tables."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Sequence
from itertools import groupby, islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from kiosk.sessions.export import CSV_COLUMNS, csv_rows, may_hold_formula
from kiosk.sessions.report.gather import Breakdowns
from kiosk.sessions.stats import Analysis

SCREEN_COLUMNS = (
    "deck_id", "deck_version", "screen_id", "variant", "views", "answered", "understood",
    "not_understood", "skipped", "abandoned", "abandoned_here", "pct_understood", "ci_low",
    "ci_high", "median_seconds_to_answer", "replays_per_view", "taps", "misses",
    "misclick_rate", "small_sample",
)


SESSIONS_CSV_COLUMNS = (
    "session_id", "kiosk_id", "venue", "deck_id", "deck_version", "started_at", "ended_at",
    "end_reason", "people", "answered", "understood", "not_understood", "skipped", "abandoned",
    "people_who_left", "pct_understood", "ci_low", "ci_high",
)


def session_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """``sessions.csv``: each session's tally, in the order the page lists them (by start).
    A year holds thousands of sessions: the page folds their table away, this keeps them."""
    rows = []
    for session, tally in analysis.sessions:
        low, high = tally.interval() if tally.answered else (None, None)
        rows.append({
            **{name: session.get(name) for name in SESSIONS_CSV_COLUMNS[:8]},
            "people": tally.people, "answered": tally.answered, "understood": tally.understood,
            "not_understood": tally.not_understood, "skipped": tally.skipped,
            "abandoned": tally.abandoned, "people_who_left": tally.people_who_left,
            "pct_understood": tally.share(), "ci_low": low, "ci_high": high})
    return rows


def rounded(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


# The answers, each session's together in the order they were given (``seq``, as the kiosk
# numbered them), each as its own cells made into one line of CSV by SQLite: its session's
# cells (id, kiosk, venue, deck, end) are the same for all its answers, so they are made into
# text once per session and joined onto each line (see write_responses). Reading ten cells
# of a million answers into Python and writing them with the csv module took twice as long.
# A line is only what the csv module would write if no cell needs quotes or a guard and each
# number is written as Python writes it; a session where that cannot be told is written cell
# by cell by the csv module instead (``_plain``, ``_ANSWER_CELLS_SQL``). A pass through the
# table (NOT INDEXED: answers are nearly half the events) and a sort cost less than any index.


def _number(column: str, typed: bool = True) -> str:
    """A cell with a number as Python writes it, or a NUL (write the session cell by cell).

    Python writes a float as the shortest text that reads back as the same float. A kiosk
    writes seconds rounded to thousandths: for such a number (some whole number of
    thousandths, below 10^12), that text is SQLite's ``%!.15g``, checked by arithmetic only
    (``test_report_responses_csv`` compares the two). In a column without a type
    (``typed=False``), not for a zero: it keeps -0.0, whose sign ``%!.15g`` drops (a REAL or
    INTEGER column makes it 0). Whole numbers and text go as they are."""
    zero = "" if typed else f"{column} != 0 AND "
    return (f"CASE typeof({column}) WHEN 'real' THEN CASE WHEN {zero}{column} = "
            f"round({column} * 1000) / 1000.0 AND abs({column}) < 1e12 "
            f"THEN printf('%!.15g', {column}) ELSE char(0) END "
            f"ELSE IFNULL({column}, '') END")


_ANSWER_CELLS = (
    "screen_id", "variant", "participant", "response",
    "COALESCE(NULLIF(answered_at, ''), at)", "seconds_to_answer", "replays", "event_id",
    "seconds_on_screen", "NULLIF(language, '')")
# the columns that may hold a float (a kiosk writes its seconds so; any column without a type
# could, in a hand-made bundle)
_NUMBERS = {"participant": False, "seconds_to_answer": True, "seconds_on_screen": True,
            "replays": True}  # (whether the column has a type: see _number)
# (``||`` rather than printf's ``%s``, which would end a cell at a NUL)
ANSWER_LINES_SQL = """
SELECT session_no, {line}
FROM events NOT INDEXED WHERE kind = 'answer' ORDER BY session_no, seq, rowid
""".format(line=" || ',' || ".join(
    _number(cell, _NUMBERS[cell]) if cell in _NUMBERS else f"IFNULL({cell}, '')"
    for cell in _ANSWER_CELLS))
# The same answers as cells, for the csv module, one session's (up to ``batch`` of them)
_ANSWER_CELLS_SQL = f"""
SELECT {", ".join(_ANSWER_CELLS)}
FROM events WHERE kind = 'answer' AND session_no = ? ORDER BY seq, rowid LIMIT ? OFFSET ?
"""
SESSION_CELLS_SQL = """
SELECT number, session_id, kiosk_id, venue, deck_id, deck_version, NULLIF(end_reason, '')
FROM sessions
"""
# Answers whose session is not in ``sessions`` (events given without theirs) keep their own
# session id; the session's other columns are empty.
UNKNOWN_SESSION_SQL = f"""
SELECT session_id, NULL, NULL, NULL, NULL, {", ".join(_ANSWER_CELLS)}, NULL
FROM events WHERE kind = 'answer' AND session_no = ? ORDER BY seq, rowid
"""


def _one_line(cells: Sequence[Any]) -> str:
    """Cells as one CSV line without its line break, guarded as :func:`csv_rows` does."""
    text = io.StringIO()
    csv_rows(text, [cells])
    return text.getvalue()[:-2]


def _plain(text: str, lines: int) -> bool:
    """Whether ``lines`` lines of SQLite's, joined by CRLF, are what :func:`csv_rows` would
    write for the same cells: no cell with a comma, quote or line break (each would add one
    to the count), no number SQLite could not write as Python does (a NUL), nothing a
    spreadsheet could take for a formula."""
    return (text.count(",") == (len(_ANSWER_CELLS) - 1) * lines
            and text.count("\n") == text.count("\r") == lines - 1
            and '"' not in text and "\0" not in text
            and not may_hold_formula(text))


# Excel and LibreOffice Calc open at most this many rows (the header is one): a file with more
# is cut short when opened, so a year's answers go into as many files as it takes.
SPREADSHEET_ROWS = 1_048_576


class _ResponseFiles:
    """``responses.csv``, then ``responses-2.csv`` and on, each with the header and at most
    ``rows`` rows in all, so that each opens whole in a spreadsheet. The first is made at
    once (a report with no answers still has its header); the next only for an answer."""

    def __init__(self, target: Path, rows: int) -> None:
        self.target, self.rows = target, rows
        self.written: list[Path] = []
        self.out: Any = None
        self.left = 0
        self._next_file()

    def _next_file(self) -> None:
        if self.out is not None:
            self.out.close()
        name = self._name(len(self.written) + 1)
        # utf-8-sig: the byte-order mark at the start; newline="": the csv module's CRLF
        self.out = open(name, "w", encoding="utf-8-sig", newline="")
        self.written.append(name)
        csv_rows(self.out, [CSV_COLUMNS])
        self.left = self.rows - 1

    def room(self) -> int:
        """How many answers the next write may hold (all in one file)."""
        return self.left or self.rows - 1

    def write(self, text: str, answers: int) -> None:
        """``answers`` lines of CSV, at most :meth:`room`."""
        if self.left == 0:
            self._next_file()
        self.out.write(text)
        self.left -= answers

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        """Rows of cells, at most :meth:`room`, by the csv module."""
        if self.left == 0:
            self._next_file()
        csv_rows(self.out, rows)
        self.left -= len(rows)

    def close(self) -> None:
        """Close the last file, and remove any more that an earlier report with more answers
        left in the folder (they would look like part of this one)."""
        if self.out is not None:
            self.out.close()
        number = len(self.written) + 1
        while (stale := self._name(number)).exists():
            stale.unlink()
            number += 1

    def _name(self, number: int) -> Path:
        return self.target if number == 1 else self.target.with_name(
            f"{self.target.stem}-{number}{self.target.suffix}")


def write_responses(db: sqlite3.Connection, target: Path, batch: int = 20_000,
                    rows_per_file: int | None = None) -> list[Path]:
    """``responses.csv``: every answer in the export's columns, a session at a time (up to
    ``batch`` answers at a time: a year of answers never sits in memory as one list); past
    ``rows_per_file`` rows (``SPREADSHEET_ROWS``), on in ``responses-2.csv`` and so on.
    Returns the files written."""
    sessions = {number: cells for number, *cells in db.execute(SESSION_CELLS_SQL)}
    files = _ResponseFiles(target, rows_per_file or SPREADSHEET_ROWS)
    try:
        for number, rows in groupby(db.execute(ANSWER_LINES_SQL), key=itemgetter(0)):
            if number not in sessions:
                unknown = db.execute(UNKNOWN_SESSION_SQL, (number,))
                while answers := unknown.fetchmany(min(batch, files.room())):
                    files.write_rows(answers)
                continue
            session = sessions[number]
            before = _one_line(session[:5]) + ","
            after = _one_line(("", session[5]))  # "," and the session's end
            done = 0
            while lines := list(islice(map(itemgetter(1), rows), min(batch, files.room()))):
                text = "\r\n".join(lines)
                if _plain(text, len(lines)):
                    files.write(before + text.replace("\r\n", f"{after}\r\n{before}") + after
                                + "\r\n", len(lines))
                else:
                    files.write_rows([(*session[:5], *answer, session[5]) for answer in db.execute(
                        _ANSWER_CELLS_SQL, (number, len(lines), done))])
                done += len(lines)
    finally:
        files.close()
    return files.written


def csv_tables(breakdowns: Breakdowns) -> dict[str, tuple[list[dict], tuple[str, ...]]]:
    """The tidy tables behind the new sections (hidden groups have empty figures)."""
    tasks, paths, languages, profiles = [], [], [], []
    for (deck_id, version), rows in sorted(breakdowns.tasks.items()):
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
    for (deck_id, version), screens in sorted(breakdowns.languages.items()):
        for screen in screens:
            for language in screen.cells:
                shown = not language.hidden
                languages.append({
                    "deck_id": deck_id, "deck_version": version, "screen_id": screen.screen_id,
                    "chosen_language": language.chosen, "shown_language": language.shown,
                    "fell_back": language.fell_back, "hidden": language.hidden,
                    "people": language.tally.people if shown else "",
                    "understood": language.tally.understood if shown else "",
                    "answered": language.tally.answered if shown else "",
                    "pct_understood": language.tally.share() if shown else "",
                    "flag": language.flag if shown else ""})
    for (deck_id, version), questions in sorted(breakdowns.profiles.items()):
        for breakdown in questions:
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
