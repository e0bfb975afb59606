"""The report's pictures: charts drawn once and cut to what is drawn (as a tight savefig would
cut them), and posters drawn by the second process the same as here."""

from __future__ import annotations

import base64
import io
import multiprocessing.spawn
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from kiosk.sessions.designer_store import SqliteStore
from kiosk.sessions.report import charts, write_report, write_store_report
from kiosk.sessions.stats import analyse

PROTOTYPES = Path(__file__).resolve().parents[2] / "prototypes"
LETTER = ["original-1", "original-2", "original-3", "easy-read-1", "easy-read-2",
          "easy-read-3", "easy-read-4"]


def _answers(screens: dict[str, list[str]], people: int = 6) -> tuple[list[dict], list[dict]]:
    """A session per deck at its own venue; every person answers every screen."""
    sessions, events = [], []
    for number, (deck_id, shown) in enumerate(screens.items()):
        sid = f"s{number}"
        sessions.append({"session_id": sid, "kiosk_id": "k", "venue": f"Venue {number}",
                         "deck_id": deck_id, "deck_version": 2,
                         "started_at": f"2025-03-0{number + 1}T10:00:00.000Z"})
        for person in range(1, people + 1):
            for screen in shown:
                events.append({"event_id": f"{sid}-{len(events)}", "session_id": sid,
                               "seq": len(events), "kind": "answer", "participant": person,
                               "screen_id": screen, "variant": "",
                               "response": "understood" if person % 3 else "not_understood"})
    return sessions, events


def _figure(monkeypatch: pytest.MonkeyPatch, screens: list[str]) -> object:
    """The figure ``chart_understood`` draws for these screens (before it is made a PNG)."""
    drawn: list[object] = []
    monkeypatch.setattr(charts, "png", drawn.append)
    charts.chart_understood(analyse(*_answers({"deck": screens})).screens, "A deck")
    monkeypatch.undo()
    return drawn[0]


def _picture(uri: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))


@pytest.mark.parametrize("screens", [
    ["home", "week"],
    ["a-screen-whose-name-is-far-too-long-for-the-room-left-of-the-chart-" * 3, "home"],
], ids=["short names", "a name longer than the room first left"])
def test_a_chart_is_cut_where_a_tight_savefig_cuts_it_without_losing_a_label(monkeypatch,
                                                                            screens):
    """Labels reaching past the figure are drawn, never clipped: the ink stops short of a
    white margin on every side, and the size is a tight savefig's give or take its text's
    blank edges (a tight savefig cuts at the text boxes, this at the ink)."""
    picture = _picture(charts.png(_figure(monkeypatch, screens))).convert("RGB")
    buffer = io.BytesIO()
    _figure(monkeypatch, screens).savefig(buffer, format="png", dpi=charts.DPI,
                                          bbox_inches="tight")
    tight = Image.open(buffer)
    assert abs(picture.width - tight.width) <= 6 and abs(picture.height - tight.height) <= 6
    white = Image.new("RGB", picture.size, "white")
    ink = ImageChops.difference(picture, white).getbbox()
    assert ink == (charts.PAD, charts.PAD, picture.width - charts.PAD,
                   picture.height - charts.PAD)
    if len(screens[0]) > 100:
        assert picture.width > 2 * 800  # the long name is all there, left of the figure


def test_posters_drawn_by_the_second_process_are_those_drawn_here(tmp_path):
    """Posters come back from the second process in deck order, after the CSVs, byte for
    byte as this process draws them (from lists, in memory) and as it draws them when no
    second process can start."""
    sessions, events = _answers({"hospital-letter": LETTER + ["extra-1"],
                                 "diabetes-app": ["home", "week"]})
    store = SqliteStore(tmp_path / "store")
    store.add_sessions(sessions)
    store.add_events(events)
    store.close()
    store = SqliteStore(tmp_path / "store", read_only=True)
    try:
        there = write_store_report(store, tmp_path / "there", [PROTOTYPES])
        python = multiprocessing.spawn.get_executable()
        multiprocessing.spawn.set_executable("/bin/false")
        try:
            alone = write_store_report(store, tmp_path / "alone", [PROTOTYPES])
        finally:
            multiprocessing.spawn.set_executable(python)
    finally:
        store.close()
    here = write_report(sessions, events, tmp_path / "here", [PROTOTYPES])
    posters = ["poster-diabetes-app.png", "poster-hospital-letter.png",
               "poster-hospital-letter-2.png"]
    for files in (there, alone, here):
        assert [f.name for f in files][-3:] == posters
        assert all(f.suffix == ".csv" for f in files[1:-3])
    for name in posters:
        made = (tmp_path / "here" / name).read_bytes()
        assert (tmp_path / "there" / name).read_bytes() == made, name
        assert (tmp_path / "alone" / name).read_bytes() == made, name
