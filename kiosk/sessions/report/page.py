"""The report page: the overview, each deck's charts, tables and sections, venues, sessions."""

from __future__ import annotations

import html

from kiosk.sessions.breakdowns import DeckKey
from kiosk.sessions.deck_info import DeckInfo
from kiosk.sessions.report.cells import cell, tally_row
from kiosk.sessions.report.charts import chart_dropoff, chart_understood, chart_variants
from kiosk.sessions.report.gather import Breakdowns
from kiosk.sessions.report.languages import language_section
from kiosk.sessions.report.profiles import profile_section
from kiosk.sessions.report.read_along import part_replay_section
from kiosk.sessions.report.taps import heatmap_section
from kiosk.sessions.report.tasks import task_section
from kiosk.sessions.stats import SMALL_SAMPLE, Analysis, ScreenRow, count, pct

# More sessions than this and their table is folded away (a year holds thousands, which would
# bury "How to read this" under them); sessions.csv holds them all the same.
SESSIONS_SHOWN = 20

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;
max-width:1100px;color:#1d1d1d;line-height:1.45;padding:0 1rem}
h1{color:#005eb8;margin-bottom:.2rem}h2{border-bottom:2px solid #005eb8;padding-bottom:.2rem;
margin-top:2.5rem}table{border-collapse:collapse;width:100%;margin:.8rem 0;font-size:.92rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f4f8}.small{background:#fff4ce;border:1px solid #e0c060;border-radius:3px;
padding:0 .3rem;font-size:.8rem;white-space:nowrap}.sentence{font-size:1.1rem;background:#eef6ee;
border-left:5px solid #1b7f3b;padding:.6rem .9rem}.note{color:#555;font-size:.9rem}
img,.chart svg{max-width:100%}.chart{margin:1rem 0}.chart svg{height:auto;display:block}
summary{cursor:pointer;color:#005eb8;margin:.6rem 0}
.facts{display:flex;gap:1rem;flex-wrap:wrap}.fact{background:#f0f4f8;
padding:.6rem 1rem;border-radius:6px}.fact b{font-size:1.5rem;display:block;color:#005eb8}
@page{size:A4;margin:12mm}
@media print{body{margin:0;max-width:none;padding:0;font-size:10pt}
table{font-size:7.5pt}th,td{padding:.12rem .25rem;overflow-wrap:anywhere}
tr,img,figure,.fact{break-inside:avoid}h2,h3,h4{break-after:avoid}.small{white-space:normal}
.maps{grid-template-columns:repeat(2,1fr)}}
"""


SECTION_CSS = """
.hidden{color:#555;font-style:italic;background:#f5f5f5}.alert{background:#fde2e0;
border:1px solid #b3261e;border-radius:3px;padding:0 .3rem;font-weight:bold}
.tag{background:#e3f1e6;border:1px solid #1b7f3b;border-radius:3px;padding:0 .3rem;
font-size:.8rem}.maps{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));
gap:1rem}figure{margin:0}figcaption{font-size:.9rem}.paths li{margin:.3rem 0}
.flags li{margin:.2rem 0}
"""


def screen_table(rows: list[ScreenRow], with_deck: bool = False) -> str:
    head = ("<tr>" + ("<th>deck</th>" if with_deck else "")
            + "<th>screen</th><th>variant</th><th>answered</th><th>understood</th>"
              "<th>95% interval</th><th>median seconds</th><th>replays per view</th>"
              "<th>misclicks per view</th><th>walked away here</th><th></th></tr>")
    body = []
    for r in rows:
        share = "–" if r.pct_understood is None else pct(r.pct_understood)
        interval = "–" if r.ci_low is None or r.ci_high is None else \
            f"{pct(r.ci_low)} – {pct(r.ci_high)}"
        misclicks = "–" if r.misclick_rate is None else f"{r.misclick_rate:.2f} ({count(r.misses)})"
        flag = '<span class="small">small sample</span>' if r.small_sample else ""
        body.append(
            "<tr>" + (f"<td>{cell(r.deck_id)} v{r.deck_version}</td>" if with_deck else "")
            + f"<td>{cell(r.screen_id)}</td><td>{cell(r.variant or '')}</td>"
            f"<td>{count(r.answered)}</td><td><b>{share}</b></td><td>{interval}</td>"
            f"<td>{cell(r.median_seconds_to_answer)}</td>"
            f"<td>{'–' if r.replays_per_view is None else f'{r.replays_per_view:.2f}'}</td>"
            f"<td>{misclicks}</td><td>{count(r.abandoned_here)}</td><td>{flag}</td></tr>")
    return f"<table>{head}{''.join(body)}</table>"


def render_html(analysis: Analysis, generated_at: str,
                breakdowns: Breakdowns | None = None) -> str:
    """The whole report as one HTML page (``breakdowns``: tasks, heat maps, languages, groups)."""
    a = analysis
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>Kiosk report</title><style>{CSS}{SECTION_CSS}</style></head><body>",
             "<h1>What people understood</h1>",
             f"<p class='note'>Made {html.escape(generated_at)} from "
             f"{len(a.kiosks)} kiosk(s).</p>"]
    total = a.totals
    share = total.share()
    facts = [("answers", total.answered), ("people", total.people),
             ("sessions", len(a.sessions)), ("venues", len(a.venues)),
             ("understood", pct(share) if share is not None else "–")]
    parts.append("<div class='facts'>" + "".join(
        f"<div class='fact'><b>{cell(v)}</b>{k}</div>" for k, v in facts) + "</div>")
    if not a.screens:
        parts.append("<p>No answers have been imported yet. Use <code>kiosk import</code> "
                     "with the bundles copied from the kiosks.</p></body></html>")
        return "".join(parts)

    parts.append("<h2>Screens people understood least</h2>")
    parts.append("<p class='note'>Lowest first. Fix these first; a small sample means "
                 "the number can move a lot with a few more answers.</p>")
    parts.append(screen_table(a.least_understood()[:12], with_deck=True))

    for deck in a.decks:
        deck_id, version = deck
        rows = a.deck_screens(deck)
        title = f"{deck_id} (version {version})"
        parts.append(f"<h2>Deck {html.escape(title)}</h2>")
        parts.append(f"<figure class='chart'>{chart_understood(rows, title)}</figure>")
        parts.append(screen_table(rows))
        if any(r.abandoned for r in rows):
            parts.append(f"<figure class='chart'>{chart_dropoff(rows, 'Where people walked away')}"
                         "</figure>")
        comparisons = a.variants.get(deck, [])
        if comparisons:
            parts.append("<h3>Versions side by side</h3>")
            tallies = a.variant_tallies[deck]
            names = sorted(tallies, key=lambda v: -(tallies[v].share() or 0))
            parts.append("<figure class='chart'>"
                         f"{chart_variants(names, [tallies[n] for n in names], title)}</figure>")
            for comparison in comparisons:
                parts.append(f"<p class='sentence'>{html.escape(comparison.sentence)}</p>")
            parts.append("<p class='note'>Counts are answers to all the screens of each "
                         "version. One person may answer several screens, so treat the test "
                         "as a guide.</p>")
        if breakdowns is not None:
            parts.append(deck_sections(deck, breakdowns, [r.screen_id for r in rows]))

    parts.append("<h2>By venue</h2><table><tr><th>venue</th><th>sessions</th><th>people</th>"
                 "<th>answered</th><th>understood</th><th>95% interval</th>"
                 "<th>people who walked away</th><th></th></tr>")
    for venue, tally in sorted(a.venues.items(), key=lambda kv: kv[0]):
        parts.append(tally_row([venue, a.venue_sessions.get(venue, 0)], tally))
    parts.append("</table>")

    parts.append("<h2>By session</h2>")
    if len(a.sessions) > SESSIONS_SHOWN:  # (a year holds thousands: folded, and in a CSV)
        parts.append(f"<details><summary>All {count(len(a.sessions))} sessions (also in "
                     "sessions.csv)</summary>")
    parts.append("<table><tr><th>started (UTC)</th><th>kiosk</th>"
                 "<th>venue</th><th>deck</th><th>how it ended</th><th>people</th>"
                 "<th>answered</th><th>understood</th><th>95% interval</th>"
                 "<th>people who walked away</th><th></th></tr>")
    for session, tally in a.sessions:
        parts.append(tally_row(
            [session.get("started_at", "")[:16].replace("T", " "), session.get("kiosk_id", ""),
             session.get("venue", ""),
             f"{session.get('deck_id', '')} v{session.get('deck_version', '')}",
             session.get("end_reason") or "still open"], tally))
    parts.append("</table>")
    if len(a.sessions) > SESSIONS_SHOWN:
        parts.append("</details>")
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


def deck_sections(deck: DeckKey, breakdowns: Breakdowns, screen_ids: list[str]) -> str:
    """Tasks, heat maps, languages and profile groups for one deck version (may be empty)."""
    info = breakdowns.decks.get(deck[0]) or DeckInfo(deck[0], deck[0])
    parts = []
    if breakdowns.tasks.get(deck):
        parts.append(task_section(breakdowns.tasks[deck], info))
    parts.append(heatmap_section(deck, breakdowns, screen_ids))
    parts.append(part_replay_section(deck, breakdowns, info, screen_ids))
    if breakdowns.languages.get(deck):
        parts.append(language_section(breakdowns.languages[deck], breakdowns.mains.get(deck, "")))
    if breakdowns.profiles.get(deck):
        parts.append(profile_section(breakdowns.profiles[deck], info))
    return "".join(parts)
