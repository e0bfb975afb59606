"""The kiosk's session log: what each participant understood, kept through power cuts.

The kiosk's run loop turns the walk's effects into calls here: ``BeginSession`` ->
:meth:`ResponseLog.start_session`, ``Record`` -> :meth:`ResponseLog.record`, ``EndSession`` ->
:meth:`ResponseLog.end_session`. Every call returns only once its record is on the card
(fsync'd), so an answer the screen acknowledged survives the plug being pulled.

Two TinyDB tables in one crash-safe journal (``log/responses.journal``):

- ``sessions``: one document per session (``session_id``, ``kiosk_id``, ``deck_id``,
  ``deck_version``, ``venue``, ``started_at``, ``ended_at``, ``end_reason``, and after an export
  ``exported_at``/``exported_events``);
- ``events``: one document per answer, replay, hotspot tap or misclick, task step, task end
  or profile answer (``event_id``, ``session_id``, ``kind``, ``at``, ``seq`` and the walk's
  fields; kinds and fields as in ``kiosk/walk/records.py``).

No personal data: participants are numbers within a session, and free text is refused.
"""

from __future__ import annotations

import dataclasses
import re
import typing
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union

from tinydb import Query

from kiosk.errors import StorageProblem
from kiosk.sessions.storage import JournalDB, JournalStorage, open_db
from kiosk.walk import records

LOG_FILE = "responses.journal"
RESERVED = {"event_id", "session_id", "kind", "at", "answered_at", "seq", "kiosk_id"}
# A field no record kind declares must be a number, a yes/no or a short identifier: never free
# text. Declared text fields marked IDENTIFIER in kiosk/walk/records.py are held to it too.
IDENTIFIER = re.compile(r"[A-Za-z0-9_.:/-]{0,64}")


@dataclass(frozen=True)
class FieldRule:
    """What one field of a record kind may hold, read from its dataclass in records.py."""

    types: tuple[type, ...]
    choices: tuple[str, ...] = ()  # a Literal's words; empty when any value of the type will do
    needed: bool = False
    identifier: bool = False

    def expected(self) -> str:
        """The allowed types in words, for the message that refuses a record."""
        names = {bool: "yes/no", int: "a whole number", float: "a number", str: "text",
                 type(None): "nothing"}
        kept = [t for t in self.types if not (t is int and float in self.types)]
        return " or ".join(names.get(t, t.__name__) for t in kept)


def _rule(hint: Any, metadata: Mapping[str, Any]) -> FieldRule:
    """A field's type hint as the runtime types (and Literal words) it allows."""
    types: list[type] = []
    choices: list[str] = []
    for part in typing.get_args(hint) if typing.get_origin(hint) in (Union, UnionType) else (hint,):
        if typing.get_origin(part) is Literal:
            types.append(str)
            choices += typing.get_args(part)
        elif part is float:
            types += (int, float)  # a whole number of seconds is still seconds
        else:
            types.append(type(None) if part is None else part)
    return FieldRule(tuple(dict.fromkeys(types)), tuple(choices),
                     bool(metadata.get(records.NEEDED)), bool(metadata.get(records.IDENTIFIER)))


def _rules(kind: type[records.Record]) -> dict[str, FieldRule]:
    hints = typing.get_type_hints(kind)
    return {each.name: _rule(hints[each.name], each.metadata) for each in dataclasses.fields(kind)}


RULES: dict[str, dict[str, FieldRule]] = {
    name: _rules(kind) for name, kind in records.RECORD_KINDS.items()}
KINDS = tuple(RULES)


def _any_kind(name: str) -> FieldRule:
    """A field some other kind declares (e.g. ``task`` on a replay): any of its types will do."""
    found = [rules[name] for rules in RULES.values() if name in rules]
    return FieldRule(tuple(dict.fromkeys(t for rule in found for t in rule.types)),
                     identifier=any(rule.identifier for rule in found))


KNOWN_FIELDS: dict[str, FieldRule] = {
    name: _any_kind(name) for rules in RULES.values() for name in rules}


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and a ``Z``: sorts as text, reads anywhere."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def check_fields(kind: str, fields: Mapping[str, Any]) -> None:
    """Refuse records that could carry personal data or that the report cannot read.

    Every rule comes from the kind's dataclass in ``kiosk/walk/records.py``.
    """
    rules = RULES.get(kind)
    if rules is None:
        raise ValueError(f"unknown record kind {kind!r} (expected one of {', '.join(KINDS)})")
    article = "an" if kind[0] in "aeiou" else "a"
    for name, value in fields.items():
        if name in RESERVED:
            raise ValueError(f"field {name!r} is set by the log itself")
        rule = rules.get(name) or KNOWN_FIELDS.get(name)
        if rule is None:
            if not (value is None or isinstance(value, (int, float, bool))
                    or (isinstance(value, str) and IDENTIFIER.fullmatch(value))):
                raise ValueError(f"field {name!r} looks like free text; the log keeps no free text")
            continue
        wrong_bool = isinstance(value, bool) and bool not in rule.types  # True is not a count
        if wrong_bool or not isinstance(value, rule.types):
            raise ValueError(f"field {name!r} has the wrong type: {type(value).__name__} "
                             f"(it should be {rule.expected()})")
        if rule.identifier and isinstance(value, str) and not IDENTIFIER.fullmatch(value):
            raise ValueError(f"field {name!r} looks like free text; the log keeps no free text")
    for name, rule in rules.items():
        if rule.choices and name in fields and fields[name] not in rule.choices:
            raise ValueError(f"{article} {kind} {name} must be one of {', '.join(rule.choices)}")
    for name, rule in rules.items():
        if rule.needed and name not in fields:
            raise ValueError(f"{article} {kind} needs {name!r}")


def _answers(count: int) -> str:
    return "its 1 answer is" if count == 1 else f"its {count} answers are"


class ResponseLog:
    """The per-kiosk log of sessions and their events, durable on return of every call."""

    def __init__(self, folder: Path, kiosk_id: str,
                 clock: Callable[[], datetime] = utc_now, *, read_only: bool = False,
                 db: JournalDB | None = None) -> None:
        self.folder = Path(folder)
        self.kiosk_id = kiosk_id
        self.clock = clock
        self.db = db if db is not None else open_db(self.folder / LOG_FILE, read_only=read_only)
        self._sessions = self.db.table("sessions")
        self._events = self.db.table("events")
        self._seq = max((doc.get("seq", 0) for doc in self._events_raw().values()), default=0)
        self._open: dict[str, dict] = {}  # session id -> its document, for sessions we started

    @classmethod
    def in_memory(cls, kiosk_id: str, clock: Callable[[], datetime] = utc_now) -> ResponseLog:
        """A log that lives only in memory: tests, and the same API when there is no card."""
        return cls(Path("."), kiosk_id, clock, db=open_db(None))

    # ------------------------------------------------------------------ helpers
    def _events_raw(self) -> dict[str, dict]:
        return self.db.storage.live_table("events")  # type: ignore[attr-defined]

    def _session_doc(self, session_id: str) -> dict:
        for doc in self.db.storage.live_table("sessions").values():  # type: ignore[attr-defined]
            if doc["session_id"] == session_id:
                return doc
        raise KeyError(session_id)

    @property
    def problems(self) -> list[str]:
        """Plain-English notes about damage found when the log was opened."""
        return list(self.db.storage.problems)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ the kiosk's calls
    def start_session(self, deck_id: str, deck_version: int, venue: str) -> str:
        """Open a session; its id is unique across kiosks (uuid4) so bundles merge cleanly."""
        session_id = str(uuid.uuid4())
        doc = {
            "session_id": session_id,
            "kiosk_id": self.kiosk_id,
            "deck_id": str(deck_id),
            "deck_version": int(deck_version),
            "venue": str(venue),
            "started_at": iso(self.clock()),
            "ended_at": None,
            "end_reason": None,
        }
        self._sessions.insert(doc)
        self._open[session_id] = doc
        return session_id

    def record(self, session_id: str, kind: str, **fields: Any) -> str:
        """Keep one event; it is on the card when this returns. Returns the event id."""
        check_fields(kind, fields)
        if session_id not in self._open:
            try:
                session = self._session_doc(session_id)
            except KeyError:
                raise ValueError(f"no session {session_id!r} in this log") from None
            if session.get("ended_at"):
                raise ValueError(f"session {session_id} has already ended")
        event_id = str(uuid.uuid4())
        at = iso(self.clock())
        self._seq += 1
        doc = {"event_id": event_id, "session_id": session_id, "kind": kind, "at": at,
               "seq": self._seq, **fields}
        if kind == "answer":
            doc["answered_at"] = at
        self._events.insert(doc)
        return event_id

    def end_session(self, session_id: str, reason: str = "ended") -> None:
        """Close a session (idempotent: ending an ended session changes nothing)."""
        self._open.pop(session_id, None)
        Session = Query()
        current = self._sessions.get(Session.session_id == session_id)
        if current is None:
            raise ValueError(f"no session {session_id!r} in this log")
        if current.get("ended_at"):
            return
        self._sessions.update({"ended_at": iso(self.clock()), "end_reason": str(reason)},
                              Session.session_id == session_id)

    def recover(self) -> list[str]:
        """At start-up: close sessions a power cut left open (marked ``crashed``); say so."""
        messages = list(self.problems)
        last_at: dict[str, str] = {}
        answers: dict[str, int] = {}
        for doc in self._events_raw().values():
            sid = doc["session_id"]
            if doc.get("at", "") > last_at.get(sid, ""):
                last_at[sid] = doc["at"]
            if doc["kind"] == "answer":
                answers[sid] = answers.get(sid, 0) + 1
        Session = Query()
        for session in self._sessions.search(Session.ended_at == None):  # noqa: E711
            sid = session["session_id"]
            if sid in self._open:
                continue
            self._sessions.update(
                {"ended_at": last_at.get(sid, session["started_at"]), "end_reason": "crashed"},
                Session.session_id == sid,
            )
            count = answers.get(sid, 0)
            messages.append(
                f"A session at {session['venue']} with the deck {session['deck_id']} was not "
                f"closed (the kiosk probably lost power). It is now closed and marked "
                f"'crashed'; {_answers(count)} kept."
            )
        return messages

    # ------------------------------------------------------------------ reading
    def sessions(self) -> list[dict]:
        """Every session, oldest first."""
        return sorted((dict(doc) for doc in self._sessions.all()),
                      key=lambda d: (d["started_at"], d["session_id"]))

    def events(self, session_id: str | None = None) -> list[dict]:
        """The session's events (or every event) in the order they were recorded."""
        docs = [dict(doc) for doc in self._events_raw().values()
                if session_id is None or doc["session_id"] == session_id]
        docs.sort(key=lambda d: d.get("seq", 0))
        return docs

    # ------------------------------------------------------------------ export bookkeeping
    def mark_exported(self, counts: dict[str, int], when: datetime | None = None) -> None:
        """Remember which sessions (and how many of their events) reached a bundle."""
        stamp = iso(when or self.clock())
        changed = {}
        for doc in self._sessions.all():
            if doc["session_id"] in counts:
                changed[doc.doc_id] = {**doc, "exported_at": stamp,
                                       "exported_events": counts[doc["session_id"]]}
        if changed:
            self._sessions.replace_docs(changed)  # type: ignore[attr-defined]

    def exported_sessions(self) -> list[str]:
        """Sessions that are ended and whose every event is in an exported bundle."""
        counts: dict[str, int] = {}
        for doc in self._events_raw().values():
            counts[doc["session_id"]] = counts.get(doc["session_id"], 0) + 1
        return [s["session_id"] for s in self.sessions()
                if s.get("ended_at") and s.get("exported_at")
                and s.get("exported_events", -1) >= counts.get(s["session_id"], 0)]

    def clear_exported(self) -> list[str]:
        """Delete only sessions already safely exported (the UI asks twice before calling)."""
        done = set(self.exported_sessions())
        if not done:
            return []
        Doc = Query()
        self._events.remove(Doc.session_id.one_of(list(done)))
        self._sessions.remove(Doc.session_id.one_of(list(done)))
        storage = self.db.storage
        if isinstance(storage, JournalStorage):
            try:
                storage.compact()  # give the space back now: clearing is usually for room
            except OSError as error:
                raise StorageProblem(f"Cleared, but could not tidy the log: {error}") from error
        return sorted(done)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ResponseLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
