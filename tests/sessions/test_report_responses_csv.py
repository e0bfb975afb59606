"""The report's ``responses.csv``: every imported answer, as the kiosks' own bundles wrote it.

The report writes each session's columns once and joins them onto its answers' lines
(``files.write_responses``); these tests hold it to the kiosk's own export, cell for cell,
with the text that makes CSV hard: commas, quotes, formulas, line breaks inside a cell.
"""

from __future__ import annotations

import csv
import io
import sqlite3

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sessions_helpers import answer

from kiosk.sessions.designer_store import SqliteStore
from kiosk.sessions.export import CSV_COLUMNS, csv_rows, export_bundle
from kiosk.sessions.importer import DesignerStore, import_bundles
from kiosk.sessions.log import ResponseLog
from kiosk.sessions.report import files
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


def test_answers_without_their_session_are_split_across_files_too(tmp_path):
    store = SqliteStore(None)
    try:
        store.add_events([
            {"event_id": f"e{n}", "session_id": "lost", "kind": "answer", "seq": n,
             "at": "2025-03-01T10:00:00Z", "participant": 1, "screen_id": f"s{n}",
             "response": "understood"} for n in range(5)])
        written = write_responses(store.db, tmp_path / "responses.csv", batch=4,
                                  rows_per_file=3)
    finally:
        store.close()
    assert [path.name for path in written] == ["responses.csv", "responses-2.csv",
                                               "responses-3.csv"]
    assert [[row[5] for row in _rows(path)[1:]] for path in written] == [
        ["s0", "s1"], ["s2", "s3"], ["s4"]]
    store = SqliteStore(None)  # a report again, from fewer answers: no file of the first stays
    try:
        write_responses(store.db, tmp_path / "responses.csv")
    finally:
        store.close()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["responses.csv"]
    assert len(_rows(tmp_path / "responses.csv")) == 1


def test_a_report_with_more_answers_than_a_spreadsheet_opens_lists_each_file(
        tmp_path, monkeypatch):
    from kiosk.sessions.report import write_report

    monkeypatch.setattr(files, "SPREADSHEET_ROWS", 4)  # a header and three answers a file
    session = {"session_id": "s", "kiosk_id": "k", "venue": "Hall", "deck_id": "gp-letter",
               "deck_version": 1, "started_at": "2025-03-01T10:00:00Z",
               "ended_at": "2025-03-01T11:00:00Z", "end_reason": "finished"}
    events = [{"event_id": f"e{n}", "session_id": "s", "kind": "answer", "seq": n,
               "at": "2025-03-01T10:00:00Z", "participant": n, "screen_id": "s1",
               "response": "understood", "seconds_to_answer": 2.5} for n in range(7)]
    written = write_report([session], events, tmp_path / "report", posters=False)
    names = [path.name for path in written]
    assert names[:5] == ["report.html", "screens.csv", "responses.csv", "responses-2.csv",
                         "responses-3.csv"]
    assert sum(len(_rows(tmp_path / "report" / name)) - 1 for name in names[2:5]) == 7


def _number_as_sqlite_writes_it(value: float, column_type: str = "REAL") -> str | None:
    """``value`` as the report's SQL writes a number into a line, or None where it leaves the
    session to the csv module (a NUL). ``column_type``: the seconds are REAL, a participant
    has no type (which keeps -0.0, where REAL makes it 0)."""
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE TABLE t (x {column_type})")
    db.execute("INSERT INTO t VALUES (?)", (value,))
    (text,) = db.execute(f"SELECT {files._number('x', typed=bool(column_type))} FROM t"
                         ).fetchone()
    db.close()
    return None if text == "\0" else text


@given(st.integers(-10**15 + 1, 10**15 - 1))
@example(0)
@example(-1)
@example(10_420)
@example(999_999_999_999_999)
def test_seconds_as_a_kiosk_writes_them_are_written_as_python_writes_them(thousandths):
    seconds = round(thousandths / 1000, 3)  # as kiosk.walk does
    assert _number_as_sqlite_writes_it(seconds) == repr(seconds)


@given(st.floats(allow_nan=False))
@example(0.1 + 0.2)
@example(0.10000000000000002)
@example(1e-5)
@example(1e15)
@example(-0.0)
@example(123456789012.345)
@example(float("inf"))
def test_any_other_number_is_written_as_python_writes_it_or_left_to_the_csv_module(value):
    text = _number_as_sqlite_writes_it(value)
    assert text is None or text == repr(value + 0.0)  # (a REAL column keeps no -0.0)
    text = _number_as_sqlite_writes_it(value, column_type="")
    assert text is None or text == repr(value)


# Plain cells, and now and then one with a character that makes CSV hard: a separator, a
# quote, a line break, a formula's start, a NUL (one at a time, so that each is met alone)
PLAIN_TEXT = st.text(alphabet="aé ਪ1.", max_size=5)
HARD_TEXT = st.one_of(PLAIN_TEXT, PLAIN_TEXT, st.builds(
    "{}{}{}".format, PLAIN_TEXT, st.sampled_from(list(',;"\r\n\t=+-@\x00')), PLAIN_TEXT))
CELL = st.one_of(st.none(), HARD_TEXT, st.integers(-2**63, 2**63 - 1),
                 st.floats(allow_nan=False), st.just(-0.0),
                 st.integers(0, 10**6).map(lambda n: n / 1000))


def _by_the_csv_module(db: sqlite3.Connection) -> str:
    """What the report wrote before its lines came from SQL: every cell read into Python
    and written by the csv module (``csv_rows``, which guards formulas)."""
    out = io.StringIO()
    csv_rows(out, [CSV_COLUMNS])
    csv_rows(out, db.execute(
        "SELECT s.session_id, s.kiosk_id, s.venue, s.deck_id, s.deck_version, "
        f"{', '.join(files._ANSWER_CELLS)}, NULLIF(s.end_reason, '') FROM events "
        "JOIN sessions AS s ON s.number = session_no WHERE kind = 'answer' "
        "ORDER BY session_no, seq, events.rowid"))
    return out.getvalue()


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 2), HARD_TEXT, HARD_TEXT, CELL, CELL, CELL,
                          st.sampled_from(["understood", "not_understood"]) | HARD_TEXT),
                min_size=1, max_size=12),
       st.integers(1, 4), st.sampled_from([None, 2, 3, 5]))
def test_responses_csv_is_what_the_csv_module_writes_cell_by_cell(tmp_path, answers, batch,
                                                                   rows_per_file):
    """...in as many files as it takes when each may hold ``rows_per_file`` rows (a
    spreadsheet's most, 1,048,576, when None), each with the header, none empty."""
    store = SqliteStore(None)
    try:
        store.add_sessions([
            {"session_id": f"s{n}", "kiosk_id": "k", "venue": "Hall;=1" if n else "Hall",
             "deck_id": "gp-letter", "deck_version": 1, "started_at": "2025-03-01T10:00:00Z",
             "ended_at": "2025-03-01T11:00:00Z", "end_reason": "finished"} for n in range(3)])
        store.add_events([
            {"event_id": f"e{n}", "session_id": f"s{session}", "kind": "answer", "seq": n,
             "at": "2025-03-01T10:00:00Z", "participant": participant, "screen_id": screen,
             "variant": variant, "response": response, "seconds_to_answer": seconds,
             "seconds_on_screen": on_screen, "replays": 1, "language": "pa"}
            for n, (session, screen, variant, participant, seconds, on_screen, response)
            in enumerate(answers)])
        written = write_responses(store.db, tmp_path / "responses.csv", batch=batch,
                                  rows_per_file=rows_per_file)
        expected = _by_the_csv_module(store.db)
    finally:
        store.close()
    rows = rows_per_file or files.SPREADSHEET_ROWS
    assert written == [tmp_path / "responses.csv"] + [
        tmp_path / f"responses-{n}.csv" for n in range(2, -(-len(answers) // (rows - 1)) + 1)]
    texts = []
    for path in written:
        with open(path, encoding="utf-8-sig", newline="") as file:
            texts.append(file.read())
        assert 2 <= len(_rows(path)) <= rows  # the header and at least one answer
        assert texts[-1].startswith(",".join(CSV_COLUMNS) + "\r\n")
    assert texts[0] + "".join(text.split("\r\n", 1)[1] for text in texts[1:]) == expected
