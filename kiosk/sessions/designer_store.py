"""The designers' store: every imported session and event, in one SQLite file.

Why SQLite here (the kiosk keeps its TinyDB journal, which is small and proven on a Pi): a
designer's store grows with every kiosk and every month, and the report needs tallies over
all of it. SQLite is in Python's standard library on Windows, macOS and Linux (nothing to
install, no wheel to miss), keeps everything in one file a designer can copy, and its
GROUP BY and window functions do the counting in C. DuckDB or pandas would also count fast,
but each is a large extra download (tens of MB) with native wheels that lag new Pythons on
Windows and macOS, for data that fits SQLite comfortably.

- ``store.sqlite`` in the store folder, WAL mode, ``synchronous=FULL``.
- Events and sessions are keyed by their ids (primary keys), so importing a bundle twice,
  or two overlapping exports, counts each answer once.
- Each bundle is merged in one transaction: a bundle that fails half-way changes nothing.
- The columns the report groups by (deck, screen, session, person, response...) are copied
  out of each event at import, with indexes on session, deck and screen; the whole event is
  kept as JSON in ``doc`` so nothing is lost.
- A store made by an older version (a TinyDB journal, ``store.journal``) is migrated on first
  use: copied into a new file under a temporary name, checked row for row, then renamed into
  place; only then is the old journal removed.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kiosk.durable import fsync_folder
from kiosk.errors import KioskError

STORE_DB = "store.sqlite"
OLD_JOURNAL = "store.journal"  # the TinyDB-journal store of earlier versions
SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    session_id TEXT PRIMARY KEY,
    kiosk_id TEXT, venue TEXT, deck_id TEXT, deck_version INTEGER,
    started_at TEXT, ended_at TEXT, end_reason TEXT,
    doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_deck ON sessions(deck_id, deck_version);
CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    deck_id TEXT, deck_version INTEGER, venue TEXT,  -- copied from the session
    person TEXT,  -- session id and participant: one person in one session
    seq INTEGER, at TEXT, kind TEXT, screen_id TEXT, variant TEXT, response TEXT,
    in_task INTEGER NOT NULL DEFAULT 0, language TEXT,
    seconds_to_answer REAL, replays INTEGER,
    doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_session ON events(session_id, seq);
CREATE INDEX IF NOT EXISTS events_deck_screen ON events(deck_id, deck_version, screen_id);
CREATE INDEX IF NOT EXISTS events_kind ON events(kind, in_task);
CREATE TABLE IF NOT EXISTS bundles (
    folder TEXT, kiosk_id TEXT, manifest_sha256 TEXT, source_sha256 TEXT,
    imported_at TEXT, new_events INTEGER, events INTEGER);
CREATE INDEX IF NOT EXISTS bundles_source ON bundles(source_sha256);
CREATE TABLE IF NOT EXISTS deleted (session_id TEXT PRIMARY KEY, deleted_at TEXT);
"""

# One JSON array of sessions in, one row per session out (export-only fields dropped).
INSERT_SESSIONS = """
INSERT INTO sessions (session_id, kiosk_id, venue, deck_id, deck_version, started_at,
                      ended_at, end_reason, doc)
SELECT json_extract(value, '$.session_id'), json_extract(value, '$.kiosk_id'),
       COALESCE(json_extract(value, '$.venue'), ''), json_extract(value, '$.deck_id'),
       CAST(json_extract(value, '$.deck_version') AS INTEGER),
       json_extract(value, '$.started_at'), json_extract(value, '$.ended_at'),
       json_extract(value, '$.end_reason'),
       json_remove(value, '$.exported_at', '$.exported_events')
FROM json_each(:docs)
WHERE json_extract(value, '$.session_id') NOT IN (SELECT session_id FROM deleted)
ON CONFLICT (session_id) DO UPDATE SET
    ended_at = excluded.ended_at, end_reason = excluded.end_reason, doc = excluded.doc
WHERE COALESCE(sessions.ended_at, '') = '' AND COALESCE(excluded.ended_at, '') != ''
"""

# One JSON array of events in; the session's deck and venue copied onto each.
INSERT_EVENTS = """
INSERT OR IGNORE INTO events (event_id, session_id, deck_id, deck_version, venue, person, seq,
    at, kind, screen_id, variant, response, in_task, language, seconds_to_answer, replays,
    doc)
SELECT json_extract(e.value, '$.event_id'), json_extract(e.value, '$.session_id'),
       s.deck_id, s.deck_version, s.venue,
       json_extract(e.value, '$.session_id') || char(31)
           || quote(json_extract(e.value, '$.participant')),
       COALESCE(CAST(json_extract(e.value, '$.seq') AS INTEGER), 0),
       COALESCE(json_extract(e.value, '$.at'), ''),
       json_extract(e.value, '$.kind'),
       COALESCE(json_extract(e.value, '$.screen_id'), ''),
       COALESCE(json_extract(e.value, '$.variant'), ''),
       json_extract(e.value, '$.response'),
       COALESCE(json_extract(e.value, '$.task'), '') NOT IN ('', 0),
       json_extract(e.value, '$.language'),
       CASE WHEN json_type(e.value, '$.seconds_to_answer') IN ('integer', 'real')
            THEN json_extract(e.value, '$.seconds_to_answer') END,
       CASE WHEN json_type(e.value, '$.replays') = 'integer'
            THEN json_extract(e.value, '$.replays') END,
       e.value
FROM json_each(:docs) AS e
LEFT JOIN sessions AS s ON s.session_id = json_extract(e.value, '$.session_id')
WHERE json_extract(e.value, '$.session_id') NOT IN (SELECT session_id FROM deleted)
RETURNING kind
"""


class StoreProblem(KioskError):
    """The designer store cannot be opened or changed, in words a designer can act on."""


def store_exists(folder: Path) -> bool:
    """Whether anything was ever imported into ``folder`` (this version's file or an old one)."""
    folder = Path(folder)
    return (folder / STORE_DB).is_file() or (folder / OLD_JOURNAL).is_file()


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA busy_timeout = 5000")
    return db


class SqliteStore:
    """The store's SQLite file: opening, migrating, merging and the raw queries."""

    def __init__(self, folder: Path | None, read_only: bool = False) -> None:
        """``folder`` None: an in-memory store (``write_report`` on lists of events)."""
        self.folder = Path(folder) if folder is not None else None
        self.read_only = read_only
        if self.folder is None:
            self.db = _connect(Path(":memory:"))
            self.db.executescript(SCHEMA)
            return
        path = self.folder / STORE_DB
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not path.exists() and (self.folder / OLD_JOURNAL).exists():
                migrate_journal_store(self.folder)
            self.db = _connect(path)
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = FULL")
            self.db.execute("PRAGMA foreign_keys = OFF")
            self.db.executescript(SCHEMA)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            if read_only:
                self.db.execute("PRAGMA query_only = ON")
        except sqlite3.DatabaseError as error:
            raise StoreProblem(
                f"The designer store in {self.folder} cannot be opened ({error}). If it was "
                "copied from another computer, copy it again; otherwise import the bundles "
                "into a new, empty folder.") from None
        except OSError as error:
            raise StoreProblem(f"The designer store in {self.folder} cannot be opened: "
                               f"{error.strerror or error}.") from None

    # ---------------------------------------------------------------- writing
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing change: rolled back whole if anything in it fails."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def add_sessions(self, sessions: list[dict]) -> None:
        self.db.execute(INSERT_SESSIONS, {"docs": json.dumps(sessions, ensure_ascii=False)})

    def add_events(self, events: list[dict]) -> list[str | None]:
        """Insert the events not already here; returns the kinds of those that were new."""
        rows = self.db.execute(INSERT_EVENTS, {"docs": json.dumps(events, ensure_ascii=False)})
        return [kind for (kind,) in rows.fetchall()]

    def count(self, table: str, where: str = "", params: Iterable[Any] = ()) -> int:
        assert table in ("sessions", "events", "bundles", "deleted")
        sql = f"SELECT COUNT(*) FROM {table}" + (f" WHERE {where}" if where else "")
        return int(self.db.execute(sql, tuple(params)).fetchone()[0])

    def close(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            db.close()
            self.db = None  # type: ignore[assignment]

    # ---------------------------------------------------------------- reading
    def documents(self, table: str, where: str = "", params: Iterable[Any] = (),
                  order: str = "rowid") -> list[dict]:
        """Whole documents (as imported) from ``sessions`` or ``events``."""
        assert table in ("sessions", "events")
        sql = f"SELECT doc FROM {table}" + (f" WHERE {where}" if where else "") + \
            f" ORDER BY {order}"
        loads = json.loads
        return [loads(doc) for (doc,) in self.db.execute(sql, tuple(params))]

    def query(self, sql: str, params: Iterable[Any] | dict = ()) -> list[tuple]:
        return self.db.execute(sql, params if isinstance(params, dict) else tuple(params)
                               ).fetchall()


def migrate_journal_store(folder: Path) -> tuple[int, int]:
    """Copy an old TinyDB-journal store into ``store.sqlite``; returns (sessions, events).

    Nothing is lost: every session, event, bundle record and deletion is copied, the copy is
    checked against the journal (same ids, same documents), and only then renamed into place
    and the journal removed. A failure leaves the old store exactly as it was.
    """
    from kiosk.sessions.storage import open_db

    folder = Path(folder)
    old = open_db(folder / OLD_JOURNAL, read_only=True)
    try:
        storage = old.storage
        tables = {name: [dict(d) for d in storage.live_table(name).values()]  # type: ignore[attr-defined]
                  for name in ("sessions", "events", "bundles", "deleted")}
        problems = list(getattr(storage, "problems", []))
    finally:
        old.close()
    if problems:
        raise StoreProblem("The old designer store has damaged lines, so it was not converted: "
                           + " ".join(problems))
    temp = folder / f"{STORE_DB}.migrating-{os.getpid()}"
    temp.unlink(missing_ok=True)
    db = _connect(temp)
    try:
        db.executescript(SCHEMA)
        db.execute("BEGIN")
        for row in tables["deleted"]:
            db.execute("INSERT OR IGNORE INTO deleted VALUES (?, ?)",
                       (row.get("session_id"), row.get("deleted_at")))
        # sessions as they were stored (no "deleted" filter: they were kept, so keep them)
        db.execute(INSERT_SESSIONS.replace(
            "WHERE json_extract(value, '$.session_id') NOT IN (SELECT session_id FROM deleted)",
            "WHERE 1"), {"docs": json.dumps(tables["sessions"], ensure_ascii=False)})
        db.execute(INSERT_EVENTS.replace(
            "WHERE json_extract(e.value, '$.session_id') NOT IN (SELECT session_id FROM deleted)",
            "WHERE 1").replace("RETURNING kind", ""),
            {"docs": json.dumps(tables["events"], ensure_ascii=False)})
        for row in tables["bundles"]:
            db.execute("INSERT INTO bundles (folder, kiosk_id, manifest_sha256, imported_at, "
                       "new_events) VALUES (?, ?, ?, ?, ?)",
                       (row.get("folder"), row.get("kiosk_id"), row.get("manifest_sha256"),
                        row.get("imported_at"), row.get("new_events")))
        db.execute("COMMIT")
        _check_migration(db, tables)
        db.close()
        os.replace(temp, folder / STORE_DB)
        fsync_folder(folder)
    except BaseException:
        db.close()
        temp.unlink(missing_ok=True)
        raise
    (folder / OLD_JOURNAL).unlink()
    Path(str(folder / OLD_JOURNAL) + ".lock").unlink(missing_ok=True)
    fsync_folder(folder)
    return len(tables["sessions"]), len(tables["events"])


def _check_migration(db: sqlite3.Connection, tables: dict[str, list[dict]]) -> None:
    """Every document of the journal is in the new file, unchanged (else: refuse)."""
    for table, key in (("sessions", "session_id"), ("events", "event_id")):
        want = {d[key]: d for d in tables[table]}
        have = {row[0]: json.loads(row[1])
                for row in db.execute(f"SELECT {key}, doc FROM {table}")}
        if table == "sessions":
            want = {k: {f: v for f, v in d.items() if f not in ("exported_at", "exported_events")}
                    for k, d in want.items()}
        if have != want:
            raise StoreProblem(f"Converting the old designer store lost or changed some {table}; "
                               "the old store was left as it was.")
