"""The designers' store: every imported session and event, in one SQLite file.

Why SQLite here (the kiosk keeps its TinyDB journal, which is small and proven on a Pi): a
designer's store grows with every kiosk and every month, and the report needs tallies over
all of it. SQLite is in Python's standard library on Windows, macOS and Linux (nothing to
install, no wheel to miss), keeps everything in one file a designer can copy, and its
GROUP BY and window functions do the counting in C. DuckDB or pandas would also count fast,
but each is a large extra download (tens of MB) with native wheels that lag new Pythons on
Windows and macOS, for data that fits SQLite comfortably.

- ``store.sqlite`` in the store folder, WAL mode (``synchronous=NORMAL``: a power cut can
  lose the last transactions but never damages the file; an import checkpoints at its end).
- Events and sessions are keyed by their ids (primary keys), so importing a bundle twice,
  or two overlapping exports, counts each answer once.
- Each bundle is merged whole or not at all (its own transaction, or a savepoint of an
  import's): a bundle that fails half-way changes nothing.
- The columns the report groups by (deck, screen, session, person, response...) are copied
  out of each event at import into a narrow ``events`` table, with indexes on session, deck
  and screen; the whole event is kept as JSON in ``event_docs`` so nothing is lost.
- A store made by an older version (a TinyDB journal, ``store.journal``) is migrated on first
  use: copied into a new file under a temporary name, checked row for row, then renamed into
  place; only then is the old journal removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kiosk.durable import fsync_folder, replace_durably
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
CREATE TABLE IF NOT EXISTS events (  -- narrow, so counting reads few pages
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL,
    deck_id TEXT, deck_version INTEGER, venue TEXT,  -- copied from the session
    person INTEGER,  -- one participant in one session (a 63-bit hash of the two)
    participant, seq INTEGER, at TEXT, kind TEXT, screen_id TEXT, variant TEXT,
    response TEXT, in_task INTEGER NOT NULL DEFAULT 0, language TEXT,
    seconds_to_answer REAL, replays INTEGER, answered_at TEXT, seconds_on_screen REAL);
CREATE TABLE IF NOT EXISTS event_docs (  -- each event whole, as imported (id: events.id)
    id INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_session ON events(session_id, seq);
CREATE INDEX IF NOT EXISTS events_deck_screen ON events(deck_id, deck_version, screen_id);
CREATE TABLE IF NOT EXISTS bundles (
    folder TEXT, kiosk_id TEXT, manifest_sha256 TEXT, source_sha256 TEXT,
    imported_at TEXT, new_events INTEGER, events INTEGER);
CREATE INDEX IF NOT EXISTS bundles_source ON bundles(source_sha256);
CREATE TABLE IF NOT EXISTS deleted (session_id TEXT PRIMARY KEY, deleted_at TEXT);
"""

SECONDARY_INDEXES = ("events_session", "events_deck_screen")

INSERT_SESSION = """
INSERT INTO sessions (session_id, kiosk_id, venue, deck_id, deck_version, started_at,
                      ended_at, end_reason, doc)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (session_id) DO UPDATE SET
    ended_at = excluded.ended_at, end_reason = excluded.end_reason, doc = excluded.doc
WHERE COALESCE(sessions.ended_at, '') = '' AND COALESCE(excluded.ended_at, '') != ''
"""
INSERT_EVENT = """
INSERT OR IGNORE INTO events (event_id, session_id, deck_id, deck_version, venue, person,
    participant, seq, at, kind, screen_id, variant, response, in_task, language,
    seconds_to_answer, replays, answered_at, seconds_on_screen)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
INSERT_EVENT_WITH_ID = INSERT_EVENT.replace(
    "(event_id,", "(id, event_id,").replace("VALUES (?,", "VALUES (?, ?,")
INSERT_DOC = "INSERT INTO event_docs (id, doc) VALUES (?, ?)"
EXPORT_ONLY = ("exported_at", "exported_events")  # a kiosk's own bookkeeping, not kept


_dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # built once


def _text(value: Any) -> str | None:
    """A value the report groups by, as text (a hostile bundle may put a list there)."""
    if value is None or isinstance(value, str):
        return value
    return _dump(value) if isinstance(value, (list, dict)) else str(value)


def _number(value: Any, kinds: tuple[type, ...]) -> Any:
    return value if isinstance(value, kinds) and not isinstance(value, bool) else None


def session_row(doc: dict) -> tuple:
    doc = {k: v for k, v in doc.items() if k not in EXPORT_ONLY}
    version = doc.get("deck_version")
    try:
        version = int(version) if not isinstance(version, bool) else None
    except (TypeError, ValueError, OverflowError):
        version = None
    return (doc.get("session_id"), _text(doc.get("kiosk_id")) or "",
            _text(doc.get("venue")) or "", _text(doc.get("deck_id")) or "",
            version if version is not None else 0, _text(doc.get("started_at")),
            _text(doc.get("ended_at")), _text(doc.get("end_reason")), _dump(doc))


def person_key(session_id: str, participant: Any) -> int:
    """One participant in one session as a 63-bit number: counting distinct people and
    sorting by person is much quicker on numbers than on 40-character text."""
    digest = hashlib.blake2b(f"{session_id}\x1f{participant!r}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big") >> 1


def event_row(doc: dict, session: tuple | None, person: int | None = None) -> tuple:
    """One event as the columns the report counts by.

    ``session``: (deck id, deck version, venue) of its session, or None (then the event is
    kept but counted nowhere, as before). ``person``: its :func:`person_key`, if known.
    Written for speed (a million events per import): the usual types (text, whole numbers,
    floats, None) are taken as they are, anything else goes through ``_text``/``_number``.
    """
    get = doc.get
    deck_id, version, venue = session or _NO_SESSION
    session_id = doc["session_id"]
    participant, seq, at = get("participant"), get("seq"), get("at")
    kind, screen_id, variant = get("kind"), get("screen_id"), get("variant")
    response, language, answered_at = get("response"), get("language"), get("answered_at")
    seconds, replays, on_screen = (get("seconds_to_answer"), get("replays"),
                                   get("seconds_on_screen"))
    return (doc["event_id"], session_id, deck_id, version, venue,
            person if person is not None else person_key(session_id, participant),
            participant if isinstance(participant, (int, float, str)) or participant is None
            else _dump(participant),
            seq if seq.__class__ is int else (_number(seq, (int,)) or 0),
            at if at.__class__ is str else (_text(at) or ""),
            kind if kind.__class__ is str else _text(kind),
            screen_id if screen_id.__class__ is str else (_text(screen_id) or ""),
            variant if variant.__class__ is str else (_text(variant) or ""),
            response if response.__class__ is str else _text(response),
            1 if get("task") else 0,
            language if language.__class__ is str else _text(language),
            seconds if seconds.__class__ in _PLAIN_NUMBERS else
            _number(seconds, (int, float)),
            replays if replays.__class__ is int else _number(replays, (int,)),
            answered_at if answered_at.__class__ is str else _text(answered_at),
            on_screen if on_screen.__class__ in _PLAIN_NUMBERS else
            _number(on_screen, (int, float)))


_NO_SESSION = (None, None, None)
_PLAIN_NUMBERS = (int, float)


@contextmanager
def one_transaction(db: sqlite3.Connection) -> Iterator[None]:
    """Many small writes (to temporary tables too) as one transaction, not one each."""
    if db.in_transaction:
        yield
        return
    db.execute("BEGIN")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _document_encoder() -> Callable[[Any], str]:
    """Compact JSON of one document, like ``_dump`` but calling the C encoder straight:
    ``JSONEncoder.encode`` builds a new C encoder on every call, which cost more than the
    encoding itself for a million small documents."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without the C accelerator
        return _dump
    encode = make(None, json.JSONEncoder().default, json.encoder.encode_basestring, None,
                  ":", ",", False, False, True)
    join = "".join
    return lambda doc: join(encode(doc, 0))


_encode_document = _document_encoder()


def _insert_docs(db: sqlite3.Connection, docs: list[tuple[int, dict]]) -> None:
    """Each event's whole document, as compact JSON, under its row id."""
    encode = _encode_document
    db.executemany(INSERT_DOC, [(row_id, encode(doc)) for row_id, doc in docs])


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
            # NORMAL: in WAL mode a power cut can lose the last transactions, never damage
            # the file; import_bundles checkpoints (fsync) at its end, so a finished import
            # is on disk. FULL would fsync at each of the 50 bundles of a term.
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA cache_size = -65536")  # 64 MB: ids arrive in no order
            self.db.executescript(SCHEMA)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
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
        """One all-or-nothing change: rolled back whole if anything in it fails. Inside a
        longer transaction (an import's batch of bundles) it is a savepoint of it."""
        db = self.db
        if db.in_transaction:
            db.execute("SAVEPOINT change")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK TO change")
                db.execute("RELEASE change")
                raise
            db.execute("RELEASE change")
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def add_sessions(self, sessions: list[dict], keep_deleted: bool = False) -> None:
        """Insert new sessions; a known one is updated only when it now has an end."""
        deleted = set() if keep_deleted else self.deleted_ids()
        self.db.executemany(INSERT_SESSION, [session_row(d) for d in sessions
                                             if d.get("session_id") not in deleted])

    def add_events(self, events: list[dict], keep_deleted: bool = False) -> tuple[int, int]:
        """Insert the events not already here: (new answers, new other events).

        The events already in the store (by id) are found first, so the new ones get their
        row ids here and each goes in once, with its whole document, in two ``executemany``
        (no per-event query). Answers first, then the other events, as before.
        """
        db = self.db
        deleted = set() if keep_deleted else self.deleted_ids()
        wanted_list = list({e["session_id"] for e in events} - deleted)
        found: dict[str, tuple] = {}
        for start in range(0, len(wanted_list), 500):
            chunk = wanted_list[start:start + 500]
            for sid, deck_id, version, venue in db.execute(
                    "SELECT session_id, deck_id, deck_version, venue FROM sessions WHERE "
                    f"session_id IN ({','.join('?' * len(chunk))})", chunk):
                found[sid] = (deck_id, version, venue)
        taken = self._known_event_ids(events)
        first = last = db.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0]
        rows, docs, people = [], [], {}
        counts = [0, 0]
        for answers in (True, False):
            for doc in events:
                if (doc.get("kind") == "answer") is not answers:
                    continue
                event_id, session_id = doc["event_id"], doc["session_id"]
                if event_id in taken or session_id in deleted:
                    continue
                taken.add(event_id)
                participant = doc.get("participant")
                who = (session_id, participant.__class__, participant)
                try:
                    person = people[who]
                except KeyError:
                    person = people[who] = person_key(session_id, participant)
                except TypeError:  # a list or dict from a hostile bundle
                    person = person_key(session_id, participant)
                last += 1
                rows.append((last, *event_row(doc, found.get(session_id), person)))
                docs.append((last, doc))
                counts[0 if answers else 1] += 1
        before = db.total_changes
        # in event-id order: the unique index on the (random) ids is then filled page by
        # page, not all over (it outgrows the cache at a million answers); ids stay as given
        rows.sort(key=lambda row: str(row[1]))
        db.executemany(INSERT_EVENT_WITH_ID, rows)
        if db.total_changes - before != len(rows):
            # ids the set above took as different but SQLite as the same (5 and "5", from a
            # hand-made list): count and keep documents only for the rows that went in
            kept = {row_id for (row_id,) in db.execute(
                "SELECT id FROM events WHERE id > ?", (first,))}
            docs = [doc for doc in docs if doc[0] in kept]
            answers_end = first + counts[0]  # the answers were numbered first
            counts = [sum(1 for i in kept if i <= answers_end),
                      sum(1 for i in kept if i > answers_end)]
        _insert_docs(db, docs)
        return counts[0], counts[1]

    def _known_event_ids(self, events: list[dict]) -> set[str]:
        """Which of these events' ids the store already has (none, in a new store)."""
        if self.db.execute("SELECT NOT EXISTS (SELECT 1 FROM events)").fetchone()[0]:
            return set()
        ids = sorted({e["event_id"] for e in events}, key=str)  # the index read in order
        known: set[str] = set()
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            known.update(eid for (eid,) in self.db.execute(
                f"SELECT event_id FROM events WHERE event_id IN ({','.join('?' * len(chunk))})",
                chunk))
        return known

    def deleted_ids(self) -> set[str]:
        return {sid for (sid,) in self.db.execute("SELECT session_id FROM deleted")}

    def count(self, table: str, where: str = "", params: Iterable[Any] = ()) -> int:
        assert table in ("sessions", "events", "bundles", "deleted")
        sql = f"SELECT COUNT(*) FROM {table}" + (f" WHERE {where}" if where else "")
        return int(self.db.execute(sql, tuple(params)).fetchone()[0])

    def defer_checkpoints(self) -> None:
        """For a long import: let the write-ahead log grow (to about 80 MB) instead of
        copying it into the main file every 4 MB; :meth:`checkpoint` at the end."""
        self.db.execute("PRAGMA wal_autocheckpoint = 20000")

    def drop_secondary_indexes_if_empty(self) -> bool:
        """Into an empty store, a bulk import is quicker with the secondary indexes built
        once at its end (:meth:`build_indexes`) than kept up row by row; True if dropped.
        A crash in between loses nothing: every opening of the store builds missing ones."""
        if not self.db.execute("SELECT NOT EXISTS (SELECT 1 FROM events)").fetchone()[0]:
            return False
        for name in SECONDARY_INDEXES:
            self.db.execute(f"DROP INDEX IF EXISTS {name}")
        return True

    def build_indexes(self) -> None:
        self.db.executescript(SCHEMA)  # CREATE ... IF NOT EXISTS: only the missing ones

    def checkpoint(self) -> None:
        """Everything committed so far onto the disk, into the main file (fsync)."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            db.close()
            self.db = None  # type: ignore[assignment]

    # ---------------------------------------------------------------- reading
    def documents(self, table: str, where: str = "", params: Iterable[Any] = (),
                  order: str = "") -> list[dict]:
        """Whole documents (as imported) from ``sessions`` or ``events``."""
        assert table in ("sessions", "events")
        source = "sessions" if table == "sessions" else \
            "events JOIN event_docs USING (id)"
        sql = f"SELECT doc FROM {source}" + (f" WHERE {where}" if where else "") + \
            f" ORDER BY {order or table + '.rowid'}"
        loads = json.loads
        return [loads(doc) for (doc,) in self.db.execute(sql, tuple(params))]

    def rows(self, sql: str, columns: tuple[str, ...]) -> Rows:
        """The rows of ``sql`` as dicts, streamed each time they are read (never all held)."""
        return Rows(self, sql, columns)

    def query(self, sql: str, params: Iterable[Any] | dict = ()) -> list[tuple]:
        return self.db.execute(sql, params if isinstance(params, dict) else tuple(params)
                               ).fetchall()


class Rows:
    """A query that can be read many times, one row at a time, each row a dict: the
    breakdowns read events the way they read a list, without a million dicts in memory."""

    def __init__(self, store: SqliteStore, sql: str, columns: tuple[str, ...]) -> None:
        self.store, self.sql, self.columns = store, sql, columns

    def __iter__(self) -> Iterator[dict]:
        columns = self.columns
        for row in self.store.db.execute(self.sql):
            yield dict(zip(columns, row, strict=True))


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
        # everything as it was stored (deleted sessions' ids were kept; their data was not)
        db.executemany(INSERT_SESSION, [session_row(d) for d in tables["sessions"]])
        decks = {r[0]: r[1:] for r in db.execute(
            "SELECT session_id, deck_id, deck_version, venue FROM sessions")}
        db.executemany(INSERT_EVENT, [event_row(d, decks.get(d.get("session_id")))
                                      for d in tables["events"]])
        by_id = {d["event_id"]: d for d in tables["events"]}
        db.executemany(INSERT_DOC, [(row_id, _dump(by_id[event_id])) for row_id, event_id in
                                    db.execute("SELECT id, event_id FROM events").fetchall()])
        for row in tables["bundles"]:
            db.execute("INSERT INTO bundles (folder, kiosk_id, manifest_sha256, imported_at, "
                       "new_events) VALUES (?, ?, ?, ?, ?)",
                       (row.get("folder"), row.get("kiosk_id"), row.get("manifest_sha256"),
                        row.get("imported_at"), row.get("new_events")))
        db.execute("COMMIT")
        _check_migration(db, tables)
        db.close()
        replace_durably(temp, folder / STORE_DB)
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
        source = "sessions" if table == "sessions" else "events JOIN event_docs USING (id)"
        have = {row[0]: json.loads(row[1])
                for row in db.execute(f"SELECT {key}, doc FROM {source}")}
        if table == "sessions":
            want = {k: {f: v for f, v in d.items() if f not in ("exported_at", "exported_events")}
                    for k, d in want.items()}
        if have != want:
            raise StoreProblem(f"Converting the old designer store lost or changed some {table}; "
                               "the old store was left as it was.")
