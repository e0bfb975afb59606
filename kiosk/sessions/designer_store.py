"""The designers' store: every imported session and event, in one SQLite file.

Why SQLite here (the kiosk keeps its TinyDB journal, which is small and proven on a Pi): a
designer's store grows with every kiosk and every month, and the report needs tallies over
all of it. SQLite is in Python's standard library on Windows, macOS and Linux (nothing to
install, no wheel to miss), keeps everything in one file a designer can copy, and its
GROUP BY does the counting in C. DuckDB or pandas would also count fast, but each is a large
extra download (tens of MB) with native wheels that lag new Pythons on Windows and macOS,
for data that fits SQLite comfortably.

- ``store.sqlite`` in the store folder, WAL mode (``synchronous=NORMAL``: a power cut can
  lose the last transactions but never damages the file; an import checkpoints at its end).
- Sessions are keyed by their ids, events by their ids within their session (unique), so
  importing a bundle twice, or two overlapping exports, counts each answer once.
- Each bundle is merged whole or not at all (its own transaction, or a savepoint of an
  import's): a bundle that fails half-way changes nothing.
- Each event is one row of ``events``, a column per field the kiosk writes (what the report
  counts by), plus the deck and version of its session and a number for its person.
  Nothing is lost, and :meth:`SqliteStore.documents` gives each event back whole: a bundle
  whose every event its row holds exactly (every field a column, every value of a type its
  column gives back as it is: ``kept_as_is``; each row's field order in ``shapes``), as a
  kiosk writes them, is kept in those rows alone; any other bundle's ``events.json`` is also
  kept as it came, compressed, in ``sources``. (Compressing every bundle took a fifth of
  the work of reading one.)
  Storing each event once, and binding the fields as the kiosk wrote them (no re-encoding,
  no per-field Python), is what makes a year of answers import in seconds.
- A store made by an older version (a TinyDB journal ``store.journal``, or the first SQLite
  layout with an ``event_docs`` table) is converted on first use: copied into a new file
  under a temporary name, checked document for document, then renamed into place; only
  then is the old one removed. A store of the second layout (events without their session's
  number) is converted in place, in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import math
import os
import sqlite3
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from itertools import compress, repeat
from operator import countOf, itemgetter
from pathlib import Path
from typing import Any

from kiosk.durable import fsync_folder, replace_durably, sync_file
from kiosk.errors import KioskError

STORE_DB = "store.sqlite"
OLD_JOURNAL = "store.journal"  # the TinyDB-journal store of earlier versions
SCHEMA_VERSION = 5
# 1: events with their JSON in event_docs; 2: events unique by id alone (its index was
# rewritten all over by every bundle). Both are converted on opening. 3: every event's
# document also kept in sources; a column ``shape`` is added on opening (its events keep
# theirs there). 4: no ``answer_screens``: made on opening, from the events.

# Every field a kiosk writes on an event (kiosk.walk.records, and ``label`` of old logs),
# each a column of ``events``. A field not named here stays in the event's document only.
EVENT_FIELDS = (
    "event_id", "session_id", "kind", "at", "seq", "participant", "language", "screen_id",
    "variant", "fallback", "task", "response", "seconds_to_answer", "seconds_on_screen",
    "replays", "answered_at", "replay_number", "part", "x", "y", "hotspot", "label", "goto",
    "step", "outcome", "seconds", "steps", "question", "answer")
# ...and what the store adds to each: its session's deck and version, its person (bound), its
# source and its session's number (in the statement)
DERIVED = ("deck_id", "deck_version", "person")

# One row per event. An event is known by its id within its session (``session_no``: the
# session's ``number`` in ``sessions``, given as sessions arrive), so a bundle's new events go in
# at the end of the unique index ``events_id``, where unique by id alone put them all over
# it (ids are random) and every bundle of a big store rewrote most of its pages. Ids are
# unique in practice; an id seen again in the same session is the same event (re-imported).
EVENTS_TABLE = """
CREATE TABLE IF NOT EXISTS {name} (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    session_no INTEGER NOT NULL DEFAULT 0,  -- its session's number; 0: not in sessions
    deck_id TEXT, deck_version INTEGER,  -- copied from the session (its venue is not: no
    -- count reads it there, and a year's import writes 60 MB less)
    person INTEGER,  -- one participant in one session (a 63-bit hash of the two)
    source INTEGER,  -- the sources row holding this event's document, if it is kept there
    shape INTEGER,  -- the shapes row naming the fields this row's columns hold, in order
    kind TEXT, at TEXT DEFAULT '', seq INTEGER DEFAULT 0, participant,
    language TEXT, screen_id TEXT DEFAULT '', variant TEXT DEFAULT '',
    fallback, task, response TEXT, seconds_to_answer REAL, seconds_on_screen REAL,
    replays INTEGER, answered_at TEXT, replay_number, part, x, y, hotspot, label, goto,
    step, outcome, seconds, steps, question, answer,
    in_task INTEGER GENERATED ALWAYS AS (task IS NOT NULL AND task != '' AND task != 0));
"""

# A session's number is its own column (an INTEGER PRIMARY KEY: the rowid by name), so that
# VACUUM (``kiosk store delete``), which may renumber rows without one, keeps it.
SESSIONS_TABLE = """
CREATE TABLE IF NOT EXISTS {name} (
    number INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL UNIQUE,
    kiosk_id TEXT, venue TEXT, deck_id TEXT, deck_version INTEGER,
    started_at TEXT, ended_at TEXT, end_reason TEXT,
    doc TEXT NOT NULL);
"""
SESSION_COLUMNS = ("session_id", "kiosk_id", "venue", "deck_id", "deck_version",
                   "started_at", "ended_at", "end_reason", "doc")

SCHEMA = SESSIONS_TABLE.format(name="sessions") + """
CREATE INDEX IF NOT EXISTS sessions_deck ON sessions(deck_id, deck_version);
""" + EVENTS_TABLE.format(name="events") + """
CREATE TABLE IF NOT EXISTS sources (  -- events as imported: zlib-compressed JSON
    id INTEGER PRIMARY KEY, body BLOB NOT NULL);
-- every screen with answers (of any deck version), numbered: the report counts by the number
-- (a million answers sort by one small number far quicker than by deck, version and screen)
CREATE TABLE IF NOT EXISTS answer_screens (
    number INTEGER PRIMARY KEY, deck_id TEXT NOT NULL, deck_version INTEGER,
    screen_id TEXT, UNIQUE (deck_id, deck_version, screen_id));
CREATE TABLE IF NOT EXISTS shapes (  -- an event's field names in their order, as JSON
    id INTEGER PRIMARY KEY, fields TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS source_sessions (  -- which sources hold which sessions' data
    session_id TEXT NOT NULL, source INTEGER NOT NULL, PRIMARY KEY (session_id, source));
-- each event once; also a session's events (deleting one)
CREATE UNIQUE INDEX IF NOT EXISTS events_id ON events(session_no, event_id);
-- the report reads the kinds that are not answers (taps, task steps, profile answers,
-- replays) without a pass over every event. Its counts of answers read (nearly) every
-- answer, where a pass and a sort beat any index, so answers (nearly half the events) are
-- left out of this one, which costs an import half as much to keep up. By kind alone: each
-- kind's new rows go in at the end of its part of the index, where one on kind, deck and
-- screen took them in all over it (a year's import 0.2 s and its report 0.4 s quicker;
-- grouping a kind's rows by screen sorts them, which costs less than the wider index's
-- pages). It is kept up as events go in, in a first import too: the storing process has
-- time while it waits for the bundles being read, where building it at the end left the
-- other core idle. (SQLite uses a partial index only for a query whose WHERE holds its
-- condition: each query on other kinds says kind != 'answer' too.) Each index costs every
-- import time to keep up (one on deck and screen alone, and one on events in tasks, were
-- tried and never used, so a store made by an earlier version loses them).
CREATE INDEX IF NOT EXISTS events_of_other_kinds ON events(kind) WHERE kind != 'answer';
DROP INDEX IF EXISTS events_other_kinds;
DROP INDEX IF EXISTS events_kind_screen;
DROP INDEX IF EXISTS events_kind;
DROP INDEX IF EXISTS events_session;
DROP INDEX IF EXISTS events_deck_screen;
DROP INDEX IF EXISTS events_in_task;
CREATE TABLE IF NOT EXISTS bundles (
    folder TEXT, kiosk_id TEXT, manifest_sha256 TEXT, source_sha256 TEXT,
    imported_at TEXT, new_events INTEGER, events INTEGER);
CREATE INDEX IF NOT EXISTS bundles_source ON bundles(source_sha256);
CREATE TABLE IF NOT EXISTS deleted (session_id TEXT PRIMARY KEY, deleted_at TEXT);
"""


INSERT_SESSION = """
INSERT INTO sessions (session_id, kiosk_id, venue, deck_id, deck_version, started_at,
                      ended_at, end_reason, doc)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (session_id) DO UPDATE SET
    ended_at = excluded.ended_at, end_reason = excluded.end_reason, doc = excluded.doc
WHERE COALESCE(sessions.ended_at, '') = '' AND COALESCE(excluded.ended_at, '') != ''
"""
EXPORT_ONLY = ("exported_at", "exported_events")  # a kiosk's own bookkeeping, not kept

# After a batch of events went in as the kiosk wrote them: the few values of the wrong type
# (from a hand-made or hostile bundle) made into what the report can count, in one pass.
NORMALISE_NEW_EVENTS = """
UPDATE events SET
    seq = CASE WHEN typeof(seq) = 'integer' THEN seq ELSE 0 END,
    at = COALESCE(at, ''), screen_id = COALESCE(screen_id, ''),
    variant = COALESCE(variant, ''),
    seconds_to_answer = CASE WHEN typeof(seconds_to_answer) IN ('integer', 'real')
                             THEN seconds_to_answer END,
    seconds_on_screen = CASE WHEN typeof(seconds_on_screen) IN ('integer', 'real')
                             THEN seconds_on_screen END,
    replays = CASE WHEN typeof(replays) = 'integer' THEN replays END
WHERE id > ? AND (typeof(seq) != 'integer' OR at IS NULL OR screen_id IS NULL
    OR variant IS NULL OR typeof(seconds_to_answer) NOT IN ('integer', 'real', 'null')
    OR typeof(seconds_on_screen) NOT IN ('integer', 'real', 'null')
    OR typeof(replays) NOT IN ('integer', 'null'))
"""

# The screens of answers (``{where}``: which events) not numbered yet, from the events: for a
# store made before ``answer_screens``, and events with values put right by
# NORMALISE_NEW_EVENTS. (``IS``: a hand-made value may be NULL, and NULLs are never UNIQUE.)
ADD_ANSWER_SCREENS = """
INSERT INTO answer_screens (deck_id, deck_version, screen_id)
SELECT DISTINCT deck_id, deck_version, screen_id FROM events AS e NOT INDEXED
WHERE {where} AND kind = 'answer' AND deck_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM answer_screens AS s WHERE s.deck_id = e.deck_id
    AND s.deck_version IS e.deck_version AND s.screen_id IS e.screen_id)
"""

# An event's session's number, looked up by SQLite as the event goes in (``?{}``: its
# session id): the importer's reading process, which makes the rows, cannot know it.
SESSION_NUMBER = "COALESCE((SELECT number FROM sessions WHERE session_id = ?{}), 0)"

_dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # built once
_FIELD_SET = frozenset(EVENT_FIELDS)
_BINDABLE = frozenset({str, int, float, bool, type(None)})  # what SQLite takes as it is


def _text(value: Any) -> str | None:
    """A value the report groups by, as text (a hostile bundle may put a list there)."""
    if value is None or isinstance(value, str):
        return value
    return _dump(value) if isinstance(value, (list, dict)) else str(value)


def session_row(doc: dict) -> tuple:
    doc = {k: v for k, v in doc.items() if k not in EXPORT_ONLY}
    version: Any = doc.get("deck_version")
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


def _bindable(value: Any) -> Any:
    """A field's value as SQLite can hold it: a list or dict (hostile) as its JSON text."""
    return _dump(value) if isinstance(value, (list, dict)) else value


def _fits(value: Any) -> Any:
    """A value SQLite can bind: an integer beyond 64 bits as its digits."""
    if isinstance(value, int) and not -2**63 <= value < 2**63:
        return str(value)
    return value


def pack(body: Any) -> bytes:
    """Events as the store keeps their documents: the bytes they came in (or their JSON),
    zlib-compressed (level 1: JSON shrinks about 6 times, at disk speed)."""
    return zlib.compress(body if isinstance(body, bytes) else _dump(body).encode(), 1)


def _unpack(blob: bytes) -> list[dict]:
    """The events of a ``sources`` row (a bundle's whole events.json, or a list)."""
    body = json.loads(zlib.decompress(blob))
    return body["events"] if isinstance(body, dict) else body


class EventRows:
    """Events turned into rows for ``INSERT``, grouped by their fields, built without the
    database (the importer builds them in its reading thread, beside SQLite's work).

    A kiosk writes each kind of event with the same fields in the same order, so events are
    grouped by their field names and each group goes in with one statement naming exactly
    those columns, binding the values as they are (absent fields take the column's default,
    never a bound NULL, which costs SQLite's Python binding far more than a value). Each
    group is turned into rows column by column with C loops (``map``, ``zip``,
    ``itemgetter``): no Python runs per event, except for hostile values.

    ``sessions``: session id -> (deck id, deck version), copied onto its events.
    """

    def __init__(self, events: Iterable[dict], sessions: dict[Any, tuple]) -> None:
        self.sessions = sessions
        self.groups: dict[tuple, list[tuple]] = {}
        self.answers = 0
        self.answer_screens: set[tuple] = set()  # (deck id, version, screen) of the answers
        self.odd = False  # a value NORMALISE_NEW_EVENTS must put right
        # every event given back by its row exactly as it came (fields, order, values, types):
        # then no copy of the documents need be kept (see ``kept_as_is``)
        self.exact = True
        by_fields: dict[tuple, list[dict]] = {}
        for doc in events:
            fields = tuple(doc)
            docs = by_fields.get(fields)
            if docs is None:
                docs = by_fields[fields] = []
            docs.append(doc)
        people: dict[tuple, int] = {}
        self._shared: dict[str, str] = {}
        for fields, docs in by_fields.items():
            # (a group's documents have the same fields in the same order: the values of each
            # are its row, and zip turns the rows into columns)
            columns: list[Sequence[Any]] = list(zip(*map(dict.values, docs), strict=True))
            types = [set(map(type, cells)) for cells in columns]  # (each column's, once)
            if not (_FIELD_SET.issuperset(fields) and all(map(_BINDABLE.issuperset, types))):
                fields = tuple(f for f in fields if f in _FIELD_SET)  # the rest: in the doc
                columns = [[_bindable(doc[name]) for doc in docs] for name in fields]
                types = [set(map(type, cells)) for cells in columns]
                self.exact = False
            elif self.exact:
                self.exact = all(map(kept_as_is, fields, columns, types))
            self._add_group(fields, columns, types, people)
        del self._shared
        self.exact = self.exact and not self.odd

    def _add_group(self, fields: tuple, columns: list[Sequence[Any]], types: list[set[type]],
                   people: dict[tuple, int]) -> None:
        """One group's rows, made column by column: the fields' values, then its session's
        deck id and deck version, then its person. ``types``: each column's types."""
        column = dict(zip(fields, columns, strict=True))
        type_of = dict(zip(fields, types, strict=True))
        session_ids = column["session_id"]
        participants = column.get("participant") or [None] * len(session_ids)
        try:
            who = list(zip(session_ids, map(type, participants), participants, strict=True))
            for key in set(who).difference(people):
                people[key] = person_key(key[0], key[2])
            persons = list(map(people.__getitem__, who))
            sessions = list(map(self.sessions.get, session_ids, repeat(_NO_SESSION)))
        except TypeError:  # a list or dict (hostile) as a session id or a participant
            persons = [person_key(s, p) for s, p in zip(session_ids, participants, strict=True)]
            sessions = [self.sessions.get(s, _NO_SESSION) if isinstance(s, str)
                        else _NO_SESSION for s in session_ids]
        # one text object for each value of a repeated text (session id, kind, screen,
        # response...), not one per event: the rows are sent to the storing process in
        # half the time and take less memory there (marshal writes an object once)
        shared = self._shared
        cells = [list(map(shared.setdefault, values, values))
                 if name in _REPEATED_TEXT and type_of[name] <= {str} else values
                 for name, values in column.items()]
        derived = [list(map(itemgetter(i), sessions)) for i in range(len(_NO_SESSION))]
        rows = list(zip(*cells, *derived, persons, strict=True))
        for name, expected in _COLUMN_TYPES.items():
            if name in column and not expected.issuperset(type_of[name]):
                self.odd = True
        if "kind" in column:
            self.answers += countOf(column["kind"], "answer")
            screens = column.get("screen_id") or [""] * len(session_ids)
            self.answer_screens.update(compress(
                zip(derived[0], derived[1], screens, strict=True),
                map("answer".__eq__, column["kind"])))
        # (in the order the kiosk wrote them: a session's events after the one before's, as
        # its number in the store is, so they go in near the end of the unique index
        # events_id, on (session number, event id). Sorting them by session id and event id,
        # as before, made a year's import 7% slower.)
        self.groups.setdefault(fields, []).extend(rows)

    def __len__(self) -> int:
        return sum(map(len, self.groups.values()))

    # The rows cross from the importer's reading process to the storing one by marshal, the
    # format Python writes its own compiled code in: twice as quick as pickle for tuples of
    # plain values, and each shared text still written once. (It is for data a program
    # trusts: these rows come from our own reading process, never from a file.)
    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "groups": marshal.dumps(self.groups)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, groups=marshal.loads(state["groups"]))

    def insert_into(self, db: sqlite3.Connection, source: int | None) -> None:
        """Insert every group, each row's document being in ``sources`` row ``source``, or
        (None) its own columns, in the order of its shape."""
        for fields, rows in self.groups.items():
            columns = ", ".join(f'"{f}"' for f in (*fields, *DERIVED, "source", "shape",
                                                   "session_no"))
            marks = ", ".join(f"?{n}" for n in range(1, len(fields) + len(DERIVED) + 1))
            session = fields.index("session_id") + 1
            shape = _dump(fields)
            db.execute("INSERT OR IGNORE INTO shapes (fields) VALUES (?)", (shape,))
            (shape_id,) = db.execute("SELECT id FROM shapes WHERE fields = ?",
                                     (shape,)).fetchone()
            insert = (f"INSERT OR IGNORE INTO events ({columns}) VALUES ({marks}, "
                      f"{'NULL' if source is None else int(source)}, {int(shape_id)}, "
                      f"{SESSION_NUMBER.format(session)})")
            try:
                db.executemany(insert, rows)
            except OverflowError:  # a whole number beyond SQLite's 64 bits: kept as text
                db.executemany(insert, [tuple(_fits(value) for value in row) for row in rows])


def session_decks(sessions: Iterable[dict]) -> dict[str, tuple]:
    """(deck id, deck version) of each session, as the store keeps them (the first of a
    repeated id, as the store does)."""
    found: dict[str, tuple] = {}
    for row in map(session_row, sessions):
        if isinstance(row[0], str):
            found.setdefault(row[0], (row[3], row[4]))
    return found


@dataclass
class PreparedEvents:
    """A bundle's events made ready for the store where the bundle was read (the importer's
    reading process): made into rows with the bundle's own sessions, kept as they came
    (packed) unless the rows give each back exactly, and counted per session. This crosses
    between processes instead of the events themselves: pickling a quarter of a million
    dicts would cost more than it saves."""

    packed: bytes | None  # the bundle's events.json as it came, by pack(); None: rows.exact
    rows: EventRows
    per_session: dict[str, int]  # events per session id

    @classmethod
    def of(cls, events_json: bytes, events: list[dict], sessions: list[dict]
           ) -> PreparedEvents:
        rows = EventRows(events, session_decks(sessions))
        return cls(None if rows.exact else pack(events_json), rows,
                   dict(Counter(map(itemgetter("session_id"), events))))

    def events(self) -> list[dict]:
        if self.packed is not None:
            return _unpack(self.packed)
        # (a row is its fields' values, then what the store adds: zip stops at the fields)
        return [dict(zip(fields, row, strict=False)) for fields, rows in self.rows.groups.items()
                for row in rows]

    def __len__(self) -> int:
        return sum(self.per_session.values())


_NO_SESSION = (None, None)
# The fields whose values repeat from event to event (all but ids and times).
_REPEATED_TEXT = frozenset(EVENT_FIELDS) - {"event_id", "at", "answered_at"}
# The columns the report reads as numbers or text, and the types a kiosk writes there (no
# time for an answer it could not time, as NORMALISE_NEW_EVENTS leaves it): any other (from
# a hand-made bundle) is put right by NORMALISE_NEW_EVENTS, a pass over the bundle's rows.
_COLUMN_TYPES = {
    "seq": frozenset({int}), "at": frozenset({str}), "screen_id": frozenset({str}),
    "variant": frozenset({str}), "seconds_to_answer": frozenset({int, float, type(None)}),
    "seconds_on_screen": frozenset({int, float, type(None)}),
    "replays": frozenset({int, type(None)})}


# What each column gives back exactly as it was bound: a column of text turns a number into
# text, one of reals an integer into a real (and -0.0 into 0.0), one of integers a real into
# an integer; SQLite has no true or false (1 and 0) and no NaN (NULL), and holds whole
# numbers of 64 bits at most. The columns with no type keep text, whole numbers and reals,
# -0.0 too (a tap's x rounded from just left of 0: a bundle was once kept twice for one).
_TEXT_COLUMNS = frozenset({"event_id", "session_id", "kind", "at", "language", "screen_id",
                           "variant", "response", "answered_at"})
_REAL_COLUMNS = frozenset(name for name in EVENT_FIELDS if name.startswith("seconds_"))
_KEPT_AS_IS = {name: frozenset({str, type(None)}) if name in _TEXT_COLUMNS else
               frozenset({float, type(None)}) if name in _REAL_COLUMNS else
               frozenset({int, type(None)}) if name in ("seq", "replays") else
               frozenset({str, int, float, type(None)}) for name in EVENT_FIELDS}


def kept_as_is(name: str, values: Sequence[Any], types: set[type] | None = None) -> bool:
    """Whether column ``name`` gives back each of these values exactly as it is (type too).
    ``types``: the values' types, if known."""
    types = set(map(type, values)) if types is None else types
    if not types <= _KEPT_AS_IS[name]:
        return False
    if int in types:
        ints = values if types == {int} else [v for v in values if type(v) is int]
        if min(ints) < -2**63 or max(ints) >= 2**63:
            return False
    if float in types:
        floats = values if types == {float} else [v for v in values if type(v) is float]
        if any(map(math.isnan, floats)) or (name in _REAL_COLUMNS and 0.0 in floats and any(
                math.copysign(1.0, v) < 0 for v in floats if v == 0)):
            return False
    return True


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


class StoreProblem(KioskError):
    """The designer store cannot be opened or changed, in words a designer can act on."""


def cannot_open(folder: Path, error: sqlite3.DatabaseError | OSError) -> StoreProblem:
    """What to tell the designer when the store in ``folder`` cannot be opened or made."""
    if isinstance(error, OSError):
        return StoreProblem(f"The designer store in {folder} cannot be opened: "
                            f"{error.strerror or error}.")
    return StoreProblem(f"The designer store in {folder} cannot be opened ({error}). If it was "
                        "copied from another computer, copy it again; otherwise import the "
                        "bundles into a new, empty folder.")


def store_exists(folder: Path) -> bool:
    """Whether anything was ever imported into ``folder`` (this version's file or an old one)."""
    folder = Path(folder)
    return (folder / STORE_DB).is_file() or (folder / OLD_JOURNAL).is_file()


# SQLite's page cache for the store's file: an import adds rows at the end of the table and
# at a few hundred places in the index on kinds, and each bundle's pages must stay in the
# cache until its batch is written. 32 MB: a year of bundles imported 0.3-0.4 s quicker
# (of 14 s) than with 16 MB, and the storing process used 1.5 s less CPU when on its own.
CACHE_KB = 32 * 1024
PAGE_BYTES = 16 * 1024


def _connect(path: Path) -> sqlite3.Connection:
    """A connection to the store's file. (No sorting threads, ``PRAGMA threads``: the import
    and the report keep both cores busy with a process each, and a sort's second thread only
    took turns with the other process: the report was 5% quicker without.)"""
    db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA busy_timeout = 5000")
    return db


def _open_store_file(path: Path) -> sqlite3.Connection:
    """The store's file, as the store uses it (write-ahead log)."""
    db = _connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    # NORMAL: in WAL mode a power cut can lose the last transactions, never damage the file;
    # import_bundles checkpoints (fsync) at its end, so a finished import is on disk. FULL
    # would fsync at each of the 50 bundles of a term.
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(f"PRAGMA cache_size = -{CACHE_KB}")
    return db


def _open_read_only(file: Path) -> sqlite3.Connection:
    return sqlite3.connect(Path(file).resolve().as_uri() + "?mode=ro", uri=True,
                           isolation_level=None, check_same_thread=False)


class SqliteStore:
    """The store's SQLite file: opening, converting old stores, merging and the raw queries."""

    def __init__(self, folder: Path | None, read_only: bool = False,
                 file: Path | None = None,
                 progress: Callable[[str], None] | None = None) -> None:
        """``folder`` None: an in-memory store (``write_report`` on lists of events), or,
        with ``file``, a new store in that file (a conversion's copy, before it is renamed).
        ``progress``, if given, is told before a store of an earlier version is converted
        (a year of answers takes a while, once)."""
        self.folder = Path(folder) if folder is not None else None
        self.read_only = read_only
        # moves on at every change of events through this object, and at a new connection (no
        # temporary table the report built from them is left)
        self.generation = 0
        self._connect_again: Callable[[], sqlite3.Connection] | None = None
        self.file = Path(file) if file is not None and folder is None else None
        if self.folder is None:
            self.db = _connect(self.file or Path(":memory:"))
            if self.file is not None:
                # a new file under a temporary name, removed if anything goes wrong before it
                # is moved into place: no journal on disk and no fsync to protect it (a
                # write-ahead log would write every page twice), a 12% quicker import.
                # (Savepoints still roll back: the journal is kept in memory.)
                self.db.execute("PRAGMA journal_mode = MEMORY")
                self.db.execute("PRAGMA synchronous = OFF")
                # pages of 16 KB, not 4: fewer levels and splits in the tables and indexes
                # (the import 3-5% quicker, the report 1%); a store keeps the size it was
                # made with
                self.db.execute(f"PRAGMA page_size = {PAGE_BYTES}")
                self.db.execute(f"PRAGMA cache_size = -{CACHE_KB}")
            self.db.executescript(SCHEMA)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            return
        path = self.folder / STORE_DB
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            converting = (f"Converting the designer store in {self.folder} to this "
                          "version's layout (once; a year of answers takes about half a "
                          "minute)...")
            if not path.exists() and (self.folder / OLD_JOURNAL).exists():
                if progress is not None:
                    progress(converting)
                migrate_journal_store(self.folder)
            elif path.exists() and _first_layout(path):
                if progress is not None:
                    progress(converting)
                migrate_first_sqlite_store(self.folder)
            self._connect_again = partial(_open_store_file, path)
            self.db = self._connect_again()
            if _without_session_numbers(self.db):
                if progress is not None:
                    progress(converting)
                add_session_numbers(self.db)
            numbered = _has_table(self.db, "answer_screens")
            self.db.executescript(SCHEMA)
            if not _has_column(self.db, "events", "shape"):  # (a store of the third layout)
                self.db.execute("ALTER TABLE events ADD COLUMN shape INTEGER")
            if not numbered:  # (a store of the fourth layout: a pass over its events, once)
                self.db.execute(ADD_ANSWER_SCREENS.format(where="1"))
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except (sqlite3.DatabaseError, OSError) as error:
            raise cannot_open(self.folder, error) from None

    @classmethod
    def reading(cls, file: Path) -> SqliteStore:
        """The store's file opened read-only, as it is (no conversion, no schema): for a
        second process that reads beside the one that opened the store properly."""
        store = cls.__new__(cls)
        store.folder, store.read_only, store.generation = Path(file).parent, True, 0
        store.file = None
        store._connect_again = partial(_open_read_only, file)
        store.db = store._connect_again()
        return store

    @contextmanager
    def disconnected(self) -> Iterator[None]:
        """The connection closed for the block, and opened again the same way after it: a
        process forked meanwhile carries none of SQLite's state for this file (which SQLite
        warns against: https://www.sqlite.org/howtocorrupt.html, section 2.6). Temporary
        tables do not survive this; a store in memory cannot do it."""
        if self._connect_again is None:
            raise ValueError("a store in memory cannot be closed and opened again")
        self.db.close()
        try:
            yield
        finally:
            self.db = self._connect_again()
            self.generation += 1

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

    def add_events(self, events: list[dict], keep_deleted: bool = False,
                   as_imported: bytes | None = None) -> tuple[int, int]:
        """Insert the events not already here (by id): (new answers, new other events).

        ``as_imported``: what the events were read from (a bundle's events.json, which also
        holds its sessions) packed by :func:`pack`, kept as the events' documents instead of
        encoding them again. Events of sessions the designer deleted are left out (and so is
        that text).
        """
        deleted = set() if keep_deleted else self.deleted_ids()
        if deleted and any(e["session_id"] in deleted for e in events):
            events = [e for e in events if e["session_id"] not in deleted]
            as_imported = None  # its text holds what was deleted: keep only the rest
        if not events:
            return 0, 0
        session_ids = {e["session_id"] for e in events if isinstance(e["session_id"], str)}
        rows = EventRows(events, self._sessions_of(session_ids))
        kept = None if rows.exact else as_imported if as_imported is not None else pack(events)
        return self._insert(rows, kept, session_ids)

    def add_prepared(self, prepared: PreparedEvents) -> tuple[int, int]:
        """As :meth:`add_events`, with the rows made in the importer's reading process. They
        are used as they are unless the store knows better: a session it deleted, or one it
        already had with another deck (then the events are made into rows again)."""
        session_ids = set(prepared.per_session)
        if self.deleted_ids().isdisjoint(session_ids):
            found = self._sessions_of(session_ids)
            if all(found.get(s, _NO_SESSION) == prepared.rows.sessions.get(s, _NO_SESSION)
                   for s in session_ids):
                return self._insert(prepared.rows, prepared.packed, session_ids)
        return self.add_events(prepared.events(), as_imported=prepared.packed)

    def _insert(self, rows: EventRows, packed: bytes | None, session_ids: set[str]
                ) -> tuple[int, int]:
        """The rows that are new (by event id), their documents (``packed``) in ``sources``
        unless the rows hold them exactly (None)."""
        db = self.db
        self.generation += 1
        first = db.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0]
        source = None if packed is None else int(db.execute(
            "INSERT INTO sources (body) VALUES (?)", (packed,)).lastrowid or 0)
        before = db.total_changes
        rows.insert_into(db, source)
        added = db.total_changes - before
        if rows.odd:  # (then its screens are read back as the store now holds them)
            db.execute(NORMALISE_NEW_EVENTS, (first,))
            db.execute(ADD_ANSWER_SCREENS.format(where="id > ?"), (first,))
        else:
            db.executemany("INSERT OR IGNORE INTO answer_screens (deck_id, deck_version, "
                           "screen_id) VALUES (?, ?, ?)",
                           sorted(key for key in rows.answer_screens if key[0] is not None))
        answers, others = rows.answers, added - rows.answers
        if added != len(rows):  # some were here already: count what went in
            answers, others = db.execute(
                "SELECT COALESCE(SUM(kind = 'answer'), 0), "
                "COALESCE(SUM(kind IS NOT 'answer'), 0) FROM events WHERE id > ?",
                (first,)).fetchone()
        if source is None:
            pass
        elif answers + others == 0:  # everything was here already: keep no second copy
            db.execute("DELETE FROM sources WHERE id = ?", (source,))
        else:
            db.executemany("INSERT OR IGNORE INTO source_sessions VALUES (?, ?)",
                           [(sid, source) for sid in session_ids])
        return int(answers), int(others)

    def _sessions_of(self, session_ids: set[str]) -> dict[str, tuple]:
        """(deck id, deck version) of each of these sessions the store has."""
        wanted = list(session_ids)
        found: dict[str, tuple] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            for sid, deck_id, version in self.db.execute(
                    "SELECT session_id, deck_id, deck_version FROM sessions WHERE "
                    f"session_id IN ({','.join('?' * len(chunk))})", chunk):
                found[sid] = (deck_id, version)
        return found

    def delete_session(self, session_id: str) -> int:
        """Remove a session and its events, from the rows and from the kept documents (each
        source that held any of it is rewritten without it); returns how many events went."""
        db = self.db
        self.generation += 1
        sources = [r for (r,) in db.execute(
            "SELECT source FROM source_sessions WHERE session_id = ?", (session_id,))]
        for source in sources:
            (blob,) = db.execute("SELECT body FROM sources WHERE id = ?", (source,)).fetchone()
            body = json.loads(zlib.decompress(blob))
            if isinstance(body, dict):
                body["sessions"] = [s for s in body.get("sessions", [])
                                    if s.get("session_id") != session_id]
                body["events"] = [e for e in body["events"] if e["session_id"] != session_id]
            else:
                body = [e for e in body if e["session_id"] != session_id]
            db.execute("UPDATE sources SET body = ? WHERE id = ?", (pack(body), source))
        db.execute("DELETE FROM source_sessions WHERE session_id = ?", (session_id,))
        removed = db.execute(
            f"DELETE FROM events WHERE session_no IN (0, {SESSION_NUMBER.format(1)}) "
            "AND session_id = ?1", (session_id,)).rowcount
        db.execute("DELETE FROM sessions WHERE session_id = ?", (session_id,))
        return int(removed)

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

    def checkpoint(self) -> None:
        """Everything committed so far onto the disk, into the main file (fsync)."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            if self.file is not None:  # a new file: left as any store is (write-ahead log)
                with suppress(sqlite3.Error):  # (else the next opening sets it)
                    db.execute("PRAGMA journal_mode = WAL")
            db.close()
            self.db = None  # type: ignore[assignment]

    # ---------------------------------------------------------------- reading
    def documents(self, table: str, order: str = "") -> list[dict]:
        """Whole documents, as imported: ``sessions`` (in ``order``) or ``events`` (in the
        order they went in)."""
        assert table in ("sessions", "events")
        loads = json.loads
        if table == "sessions":
            return [loads(doc) for (doc,) in self.db.execute(
                f"SELECT doc FROM sessions ORDER BY {order or 'rowid'}")]
        shapes: dict[int, list[str]] = {}
        columns = "NULL, event_id"  # (a store of the third layout, read as it is)
        if _has_column(self.db, "events", "shape"):
            shapes = {shape: json.loads(fields) for shape, fields in
                      self.db.execute("SELECT id, fields FROM shapes")}
            columns = "shape, event_id, " + ", ".join(f'"{name}"' for name in EVENT_FIELDS)
        place = {name: index for index, name in enumerate(EVENT_FIELDS, start=3)}
        wanted: dict[int, list[str]] = {}
        order_of: list[tuple[int, str] | dict] = []
        for row in self.db.execute(f"SELECT source, {columns} FROM events ORDER BY id"):
            source, shape, event_id = row[:3]
            if source is None:  # its columns hold it exactly, in its shape's order
                order_of.append({name: row[place[name]] for name in shapes[shape]})
                continue
            wanted.setdefault(source, []).append(event_id)
            order_of.append((source, event_id))
        found: dict[tuple[int, str | None], dict] = {}
        for source, ids in wanted.items():
            (blob,) = self.db.execute("SELECT body FROM sources WHERE id = ?",
                                      (source,)).fetchone()
            want = set(ids)
            for doc in _unpack(blob):
                key = (source, _text(doc.get("event_id")))
                if key[1] in want and key not in found:
                    found[key] = doc
        return [key if isinstance(key, dict) else found[key] for key in order_of]

    def query(self, sql: str, params: Iterable[Any] | dict = ()) -> list[tuple]:
        return self.db.execute(sql, params if isinstance(params, dict) else tuple(params)
                               ).fetchall()


# ------------------------------------------------------------ stores of earlier versions


def _first_layout(path: Path) -> bool:
    """Whether ``path`` is a store of the first SQLite layout (events' JSON in event_docs)."""
    db = _connect(path)
    try:
        return bool(db.execute("SELECT 1 FROM sqlite_master WHERE name = 'event_docs'")
                    .fetchone())
    finally:
        db.close()


def _without_session_numbers(db: sqlite3.Connection) -> bool:
    """Whether this is a store of the second layout (events unique by id alone, sessions
    without a number of their own), or part-way to this one."""
    events, sessions = ({row[1] for row in db.execute(f"PRAGMA table_info({table})")}
                        for table in ("events", "sessions"))
    return bool(events) and ("session_no" not in events or "number" not in sessions)


def _has_table(db: sqlite3.Connection, table: str) -> bool:
    return bool(db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                           (table,)).fetchone())


def _has_column(db: sqlite3.Connection, table: str, column: str) -> bool:
    return any(row[1] == column for row in db.execute(f"PRAGMA table_info({table})"))


def add_session_numbers(db: sqlite3.Connection) -> int:
    """Convert a store of the second layout in place: its sessions copied with a number
    each (the row they had), its events with their session's number, into tables of this
    layout that then take the old ones' places, in one transaction (a failure or a power
    cut leaves the old tables as they were), after checking that every row was copied.
    Returns how many events were copied."""
    sessions = ", ".join(SESSION_COLUMNS)
    columns = ", ".join(f'"{c}"' for c in ("id", *EVENT_FIELDS, *DERIVED, "source"))
    copied = ", ".join(f'e."{c}"' for c in ("id", *EVENT_FIELDS, *DERIVED, "source"))
    db.execute("BEGIN IMMEDIATE")
    try:
        for table in ("sessions_numbered", "events_numbered"):
            db.execute(f"DROP TABLE IF EXISTS {table}")
        db.execute(SESSIONS_TABLE.format(name="sessions_numbered"))
        db.execute(f"INSERT INTO sessions_numbered (number, {sessions}) "
                   f"SELECT rowid, {sessions} FROM sessions ORDER BY rowid")
        db.execute(EVENTS_TABLE.format(name="events_numbered"))
        db.execute(f"INSERT INTO events_numbered ({columns}, session_no) "
                   f"SELECT {copied}, COALESCE(s.number, 0) FROM events AS e "
                   "LEFT JOIN sessions_numbered AS s ON s.session_id = e.session_id "
                   "ORDER BY e.id")
        for table in ("sessions", "events"):
            (old,), (new,) = (db.execute(f"SELECT COUNT(*) FROM {name}").fetchone()
                              for name in (table, f"{table}_numbered"))
            if old != new:
                raise StoreProblem("Converting the designer store to this version's layout "
                                   f"did not copy every one of its {table}; the store was "
                                   "left as it was.")
        for table in ("sessions", "events"):
            db.execute(f"DROP TABLE {table}")
            db.execute(f"ALTER TABLE {table}_numbered RENAME TO {table}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return int(new)


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
    _write_converted(folder, tables)
    (folder / OLD_JOURNAL).unlink()
    Path(str(folder / OLD_JOURNAL) + ".lock").unlink(missing_ok=True)
    fsync_folder(folder)
    return len(tables["sessions"]), len(tables["events"])


def migrate_first_sqlite_store(folder: Path) -> tuple[int, int]:
    """Convert a store of the first SQLite layout (each event stored twice: columns, and its
    JSON in ``event_docs``) to this one, the same careful way; returns (sessions, events)."""
    folder = Path(folder)
    old = _connect(folder / STORE_DB)
    try:
        loads = json.loads
        tables = {
            "sessions": [loads(d) for (d,) in old.execute("SELECT doc FROM sessions "
                                                          "ORDER BY rowid")],
            "events": [loads(d) for (d,) in old.execute(
                "SELECT d.doc FROM events JOIN event_docs AS d USING (id) ORDER BY id")],
            "bundles": [dict(zip(("folder", "kiosk_id", "manifest_sha256", "source_sha256",
                                  "imported_at", "new_events", "events"), row, strict=True))
                        for row in old.execute(
                            "SELECT folder, kiosk_id, manifest_sha256, source_sha256, "
                            "imported_at, new_events, events FROM bundles ORDER BY rowid")],
            "deleted": [{"session_id": sid, "deleted_at": at} for sid, at in old.execute(
                "SELECT session_id, deleted_at FROM deleted")],
        }
        old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        old.close()
    _write_converted(folder, tables)
    return len(tables["sessions"]), len(tables["events"])


def _write_converted(folder: Path, tables: dict[str, list[dict]]) -> None:
    """A new ``store.sqlite`` holding ``tables``, built under a temporary name, checked
    document for document, then renamed into place (the old store is untouched until then)."""
    temp = folder / f"{STORE_DB}.migrating-{os.getpid()}"
    temp.unlink(missing_ok=True)
    new = SqliteStore(None, file=temp)
    try:
        with new.transaction() as db:
            db.executemany("INSERT OR IGNORE INTO deleted VALUES (?, ?)",
                           [(row.get("session_id"), row.get("deleted_at"))
                            for row in tables["deleted"]])
            # everything as it was stored (deleted sessions' ids were kept; their data not)
            new.add_sessions(tables["sessions"], keep_deleted=True)
            new.add_events(tables["events"], keep_deleted=True)
            db.executemany(
                "INSERT INTO bundles (folder, kiosk_id, manifest_sha256, source_sha256, "
                "imported_at, new_events, events) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(row.get("folder"), row.get("kiosk_id"), row.get("manifest_sha256"),
                  row.get("source_sha256"), row.get("imported_at"), row.get("new_events"),
                  row.get("events")) for row in tables["bundles"]])
        _check_migration(new, tables)
        new.close()
        sync_file(temp)
        for leftover in ("-wal", "-shm"):  # an old SQLite store's, checkpointed and stale
            Path(str(folder / STORE_DB) + leftover).unlink(missing_ok=True)
        replace_durably(temp, folder / STORE_DB)
    except BaseException:
        new.close()
        temp.unlink(missing_ok=True)
        raise


def _check_migration(store: SqliteStore, tables: dict[str, list[dict]]) -> None:
    """Every document of the old store is in the new file, unchanged (else: refuse)."""
    for table, key in (("sessions", "session_id"), ("events", "event_id")):
        want = {d[key]: d for d in tables[table]}
        if table == "sessions":
            want = {k: {f: v for f, v in d.items() if f not in EXPORT_ONLY}
                    for k, d in want.items()}
        have = {d[key]: d for d in store.documents(table)}
        if have != want:
            raise StoreProblem(f"Converting the old designer store lost or changed some {table}; "
                               "the old store was left as it was.")
