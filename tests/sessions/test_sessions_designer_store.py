"""The designers' SQLite store: idempotent, one transaction per bundle, old stores migrated."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys

import pytest
from sessions_helpers import START_METHODS, answer, helpers_started_by

from kiosk.cli import main
from kiosk.sessions.designer_store import (
    OLD_JOURNAL,
    SCHEMA_VERSION,
    STORE_DB,
    SqliteStore,
    StoreProblem,
)
from kiosk.sessions.export import export_bundle
from kiosk.sessions.importer import DesignerStore, import_bundles, prepare_bundle, read_bundle
from kiosk.sessions.log import ResponseLog
from kiosk.sessions.stats import analyse_store
from kiosk.sessions.storage import open_db


def _bundle(tmp_path, clock, kiosk_id, venue="Library", people=3):
    log = ResponseLog(tmp_path / kiosk_id, kiosk_id, clock)
    sid = log.start_session("gp-letter", 2, venue)
    for person in range(1, people + 1):
        answer(log, sid, person, "letter-1", "understood" if person % 2 else "not_understood")
        answer(log, sid, person, "letter-2", "understood", seconds=3.5, replays=1)
    log.record(sid, "tap", participant=1, screen_id="letter-1", x=10, y=20, hotspot="next")
    log.end_session(sid)
    bundle = export_bundle(log, tmp_path / "stick", recipients=None)
    log.close()
    return bundle


def _old_store(folder, bundles):
    """A designer store as the TinyDB-journal importer of earlier versions wrote it."""
    db = open_db(folder / OLD_JOURNAL)
    for bundle in bundles:
        contents = read_bundle(bundle)
        db.table("sessions").insert_multiple(
            [{k: v for k, v in s.items() if k not in ("exported_at", "exported_events")}
             for s in contents["sessions"]])
        db.table("events").insert_multiple(contents["events"])
        db.table("bundles").insert({"folder": str(bundle), "kiosk_id": "k",
                                    "manifest_sha256": contents["manifest_sha256"],
                                    "imported_at": "2025-03-04T10:00:00.000Z",
                                    "new_events": len(contents["events"])})
    return db


def test_store_file_is_wal_with_indexes_on_session_deck_and_screen(tmp_path, clock):
    import_bundles(tmp_path / "store", [_bundle(tmp_path, clock, "k1")])
    db = sqlite3.connect(tmp_path / "store" / STORE_DB)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA page_size").fetchone()[0] == 16384  # (a first import's store)
    indexed = {row[0] for row in db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    text = " ".join(" ".join(sql.split()) for sql in indexed)
    assert "events(session_no, event_id)" in text  # each event once, a session's together
    assert "events(kind) WHERE kind != 'answer'" in text
    assert "events(kind, deck_id" not in text  # (a store of the last version's: dropped)
    assert "sessions(deck_id" in text
    db.close()


def test_a_store_with_the_wider_index_on_kinds_has_it_replaced_on_opening(tmp_path, clock):
    folder = tmp_path / "store"
    import_bundles(folder, [_bundle(tmp_path, clock, "k1")])
    db = sqlite3.connect(folder / STORE_DB)
    db.executescript("DROP INDEX events_of_other_kinds; CREATE INDEX events_other_kinds ON "
                     "events(kind, deck_id, deck_version, screen_id) WHERE kind != 'answer';")
    db.close()
    store = SqliteStore(folder)
    assert [name for (name,) in store.query("SELECT name FROM sqlite_master WHERE type = "
                                            "'index' AND name LIKE '%kinds'")] == [
        "events_of_other_kinds"]
    store.close()


def test_the_reports_queries_on_other_kinds_than_answers_use_their_partial_index(
        tmp_path, clock, monkeypatch):
    """The index on kind leaves answers out (it is built in half the time); SQLite uses a
    partial index only for a query that states its condition, so each query on taps, task
    steps, profile answers and replays must, or it reads every event."""
    import kiosk.sessions.designer_store as designer_store
    from kiosk.sessions.report import write_report

    statements: list[str] = []
    connect = designer_store._connect

    def traced(path):
        db = connect(path)
        db.set_trace_callback(statements.append)
        return db

    monkeypatch.setattr(designer_store, "_connect", traced)
    store = DesignerStore(tmp_path / "store")
    store.sql.add_sessions([{"session_id": "s", "deck_id": "d", "deck_version": 1}])
    store.sql.add_events([{"event_id": f"e{n}", "session_id": "s", "kind": kind, "seq": n,
                           "participant": 1, "screen_id": "home", "task": task}
                          for n, (kind, task) in enumerate([
                              ("answer", None), ("tap", None), ("miss", "t"), ("profile", None),
                              ("replay", None), ("task_step", "t")])])
    sessions, events = store.sessions(), store.events()
    store.close()
    write_report(sessions, events, tmp_path / "report", posters=False)  # all in this process
    others = {s for s in statements if "kind != 'answer'" in s and "CREATE" not in s}
    assert len(others) >= 5  # screen taps, task taps, heat map taps, profiles, replays
    db = sqlite3.connect(":memory:")
    db.executescript(designer_store.SCHEMA)
    for sql in others:
        plan = " ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql))
        assert "INDEX events_of_other_kinds" in plan, (sql, plan)


def test_import_is_idempotent_by_event_id(tmp_path, clock):
    bundle = _bundle(tmp_path, clock, "k1")
    first = import_bundles(tmp_path / "store", [bundle])
    assert (first.new_answers, first.new_events, first.new_sessions) == (6, 7, 1)
    again = import_bundles(tmp_path / "store", [bundle])
    assert (again.new_answers, again.already_had) == (0, 7)
    # the same events under another manifest (a copy re-exported): still counted once
    bundle.joinpath("manifest.json").write_bytes(
        bundle.joinpath("manifest.json").read_bytes().replace(b"{", b"{ ", 1))
    third = import_bundles(tmp_path / "store", [bundle])
    assert (third.new_answers, third.already_had, third.refused) == (0, 7, [])
    store = DesignerStore(tmp_path / "store", read_only=True)
    assert len(store.events()) == 7 and len(store.sessions()) == 1
    store.close()


def test_a_bundle_that_fails_half_way_changes_nothing(tmp_path, clock, monkeypatch):
    good, bad = _bundle(tmp_path, clock, "k1"), _bundle(tmp_path, clock, "k2", "Hall")
    import_bundles(tmp_path / "store", [good])
    real = SqliteStore.add_prepared

    def add_then_fail(self, prepared):
        real(self, prepared)  # events are in, then the disk fails
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(SqliteStore, "add_prepared", add_then_fail)
    with pytest.raises(sqlite3.OperationalError):
        import_bundles(tmp_path / "store", [bad])
    monkeypatch.undo()
    store = DesignerStore(tmp_path / "store", read_only=True)
    assert {s["venue"] for s in store.sessions()} == {"Library"}
    assert len(store.events()) == 7
    assert store.sql.count("bundles") == 1
    store.close()
    assert import_bundles(tmp_path / "store", [bad]).new_answers == 6  # and later it goes in


def test_an_old_journal_store_is_migrated_on_first_use_with_nothing_lost(tmp_path, clock,
                                                                          capsys):
    bundles = [_bundle(tmp_path, clock, "k1"), _bundle(tmp_path, clock, "k2", "Café ਪੰਜਾਬੀ")]
    folder = tmp_path / "home" / "designer-store"
    folder.mkdir(parents=True)
    old = _old_store(folder, bundles)
    gone = old.table("sessions").all()[0]["session_id"]
    old.table("events").remove(lambda d: d["session_id"] == gone)
    old.table("sessions").remove(lambda d: d["session_id"] == gone)
    old.table("deleted").insert({"session_id": gone, "deleted_at": "2025-03-05T10:00:00.000Z"})
    sessions = {d["session_id"]: dict(d) for d in old.table("sessions").all()}
    events = {d["event_id"]: dict(d) for d in old.table("events").all()}
    old.close()

    assert main(["--home", str(tmp_path / "home"), "report", "--out",
                 str(tmp_path / "report"), "--no-posters"]) == 0  # first use: the report
    assert not (folder / OLD_JOURNAL).exists() and (folder / STORE_DB).exists()
    store = DesignerStore(folder, read_only=True)
    assert {d["session_id"]: d for d in store.sessions()} == sessions
    assert {d["event_id"]: d for d in store.events()} == events
    assert store.deleted_sessions() == {gone}
    assert store.sql.count("bundles") == 2
    store.close()
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "Café ਪੰਜਾਬੀ" in page
    capsys.readouterr()
    # the deleted session stays deleted: importing its bundle again does not bring it back
    assert main(["--home", str(tmp_path / "home"), "import", str(bundles[0])]) == 0
    assert "belong to sessions you deleted" in capsys.readouterr().out


def test_a_damaged_old_store_is_left_as_it_was(tmp_path, clock):
    folder = tmp_path / "store"
    folder.mkdir()
    _old_store(folder, [_bundle(tmp_path, clock, "k1")]).close()
    journal = folder / OLD_JOURNAL
    raw = journal.read_bytes()
    journal.write_bytes(raw[:40] + b"X" + raw[41:])  # a flipped byte in the first line
    with pytest.raises(StoreProblem, match="damaged"):
        DesignerStore(folder)
    assert journal.read_bytes()[:40] == raw[:40]
    assert not (folder / STORE_DB).exists()
    assert not [p for p in folder.iterdir() if "migrating" in p.name]


FIRST_SQLITE_LAYOUT = """
CREATE TABLE sessions (session_id TEXT PRIMARY KEY, kiosk_id TEXT, venue TEXT, deck_id TEXT,
    deck_version INTEGER, started_at TEXT, ended_at TEXT, end_reason TEXT, doc TEXT NOT NULL);
CREATE TABLE events (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL, deck_id TEXT, deck_version INTEGER, venue TEXT, person INTEGER,
    participant, seq INTEGER, at TEXT, kind TEXT, screen_id TEXT, variant TEXT,
    response TEXT, in_task INTEGER NOT NULL DEFAULT 0, language TEXT,
    seconds_to_answer REAL, replays INTEGER, answered_at TEXT, seconds_on_screen REAL);
CREATE TABLE event_docs (id INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE bundles (folder TEXT, kiosk_id TEXT, manifest_sha256 TEXT, source_sha256 TEXT,
    imported_at TEXT, new_events INTEGER, events INTEGER);
CREATE TABLE deleted (session_id TEXT PRIMARY KEY, deleted_at TEXT);
PRAGMA user_version = 1;
"""


def test_a_store_of_the_first_sqlite_layout_is_converted_with_nothing_lost(tmp_path, clock):
    """The first SQLite store kept each event twice (columns, and its JSON in event_docs);
    opening it converts it to one row per event with every document intact."""
    bundles = [_bundle(tmp_path, clock, "k1"), _bundle(tmp_path, clock, "k2", "Café ਪੰਜਾਬੀ")]
    folder = tmp_path / "store"
    folder.mkdir()
    old = sqlite3.connect(folder / STORE_DB)
    old.executescript(FIRST_SQLITE_LAYOUT)
    old.execute("PRAGMA journal_mode = WAL")
    sessions, events = {}, {}
    for number, bundle in enumerate(bundles):
        contents = read_bundle(bundle)
        for s in contents["sessions"]:
            doc = {k: v for k, v in s.items() if k not in ("exported_at", "exported_events")}
            sessions[doc["session_id"]] = doc
            old.execute("INSERT INTO sessions (session_id, venue, deck_id, deck_version, doc) "
                        "VALUES (?, ?, ?, ?, ?)", (doc["session_id"], doc["venue"],
                                                   doc["deck_id"], doc["deck_version"],
                                                   json.dumps(doc)))
        for e in contents["events"]:
            events[e["event_id"]] = e
            row = old.execute("INSERT INTO events (event_id, session_id, kind) VALUES (?, ?, ?)",
                              (e["event_id"], e["session_id"], e["kind"])).lastrowid
            old.execute("INSERT INTO event_docs VALUES (?, ?)", (row, json.dumps(e)))
        old.execute("INSERT INTO bundles (folder, source_sha256, events) VALUES (?, ?, ?)",
                    (str(bundle), f"sha-{number}", len(contents["events"])))
    old.execute("INSERT INTO deleted VALUES ('gone-session', '2025-03-05T10:00:00.000Z')")
    old.commit()
    old.close()

    store = DesignerStore(folder, read_only=True)
    assert {d["session_id"]: d for d in store.sessions()} == sessions
    assert {d["event_id"]: d for d in store.events()} == events
    assert store.deleted_sessions() == {"gone-session"}
    assert store.already_imported("sha-1") == len(events) // 2
    tables = {name for (name,) in store.sql.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "event_docs" not in tables and "sources" in tables
    answers = store.sql.count("events", "kind = 'answer' AND deck_id = 'gp-letter'")
    store.close()
    assert answers == 12  # counted by the new columns, with each session's deck
    assert not [p for p in folder.iterdir() if "migrating" in p.name]


def test_odd_values_are_counted_where_they_can_be_and_kept_exactly(tmp_path):
    """A hand-made or hostile bundle's values of the wrong type: the report counts what it
    can, and the documents come back exactly as they went in."""
    session = {"session_id": "s1", "deck_id": "gp-letter", "deck_version": 2, "venue": "Hall",
               "started_at": "2025-03-01T10:00:00.000Z"}
    events = [
        {"event_id": "e1", "session_id": "s1", "kind": "answer", "participant": 1, "seq": 1,
         "at": "2025-03-01T10:00:01.000Z", "screen_id": "p1", "response": "understood",
         "seconds_to_answer": 2.5, "replays": 1},
        {"event_id": "e2", "session_id": "s1", "kind": "answer", "participant": [1, 2],
         "seq": "two", "at": None, "screen_id": 7, "variant": None, "response": "understood",
         "seconds_to_answer": "slow", "replays": True, "fallback": True,
         "deck_id": "not/a/deck", "whatever": {"nested": ["x"]}},
        {"event_id": "e3", "session_id": "s1", "kind": "tap", "participant": 1, "seq": 3,
         "screen_id": "p1", "x": [1, 2], "y": {"no": 1}, "hotspot": None},
        {"event_id": "e4", "session_id": "s1", "kind": "tap", "participant": 2**70, "seq": 4,
         "screen_id": "p1", "x": 10**30, "y": 5},
    ]
    store = SqliteStore(None)
    store.add_sessions([session])
    assert store.add_events(events) == (2, 2)
    assert store.documents("events") == events
    rows = store.query("SELECT event_id, seq, at, screen_id, variant, seconds_to_answer, "
                       "replays, deck_id, x FROM events ORDER BY event_id")
    assert rows == [("e1", 1, "2025-03-01T10:00:01.000Z", "p1", "", 2.5, 1, "gp-letter", None),
                    ("e2", 0, "", "7", "", None, 1, "gp-letter", None),
                    ("e3", 3, "", "p1", "", None, None, "gp-letter", "[1,2]"),
                    ("e4", 4, "", "p1", "", None, None, "gp-letter", str(10**30))]
    store.close()


def _everything(folder):
    store = DesignerStore(folder, read_only=True)
    try:
        rows = store.sql.query("SELECT event_id, session_id, kind, deck_id, deck_version, "
                               "person, screen_id, response FROM events ORDER BY event_id")
        return store.sessions(), sorted(store.events(), key=lambda e: e["event_id"]), rows
    finally:
        store.close()


@pytest.mark.parametrize("method", START_METHODS)
def test_bundles_read_in_a_second_process_give_the_store_one_at_a_time_gives(
        tmp_path, clock, method, monkeypatch):
    """Several bundles: all but the first are read and made into rows in helper processes,
    forked or spawned (pickled back); one at a time, each is read here. The stores are the
    same."""
    bundles = [_bundle(tmp_path, clock, f"k{n}", venue=f"Hall {n}") for n in range(4)]
    with helpers_started_by(method, monkeypatch):
        together = import_bundles(tmp_path / "together", bundles)
    for bundle in bundles:
        import_bundles(tmp_path / "apart", [bundle])
    assert together.new_answers == 4 * 6 and not together.refused
    assert _everything(tmp_path / "together") == _everything(tmp_path / "apart")


def test_big_bundles_are_read_one_at_a_time(tmp_path, clock, monkeypatch):
    """Each reading process holds its bundle's events: with a big bundle among them, one
    process reads ahead instead of two, and the store is the same."""
    from kiosk.sessions import importer

    bundles = [_bundle(tmp_path, clock, f"k{n}", venue=f"Hall {n}") for n in range(4)]
    assert importer._readers_for(bundles) == 2
    big = tmp_path / "big"
    big.mkdir()
    with open(big / "events.json", "wb") as sparse:  # a big file, without writing it all
        sparse.truncate(importer.BIG_BUNDLE_BYTES + 1)
    assert importer._readers_for([*bundles, big]) == 1
    monkeypatch.setattr(importer, "BIG_BUNDLE_BYTES", 1)  # every bundle here is "big"
    assert importer._readers_for(bundles) == 1
    one_reader = import_bundles(tmp_path / "one", bundles)
    monkeypatch.undo()
    two_readers = import_bundles(tmp_path / "two", bundles)
    assert one_reader.new_answers == two_readers.new_answers == 4 * 6
    assert _everything(tmp_path / "one") == _everything(tmp_path / "two")


@pytest.mark.parametrize("method", START_METHODS)
def test_an_import_whose_reading_process_cannot_start_still_imports_everything(
        tmp_path, clock, method, monkeypatch):
    """A machine where no helper process can start (out of processes, or a frozen program
    whose new Python dies at once): the bundles are read in the importing process instead."""
    bundles = [_bundle(tmp_path, clock, f"k{n}") for n in range(3)]
    with helpers_started_by(method, monkeypatch, can_start=False):
        summary = import_bundles(tmp_path / "store", bundles)
    assert summary.new_answers == 3 * 6 and len(summary.imported) == 3
    import_bundles(tmp_path / "normal", bundles)
    assert _everything(tmp_path / "store") == _everything(tmp_path / "normal")


_TESTS_PROCESS = os.getpid()
_READ_HERE: list[str] = []


def _dies_in_a_helper(folder, keys=()):
    """prepare_bundle, but a helper process ends as it starts it (sent by name: not local)."""
    if os.getpid() != _TESTS_PROCESS:
        os._exit(9)
    _READ_HERE.append(folder)
    return prepare_bundle(folder, keys)


@pytest.mark.skipif(sys.platform != "linux", reason="helpers are forked on Linux only")
def test_a_reading_process_that_dies_mid_bundle_loses_nothing(tmp_path, clock, monkeypatch):
    """A forked reading process killed while it reads (its copy of this program ends at
    once): that bundle is read here instead, and the store is the same."""
    from kiosk.sessions import importer

    bundles = [_bundle(tmp_path, clock, f"k{n}") for n in range(4)]
    monkeypatch.setattr(importer, "prepare_bundle", _dies_in_a_helper)
    _READ_HERE.clear()
    with helpers_started_by("fork", monkeypatch):
        summary = import_bundles(tmp_path / "store", bundles)
    monkeypatch.undo()
    assert sorted(_READ_HERE) == sorted(map(str, bundles))  # each helper died: all read here
    assert summary.new_answers == 4 * 6 and not summary.refused
    import_bundles(tmp_path / "normal", bundles)
    assert _everything(tmp_path / "store") == _everything(tmp_path / "normal")


def test_rows_made_with_a_bundles_sessions_are_made_again_when_the_store_knows_better(
        tmp_path, clock):
    """A session the store already had with another deck version: the store's is the one its
    events carry (the rows the reading process made with the bundle's are not used)."""
    from kiosk.sessions.designer_store import PreparedEvents

    bundle = read_bundle(_bundle(tmp_path, clock, "k1", venue="Library"))
    store = SqliteStore(None)
    known = dict(bundle["sessions"][0], deck_version=7)
    store.add_sessions([known])
    store.add_sessions(bundle["sessions"])  # the first one stays
    prepared = PreparedEvents.of(bundle["events_json"], bundle["events"], bundle["sessions"])
    assert store.add_prepared(prepared) == (6, 1)
    assert store.query("SELECT DISTINCT deck_id, deck_version FROM events") == [
        ("gp-letter", 7)]
    by_id = sorted(bundle["events"], key=lambda e: e["event_id"])
    assert sorted(store.documents("events"), key=lambda e: e["event_id"]) == by_id
    store.close()


@pytest.mark.parametrize("method", START_METHODS)
def test_responses_csv_is_the_same_from_the_second_process_or_without_it(
        tmp_path, clock, method, monkeypatch):
    """The report writes responses.csv, and counts tasks and taps, in a helper process
    (forked or spawned) while it counts the rest; where that process cannot start, it does
    it all itself: the same files either way."""
    from kiosk.sessions.report import write_store_report

    import_bundles(tmp_path / "store", [_bundle(tmp_path, clock, f"k{n}") for n in range(2)])
    store = DesignerStore(tmp_path / "store", read_only=True)
    try:
        with helpers_started_by(method, monkeypatch):
            files = write_store_report(store.sql, tmp_path / "there", posters=False)
        with helpers_started_by(method, monkeypatch, can_start=False):
            write_store_report(store.sql, tmp_path / "here", posters=False)
    finally:
        store.close()
    assert tmp_path / "there" / "responses.csv" in files
    there = (tmp_path / "there" / "responses.csv").read_bytes()
    assert there.count(b"\r\n") == 1 + 2 * 6  # the header and every answer
    made = sorted(p.name for p in (tmp_path / "there").iterdir())
    assert made == sorted(p.name for p in (tmp_path / "here").iterdir())
    stamp = re.compile(rb"\d{4}-\d\d-\d\d \d\d:\d\d UTC")  # when each report was made
    for name in made:  # the page too: its taps and tasks came from the other process
        assert stamp.sub(b"", (tmp_path / "there" / name).read_bytes()) == \
            stamp.sub(b"", (tmp_path / "here" / name).read_bytes()), name


# The second layout's events table: unique by event id alone, no session numbers.
SECOND_LAYOUT_EVENTS = """
CREATE TABLE events_v2 (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL, deck_id TEXT, deck_version INTEGER, venue TEXT, person INTEGER,
    source INTEGER, kind TEXT, at TEXT DEFAULT '', seq INTEGER DEFAULT 0, participant,
    language TEXT, screen_id TEXT DEFAULT '', variant TEXT DEFAULT '', fallback, task,
    response TEXT, seconds_to_answer REAL, seconds_on_screen REAL, replays INTEGER,
    answered_at TEXT, replay_number, part, x, y, hotspot, label, goto, step, outcome, seconds,
    steps, question, answer,
    in_task INTEGER GENERATED ALWAYS AS (task IS NOT NULL AND task != '' AND task != 0));
"""


SECOND_LAYOUT_SESSIONS = """
CREATE TABLE sessions_v2 (session_id TEXT PRIMARY KEY, kiosk_id TEXT, venue TEXT,
    deck_id TEXT, deck_version INTEGER, started_at TEXT, ended_at TEXT, end_reason TEXT,
    doc TEXT NOT NULL);
"""


def _third_layout_store(tmp_path, clock):
    """A store as the third layout left it (every event's document kept in sources, no
    shapes): made now, then put back."""
    from kiosk.sessions.designer_store import pack

    bundles = [_bundle(tmp_path, clock, "k1"), _bundle(tmp_path, clock, "k2", "Café ਪੰਜਾਬੀ")]
    folder = tmp_path / "store"
    import_bundles(folder, bundles)
    store = SqliteStore(folder)
    events = store.documents("events")
    assert not store.query("SELECT 1 FROM sources")  # (this layout keeps none of these)
    store.close()
    db = sqlite3.connect(folder / STORE_DB, isolation_level=None)
    source = db.execute("INSERT INTO sources (body) VALUES (?)", (pack(events),)).lastrowid
    db.executescript(f"""
        UPDATE events SET source = {source};
        INSERT INTO source_sessions SELECT session_id, {source} FROM sessions;
        ALTER TABLE events DROP COLUMN shape;
        DROP TABLE shapes;
        PRAGMA user_version = 3;""")
    db.close()
    return folder, bundles


def _as_it_is(folder):
    """The sessions and events of the store in ``folder``, read before any conversion."""
    old = DesignerStore.__new__(DesignerStore)
    old.sql = SqliteStore.reading(folder / STORE_DB)
    try:
        return old.sessions(), old.events()
    finally:
        old.close()


def test_a_store_of_the_third_layout_keeps_every_document_and_takes_new_ones(tmp_path, clock):
    folder, bundles = _third_layout_store(tmp_path, clock)
    sessions, events = _as_it_is(folder)
    store = DesignerStore(folder)
    assert store.sessions() == sessions and store.events() == events
    assert store.sql.query("PRAGMA user_version") == [(SCHEMA_VERSION,)]
    store.close()
    more = import_bundles(folder, [_bundle(tmp_path, clock, "k3")])
    assert more.new_answers == 6
    import_bundles(tmp_path / "clean", [*bundles, tmp_path / "stick"])
    assert _everything(folder) == _everything(tmp_path / "clean")


def _second_layout_store(tmp_path, clock):
    """A store as the second layout left it: made now, then its tables put back."""
    folder, bundles = _third_layout_store(tmp_path, clock)
    db = sqlite3.connect(folder / STORE_DB, isolation_level=None)
    columns = [row[1] for row in db.execute("PRAGMA table_info(events)")
               if row[1] != "session_no"]
    listed = ", ".join(f'"{c}"' for c in columns)
    sessions = ("session_id, kiosk_id, venue, deck_id, deck_version, started_at, ended_at, "
                "end_reason, doc")
    db.executescript(SECOND_LAYOUT_SESSIONS + SECOND_LAYOUT_EVENTS + f"""
        INSERT INTO sessions_v2 ({sessions}) SELECT {sessions} FROM sessions ORDER BY number;
        DROP TABLE sessions;
        ALTER TABLE sessions_v2 RENAME TO sessions;
        CREATE INDEX sessions_deck ON sessions(deck_id, deck_version);
        INSERT INTO events_v2 ({listed}) SELECT {listed} FROM events ORDER BY id;
        DROP TABLE events;
        ALTER TABLE events_v2 RENAME TO events;
        CREATE INDEX events_session ON events(session_id, seq);
        PRAGMA user_version = 2;""")
    db.close()
    return folder, bundles


def test_a_store_of_the_second_layout_gets_session_numbers_with_nothing_lost(tmp_path, clock):
    folder, bundles = _second_layout_store(tmp_path, clock)
    sessions, events = _as_it_is(folder)

    said: list[str] = []
    store = DesignerStore(folder, progress=said.append)
    assert len(said) == 1 and "Converting the designer store" in said[0]  # it takes a while
    assert store.sessions() == sessions and store.events() == events
    numbered = store.sql.query("SELECT COUNT(*) FROM events AS e JOIN sessions AS s "
                               "ON s.session_id = e.session_id AND s.number = e.session_no")
    assert numbered == [(len(events),)]
    assert store.sql.query("PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert "number" in {row[1] for row in store.sql.query("PRAGMA table_info(sessions)")}
    store.close()
    summary = import_bundles(folder, bundles, progress=said.append)  # still each event once
    assert summary.new_events == 0 and summary.already_had == len(events)
    assert not [line for line in said[1:] if "Converting" in line]  # once only


def test_a_power_cut_while_numbering_sessions_leaves_the_store_as_it_was(tmp_path, clock):
    """The process dies for real half-way through the conversion's copy; the store opens
    next time, converts, and has every event."""
    import subprocess
    import sys

    folder, _ = _second_layout_store(tmp_path, clock)
    old = sqlite3.connect(folder / STORE_DB)
    (events,) = old.execute("SELECT COUNT(*) FROM events").fetchone()
    old.close()
    dies = (
        "import os, sys\n"
        "from kiosk.sessions import designer_store as d\n"
        "convert = d.add_session_numbers\n"
        "def dying(db):\n"
        "    db.set_progress_handler(lambda: os._exit(9), 500)\n"
        "    return convert(db)\n"
        "d.add_session_numbers = dying\n"
        "d.SqliteStore(__import__('pathlib').Path(sys.argv[1]))\n")
    died = subprocess.run([sys.executable, "-c", dies, str(folder)], capture_output=True)
    assert died.returncode == 9
    after = sqlite3.connect(folder / STORE_DB)
    columns = {row[1] for row in after.execute("PRAGMA table_info(events)")}
    assert "session_no" not in columns  # the old layout, whole
    assert after.execute("SELECT COUNT(*) FROM events").fetchone() == (events,)
    after.close()
    store = DesignerStore(folder)
    assert store.sql.count("events", "session_no > 0") == events
    store.close()


def test_a_long_import_says_how_far_it_has_got(tmp_path, clock, capsys):
    """A year of bundles takes a while: a line per bundle on stderr, the summary on stdout."""
    good = [_bundle(tmp_path, clock, "k1"), _bundle(tmp_path, clock, "k2")]
    broken = tmp_path / "stick" / "kiosk-log-broken"
    broken.mkdir(parents=True)
    (broken / "manifest.json").write_text("{not json", encoding="utf-8")
    home = ["--home", str(tmp_path / "home")]
    assert main([*home, "import", *map(str, good), str(broken)]) == 1
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert lines[0] == f"[1/3] {good[0].name}: 6 new answers"
    assert lines[1] == f"[2/3] {good[1].name}: 6 new answers"
    assert lines[2] == "[3/3] kiosk-log-broken: refused (see below)"
    assert "Imported 2 bundles: 12 new answers" in out and "Refused" in out
    assert main([*home, "import", *map(str, good)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"[1/2] {good[0].name}: imported before", f"[2/2] {good[1].name}: imported before"]
    assert main([*home, "import", str(good[0])]) == 0  # one bundle: the summary says it all
    assert capsys.readouterr().err == ""


def test_events_keep_their_sessions_numbers_after_a_delete_vacuums_the_store(tmp_path, clock):
    """``kiosk store delete`` vacuums the file, which may renumber rows that have no number
    of their own: a session's number must survive it, or its events would lose their
    session (and a re-import would count them twice)."""
    bundles = [_bundle(tmp_path, clock, "k1"), _bundle(tmp_path, clock, "k2", people=4)]
    folder = tmp_path / "store"
    import_bundles(folder, bundles)
    store = DesignerStore(folder)
    first = store.sessions()[0]["session_id"]
    store.delete_session(first)
    assert store.sql.query(
        "SELECT COUNT(*) FROM events AS e LEFT JOIN sessions AS s ON s.number = e.session_no "
        "WHERE s.session_id IS NOT e.session_id") == [(0,)]
    kept = store.sql.count("events")
    store.close()
    summary = import_bundles(folder, bundles[1:])
    assert summary.new_events == 0
    store = DesignerStore(folder)
    assert store.sql.count("events") == kept
    store.close()


# Events as a kiosk writes them, then each kind of value a column would not give back as it
# is: those are kept as they came (in sources), the others only in their columns.
_KIOSK_EVENTS = [
    {"event_id": "e1", "session_id": "s1", "kind": "answer", "at": "2025-03-01T10:00:00Z",
     "seq": 1, "participant": 1, "screen_id": "letter-1", "variant": "", "language": "pa",
     "response": "understood", "seconds_to_answer": 3.25, "seconds_on_screen": 7.0,
     "replays": 0, "answered_at": "2025-03-01T10:00:03Z"},
    {"event_id": "e2", "session_id": "s1", "kind": "answer", "at": "2025-03-01T10:01:00Z",
     "seq": 2, "participant": 1, "screen_id": "letter-2", "variant": "b", "language": "pa",
     "response": "not_understood", "seconds_to_answer": None, "seconds_on_screen": 0.5,
     "replays": 2, "answered_at": "2025-03-01T10:01:09Z"},
    {"event_id": "e3", "session_id": "s1", "seq": 3, "kind": "tap", "at": "x", "participant":
     "Ana ਪੰਜਾਬੀ", "screen_id": "home", "x": 10, "y": 20.5, "hotspot": None, "goto": "next"},
]
_ODD_VALUES = [("fallback", True), ("seconds_to_answer", 3), ("seq", 2.0), ("screen_id", 5),
               ("participant", 2**70), ("x", float("nan")), ("seconds_on_screen", -0.0),
               ("note", "a field no kiosk writes"), ("answer", ["a", "list"]),
               ("screen_id", None)]
# ...and values a column with no type gives back as they are, sign of a zero included: a
# bundle holding them needs no copy kept (a tap just left of the picture's edge, rounded)
_KEPT_VALUES = [("x", -0.0), ("participant", -0.0), ("seconds", -0.0), ("y", -2.5)]


@pytest.mark.parametrize("odd", [None, *_ODD_VALUES, *_KEPT_VALUES],
                         ids=lambda odd: odd and f"{odd[0]}={odd[1]!r}")
@pytest.mark.parametrize("prepared", [False, True], ids=["events", "prepared"])
def test_every_event_comes_back_exactly_as_it_came(odd, prepared):
    """Field for field, in order, with its type (json.dumps tells 1 from 1.0 and from true,
    and -0.0 from 0.0); a copy is kept only where the columns cannot give that back."""
    from kiosk.sessions.designer_store import PreparedEvents

    events = json.loads(json.dumps(_KIOSK_EVENTS))
    if odd is not None:
        events[1][odd[0]] = odd[1]
    sessions = [{"session_id": "s1", "deck_id": "gp-letter", "deck_version": 2,
                 "venue": "Hall", "kiosk_id": "k"}]
    store = SqliteStore(None)
    store.add_sessions(sessions)
    if prepared:
        as_json = json.dumps({"sessions": sessions, "events": events}).encode()
        store.add_prepared(PreparedEvents.of(as_json, events, sessions))
    else:
        store.add_events(events)
    back = sorted(store.documents("events"), key=lambda e: e["event_id"])
    assert [json.dumps(e) for e in back] == [json.dumps(e) for e in events]
    assert bool(store.query("SELECT 1 FROM sources")) == (odd in _ODD_VALUES)
    # both answers are counted, on their screens as the store holds them (a screen id of 5
    # or none is put right as it goes in: "5", "")
    screens = {r.screen_id: r.views for r in analyse_store(store).screens}
    assert sum(screens.values()) == 2
    assert set(screens) == set(store.query("SELECT screen_id FROM events WHERE kind = 'answer'")
                               [i][0] for i in range(2))
    store.close()


def _screen_figures(folder):
    store = DesignerStore(folder, read_only=True)
    try:
        return sorted(tuple(r.as_dict().values()) for r in analyse_store(store.sql).screens)
    finally:
        store.close()


def test_a_store_made_before_answer_screens_numbers_them_on_opening(tmp_path, clock):
    """The report counts each screen by its number in ``answer_screens``: a store of the
    fourth layout, which has none, has them made from its events when opened."""
    folder = tmp_path / "store"
    import_bundles(folder, [_bundle(tmp_path, clock, "k1"), _bundle(tmp_path, clock, "k2")])
    expected = _screen_figures(folder)
    db = sqlite3.connect(folder / STORE_DB, isolation_level=None)
    screens = db.execute("SELECT deck_id, deck_version, screen_id FROM answer_screens "
                         "ORDER BY 1, 2, 3").fetchall()
    assert screens
    db.executescript("DROP TABLE answer_screens; PRAGMA user_version = 4;")
    db.close()
    assert _screen_figures(folder) == expected
    store = SqliteStore(folder)
    assert store.query("SELECT deck_id, deck_version, screen_id FROM answer_screens "
                       "ORDER BY 1, 2, 3") == screens
    store.close()


def test_screens_that_tie_are_listed_by_id_whatever_order_the_store_numbered_them():
    """Person 1 answers b then a, person 2 a then b (each screen is second in one walk): the
    screen table and "understood least" list them by id, though b was numbered first."""
    store = SqliteStore(None)
    store.add_sessions([{"session_id": "s1", "deck_id": "d", "deck_version": 1}])
    walks = [(1, "b"), (1, "a"), (2, "a"), (2, "b")]
    events = [{"event_id": f"e{n}", "session_id": "s1", "kind": "answer", "seq": n,
               "participant": person, "screen_id": screen, "variant": "",
               "response": "understood"} for n, (person, screen) in enumerate(walks)]
    store.add_events(events[:1])  # (b first)
    store.add_events(events[1:])
    assert store.query("SELECT screen_id FROM answer_screens ORDER BY number") == [("b",),
                                                                                   ("a",)]
    analysis = analyse_store(store)
    assert [r.screen_id for r in analysis.screens] == ["a", "b"]
    assert [r.screen_id for r in analysis.least_understood()] == ["a", "b"]
    store.close()


def test_an_answer_whose_screen_was_not_numbered_is_still_counted(tmp_path, clock):
    """Should ``answer_screens`` miss a screen (a store changed by hand, or by a version
    that knew nothing of it), the report numbers it then: no answer is left out."""
    folder = tmp_path / "store"
    import_bundles(folder, [_bundle(tmp_path, clock, "k1"), _bundle(tmp_path, clock, "k2")])
    expected = _screen_figures(folder)
    db = sqlite3.connect(folder / STORE_DB, isolation_level=None)
    db.execute("DELETE FROM answer_screens WHERE rowid % 2 = 0")
    db.close()
    assert _screen_figures(folder) == expected
