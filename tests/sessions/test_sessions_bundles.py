"""Export on the kiosk, import on the designer's computer, and the report's numbers."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil

import pytest
from sessions_helpers import answer

from kiosk.sessions.export import CONTRACT_COLUMNS, export_bundle, neutralise
from kiosk.sessions.importer import DesignerStore, import_bundles, read_bundle
from kiosk.sessions.log import ResponseLog
from kiosk.sessions.report import write_report
from kiosk.sessions.stats import analyse, fisher_exact, wilson

# What two kiosks hear; the hand count below is worked out from this table alone.
KIOSK_A = [  # (participant, screen, variant, response)
    (1, "letter-1", "original", "understood"), (1, "letter-2", "original", "not_understood"),
    (2, "letter-1", "original", "not_understood"), (2, "letter-2", "original", "abandoned"),
    (3, "easy-1", "easy-read", "understood"), (3, "easy-2", "easy-read", "understood"),
]
KIOSK_B = [
    (1, "letter-1", "original", "understood"), (1, "letter-2", "original", "understood"),
    (2, "easy-1", "easy-read", "understood"), (2, "easy-2", "easy-read", "not_understood"),
    (3, "easy-1", "easy-read", "skipped"), (3, "easy-2", "easy-read", "understood"),
]


def _kiosk(folder, kiosk_id, rows, venue, clock):
    log = ResponseLog(folder, kiosk_id, clock)
    sid = log.start_session("gp-letter", 2, venue)
    for participant, screen, variant, response in rows:
        answer(log, sid, participant, screen, response, variant=variant,
               seconds=2.0 + participant, replays=1 if screen == "letter-2" else 0)
    log.record(sid, "miss", participant=1, screen_id="letter-1", x=3, y=4)
    log.end_session(sid)
    return log


@pytest.fixture
def two_bundles(tmp_path, clock):
    stick = tmp_path / "stick"
    bundles = []
    for name, rows, venue in (("kiosk-a", KIOSK_A, "=HYPERLINK(\"http://x\")"),
                              ("kiosk-b", KIOSK_B, "Caldmore <script>alert(1)</script> Centre")):
        log = _kiosk(tmp_path / name, name, rows, venue, clock)
        bundles.append(export_bundle(log, stick))
        log.close()
    return bundles


def test_bundle_layout_and_csv_contract(two_bundles):
    bundle = two_bundles[0]
    assert sorted(p.name for p in bundle.iterdir()) == ["events.json", "manifest.json",
                                                      "responses.csv"]
    raw = (bundle / "responses.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0])[:len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    assert len(rows) == len(KIOSK_A)
    assert rows[0]["venue"].startswith("'=")  # neutralised for Excel
    assert {r["response"] for r in rows} == {"understood", "not_understood", "abandoned"}
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["kiosk_id"] == "kiosk-a" and manifest["answers"] == len(KIOSK_A)
    assert manifest["decks"] == [{"deck_id": "gp-letter", "deck_version": 2}]
    assert not [p for p in bundle.parent.iterdir() if p.name.startswith(".partial")]


def test_round_trip_report_matches_a_hand_count(two_bundles, tmp_path):
    store_folder = tmp_path / "store"
    summary = import_bundles(store_folder, two_bundles)
    assert summary.new_answers == 12 and not summary.refused
    again = import_bundles(store_folder, [tmp_path / "stick"])  # the whole stick, again
    assert again.new_answers == 0 and again.already_had == 14

    store = DesignerStore(store_folder)
    analysis = analyse(store.sessions(), store.events())
    store.close()
    by_screen = {r.screen_id: r for r in analysis.screens}
    # letter-1: A1 understood, A2 not, B1 understood -> 2 of 3
    assert (by_screen["letter-1"].understood, by_screen["letter-1"].answered) == (2, 3)
    # letter-2: A1 not, A2 abandoned, B1 understood -> 1 of 2 answered, 1 walked away here
    row = by_screen["letter-2"]
    assert (row.understood, row.answered, row.abandoned_here, row.views) == (1, 2, 1, 3)
    assert row.replays_per_view == 1.0
    # easy-1: A3 understood, B2 understood, B3 skipped -> 2 of 2, 1 skipped
    assert (by_screen["easy-1"].understood, by_screen["easy-1"].skipped) == (2, 1)
    # easy-2: A3, B3 understood; B2 not -> 2 of 3
    assert (by_screen["easy-2"].understood, by_screen["easy-2"].answered) == (2, 3)
    assert by_screen["letter-1"].misses == 2 and by_screen["letter-1"].small_sample
    assert by_screen["letter-1"].median_seconds_to_answer == 3.0  # participants 1, 2, 1
    tallies = analysis.variant_tallies[("gp-letter", 2)]
    assert (tallies["easy-read"].understood, tallies["easy-read"].answered) == (4, 5)
    assert (tallies["original"].understood, tallies["original"].answered) == (3, 5)
    [comparison] = analysis.variants[("gp-letter", 2)]
    assert comparison.first == "easy-read"
    assert "4 of 5 answers (80%)" in comparison.sentence
    assert "3 of 5 answers (60%)" in comparison.sentence
    assert "could easily be chance" in comparison.sentence
    assert analysis.least_understood()[0].screen_id == "letter-2"

    files = write_report(*_store_contents(store_folder), tmp_path / "report")
    names = {p.name for p in files}
    assert {"report.html", "screens.csv", "responses.csv", "poster-gp-letter.png"} <= names
    page = (tmp_path / "report" / "report.html").read_text()
    assert "=HYPERLINK(&quot;http://x&quot;)" in page  # escaped, shown as text
    assert "Caldmore &lt;script&gt;alert(1)&lt;/script&gt; Centre" in page
    assert "<script" not in page
    assert page.count("<figure class='chart'><svg") == 3  # understood, walked away, versions
    screens = list(csv.DictReader(io.StringIO(
        (tmp_path / "report" / "screens.csv").read_text(encoding="utf-8-sig"))))
    assert {r["screen_id"]: r["understood"] for r in screens}["easy-2"] == "2"
    everything = (tmp_path / "report" / "responses.csv").read_text(encoding="utf-8-sig")
    assert "\n=" not in everything and ",=" not in everything
    assert ',"\'=HYPERLINK' in everything


def _store_contents(folder):
    store = DesignerStore(folder, read_only=True)
    try:
        return store.sessions(), store.events()
    finally:
        store.close()


@pytest.mark.parametrize("damage", ["edit-csv", "edit-events", "drop-file", "partial",
                                    "bad-manifest"])
def test_damaged_bundle_is_refused_and_nothing_merged(two_bundles, tmp_path, damage):
    bad = two_bundles[0]
    if damage == "edit-csv":
        data = (bad / "responses.csv").read_bytes().replace(b"understood", b"UNDERSTOOD", 1)
        (bad / "responses.csv").write_bytes(data)
    elif damage == "edit-events":
        text = (bad / "events.json").read_text().replace("not_understood", "understood", 1)
        (bad / "events.json").write_text(text)
    elif damage == "drop-file":
        (bad / "events.json").unlink()
    elif damage == "partial":
        bad = bad.rename(bad.parent / f".partial-{bad.name}")
    else:
        (bad / "manifest.json").write_text("{ half a manifest")
    summary = import_bundles(tmp_path / "store", [bad, two_bundles[1]])
    assert [folder for folder, _ in summary.refused] == [str(bad)]
    why = summary.refused[0][1]
    assert "Traceback" not in why and len(why) > 20
    store = DesignerStore(tmp_path / "store")
    kiosks = {s["kiosk_id"] for s in store.sessions()}
    assert kiosks == {"kiosk-b"}  # the good bundle went in, nothing of the bad one
    assert len([e for e in store.events() if e["kind"] == "answer"]) == len(KIOSK_B)
    store.close()


def test_export_twice_and_clear_only_exported(tmp_path, clock):
    log = ResponseLog(tmp_path / "log", "k", clock)
    done = log.start_session("d", 1, "V")
    answer(log, done, 1, "s", "understood")
    log.end_session(done)
    still_open = log.start_session("d", 1, "V")
    answer(log, still_open, 1, "s", "understood")
    first = export_bundle(log, tmp_path / "stick")
    second = export_bundle(log, tmp_path / "stick")
    assert first != second and first.exists() and second.exists()
    assert log.exported_sessions() == [done]  # the open one may still grow
    late = log.start_session("d", 1, "V")  # not exported at all
    log.end_session(late)
    assert log.clear_exported() == [done]
    assert [s["session_id"] for s in log.sessions()] == [still_open, late]
    assert len(log.events(still_open)) == 1
    log.close()
    log = ResponseLog(tmp_path / "log", "k", clock)
    assert [s["session_id"] for s in log.sessions()] == [still_open, late]
    log.close()


def test_export_to_a_full_stick_leaves_no_bundle_that_looks_whole(tmpfs, tmp_path, clock):
    from sessions_helpers import fill_up

    log = ResponseLog(tmp_path / "log", "k", clock)
    sid = log.start_session("d", 1, "V")
    for i in range(400):
        answer(log, sid, i, "s", "understood")
    fill_up(tmpfs)
    os.remove(tmpfs / "ballast")
    shutil.copy(__file__, tmpfs / "filler")  # leave a little room, less than a bundle
    fill = tmpfs / "ballast"
    with open(fill, "wb") as handle:
        try:
            handle.write(b"\0" * (os.statvfs(tmpfs).f_bavail * os.statvfs(tmpfs).f_frsize
                                  - 20_000))
        except OSError:
            pass
    from kiosk.errors import StorageProblem

    with pytest.raises(StorageProblem, match="could not be copied"):
        export_bundle(log, tmpfs)
    assert not [p for p in tmpfs.iterdir() if p.is_dir()]
    assert log.exported_sessions() == []
    log.close()


def test_formula_injection_neutralised():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    assert neutralise(-1.5) == -1.5 and neutralise("Walsall") == "Walsall"


def test_statistics_against_known_values():
    low, high = wilson(41, 50)
    assert round(low, 4) == 0.6920 and round(high, 4) == 0.9023
    assert wilson(0, 0) == (0.0, 1.0)
    assert round(fisher_exact(8, 2, 1, 5), 4) == 0.0350  # R: fisher.test -> 0.03497
    assert round(fisher_exact(3, 1, 1, 3), 4) == 0.4857
    assert fisher_exact(0, 0, 0, 0) == 1.0


def test_read_bundle_accepts_a_good_bundle(two_bundles):
    body = read_bundle(two_bundles[1])
    assert body["manifest"]["kiosk_id"] == "kiosk-b"
