"""``kiosk report``: one HTML file a designer can open anywhere, and the tidy CSVs behind it.

Outputs (in ``--out DIR``):

- ``report.html``: self-contained (charts are inline SVG, heat maps PNGs embedded as data
  URIs, no scripts, no links out), so it can be e-mailed or opened from a stick;
- ``screens.csv``: the tidy table, one row per deck version and screen;
- ``sessions.csv``: each session's tally (the page folds their table away past 20);
- ``responses.csv``: every imported answer in the export's columns (past the 1,048,575 a
  spreadsheet opens under its header, on in ``responses-2.csv`` and so on);
- ``poster-<deck>.png``: an easy-read A4 poster per deck for the venue's noticeboard;
- ``tasks.csv``, ``task_paths.csv``, ``languages.csv``, ``profiles.csv``: the tables behind
  the task, language and profile sections, with any group of fewer than 5 people left blank.

One module per part of the report, each reading only what it needs:

- ``gather.py``: the counting beyond the screen tallies (``stats.analyse_store``): tasks,
  taps, languages, profile groups, passages heard again, all from the store's SQL;
- ``page.py``: the page itself, and per deck: ``tasks.py``, ``taps.py`` (heat maps),
  ``languages.py``, ``profiles.py``, ``read_along.py``; ``cells.py``: their table cells;
- ``charts.py``: the charts, as inline SVG written by our own code (labels measured with
  the font we ship, so none is cut off);
- ``meanwhile.py``: what needs none of the screen tallies (languages, tasks, taps and heat
  maps, passages heard again, ``responses.csv``), done by a second process while SQLite
  counts them; this process draws the posters while it writes ``responses.csv``;
- ``files.py``: the CSVs.

CSV files are UTF-8 with a byte-order mark (so Excel reads them right) and text that a
spreadsheet would run as a formula is neutralised. Every text from a bundle is HTML-escaped;
a profile or language group of fewer than 5 people is never shown (see ``breakdowns.py``),
not in the page and not in the CSVs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.sessions.bulk import no_cycle_collection
from kiosk.sessions.export import csv_bytes
from kiosk.sessions.report.files import (
    SCREEN_COLUMNS,
    SESSIONS_CSV_COLUMNS,
    csv_tables,
    rounded,
    session_rows,
)
from kiosk.sessions.report.gather import gather_breakdowns
from kiosk.sessions.report.meanwhile import SideWork
from kiosk.sessions.report.page import render_html

__all__ = ["write_report", "write_store_report"]


def write_report(sessions: list[dict], events: list[dict], out: Path,
                 decks_folders: list[Path] | None = None, posters: bool = True) -> list[Path]:
    """The report from lists of sessions and events (tests, small runs): they are put in an
    in-memory store, then :func:`write_store_report` does the work, so there is one way."""
    from kiosk.sessions.designer_store import SqliteStore

    store = SqliteStore(None)
    try:
        store.add_sessions(sessions)
        store.add_events(events)
        return write_store_report(store, out, decks_folders, posters)
    finally:
        store.close()


@no_cycle_collection()
def write_store_report(store: Any, out: Path, decks_folders: list[Path] | None = None,
                       posters: bool = True, timings: dict[str, float] | None = None
                       ) -> list[Path]:
    """Write the report, the CSVs and the posters into ``out``; return the files written.

    ``store`` is a ``SqliteStore``; the tallies are counted there. ``timings``, if given,
    gets the seconds spent on the tallies, the pictures (charts, heat maps, posters) and the
    files (the benchmark prints them apart).
    """
    import time

    from kiosk.sessions.stats import analyse_store

    clock = time.perf_counter
    started = clock()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    # languages, tasks, taps, heat maps and responses.csv need none of the tallies: a second
    # process does them meanwhile
    side = SideWork(store, out / "responses.csv", decks_folders or [])
    # Each GROUP BY sorts in memory up to the page cache's size, then in temporary files:
    # 16 MB sorts as fast as more and keeps a million answers' report within its memory
    # budget.
    (cache_size,) = store.db.execute("PRAGMA cache_size").fetchone()
    store.db.execute("PRAGMA cache_size = -16384")
    try:
        analysis = analyse_store(store)
        breakdowns = gather_breakdowns(analysis, store, decks_folders or [], side)
        counted = clock()
        generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        written = []
        target = out / "report.html"
        target.write_text(render_html(analysis, generated, breakdowns), encoding="utf-8")
        written.append(target)
        drawn = clock()
        rows = [{k: rounded(v) for k, v in r.as_dict().items()} for r in
                sorted(analysis.screens, key=lambda r: (r.deck_id, r.deck_version, r.order))]
        (out / "screens.csv").write_bytes(csv_bytes(rows, SCREEN_COLUMNS))
        written.append(out / "screens.csv")
        sessions = [{k: rounded(v) for k, v in r.items()} for r in session_rows(analysis)]
        (out / "sessions.csv").write_bytes(csv_bytes(sessions, SESSIONS_CSV_COLUMNS))
        written.append(out / "sessions.csv")
        for name, (table, columns) in csv_tables(breakdowns).items():
            if table:
                tidy = [{k: rounded(v) for k, v in r.items()} for r in table]
                (out / name).write_bytes(csv_bytes(tidy, columns))
                written.append(out / name)
        filed = clock()
        if posters:  # (while the second process writes responses.csv)
            from kiosk.sessions.poster import make_posters

            written += make_posters(analysis, out, decks_folders or [])
        written[2:2] = side.wait_for_responses()
    finally:
        side.close()  # (after an error too: the second process finishes, never left behind)
        store.db.execute(f"PRAGMA cache_size = {int(cache_size)}")
    if timings is not None:
        timings["tallies"] = counted - started
        timings["pictures"] = (drawn - counted) + (clock() - filed)
        timings["files"] = filed - drawn
    return written
