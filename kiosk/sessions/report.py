"""``kiosk report``: one HTML file a designer can open anywhere, and the tidy CSVs behind it.

Outputs (in ``--out DIR``):

- ``report.html``: self-contained (charts are PNGs embedded as data URIs, no scripts, no
  links out), so it can be e-mailed or opened from a stick;
- ``screens.csv``: the tidy table, one row per deck version and screen;
- ``responses.csv``: every imported answer in the export's columns;
- ``poster-<deck>.png``: an easy-read A4 poster per deck for the venue's noticeboard;
- ``tasks.csv``, ``task_paths.csv``, ``languages.csv``, ``profiles.csv``: the tables behind
  the task, language and profile sections (``report_sections.py``), with any group of fewer
  than 5 people left blank.

CSV files are UTF-8 with a byte-order mark (so Excel reads them right) and text that a
spreadsheet would run as a formula is neutralised. Every text from a bundle is HTML-escaped.
matplotlib is imported inside the chart functions only (Agg canvases, no pyplot, no display).
"""

from __future__ import annotations

import base64
import html
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.sessions.export import CSV_COLUMNS, csv_bytes, csv_rows
from kiosk.sessions.heatmap import PNG_LEVEL
from kiosk.sessions.stats import SMALL_SAMPLE, Analysis, ScreenRow, pct

if TYPE_CHECKING:
    from kiosk.sessions.report_sections import Extras

SCREEN_COLUMNS = (
    "deck_id", "deck_version", "screen_id", "variant", "views", "answered", "understood",
    "not_understood", "skipped", "abandoned", "abandoned_here", "pct_understood", "ci_low",
    "ci_high", "median_seconds_to_answer", "replays_per_view", "taps", "misses",
    "misclick_rate", "small_sample",
)
GREEN, RED, GREY, BLUE = "#1b7f3b", "#b3261e", "#9e9e9e", "#005eb8"


def _round(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def chart_text(text: Any) -> str:
    """Text from a bundle as a chart label: tabs and line breaks (no glyph) become spaces."""
    return "".join(c if c.isprintable() else " " for c in str(text))


def _png(figure: Any) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight",
                   pil_kwargs={"compress_level": PNG_LEVEL})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


class _Charts:
    """Figures drawn straight onto Agg canvases: no pyplot (its import and its registry of
    open figures cost time and memory, and nothing here is ever shown on a screen)."""

    @staticmethod
    def subplots(figsize: tuple[float, float]) -> tuple[Any, Any]:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=figsize)
        FigureCanvasAgg(figure)
        return figure, figure.add_subplot()


def _pyplot() -> _Charts:
    return _Charts()


def chart_understood(rows: list[ScreenRow], title: str) -> str:
    """Horizontal bars of % understood with their 95% intervals, in walk order."""
    plt = _pyplot()
    rows = [r for r in rows if r.pct_understood is not None]
    height = max(2.0, 0.45 * len(rows) + 1.2)
    figure, axes = plt.subplots(figsize=(8, height))
    labels = [chart_text(r.screen_id) + (f"  [{chart_text(r.variant)}]" if r.variant else "")
              for r in rows]
    values = [100 * r.pct_understood for r in rows]
    low = [100 * (r.pct_understood - r.ci_low) for r in rows]
    high = [100 * (r.ci_high - r.pct_understood) for r in rows]
    colours = [GREY if r.small_sample else BLUE for r in rows]
    positions = range(len(rows))
    axes.barh(positions, values, xerr=[low, high], color=colours, capsize=3,
              error_kw={"ecolor": "#333333", "lw": 1})
    for y, row in zip(positions, rows, strict=True):
        axes.text(101, y, f"{pct(row.pct_understood)}  (n={row.answered})", va="center",
                  fontsize=9)
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 125)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xlabel("% understood (bars: 95% interval; grey: fewer than "
                    f"{SMALL_SAMPLE} answers)")
    axes.set_title(chart_text(title), loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def chart_dropoff(rows: list[ScreenRow], title: str) -> str:
    """How many people reached each screen, and how many walked away there."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(8, 3.2))
    positions = list(range(len(rows)))
    reached = [r.views - r.abandoned for r in rows]
    left = [r.abandoned_here for r in rows]
    axes.bar(positions, reached, color=BLUE, label="answered or skipped here")
    axes.bar(positions, left, bottom=reached, color=RED, label="walked away here")
    axes.set_xticks(positions, [chart_text(r.screen_id) for r in rows], rotation=30, ha="right",
                    fontsize=8)
    axes.set_ylabel("people")
    axes.set_title(title, loc="left", fontsize=11)
    axes.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def chart_variants(names: list[str], tallies: list[Any], title: str) -> str:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6, 0.7 * len(names) + 1.2))
    values, low, high = [], [], []
    for tally in tallies:
        share = tally.share() or 0.0
        lo, hi = tally.interval()
        values.append(100 * share)
        low.append(100 * (share - lo))
        high.append(100 * (hi - share))
    colours = [GREEN] + [BLUE] * (len(names) - 1)  # names come best understood first
    axes.barh(range(len(names)), values, xerr=[low, high], color=colours, capsize=4)
    for y, tally in enumerate(tallies):
        axes.text(101, y, f"{tally.understood} of {tally.answered}", va="center", fontsize=9)
    axes.set_yticks(range(len(names)), [chart_text(n) for n in names])
    axes.invert_yaxis()
    axes.set_xlim(0, 125)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xlabel("% understood (bars: 95% interval)")
    axes.set_title(title, loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    return html.escape(str(value))


def _screen_table(rows: list[ScreenRow], with_deck: bool = False) -> str:
    head = ("<tr>" + ("<th>deck</th>" if with_deck else "")
            + "<th>screen</th><th>variant</th><th>answered</th><th>understood</th>"
              "<th>95% interval</th><th>median seconds</th><th>replays per view</th>"
              "<th>misclicks per view</th><th>walked away here</th><th></th></tr>")
    body = []
    for r in rows:
        share = "–" if r.pct_understood is None else pct(r.pct_understood)
        interval = "–" if r.ci_low is None else f"{pct(r.ci_low)} – {pct(r.ci_high)}"
        misclicks = "–" if r.misclick_rate is None else f"{r.misclick_rate:.2f} ({r.misses})"
        flag = '<span class="small">small sample</span>' if r.small_sample else ""
        body.append(
            "<tr>" + (f"<td>{_cell(r.deck_id)} v{r.deck_version}</td>" if with_deck else "")
            + f"<td>{_cell(r.screen_id)}</td><td>{_cell(r.variant or '')}</td>"
            f"<td>{r.answered}</td><td><b>{share}</b></td><td>{interval}</td>"
            f"<td>{_cell(r.median_seconds_to_answer)}</td>"
            f"<td>{'–' if r.replays_per_view is None else f'{r.replays_per_view:.2f}'}</td>"
            f"<td>{misclicks}</td><td>{r.abandoned_here}</td><td>{flag}</td></tr>")
    return f"<table>{head}{''.join(body)}</table>"


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;
max-width:1100px;color:#1d1d1d;line-height:1.45;padding:0 1rem}
h1{color:#005eb8;margin-bottom:.2rem}h2{border-bottom:2px solid #005eb8;padding-bottom:.2rem;
margin-top:2.5rem}table{border-collapse:collapse;width:100%;margin:.8rem 0;font-size:.92rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f4f8}.small{background:#fff4ce;border:1px solid #e0c060;border-radius:3px;
padding:0 .3rem;font-size:.8rem;white-space:nowrap}.sentence{font-size:1.1rem;background:#eef6ee;
border-left:5px solid #1b7f3b;padding:.6rem .9rem}.note{color:#555;font-size:.9rem}
img{max-width:100%}.facts{display:flex;gap:1rem;flex-wrap:wrap}.fact{background:#f0f4f8;
padding:.6rem 1rem;border-radius:6px}.fact b{font-size:1.5rem;display:block;color:#005eb8}
@page{size:A4;margin:12mm}
@media print{body{margin:0;max-width:none;padding:0;font-size:10pt}
table{font-size:7.5pt}th,td{padding:.12rem .25rem;overflow-wrap:anywhere}
tr,img,figure,.fact{break-inside:avoid}h2,h3,h4{break-after:avoid}.small{white-space:normal}
.maps{grid-template-columns:repeat(2,1fr)}}
"""


def render_html(analysis: Analysis, generated_at: str, extras: Extras | None = None) -> str:
    """The whole report as one HTML page (``extras``: tasks, heat maps, languages, groups)."""
    from kiosk.sessions.report_sections import EXTRA_CSS, deck_sections

    a = analysis
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>Kiosk report</title><style>{CSS}{EXTRA_CSS}</style></head><body>",
             "<h1>What people understood</h1>",
             f"<p class='note'>Made {html.escape(generated_at)} from "
             f"{len(a.kiosks)} kiosk(s).</p>"]
    total = a.totals
    facts = [("answers", total.answered), ("people", total.people),
             ("sessions", len(a.sessions)), ("venues", len(a.venues)),
             ("understood", pct(total.share()) if total.share() is not None else "–")]
    parts.append("<div class='facts'>" + "".join(
        f"<div class='fact'><b>{html.escape(str(v))}</b>{k}</div>" for k, v in facts) + "</div>")
    if not a.screens:
        parts.append("<p>No answers have been imported yet. Use <code>kiosk import</code> "
                     "with the bundles copied from the kiosks.</p></body></html>")
        return "".join(parts)

    parts.append("<h2>Screens people understood least</h2>")
    parts.append("<p class='note'>Lowest first. Fix these first; a small sample means "
                 "the number can move a lot with a few more answers.</p>")
    parts.append(_screen_table(a.least_understood()[:12], with_deck=True))

    for deck in a.decks:
        deck_id, version = deck
        rows = a.deck_screens(deck)
        title = f"{deck_id} (version {version})"
        parts.append(f"<h2>Deck {html.escape(title)}</h2>")
        parts.append(f"<img alt='% understood per screen' src='{chart_understood(rows, title)}'>")
        parts.append(_screen_table(rows))
        if any(r.abandoned for r in rows):
            parts.append(f"<img alt='where people walked away' "
                         f"src='{chart_dropoff(rows, 'Where people walked away')}'>")
        comparisons = a.variants.get(deck, [])
        if comparisons:
            parts.append("<h3>Versions side by side</h3>")
            tallies = a.variant_tallies[deck]
            names = sorted(tallies, key=lambda v: -(tallies[v].share() or 0))
            parts.append(f"<img alt='versions compared' src='"
                         f"{chart_variants(names, [tallies[n] for n in names], title)}'>")
            for comparison in comparisons:
                parts.append(f"<p class='sentence'>{html.escape(comparison.sentence)}</p>")
            parts.append("<p class='note'>Counts are answers to all the screens of each "
                         "version. One person may answer several screens, so treat the test "
                         "as a guide.</p>")
        if extras is not None:
            parts.append(deck_sections(deck, extras, [r.screen_id for r in rows]))

    parts.append("<h2>By venue</h2><table><tr><th>venue</th><th>sessions</th><th>people</th>"
                 "<th>answered</th><th>understood</th><th>95% interval</th>"
                 "<th>people who walked away</th><th></th></tr>")
    for venue, tally in sorted(a.venues.items(), key=lambda kv: kv[0]):
        parts.append(_tally_row([venue, a.venue_sessions.get(venue, 0)], tally))
    parts.append("</table>")

    parts.append("<h2>By session</h2><table><tr><th>started (UTC)</th><th>kiosk</th>"
                 "<th>venue</th><th>deck</th><th>how it ended</th><th>people</th>"
                 "<th>answered</th><th>understood</th><th>95% interval</th>"
                 "<th>people who walked away</th><th></th></tr>")
    for session, tally in a.sessions:
        parts.append(_tally_row(
            [session.get("started_at", "")[:16].replace("T", " "), session.get("kiosk_id", ""),
             session.get("venue", ""),
             f"{session.get('deck_id', '')} v{session.get('deck_version', '')}",
             session.get("end_reason") or "still open"], tally))
    parts.append("</table>")
    parts.append(
        "<h2>How to read this</h2><ul class='note'>"
        "<li><b>Understood</b> counts green presses out of green and red presses. Skipped "
        "screens and people who walked away are counted apart, not as 'not understood'.</li>"
        "<li><b>95% interval</b>: the range the true share is likely to be in (Wilson score "
        "interval). Wide ranges mean few answers.</li>"
        f"<li><b>Small sample</b>: fewer than {SMALL_SAMPLE} answers.</li>"
        "<li><b>Replays per view</b>: times the narration was played again, per screen shown."
        "</li><li><b>Misclicks per view</b>: taps that missed every hotspot, per screen shown "
        "(the number of misclicks in brackets).</li>"
        "<li><b>Versions</b> are compared with Fisher's exact test (two-sided).</li>"
        "<li><b>Tasks</b>: the 'Was that easy to do?' answer after a task is counted with the "
        "task, never in a screen's % understood.</li>"
        "<li><b>Fewer than 5 people</b>: a group by profile answer or language this small is "
        "hidden everywhere, so that nobody can be picked out.</li></ul>")
    parts.append("</body></html>")
    return "".join(parts)


def _tally_row(cells: list[Any], tally: Any) -> str:
    share = tally.share()
    interval = tally.interval()
    flag = '<span class="small">small sample</span>' if tally.answered < SMALL_SAMPLE else ""
    first = "".join(f"<td>{_cell(c)}</td>" for c in cells)
    people_cell = f"<td>{tally.people}</td>"
    return (f"<tr>{first}{people_cell}<td>{tally.answered}</td>"
            f"<td><b>{'–' if share is None else pct(share)}</b></td>"
            f"<td>{'–' if share is None else f'{pct(interval[0])} – {pct(interval[1])}'}</td>"
            f"<td>{tally.people_who_left}</td><td>{flag}</td></tr>")


RESPONSES_SQL = """
SELECT e.session_id, s.kiosk_id, s.venue, s.deck_id, s.deck_version, e.screen_id, e.variant,
       e.participant, e.response, COALESCE(NULLIF(e.answered_at, ''), e.at),
       e.seconds_to_answer, e.replays, e.event_id, e.seconds_on_screen, NULLIF(e.language, ''),
       NULLIF(s.end_reason, '')
FROM events AS e LEFT JOIN sessions AS s ON s.session_id = e.session_id
WHERE e.kind = 'answer' ORDER BY e.rowid
"""


def write_responses(store: Any, target: Path, batch: int = 20_000) -> None:
    """``responses.csv``: every answer in the export's columns, joined in SQL and written a
    batch at a time (a year of answers never sits in memory as one list)."""
    cursor = store.db.execute(RESPONSES_SQL)
    # utf-8-sig: the byte-order mark once, at the start; newline="": the csv module's CRLF
    with open(target, "w", encoding="utf-8-sig", newline="") as out:
        csv_rows(out, [CSV_COLUMNS])
        while rows := cursor.fetchmany(batch):  # NULLs come out as "" (csv writes None so)
            csv_rows(out, rows)


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


def write_store_report(store: Any, out: Path, decks_folders: list[Path] | None = None,
                       posters: bool = True, timings: dict[str, float] | None = None
                       ) -> list[Path]:
    """Write the report, the CSVs and the posters into ``out``; return the files written.

    ``store`` is a ``SqliteStore``; the tallies are counted there. ``timings``, if given,
    gets the seconds spent on the tallies, the pictures (charts, heat maps, posters) and the
    files (the benchmark prints them apart).
    """
    import time

    from kiosk.sessions.report_sections import build_extras, csv_tables
    from kiosk.sessions.stats import analyse_store

    clock = time.perf_counter
    started = clock()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    analysis = analyse_store(store)
    extras = build_extras(analysis, store, decks_folders or [])
    counted = clock()
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    written = []
    target = out / "report.html"
    target.write_text(render_html(analysis, generated, extras), encoding="utf-8")
    written.append(target)
    drawn = clock()
    rows = [{k: _round(v) for k, v in r.as_dict().items()} for r in
            sorted(analysis.screens, key=lambda r: (r.deck_id, r.deck_version, r.order))]
    (out / "screens.csv").write_bytes(csv_bytes(rows, SCREEN_COLUMNS))
    written.append(out / "screens.csv")
    write_responses(store, out / "responses.csv")
    written.append(out / "responses.csv")
    for name, (table, columns) in csv_tables(extras).items():
        if table:
            rounded = [{k: _round(v) for k, v in r.items()} for r in table]
            (out / name).write_bytes(csv_bytes(rounded, columns))
            written.append(out / name)
    filed = clock()
    if posters:
        from kiosk.sessions.poster import make_posters

        written += make_posters(analysis, out, decks_folders or [])
    if timings is not None:
        timings["tallies"] = counted - started
        timings["pictures"] = (drawn - counted) + (clock() - filed)
        timings["files"] = filed - drawn
    return written
