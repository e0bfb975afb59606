"""``kiosk report`` end to end on logs that hold each edge of issue 11: always a report.

Each case is a real kiosk log (``ResponseLog``), exported to a real bundle, imported and
reported through the command line, as a designer would. "Something went wrong" (the command
line's words for a traceback) must never appear.
"""

from __future__ import annotations

import csv
import io

import pytest
from sessions_helpers import answer

from kiosk.cli import main
from kiosk.sessions.export import export_bundle
from kiosk.sessions.log import ResponseLog

URDU_VENUE = "کالڈمور کمیونٹی سینٹر"  # Caldmore Community Centre, in Urdu


def _all_green(log, sid, n):
    for person in range(1, n + 1):
        answer(log, sid, person, "s1", "understood")


def _all_red(log, sid, n):
    for person in range(1, n + 1):
        answer(log, sid, person, "s1", "not_understood")


CASES = {
    "no answers at all": lambda log, sid: None,
    "one answer": lambda log, sid: answer(log, sid, 1, "s1", "understood"),
    "all understood (10 of 10)": lambda log, sid: _all_green(log, sid, 10),
    "all understood (13 of 13)": lambda log, sid: _all_green(log, sid, 13),
    "all understood (25 of 25)": lambda log, sid: _all_green(log, sid, 25),
    "none understood (3 of 3)": lambda log, sid: _all_red(log, sid, 3),
    "none understood (7 of 7)": lambda log, sid: _all_red(log, sid, 7),
    "only skipped and walked away": lambda log, sid: (
        answer(log, sid, 1, "s1", "skipped"), answer(log, sid, 1, "s2", "abandoned")),
    "a variant with no answers": lambda log, sid: [
        answer(log, sid, p, s, r, variant=v) for p, s, r, v in (
            (1, "a1", "understood", "original"), (1, "a2", "understood", "original"),
            (2, "b1", "skipped", "easy-read"), (2, "b2", "abandoned", "easy-read"))],
}


def _report(tmp_path, clock, fill, deck="gp-letter", venue="Library", capsys=None):
    log = ResponseLog(tmp_path / "kiosk", "kiosk-a", clock)
    sid = log.start_session(deck, 1, venue)
    fill(log, sid)
    log.end_session(sid)
    bundle = export_bundle(log, tmp_path / "stick", recipients=None)
    log.close()
    home = tmp_path / "designer"
    assert main(["--home", str(home), "import", str(bundle)]) == 0
    assert main(["--home", str(home), "report", "--out", str(tmp_path / "report")]) == 0
    out = capsys.readouterr().out if capsys else ""
    assert "Something went wrong" not in out
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and page.endswith("</html>")
    return page


@pytest.mark.parametrize("case", list(CASES))
def test_every_edge_makes_a_report(tmp_path, clock, capsys, case):
    page = _report(tmp_path, clock, CASES[case], capsys=capsys)
    assert "Traceback" not in page
    if case.startswith("all understood"):
        assert "100%" in page
    if case.startswith("none understood"):
        assert "0% – " in page  # its interval starts at 0%
    screens = (tmp_path / "report" / "screens.csv").read_text(encoding="utf-8-sig")
    for row in csv.DictReader(io.StringIO(screens)):
        if row["ci_low"]:
            assert 0 <= float(row["ci_low"]) <= float(row["pct_understood"]) \
                <= float(row["ci_high"]) <= 1


@pytest.mark.slow  # 300 answers written durably, a 300-bar chart and 43 poster pages
def test_a_deck_with_300_screens(tmp_path, clock, capsys):
    def walk(log, sid):
        for screen in range(300):
            answer(log, sid, 1, f"screen-{screen:03d}",
                   "understood" if screen % 3 else "not_understood")
    page = _report(tmp_path, clock, walk, capsys=capsys)
    assert "screen-299" in page
    posters = sorted((tmp_path / "report").glob("poster-*.png"))
    assert len(posters) == 43  # 7 screens a page


def test_a_venue_named_in_urdu(tmp_path, clock, capsys):
    page = _report(tmp_path, clock, lambda log, sid: _all_green(log, sid, 4),
                   venue=URDU_VENUE, capsys=capsys)
    assert URDU_VENUE in page
    answers = (tmp_path / "report" / "responses.csv").read_text(encoding="utf-8-sig")
    assert URDU_VENUE in answers


def test_a_deck_whose_installed_copy_is_gone(tmp_path, clock, capsys):
    page = _report(tmp_path, clock, lambda log, sid: (
        _all_green(log, sid, 3),
        log.record(sid, "tap", participant=1, screen_id="s1", x=40, y=50, hotspot="go"),
        log.record(sid, "miss", participant=2, screen_id="s1", x=400, y=500)),
        deck="no-longer-installed", capsys=capsys)
    assert "not on this computer" in page  # heat maps drawn on a blank canvas, said so
    assert (tmp_path / "report" / "poster-no-longer-installed.png").is_file()


def test_the_report_counts_replays_per_read_along_part(tmp_path, clock, capsys):
    """Issue 12: per passage of a read-along screen, how often it was asked for again."""
    def fill(log, sid):
        for person, part in ((1, 2), (1, 2), (2, 2), (3, 1)):
            log.record(sid, "replay", participant=person, screen_id="page-1", variant="",
                       language="en-GB", seconds_on_screen=4.0, part=part)
        log.record(sid, "replay", participant=4, screen_id="page-1", variant="",
                   language="en-GB", seconds_on_screen=9.0)  # the whole screen, no part
        answer(log, sid, 1, "page-1", "not_understood")

    page = _report(tmp_path, clock, fill, capsys=capsys)
    assert "Read along: passages heard again" in page
    assert "<tr><td>page-1</td><td>1</td><td></td><td>1</td><td>1</td></tr>" in page
    assert "<tr><td>page-1</td><td>2</td><td></td><td>3</td><td>2</td></tr>" in page
