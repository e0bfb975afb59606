"""The report in a real browser (headless Chromium, Debian package ``chromium``).

A realistic report (fake walks of the bundled decks, three kiosks) is opened from its file:
no console errors, no request that leaves the file, every chart drawn with all its words inside
it, every table fits an A4 page, and the page prints to an A4 PDF whose text all lies on the paper.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from report_browser import chromium, look_at, realistic_report

pytestmark = [pytest.mark.slow,  # a report of about 500 answers, then Chromium prints it
              pytest.mark.skipif(chromium() is None,
                                 reason="Chromium is not installed (Debian: chromium)")]


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    page = realistic_report(folder, people=8, sessions=6)
    return page, look_at(page)


def test_nothing_leaves_the_file_and_the_console_is_clean(seen):
    page, found = seen
    assert found["requests"], "the browser reported no requests at all"
    for url in found["requests"]:
        assert url.startswith(("data:", page.resolve().as_uri())), url
    assert found["screen"]["links"] == []  # no href or src other than data: URIs
    assert found["problems"] == [], found["problems"]


def test_every_chart_and_heat_map_is_there_and_drawn(seen):
    page, found = seen
    html = page.read_text(encoding="utf-8")
    images = found["screen"]["images"]  # the heat maps
    assert len(images) == html.count("src='data:image/png;base64,")
    assert all(image["loaded"] for image in images), [i["alt"] for i in images
                                                      if not i["loaded"]]
    assert "taps on home" in " | ".join(image["alt"] for image in images)
    charts = found["screen"]["charts"]
    assert len(charts) == html.count("<svg ") == html.count("<figure class='chart'>")
    labels = [chart["label"] for chart in charts]
    for chart in ("% understood per screen", "where people walked away", "versions compared",
                  "path diagram for add-reading"):
        assert chart in labels
    assert all(chart["texts"] >= 3 and chart["height"] > 50 for chart in charts), charts


@pytest.mark.parametrize("where", ["screen", "printed"])
def test_every_word_of_every_chart_is_inside_it_readable_and_alone(seen, where):
    """On screen and at A4 print width, in the font Chromium really uses: no chart wider than
    the page, no text past its chart's edge, none overlapping another, none tiny."""
    _, found = seen
    for chart in found[where]["charts"]:
        assert not chart["wider"], chart["label"]
        assert chart["out"] == [], (chart["label"], chart["out"])
        assert chart["overlaps"] == [], (chart["label"], chart["overlaps"])
        assert chart["smallest"] >= 9, (chart["label"], chart["smallest"])  # pixels


def test_tables_fit_an_a4_page(seen):
    _, found = seen
    assert found["printed"]["tables"] >= 5
    assert found["printed"]["wide"] == []  # at the printable width of A4, nothing overflows


def test_it_prints_to_a4_without_cut_off_tables(seen):
    page, found = seen
    pdfium = pytest.importorskip("pypdfium2")
    pdf = pdfium.PdfDocument(found["pdf"])
    text = []
    for index in range(len(pdf)):
        sheet = pdf[index]
        width, height = sheet.get_size()
        assert abs(width - 595.28) <= 1 and abs(height - 841.89) <= 1  # A4 in points
        words = sheet.get_textpage()
        for char in range(words.count_chars()):
            left, bottom, right, top = words.get_charbox(char)
            assert -0.5 <= left and right <= width + 0.5, "text off the paper's edge"
        text.append(words.get_text_range())
        words.close()
        sheet.close()
    pdf.close()
    printed = re.sub(r"\s+", " ", " ".join(text))
    screens = csv.DictReader(io.StringIO(
        (page.parent / "screens.csv").read_text(encoding="utf-8-sig")))
    for row in screens:  # every row of the screen tables made it onto paper
        assert row["screen_id"] in printed
    for heading in ("By venue", "By session", "How to read this"):
        assert heading in printed
