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

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError
from kiosk.sessions.export import BUNDLE_FORMAT
from kiosk.sessions.log import iso, utc_now
from kiosk.sessions.storage import JournalDB, open_db

STORE_FILE = "store.journal"


class BundleProblem(KioskError):
    """A bundle that cannot be imported, in words a designer can act on."""


@dataclass
class ImportSummary:
    """What an import did, for the command line to say."""

    imported: list[str] = field(default_factory=list)  # bundle folders merged
    refused: list[tuple[str, str]] = field(default_factory=list)  # (folder, why)
    new_sessions: int = 0
    new_events: int = 0
    new_answers: int = 0
    already_had: int = 0  # events skipped because the store had them

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
        for folder, why in self.refused:
            out.append(f"Refused {folder}: {why}")
        if not self.imported and not self.refused:
            out.append("No bundles were found there.")
        return out


def find_bundles(paths: Iterable[Path]) -> list[Path]:
    """Bundle folders named directly, or found one level inside (a USB stick's folder)."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if (path / "manifest.json").exists() or path.name.startswith(".partial-"):
            found.append(path)
        elif path.is_dir():
            inner = sorted(p for p in path.iterdir() if p.is_dir() and (
                (p / "manifest.json").exists() or p.name.startswith(".partial-")))
            found.extend(inner if inner else [path])
        else:
            found.append(path)
    return found


def read_bundle(folder: Path) -> dict[str, Any]:
    """The checked contents of one bundle (``events.json`` parsed), or BundleProblem."""
    folder = Path(folder)
    if folder.name.startswith(".partial-"):
        raise BundleProblem("this copy was never finished (the USB stick was probably "
                            "removed too early). Copy the logs from the kiosk again.")
    if not folder.is_dir():
        raise BundleProblem("there is no bundle folder there.")
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BundleProblem("it has no manifest.json, so it is not a kiosk log bundle "
                            "(or it was not copied completely).") from None
    except (ValueError, OSError):
        raise BundleProblem("its manifest.json is damaged. Copy the logs from the kiosk "
                            "again.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise BundleProblem("it was made by a different version of the kiosk, or it is not "
                            "a kiosk log bundle.")
    files = manifest.get("files") or {}
    if "events.json" not in files:
        raise BundleProblem("its manifest does not list events.json.")
    contents: dict[str, bytes] = {}
    for name, expected in files.items():
        if "/" in name or "\\" in name or name.startswith("."):
            raise BundleProblem(f"its manifest names a strange file ({name!r}).")
        try:
            data = (folder / name).read_bytes()
        except OSError:
            raise BundleProblem(f"{name} is missing. Copy the logs from the kiosk "
                                "again.") from None
        if len(data) != expected.get("bytes") or \
                hashlib.sha256(data).hexdigest() != expected.get("sha256"):
            raise BundleProblem(f"{name} does not match its manifest: the file was changed or "
                                "damaged after export. Nothing from this bundle was imported.")
        contents[name] = data
    try:
        body = json.loads(contents["events.json"].decode("utf-8"))
        sessions = body["sessions"]
        events = body["events"]
    except (ValueError, KeyError, TypeError):
        raise BundleProblem("events.json cannot be read.") from None
    session_ids = {s.get("session_id") for s in sessions}
    if set(manifest.get("sessions", [])) != session_ids or None in session_ids:
        raise BundleProblem("its sessions do not match its manifest.")
    for event in events:
        if event.get("session_id") not in session_ids or not event.get("event_id"):
            raise BundleProblem("it holds events that belong to no session in it.")
    return {"manifest": manifest, "sessions": sessions, "events": events,
            "manifest_sha256": hashlib.sha256(
                (folder / "manifest.json").read_bytes()).hexdigest()}


class DesignerStore:
    """Every imported session and event, from every kiosk, deduplicated by id."""

    def __init__(self, folder: Path, read_only: bool = False) -> None:
        self.folder = Path(folder)
        self.db: JournalDB = open_db(self.folder / STORE_FILE, read_only=read_only)

    def sessions(self) -> list[dict]:
        return [dict(d) for d in self.db.storage.live_table("sessions").values()]  # type: ignore[attr-defined]

    def events(self) -> list[dict]:
        return [dict(d) for d in self.db.storage.live_table("events").values()]  # type: ignore[attr-defined]

    def merge(self, bundle: dict[str, Any], source: str, summary: ImportSummary) -> None:
        storage = self.db.storage
        known_events = {d["event_id"] for d in storage.live_table("events").values()}  # type: ignore[attr-defined]
        known_sessions = {d["session_id"]: (int(doc_id), d) for doc_id, d in
                          storage.live_table("sessions").items()}  # type: ignore[attr-defined]
        new_events = []
        for event in bundle["events"]:
            if event["event_id"] in known_events:
                summary.already_had += 1
                continue
            known_events.add(event["event_id"])
            new_events.append(event)
        sessions_table = self.db.table("sessions")
        changed: dict[int, dict] = {}
        fresh: list[dict] = []
        for session in bundle["sessions"]:
            session = {k: v for k, v in session.items()
                       if k not in ("exported_at", "exported_events")}
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
        self.db.table("bundles").insert({
            "folder": source, "kiosk_id": bundle["manifest"].get("kiosk_id"),
            "manifest_sha256": bundle["manifest_sha256"], "imported_at": iso(utc_now()),
            "new_events": len(new_events),
        })
        summary.imported.append(source)
        summary.new_sessions += len(fresh)
        summary.new_events += len(new_events)
        summary.new_answers += sum(1 for e in new_events if e.get("kind") == "answer")

    def close(self) -> None:
        self.db.close()


def import_bundles(store_folder: Path, bundles: Iterable[Path]) -> ImportSummary:
    """Check, then merge, each bundle; a bad one is refused whole and the rest still go in."""
    summary = ImportSummary()
    store = DesignerStore(store_folder)
    try:
        for folder in find_bundles(bundles):
            try:
                bundle = read_bundle(folder)
            except BundleProblem as problem:
                summary.refused.append((str(folder), str(problem)))
                continue
            store.merge(bundle, str(folder), summary)
    finally:
        store.close()
    return summary
