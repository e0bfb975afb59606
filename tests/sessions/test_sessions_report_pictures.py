"""The report's pictures: charts written as SVG (well-formed, every word there as text, no
label cut off, text from bundles escaped), and posters drawn by the second process the same as
here."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from PIL import ImageFont
from sessions_helpers import START_METHODS, helpers_started_by

from kiosk.sessions.breakdowns import TaskPath, TaskRow
from kiosk.sessions.designer_store import SqliteStore
from kiosk.sessions.report import charts, write_report, write_store_report
from kiosk.sessions.report.files import SESSIONS_CSV_COLUMNS
from kiosk.sessions.stats import Tally, analyse

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


SVG = "{http://www.w3.org/2000/svg}"
# Chromium draws the charts in Noto Sans where it is installed, else in a fallback: the room
# left for each text must hold it in both (DejaVu Sans is the widest common fallback)
FONTS = [p for p in (charts.FONT_FILE, Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
         if p.exists()]
HOSTILE = ["</svg><script>alert(1)</script>", "a&b\"'<", "tab\there\nline", "nul\x00bell\x07"]


def _screens(answers: dict[str, list[str]], variants: dict[str, str] | None = None) -> list:
    """One deck's screen rows: each screen's responses in order, one person per response."""
    sessions = [{"session_id": "s", "kiosk_id": "k", "venue": "Hall", "deck_id": "deck",
                 "deck_version": 1, "started_at": "2025-03-01T10:00:00.000Z"}]
    events = []
    for screen, responses in answers.items():
        for person, response in enumerate(responses, 1):
            events.append({"event_id": f"e{len(events)}", "session_id": "s",
                           "seq": len(events), "kind": "answer", "participant": person,
                           "screen_id": screen, "variant": (variants or {}).get(screen, ""),
                           "response": response})
    return analyse(sessions, events).deck_screens(("deck", 1))


def _task(task: str, paths: list[tuple[tuple[str, ...], int, str]]) -> TaskRow:
    return TaskRow("deck", 1, task, paths=[TaskPath(screens, people, Counter({how: people}))
                                           for screens, people, how in paths])


def _parsed(svg: str, label: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    assert root.get("aria-label") == label
    assert root.find(SVG + "title") is not None and root.get("width")
    assert root.get("viewBox", "").split()[2:] == [root.get("width"), root.get("height")]
    return root


def _texts(root: ET.Element) -> list[tuple[ET.Element, str, str]]:
    """Each text: its element, the words shown, and its whole text (a shortened text's
    tooltip)."""
    found = []
    for text in root.iter(SVG + "text"):
        shown, whole = text.text or "", None
        for child in text:
            if child.tag == SVG + "title":
                whole = child.text or ""
            else:
                shown += "".join(child.itertext())
            shown += child.tail or ""
        found.append((text, shown, shown if whole is None else whole))
    return found


def _width(font: Path, text: str, size: float) -> float:
    return ImageFont.truetype(str(font), 100).getlength(text) * size / 100


def _every_text_fits(root: ET.Element) -> None:
    """Each text, measured in Noto Sans and in the fallback, lies inside the viewBox."""
    left, top, width, height = map(float, root.get("viewBox", "").split())
    for text, _, _ in _texts(root):
        size = float(text.get("font-size") or root.get("font-size") or 0)
        anchor = text.get("text-anchor", "start")
        x, y = float(text.get("x", 0)), float(text.get("y", 0))
        spans = text.findall(SVG + "tspan")
        lines = [(text.text or "", 0.0)] if not spans else \
            [(s.text or "", float(s.get("dy", 0))) for s in spans]
        for line, down in lines:
            y += down
            for font in FONTS:
                wide = _width(font, line, size)
                start = {"start": x, "middle": x - wide / 2, "end": x - wide}[anchor]
                assert left <= start and start + wide <= left + width, (line, font.name)
            assert top <= y - size and y + 0.3 * size <= top + height, line


def _check(svg: str, label: str, words: list[str]) -> ET.Element:
    root = _parsed(svg, label)
    texts = _texts(root)
    for word in words:
        assert any(word in whole for _, _, whole in texts), (word, [t for _, t, _ in texts])
    _every_text_fits(root)
    return root


def _fills(root: ET.Element) -> list[str | None]:
    return [rect.get("fill") for rect in root.iter(SVG + "rect")]


def test_the_understood_chart_shows_every_screen_its_share_and_interval_as_text():
    few = ["understood", "understood", "not_understood"]
    rows = _screens({"home": few, "week": ["understood"] * 9 + ["not_understood"] * 3,
                     "log-reading": few}, variants={"week": "easy-read"})
    root = _check(charts.chart_understood(rows, "hospital-letter (version 2)"),
                  "% understood per screen",
                  ["hospital-letter (version 2)", "home", "week [easy-read]", "log-reading",
                   "67% (n=3)", "75% (n=12)", "0", "25", "50", "75", "100",
                   "% understood (bars: 95% interval; grey: fewer than 10 answers)"])
    assert "hospital-letter (version 2)" in (root.findtext(SVG + "title") or "")
    assert sorted(_fills(root)) == sorted([charts.GREY, charts.BLUE, charts.GREY])
    assert len(root.findall(f"{SVG}line[@stroke='#333333']")) == 3 * 3  # whisker and caps


def test_the_dropoff_chart_shows_who_reached_each_screen_and_who_walked_away():
    rows = _screens({"home": ["understood"] * 5, "week": ["understood"] * 3 + ["abandoned"] * 2,
                     "help": ["understood"] * 3})
    root = _check(charts.chart_dropoff(rows, "Where people walked away"),
                  "where people walked away",
                  ["Where people walked away", "home", "week", "help", "people",
                   "answered or skipped here", "walked away here", "2 walked away"])
    assert charts.RED in _fills(root) and charts.BLUE in _fills(root)


def test_the_versions_chart_shows_the_best_in_green_and_u_of_a():
    names = ["easy-read", "original"]
    tallies = [Tally(understood=8, not_understood=2), Tally(understood=5, not_understood=5)]
    root = _check(charts.chart_variants(names, tallies, "hospital-letter (version 2)"),
                  "versions compared", [*names, "8 of 10", "5 of 10", "hospital-letter"])
    assert _fills(root) == [charts.GREEN, charts.BLUE]


def test_the_path_diagram_shows_screens_steps_and_where_people_gave_up():
    row = _task("add-reading", [(("home", "log-reading", "saved"), 70, "direct"),
                                (("home", "help"), 8, "abandoned"),
                                (("home", "week", "home"), 1, "indirect")])
    root = _check(charts.chart_paths(row, ("home", "log-reading", "saved")) or "",
                  "path diagram for add-reading",
                  ["home", "log-reading", "saved", "help", "step 1", "step 3",
                   "green = the expected path", "moves by fewer than 2 people not drawn"])
    strokes = [line.get("stroke") for line in root.iter(SVG + "line")
               if line.get("stroke-linecap") == "round"]
    # home to week and back (1 of 79 people) is under the 2% floor: not drawn
    assert strokes == [charts.BLUE, charts.GREEN, charts.GREEN]  # the thickest on top
    assert [c.get("fill") for c in root.iter(SVG + "circle")] == [charts.RED]


def test_text_from_a_bundle_is_escaped_and_shown_as_text():
    rows = _screens({screen: ["understood", "abandoned"] for screen in HOSTILE},
                    variants={HOSTILE[0]: HOSTILE[1]})
    shown = [charts.chart_text(h) for h in HOSTILE]
    assert shown[2] == "tab here line" and shown[3] == "nul bell "
    made = {
        "% understood per screen": charts.chart_understood(rows, HOSTILE[0]),
        "where people walked away": charts.chart_dropoff(rows, HOSTILE[1]),
        "versions compared": charts.chart_variants(
            HOSTILE, [Tally(understood=1, not_understood=1)] * len(HOSTILE), HOSTILE[0]),
        f"path diagram for {shown[0]}": charts.chart_paths(
            _task(HOSTILE[0], [(tuple(HOSTILE), 3, "abandoned")]), ()) or "",
    }
    for label, svg in made.items():
        assert "<script" not in svg and "\x00" not in svg and "\t" not in svg
        _check(svg, label, [s.strip() for s in shown])
    assert f"{shown[0]} [{shown[1]}]" in [whole for _, _, whole in
                                          _texts(ET.fromstring(made[
                                              "% understood per screen"]))]


def test_a_report_with_hostile_screen_names_has_no_markup_from_them(tmp_path):
    sessions, events = _answers({"deck": HOSTILE[:2] + ["home"]})
    write_report(sessions, events, tmp_path, posters=False)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page and "a&b\"'<" not in page
    assert "&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<svg") == page.count("</svg>") == 1  # the understood chart


def test_a_long_label_is_shortened_with_an_ellipsis_and_kept_whole_as_its_tooltip():
    long = "a-screen-whose-name-is-far-too-long-for-the-room-left-of-the-chart-" * 3
    root = _check(charts.chart_understood(_screens({long: ["understood"], "home": ["understood"]}),
                                          "A deck"), "% understood per screen", [long, "home"])
    cut = [(shown, whole) for _, shown, whole in _texts(root) if whole == long]
    assert len(cut) == 1 and cut[0][0].endswith("…") and long.startswith(cut[0][0][:-1])
    assert _width(charts.FONT_FILE, cut[0][0], charts.SIZE) <= charts.MAX_LABEL
    assert float(root.get("width") or 0) < 1200


@pytest.mark.parametrize("answers", [
    {"home": ["understood"] * 12, "week": ["understood"] * 12},
    {"home": ["not_understood"] * 12, "week": ["not_understood"] * 12},
    {"home": ["understood"]},
    {f"screen-{i}": ["understood", "not_understood", "abandoned"][: 1 + i % 3]
     for i in range(300)},
], ids=["all green", "all red", "one answer", "300 screens"])
def test_edge_cases_still_make_a_chart(answers):
    rows = _screens(answers)
    root = _check(charts.chart_understood(rows, "A deck"), "% understood per screen",
                  list(answers))
    assert len(_fills(root)) == len(answers)
    _check(charts.chart_dropoff(rows, "Where people walked away"), "where people walked away",
           list(answers))
    first = list(answers)[:2]
    _check(charts.chart_variants(first, [Tally(understood=1)] * len(first), "A deck"),
           "versions compared", first)
    one = _task("t", [(tuple(first) + ("end",), 1, "direct")])
    _check(charts.chart_paths(one, ()) or "", "path diagram for t", first)


def test_nothing_to_draw_still_makes_a_chart_and_a_path_diagram_only_when_people_moved():
    _check(charts.chart_understood(_screens({"home": ["skipped"]}), "A deck"),
           "% understood per screen", ["A deck", "100"])
    assert charts.chart_paths(_task("t", [(("home",), 4, "abandoned")]), ()) is None

@pytest.mark.parametrize("method", START_METHODS)
def test_posters_come_last_in_deck_order_the_same_with_or_without_a_second_process(
        tmp_path, method, monkeypatch):
    """Posters are drawn by this process while the second (forked or spawned) writes
    responses.csv: the same files, byte for byte (the screens' table with its taps and misses
    too), from a store on disk, from one when no second process can start, and from lists
    (in memory)."""
    sessions, events = _answers({"hospital-letter": LETTER + ["extra-1"],
                                 "diabetes-app": ["home", "week"]})
    events += [{"event_id": f"tap-{n}", "session_id": "s1", "seq": 1000 + n, "kind": kind,
                "participant": 1, "screen_id": screen, "x": 10.0 * n, "y": 20.0}
               for n, (kind, screen) in enumerate([("tap", "home"), ("miss", "home"),
                                                   ("miss", "home"), ("tap", "week")])]
    store = SqliteStore(tmp_path / "store")
    store.add_sessions(sessions)
    store.add_events(events)
    store.close()
    store = SqliteStore(tmp_path / "store", read_only=True)
    try:
        with helpers_started_by(method, monkeypatch):
            there = write_store_report(store, tmp_path / "there", [PROTOTYPES])
        with helpers_started_by(method, monkeypatch, can_start=False):
            alone = write_store_report(store, tmp_path / "alone", [PROTOTYPES])
    finally:
        store.close()
    here = write_report(sessions, events, tmp_path / "here", [PROTOTYPES])
    posters = ["poster-diabetes-app.png", "poster-hospital-letter.png",
               "poster-hospital-letter-2.png"]
    for files in (there, alone, here):
        assert [f.name for f in files][-3:] == posters
        assert [f.name for f in files][:3] == ["report.html", "screens.csv", "responses.csv"]
        assert all(f.suffix == ".csv" for f in files[1:-3])
    screens = (tmp_path / "here" / "screens.csv").read_text(encoding="utf-8-sig")
    assert "\ndiabetes-app,2,home,,6,6,4,2,0,0,0,0.6667,0.3,0.9032,,0.0,1,2,0.3333,True" in screens
    for name in [*posters, "responses.csv", "screens.csv"]:
        made = (tmp_path / "here" / name).read_bytes()
        assert (tmp_path / "there" / name).read_bytes() == made, name
        assert (tmp_path / "alone" / name).read_bytes() == made, name


def _marks_one_by_one(taps, scale, size):
    """The heat map's marks as they were drawn before: every press, one at a time."""
    from PIL import Image, ImageDraw

    from kiosk.sessions.heatmap import GREEN, RED

    marks = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(marks)
    for x, y in taps.hits:
        cx, cy = x * scale, y * scale
        draw.ellipse([cx - 2.5, cy - 2.5, cx + 2.5, cy + 2.5], fill=GREEN + (80,))
    for x, y in taps.misses:
        cx, cy = x * scale, y * scale
        draw.line([cx - 4, cy - 4, cx + 4, cy + 4], fill=RED + (110,), width=2)
        draw.line([cx - 4, cy + 4, cx + 4, cy - 4], fill=RED + (110,), width=2)
    return marks


def test_marks_drawn_once_per_whole_pixel_box_are_every_press_drawn_one_by_one():
    """A year of taps is drawn once per box of whole pixels (``heatmap._marks``): Pillow
    draws a box given in fractions as that box cut to whole numbers, and a mark over one of
    the same colour changes nothing. Checked here, on this Pillow, against every press drawn
    as it was: crowded places, repeats, presses on and off the picture's edges."""
    import random

    from PIL import Image, ImageDraw

    from kiosk.sessions.heatmap import GREEN, RED, ScreenTaps, _marks

    rnd = random.Random(7)
    size = (90, 70)

    def press():
        return (round(rnd.gauss(60, 40), rnd.choice([0, 1, 2])),
                round(rnd.gauss(45, 35), rnd.choice([0, 1, 2])))

    hits = [press() for _ in range(3000)]
    taps = ScreenTaps("d", 1, "s", hits + hits[:50], [press() for _ in range(800)])
    for scale in (1.0, 0.37, 0.8125):
        marks = Image.new("RGBA", size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(marks)
        boxes = _marks(taps.hits, scale, 2.5, size)
        assert len(boxes) < len(taps.hits) - 500  # (crowded: fewer marks to draw)
        for box in boxes:
            draw.ellipse(box, fill=GREEN + (80,))
        for left, top, right, bottom in _marks(taps.misses, scale, 4, size):
            draw.line([left, top, right, bottom], fill=RED + (110,), width=2)
            draw.line([left, bottom, right, top], fill=RED + (110,), width=2)
        assert marks.tobytes() == _marks_one_by_one(taps, scale, size).tobytes(), scale


def test_big_counts_are_written_with_thousands_separators(tmp_path):
    """A year of answers reads as 1,212 people, not 1212, in the page: cards, tables, the
    versions' sentence and the charts alike (the CSVs keep plain numbers)."""
    sessions = [{"session_id": "s", "kiosk_id": "k", "venue": "Hall", "deck_id": "d",
                 "deck_version": 1, "started_at": "2025-03-01T10:00:00Z"}]
    events = [{"event_id": f"e{n}", "session_id": "s", "seq": n, "kind": "answer",
               "participant": n // 2, "screen_id": f"v{n % 2}", "variant": f"version-{n % 2}",
               "response": "understood" if n % 5 else "not_understood"} for n in range(2424)]
    write_report(sessions, events, tmp_path, posters=False)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<b>2,424</b>answers" in page and "<b>1,212</b>people" in page
    assert "p = 0.000" not in page
    assert "<td>1,212</td><td><b>80%</b>" in page  # a screen's answers in its table
    assert "in 970 of 1,212 answers" in page  # the versions' sentence
    assert "(n=1,212)" in page  # the chart's label
    screens = (tmp_path / "screens.csv").read_text(encoding="utf-8-sig")
    assert ",1212," in screens and "1,212" not in screens


def test_a_p_value_below_a_thousandth_is_never_written_as_zero():
    from kiosk.sessions.stats import p_value_text

    assert p_value_text(0.0156) == "p = 0.016"
    assert p_value_text(0.0004) == "p < 0.001"
    assert p_value_text(0.0) == "p < 0.001"


def _sessions_report(folder: Path, how_many: int) -> tuple[str, list[list[str]]]:
    sessions = [{"session_id": f"s{n:02d}", "kiosk_id": "k", "venue": "Hall", "deck_id": "d",
                 "deck_version": 1, "started_at": f"2025-03-{n + 1:02d}T10:00:00Z",
                 "end_reason": "finished" if n else None} for n in range(how_many)]
    events = [{"event_id": f"e{n}-{p}", "session_id": f"s{n:02d}", "seq": p, "kind": "answer",
               "participant": p, "screen_id": "s1",
               "response": "understood" if p <= n % 3 else "not_understood"}
              for n in range(how_many) for p in range(3)]
    write_report(sessions, events, folder, posters=False)
    rows = list(csv.reader(io.StringIO(
        (folder / "sessions.csv").read_text(encoding="utf-8-sig"), newline="")))
    return (folder / "report.html").read_text(encoding="utf-8"), rows


def test_a_year_of_sessions_is_folded_away_in_the_page_and_kept_in_sessions_csv(tmp_path):
    page, rows = _sessions_report(tmp_path / "few", 20)
    assert "<details>" not in page and page.count("<td>2025-03-") == 20
    assert rows[0] == list(SESSIONS_CSV_COLUMNS) and len(rows) == 21
    page, rows = _sessions_report(tmp_path / "many", 21)
    assert "<details><summary>All 21 sessions (also in sessions.csv)</summary>" in page
    assert page.index("</details>") < page.index("How to read this")
    assert page.count("<td>2025-03-") == 21  # (there, folded)
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert len(by_id) == 21
    first = by_id["s00"]
    assert (first["venue"], first["started_at"], first["end_reason"]) == (
        "Hall", "2025-03-01T10:00:00Z", "")
    assert (first["people"], first["answered"], first["understood"], first["not_understood"],
            first["pct_understood"]) == ("3", "3", "1", "2", "0.3333")
    assert by_id["s02"]["understood"] == "3" and by_id["s02"]["pct_understood"] == "1.0"
