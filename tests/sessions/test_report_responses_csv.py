"""The report's ``responses.csv``: every imported answer, as the kiosks' own bundles wrote it.

The report writes each session's columns once and joins them onto its answers' lines
(``files.write_responses``); these tests hold it to the kiosk's own export, cell for cell,
with the text that makes CSV hard: commas, quotes, formulas, line breaks inside a cell.
"""

from __future__ import annotations

import csv
import io

from sessions_helpers import answer

from kiosk.sessions.designer_store import SqliteStore
from kiosk.sessions.export import CSV_COLUMNS, export_bundle
from kiosk.sessions.importer import DesignerStore, import_bundles
from kiosk.sessions.log import ResponseLog
from kiosk.sessions.report.files import write_responses

HARD_VENUE = 'St Mary\'s "Hall", Caldmore;=1+1'


def _rows(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _kiosk(tmp_path, clock, kiosk_id, fill):
    log = ResponseLog(tmp_path / kiosk_id, kiosk_id, clock)
    fill(log)
    bundle = export_bundle(log, tmp_path / "stick", recipients=None)
    log.close()
    return bundle


def _report_rows(tmp_path, bundles):
    import_bundles(tmp_path / "store", bundles)
    store = DesignerStore(tmp_path / "store", read_only=True)
    try:
        write_responses(store.sql.db, tmp_path / "responses.csv")
    finally:
        store.close()
    return _rows(tmp_path / "responses.csv")


def test_every_answer_as_the_kiosks_wrote_it_each_sessions_answers_together_in_order(
        tmp_path, clock):
    def plain(log):
        for venue in ("Library", HARD_VENUE):
            sid = log.start_session("gp-letter", 2, venue)
            for person in (1, 2):
                for screen in ("s1", "s2", "s3"):
                    answer(log, sid, person, screen, "understood", seconds=1.25 * person)
            log.end_session(sid)

    def hard(log):
        sid = log.start_session("gp-letter", 2, "Hall")
        answer(log, sid, 1, "s1", "understood", variant="easy, read")
        answer(log, sid, 1, "line\r\nbreak", "not_understood", variant='"quoted"')
        answer(log, sid, 1, "=HYPERLINK(1)", "skipped")
        answer(log, sid, 2, "s1", "abandoned", variant="-2")
        left_open = log.start_session("hospital-letter", 1, "Mosque")  # never ended
        answer(log, left_open, 1, "a", "understood")

    bundles = [_kiosk(tmp_path, clock, "kiosk-a", plain),
               _kiosk(tmp_path, clock, "kiosk-b", hard)]
    rows = _report_rows(tmp_path, bundles)

    assert rows[0] == list(CSV_COLUMNS)
    kiosks = [row for bundle in bundles for row in _rows(bundle / "responses.csv")[1:]]
    assert sorted(rows[1:]) == sorted(kiosks)  # the same cells, formulas guarded alike
    assert any("\n" in cell for row in rows for cell in row)  # (written row by row)
    assert any(HARD_VENUE.replace(";=", ";'=") == row[2] for row in rows)
    assert not any(row[3] == "hospital-letter" and row[15] for row in rows)  # not ended
    # each session's answers together, in the order they were given
    sessions = [row[0] for row in rows[1:]]
    assert sessions == sorted(sessions, key=sessions.index)
    for session in set(sessions):
        answered = [row[9] for row in rows[1:] if row[0] == session]
        assert answered == sorted(answered)


def test_answers_given_without_their_session_keep_its_id(tmp_path):
    store = SqliteStore(None)
    try:
        store.add_events([
            {"event_id": f"e{n}", "session_id": "lost", "kind": "answer", "seq": n,
             "at": f"2025-03-01T10:00:0{n}Z", "participant": 1, "screen_id": f"s{n}",
             "response": "understood", "seconds_to_answer": 2.5} for n in (2, 1)])
        write_responses(store.db, tmp_path / "responses.csv")
    finally:
        store.close()
    header, *rows = _rows(tmp_path / "responses.csv")
    assert [(row[0], row[1], row[5], row[15]) for row in rows] == [
        ("lost", "", "s1", ""), ("lost", "", "s2", "")]
