"""The designer's side: merge bundles from any number of kiosks into one store.

The store is a folder (``<home>/designer-store`` from the command line) holding a crash-safe
TinyDB journal with three tables: ``sessions``, ``events`` and ``bundles`` (what was
imported, when). Each bundle is checked against its manifest (every file's size and SHA-256,
and that its events belong to its sessions) before anything from it is merged; a bundle that
fails is refused with a plain message and nothing from it is kept. Merging is idempotent:
events are keyed by their id, sessions by theirs, so importing the same bundle twice, or two
exports that overlap, counts each answer once. Each bundle's new documents go in as one
atomic journal line, so a crash mid-import leaves the bundle either merged or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError
from kiosk.sessions.bundle import BundleProblem, find_bundles, read_bundle  # also re-exported
from kiosk.sessions.log import iso, utc_now
from kiosk.sessions.storage import JournalDB, open_db

STORE_FILE = "store.journal"


@dataclass
class ImportSummary:
    """What an import did, for the command line to say."""

    imported: list[str] = field(default_factory=list)  # bundle folders merged
    refused: list[tuple[str, str]] = field(default_factory=list)  # (folder, why)
    new_sessions: int = 0
    new_events: int = 0
    new_answers: int = 0
    already_had: int = 0  # events skipped because the store had them
    deleted_skipped: int = 0  # events of sessions the designer deleted, not brought back

    def lines(self) -> list[str]:
        """The summary in plain English."""
        out = []
        if self.imported:
            out.append(
                f"Imported {len(self.imported)} bundle{'s' if len(self.imported) != 1 else ''}: "
                f"{self.new_answers} new answers ({self.new_events} events) in "
                f"{self.new_sessions} new sessions."
            )
        if self.already_had:
            out.append(f"{self.already_had} events were already in the store and were "
                       "counted once.")
        if self.deleted_skipped:
            out.append(f"{self.deleted_skipped} events belong to sessions you deleted and "
                       "were left out.")
        for folder, why in self.refused:
            out.append(f"Refused {folder}: {why}")
        if not self.imported and not self.refused:
            out.append("No bundles were found there.")
        return out


class DesignerStore:
    """Every imported session and event, from every kiosk, deduplicated by id."""

    def __init__(self, folder: Path, read_only: bool = False) -> None:
        self.folder = Path(folder)
        self.db: JournalDB = open_db(self.folder / STORE_FILE, read_only=read_only)
        self._known_events: set[str] | None = None  # read once, then kept up to date

    def _event_ids(self) -> set[str]:
        """Every event id in the store: built once per run, not once per bundle (50 bundles
        of a busy term would otherwise re-read the whole store 50 times)."""
        if self._known_events is None:
            self._known_events = {d["event_id"] for d in
                                  self.db.storage.live_table("events").values()}  # type: ignore[attr-defined]
        return self._known_events

    def sessions(self) -> list[dict]:
        return [dict(d) for d in self.db.storage.live_table("sessions").values()]  # type: ignore[attr-defined]

    def events(self) -> list[dict]:
        return [dict(d) for d in self.db.storage.live_table("events").values()]  # type: ignore[attr-defined]

    def merge(self, bundle: dict[str, Any], source: str, summary: ImportSummary) -> None:
        storage = self.db.storage
        known_events = self._event_ids()
        taken: set[str] = set()  # this bundle's new ids, added to the known ones once stored
        known_sessions = {d["session_id"]: (int(doc_id), d) for doc_id, d in
                          storage.live_table("sessions").items()}  # type: ignore[attr-defined]
        deleted = self.deleted_sessions()
        new_events = []
        for event in bundle["events"]:
            if event["session_id"] in deleted:
                summary.deleted_skipped += 1
                continue
            if event["event_id"] in known_events or event["event_id"] in taken:
                summary.already_had += 1
                continue
            taken.add(event["event_id"])
            new_events.append(event)
        sessions_table = self.db.table("sessions")
        changed: dict[int, dict] = {}
        fresh: list[dict] = []
        for session in bundle["sessions"]:
            session = {k: v for k, v in session.items()
                       if k not in ("exported_at", "exported_events")}
            if session["session_id"] in deleted:
                continue
            have = known_sessions.get(session["session_id"])
            if have is None:
                fresh.append(session)
            elif not have[1].get("ended_at") and session.get("ended_at"):
                changed[have[0]] = session  # a later export knows how the session ended
        if fresh:
            sessions_table.insert_multiple(fresh)
        if changed:
            sessions_table.replace_docs(changed)  # type: ignore[attr-defined]
        if new_events:
            self.db.table("events").insert_multiple(new_events)
            known_events.update(taken)
        self.db.table("bundles").insert({
            "folder": source, "kiosk_id": bundle["manifest"].get("kiosk_id"),
            "manifest_sha256": bundle["manifest_sha256"], "imported_at": iso(utc_now()),
            "new_events": len(new_events),
        })
        summary.imported.append(source)
        summary.new_sessions += len(fresh)
        summary.new_events += len(new_events)
        summary.new_answers += sum(1 for e in new_events if e.get("kind") == "answer")

    def deleted_sessions(self) -> set[str]:
        """Sessions the designer deleted: a later import of an old bundle does not bring
        them back."""
        table = self.db.storage.live_table("deleted")  # type: ignore[attr-defined]
        return {d["session_id"] for d in table.values()}

    def delete_session(self, session_id: str) -> int:
        """Remove a session and its events for good; returns how many events went.

        The journal is compacted afterwards, so the deleted answers are no longer anywhere
        in the store's file (only the session id is kept, to refuse it on re-import).
        """
        from tinydb import Query

        self._known_events = None
        Doc = Query()
        known = {d["session_id"] for d in self.sessions()}
        if session_id not in known:
            raise KioskError(f"There is no session {session_id!r} in the designer store.")
        removed = self.db.table("events").remove(Doc.session_id == session_id)
        self.db.table("sessions").remove(Doc.session_id == session_id)
        self.db.table("deleted").insert({"session_id": session_id,
                                         "deleted_at": iso(utc_now())})
        compact = getattr(self.db.storage, "compact", None)
        if compact is not None:
            compact()
        return len(removed)

    def close(self) -> None:
        self.db.close()


def import_bundles(store_folder: Path, bundles: Iterable[Path],
                   identities: Iterable[Any] = ()) -> ImportSummary:
    """Check, then merge, each bundle; a bad one is refused whole and the rest still go in.

    ``identities``: the designer's private keys, for encrypted bundles.
    """
    summary = ImportSummary()
    identities = list(identities)
    store = DesignerStore(store_folder)
    try:
        for folder in find_bundles(bundles):
            try:
                bundle = read_bundle(folder, identities)
            except BundleProblem as problem:
                summary.refused.append((str(folder), str(problem)))
                continue
            store.merge(bundle, str(folder), summary)
    finally:
        store.close()
    return summary
