"""The report in a real browser (headless Chromium, Debian package ``chromium``).

A realistic report (fake walks of the bundled decks, three kiosks) is opened from its file:
no console errors, no request that leaves the file, every chart drawn, every table fits an A4
page, and the page prints to an A4 PDF whose text all lies on the paper.
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


def test_every_chart_is_there_and_drawn(seen):
    page, found = seen
    html = page.read_text(encoding="utf-8")
    images = found["screen"]["images"]
    assert len(images) == html.count("src='data:image/png;base64,")
    assert all(image["loaded"] for image in images), [i["alt"] for i in images
                                                      if not i["loaded"]]
    alts = " | ".join(image["alt"] for image in images)
    for chart in ("% understood per screen", "versions compared", "taps on home",
                  "path diagram for add-reading"):
        assert chart in alts


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
