"""Designers use Windows and Macs: what of that can be tested here, is.

- Windows has no ``fcntl``: the designer side (import, report and everything they use) must
  import and run without it. A child Python with ``fcntl`` blocked does the whole import
  and report, into a home folder whose path has spaces and non-ASCII letters.
- The CSVs open in LibreOffice (headless, converted to .ods) with accents and Punjabi intact.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sessions_helpers import answer

from kiosk.cli import main
from kiosk.sessions.export import export_bundle
from kiosk.sessions.log import ResponseLog

ROOT = Path(__file__).resolve().parents[2]
VENUE = "Café Ürdu — ਪੰਜਾਬੀ ਸੱਥ"
DESIGNER_MODULES = [
    "kiosk.sessions.importer", "kiosk.sessions.designer_store", "kiosk.sessions.bundle",
    "kiosk.sessions.stats", "kiosk.sessions.report", "kiosk.sessions.report.page",
    "kiosk.sessions.breakdowns", "kiosk.sessions.poster", "kiosk.sessions.heatmap",
    "kiosk.sessions.deck_info", "kiosk.sessions.crypto", "kiosk.cli", "kiosk.cli.sessions",
    "kiosk.cli.keys",
]


@pytest.fixture
def bundle(tmp_path, clock):
    log = ResponseLog(tmp_path / "kiosk", "kiosk-ü", clock)
    sid = log.start_session("hospital-letter", 2, VENUE)
    for person in range(1, 4):
        answer(log, sid, person, "easy-read-1", "understood")
        answer(log, sid, person, "original-1", "not_understood" if person > 1 else "skipped")
    log.end_session(sid)
    folder = export_bundle(log, tmp_path / "USB stick (E:)", recipients=None)
    log.close()
    return folder


CHILD = """
import sys
sys.modules["fcntl"] = None  # as on Windows: "import fcntl" raises ImportError
import importlib
for name in sys.argv[3:]:
    importlib.import_module(name)
from kiosk.cli import main
home, bundle = sys.argv[1], sys.argv[2]
assert main(["--home", home, "import", bundle]) == 0
assert main(["--home", home, "report"]) == 0
print("designer side ran without fcntl")
"""


def test_the_designer_side_imports_and_reports_without_fcntl(tmp_path, bundle):
    home = tmp_path / "Désignér’s files" / "ਰਿਪੋਰਟ and ڈیٹا"
    done = subprocess.run([sys.executable, "-c", CHILD, str(home), str(bundle),
                           *DESIGNER_MODULES], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "without fcntl" in done.stdout
    page = (home / "report" / "report.html").read_text(encoding="utf-8")
    assert VENUE in page
    assert (home / "report" / "poster-hospital-letter.png").is_file()


def test_fcntl_is_really_blocked_in_that_child():
    done = subprocess.run([sys.executable, "-c", "import sys; sys.modules['fcntl'] = None\n"
                           "from kiosk.sessions.log import ResponseLog\n"
                           "import tempfile; ResponseLog(tempfile.mkdtemp(), 'k')"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode != 0 and "fcntl" in done.stderr  # the kiosk's lock does need it


def _cells(ods: Path) -> list[str]:
    content = zipfile.ZipFile(ods).read("content.xml").decode("utf-8")
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<text:p>(.*?)</text:p>",
                                                                 content)]


@pytest.mark.slow  # LibreOffice starts in a few seconds
@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice is not installed (Debian: libreoffice-calc)")
def test_csvs_open_in_libreoffice_with_accents_and_punjabi(tmp_path, bundle, capsys):
    home = tmp_path / "designer home"
    assert main(["--home", str(home), "import", str(bundle)]) == 0
    assert main(["--home", str(home), "report", "--no-posters"]) == 0
    report = home / "report"
    out = tmp_path / "converted"
    # 44,34,76: comma, double quote, UTF-8 -- what Calc's text import dialog picks for a CSV
    # that starts with a UTF-8 byte-order mark (headless, the dialog is skipped, so it is
    # given here; without it headless Calc assumes the system's 8-bit character set)
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
         "--headless", "--infilter=CSV:44,34,76", "--convert-to", "ods", "--outdir", str(out),
         str(report / "responses.csv"), str(report / "screens.csv")],
        capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    answers = _cells(out / "responses.ods")
    assert answers[0] == "session_id"  # the byte-order mark did not leak into the first cell
    assert answers.count(VENUE) == 6 and "kiosk-ü" in answers
    screens = _cells(out / "screens.ods")
    assert screens[0] == "deck_id" and "easy-read-1" in screens
