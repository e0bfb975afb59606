"""No CSV the project writes turns into a formula, whatever list separator opens it (issue 16/3).

Where ``;`` is the list separator (most of Europe), ``Hall;=1+1`` opens as two cells and the
second is a formula. The CSVs are opened for real: LibreOffice headless reads each one with
``,``, ``;`` and tab as the separator (formulas evaluated, its default) and saves it as a flat
OpenDocument spreadsheet, and the test reads that XML: no cell may hold a formula or the
result of one, and the numbers must still be numbers.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.sessions.export import csv_rows, export_bundle, neutralise
from kiosk.sessions.log import ResponseLog
from kiosk.sessions.report import write_report

# Each formula's result is a number found nowhere else in the files.
HOSTILE = ["Hall;=1110+1", "x\t@SUM(1112;1)", "Hall;+1112+1", "Hall;-1113-1",
           "Hall; =1114+1", 'Hall;"=1115+1"', "Room\n=1116+1", "Room\r\n=1117+1",
           "=1118+1", "a,=1119+1", "a;;=1120+1", "a;\t=1121+1", "Hall;@SUM(1121;1)"]
RESULTS = {"1111", "1113", "1112", "1114", "1115", "1116", "1117", "1118", "1119", "1120",
           "1121", "1122"}
SEPARATORS = {"comma": 44, "semicolon": 59, "tab": 9}
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def kiosk_export(folder: Path) -> Path:
    """The kiosk's own responses.csv, with the hostile text as venue names (free in settings)."""
    log = ResponseLog(folder / "log", "walsall-1", clock=lambda: datetime(2025, 3, 4, tzinfo=UTC))
    for venue in HOSTILE:
        sid = log.start_session("gp-letter", 2, venue)
        log.record(sid, "answer", participant=1, screen_id="p1", variant="easy-read",
                   response="understood", seconds_to_answer=2.5, replays=3)
        log.end_session(sid)
    bundle = export_bundle(log, folder / "stick", recipients=[])
    log.close()
    return bundle / "responses.csv"


def report_csvs(folder: Path) -> list[Path]:
    """Every CSV the report writes, from sessions and events as a hostile bundle could hold."""
    sessions, events = [], []
    seq = 0

    def add(sid: str, kind: str, **fields: object) -> None:
        nonlocal seq
        seq += 1
        events.append({"event_id": f"e{seq}", "session_id": sid, "kind": kind, "seq": seq,
                       "at": f"2025-03-01T10:00:{seq % 60:02d}.000Z", "participant": 1,
                       **fields})

    for n, text in enumerate(HOSTILE):
        sid = f"s{n}"
        sessions.append({"session_id": sid, "kiosk_id": "k1", "deck_id": "gp-letter",
                         "deck_version": 1, "venue": text, "started_at": "2025-03-01T10:00:00Z",
                         "ended_at": "2025-03-01T11:00:00Z", "end_reason": "ended"})
        add(sid, "answer", screen_id=text, variant=text, response="understood",
            seconds_to_answer=2.5, seconds_on_screen=2.5, replays=3, language=text)
        add(sid, "task_step", task=text, screen_id=text, step=1, seconds_on_screen=2.5,
            language=text)
        add(sid, "task_end", task=text, outcome="direct", seconds=2.5, steps=1, language=text)
        add(sid, "profile", question=text, answer="yes", language=text)
    written = write_report(sessions, events, folder, [], posters=False)
    return [p for p in written if p.suffix == ".csv"]


def open_in_libreoffice(csvs: list[Path], separator: int, work: Path) -> list[Path]:
    """Each CSV read by LibreOffice with ``separator`` and saved as flat ODS."""
    out = work / f"sep{separator}"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
         f"--infilter=CSV:{separator},34,76,1", "--convert-to", "fods", "--outdir", str(out),
         *map(str, csvs)], capture_output=True, text=True, timeout=180)
    converted = [out / (p.stem + ".fods") for p in csvs]
    missing = [p.name for p in converted if not p.exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {result.stdout}{result.stderr}"
    return converted


def cells(fods: Path) -> list[ET.Element]:
    return list(ET.parse(fods).iter(f"{{{TABLE}}}table-cell"))


def shown(cell: ET.Element) -> str:
    return "\n".join("".join(p.itertext()) for p in cell.iter(f"{{{TEXT}}}p"))


@pytest.fixture(scope="module")
def opened(tmp_path_factory) -> dict[str, list[Path]]:
    if shutil.which("soffice") is None:
        pytest.skip("needs LibreOffice: apt-get install -y libreoffice-calc")
    work = tmp_path_factory.mktemp("csv-guard")
    staged = work / "csvs"
    staged.mkdir()
    sources = [("export", kiosk_export(work / "kiosk")),
               *(("report", path) for path in report_csvs(work / "report"))]
    csvs = []
    for label, source in sources:  # one folder, distinct names (both write responses.csv)
        target = staged / f"{label}-{source.name}"
        shutil.copyfile(source, target)
        csvs.append(target)
    assert {p.name for p in csvs} == {  # every CSV the project writes
        "export-responses.csv", *(f"report-{name}.csv" for name in (
            "screens", "sessions", "responses", "tasks", "task_paths", "languages",
            "profiles"))}
    return {name: open_in_libreoffice(csvs, code, work) for name, code in SEPARATORS.items()}


@pytest.mark.slow  # three LibreOffice runs: about 20 s on 2 busy cores
@pytest.mark.parametrize("separator", sorted(SEPARATORS))
def test_no_cell_becomes_a_formula_with_any_separator(opened, separator):
    for fods in opened[separator]:
        for cell in cells(fods):
            formula = cell.get(f"{{{TABLE}}}formula")
            assert formula is None, f"{fods.name}: a formula {formula!r} ({separator})"
            value = cell.get(f"{{{OFFICE}}}value")
            assert value not in RESULTS and shown(cell) not in RESULTS, \
                f"{fods.name}: a cell holds a formula's result {value or shown(cell)}"


@pytest.mark.slow
def test_the_hostile_text_is_kept_readable_and_numbers_stay_numbers(opened):
    (responses,) = [f for f in opened["comma"] if f.name == "export-responses.fods"]
    rows = [[c for c in row.iter(f"{{{TABLE}}}table-cell")]
            for row in ET.parse(responses).iter(f"{{{TABLE}}}table-row")]
    header = [shown(c) for c in rows[0]]
    venue, seconds = header.index("venue"), header.index("seconds_to_answer")
    venues = {shown(row[venue]) for row in rows[1:] if len(row) > venue}
    assert "Hall;'=1110+1" in venues and "'=1118+1" in venues
    assert all(row[seconds].get(f"{{{OFFICE}}}value-type") == "float"
               and row[seconds].get(f"{{{OFFICE}}}value") == "2.5" for row in rows[1:]
               if len(row) > seconds)


def test_neutralise_puts_a_quote_before_every_piece_that_could_be_a_formula():
    assert neutralise("Hall;=1+1") == "Hall;'=1+1"
    assert neutralise("x\t@SUM(1)") == "x\t'@SUM(1)"
    assert neutralise("Room\r\n+1") == "Room\r\n'+1"
    assert neutralise('a;"=1') == "a;'\"=1" and neutralise("a; -1") == "a;' -1"
    assert neutralise("a-b=c;d") == "a-b=c;d" and neutralise("Walsall") == "Walsall"
    assert neutralise(-1.5) == -1.5 and neutralise(3) == 3


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.one_of(
    st.text(alphabet=st.sampled_from(list("ab1 \"'=+-@,;\t\r\n.:T")), max_size=8),
    st.text(max_size=6), st.integers(), st.floats(allow_nan=False), st.none()),
    min_size=1, max_size=4), max_size=6), st.integers(1, 3))
def test_the_batch_look_guards_exactly_as_every_cell_would_be(rows, batch):
    """csv_rows looks at a batch's whole text before guarding cell by cell: the file it
    writes is exactly the one with every cell guarded."""
    quick, careful = io.StringIO(), io.StringIO()
    csv_rows(quick, rows, batch=batch)
    csv.writer(careful).writerows([neutralise(cell) for cell in row] for row in rows)
    assert quick.getvalue() == careful.getvalue()
