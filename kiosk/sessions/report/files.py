"""The report's CSV files: the screen table, every answer, and the sections' tables."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from kiosk.sessions.export import CSV_COLUMNS, csv_rows
from kiosk.sessions.report.gather import Breakdowns

SCREEN_COLUMNS = (
    "deck_id", "deck_version", "screen_id", "variant", "views", "answered", "understood",
    "not_understood", "skipped", "abandoned", "abandoned_here", "pct_understood", "ci_low",
    "ci_high", "median_seconds_to_answer", "replays_per_view", "taps", "misses",
    "misclick_rate", "small_sample",
)


def rounded(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


RESPONSES_SQL = """
SELECT e.session_id, s.kiosk_id, s.venue, s.deck_id, s.deck_version, e.screen_id, e.variant,
       e.participant, e.response, COALESCE(NULLIF(e.answered_at, ''), e.at),
       e.seconds_to_answer, e.replays, e.event_id, e.seconds_on_screen, NULLIF(e.language, ''),
       NULLIF(s.end_reason, '')
FROM events AS e NOT INDEXED LEFT JOIN sessions AS s ON s.number = e.session_no
WHERE e.kind = 'answer' ORDER BY e.rowid
"""
# NOT INDEXED: answers are nearly half the events; one pass through the table, in the order
# they went in (no sort), takes half the time of fetching them through the index on kind.
# Each answer's session is found by its number (one lookup by rowid, where its id took two).


def write_responses(db: sqlite3.Connection, target: Path, batch: int = 20_000) -> None:
    """``responses.csv``: every answer in the export's columns, joined in SQL and written a
    batch at a time (a year of answers never sits in memory as one list)."""
    cursor = db.execute(RESPONSES_SQL)
    # utf-8-sig: the byte-order mark once, at the start; newline="": the csv module's CRLF
    with open(target, "w", encoding="utf-8-sig", newline="") as out:
        csv_rows(out, [CSV_COLUMNS])
        while rows := cursor.fetchmany(batch):  # NULLs come out as "" (csv writes None so)
            csv_rows(out, rows)


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
