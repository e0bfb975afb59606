"""The designer's side: merge bundles from any number of kiosks into one store.

The store is a folder (``<home>/designer-store`` from the command line) holding one SQLite
file (``designer_store.py``) with tables ``sessions``, ``events``, ``bundles`` (what was
imported, when) and ``deleted``. Each bundle is checked against its manifest (every file's
size and SHA-256, and that its events belong to its sessions) before anything from it is
merged; a bundle that fails is refused with a plain message and nothing from it is kept.
Merging is idempotent: events are keyed by their id, sessions by theirs, so importing the
same bundle twice, or two exports that overlap, counts each answer once. Each bundle goes in
whole or not at all (a savepoint of the import's transaction, see ``COMMIT_EVERY``), so a
crash or error mid-import leaves each bundle either merged or not.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import BrokenExecutor, Future
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from kiosk.durable import place_new_durably, sync_file
from kiosk.errors import KioskError
from kiosk.sessions.bulk import helper_processes, no_cycle_collection
from kiosk.sessions.bundle import (  # also re-exported
    MANIFEST,
    MAX_MANIFEST_BYTES,
    BundleProblem,
    find_bundles,
    read_bundle,
    read_plain_file,
)
from kiosk.sessions.crypto import private_keys_from_text
from kiosk.sessions.designer_store import (
    STORE_DB,
    PreparedEvents,
    SqliteStore,
    cannot_open,
    store_exists,
)
from kiosk.sessions.log import iso, utc_now

T = TypeVar("T")
STORE_FILE = STORE_DB  # the store's file in its folder (an older store.journal is converted)
__all__ = ["BundleProblem", "DesignerStore", "ImportSummary", "STORE_FILE", "find_bundles",
           "import_bundles", "read_bundle", "store_exists"]


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
    """Every imported session and event, from every kiosk, deduplicated by id (SQLite).

    See ``designer_store.py`` for the file and why SQLite; an old TinyDB-journal store is
    converted the first time it is opened.
    """

    def __init__(self, folder: Path, read_only: bool = False,
                 progress: Callable[[str], None] | None = None,
                 new_file: Path | None = None) -> None:
        """``new_file``: a new store for ``folder``, built in this file (see ``BUILDING``)."""
        self.folder = Path(folder)
        self.sql = (SqliteStore(None, file=new_file) if new_file is not None else
                    SqliteStore(self.folder, read_only=read_only, progress=progress))

    def sessions(self) -> list[dict]:
        return self.sql.documents("sessions")

    def events(self) -> list[dict]:
        return self.sql.documents("events")

    def already_imported(self, source_sha256: str) -> int | None:
        """How many events the bundle with this exact manifest brought, if it was imported."""
        rows = self.sql.query("SELECT events FROM bundles WHERE source_sha256 = ? LIMIT 1",
                              (source_sha256,))
        return int(rows[0][0] or 0) if rows else None

    def merge(self, bundle: dict[str, Any], source: str, summary: ImportSummary,
              source_sha256: str | None = None) -> None:
        """Add one checked bundle (from :func:`prepare_bundle`) in one transaction: all of
        it, or (on any error) none."""
        events: PreparedEvents = bundle["events"]
        with self.sql.transaction():
            deleted = self.deleted_sessions()
            sessions_before = self.sql.count("sessions")
            self.sql.add_sessions(bundle["sessions"])
            new_sessions = self.sql.count("sessions") - sessions_before
            new_answers, new_others = self.sql.add_prepared(events)
            new_events = new_answers + new_others
            skipped = sum(n for session_id, n in events.per_session.items()
                          if session_id in deleted)
            self.sql.db.execute(
                "INSERT INTO bundles (folder, kiosk_id, manifest_sha256, source_sha256, "
                "imported_at, new_events, events) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (source, str(bundle["manifest"].get("kiosk_id") or ""),
                 bundle["manifest_sha256"], source_sha256, iso(utc_now()), new_events,
                 len(events)))
        summary.imported.append(source)
        summary.new_sessions += new_sessions
        summary.new_events += new_events
        summary.new_answers += new_answers
        summary.deleted_skipped += skipped
        summary.already_had += len(events) - skipped - new_events

    def deleted_sessions(self) -> set[str]:
        """Sessions the designer deleted: a later import of an old bundle does not bring
        them back."""
        return self.sql.deleted_ids()

    def delete_session(self, session_id: str) -> int:
        """Remove a session and its events for good; returns how many events went.

        With ``secure_delete`` the freed space is overwritten, the write-ahead log is emptied
        and the file vacuumed, so the deleted answers are no longer anywhere in the store's
        files (only the session id is kept, to refuse it on re-import).
        """
        if not self.sql.query("SELECT 1 FROM sessions WHERE session_id = ?", (session_id,)):
            raise KioskError(f"There is no session {session_id!r} in the designer store.")
        db = self.sql.db
        db.execute("PRAGMA secure_delete = ON")
        with self.sql.transaction():
            removed = self.sql.delete_session(session_id)
            db.execute("INSERT OR REPLACE INTO deleted VALUES (?, ?)",
                       (session_id, iso(utc_now())))
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(removed)

    def close(self) -> None:
        self.sql.close()


def _manifest_fingerprint(folder: Path) -> str | None:
    """SHA-256 of a bundle's outer manifest (which holds every file's SHA-256), or None.

    A bundle whose manifest is byte-for-byte one already imported is the same bundle: it is
    counted as already there without reading its events again (re-importing a whole stick
    costs a glance per bundle). Anything odd about the folder goes to the full check.
    """
    if folder.name.startswith(".partial-") or folder.is_symlink():
        return None
    try:
        raw = read_plain_file(folder, MANIFEST, MAX_MANIFEST_BYTES)
    except KioskError:
        return None
    return hashlib.sha256(raw).hexdigest()


# Bundles are merged in batches of about this many events per transaction, each bundle a
# savepoint of it (all of it or none, as before). Each commit writes the pages the batch
# changed to the write-ahead log; batches of a few bundles spread that writing over the
# import, where one batch for 100,000 answers left it all to the end (0.2 s on one core while
# the other waited). A crash mid-import loses at most the batch in progress, never part of
# a bundle; the file is never damaged (WAL), and importing again adds what is missing.
COMMIT_EVERY = 50_000
# Bundles read at once by reading processes while this one stores: reading a bundle takes
# more work than storing it, so with one reader this process waited for it a third of the
# time; with two, the machine's second core is kept busy and this one never waits. A reader
# holds its bundle's events, about six times the bundle's size on disk: when a bundle is
# bigger than BIG_BUNDLE_BYTES (a kiosk's 25,000 answers or so), one is read at a time.
READERS = 2
BIG_BUNDLE_BYTES = 24 * 1024 * 1024


def _readers_for(folders: list[Path]) -> int:
    """How many bundles to read at once: two, unless one of them is big."""
    def size(folder: Path) -> int:
        try:
            return sum(entry.stat().st_size for entry in os.scandir(folder) if entry.is_file())
        except OSError:
            return 0
    return 1 if any(size(folder) > BIG_BUNDLE_BYTES for folder in folders) else READERS


@no_cycle_collection()
def prepare_bundle(folder: str, keys: tuple[str, ...] = ()) -> dict[str, Any] | BundleProblem:
    """Read and check one bundle, and make its events ready for the store
    (:class:`PreparedEvents`), or the problem that refuses it. ``keys``: the designer's
    private keys as text, for encrypted bundles (this may run in another process, where key
    objects cannot be sent)."""
    try:
        identities = private_keys_from_text(keys) if keys else []
        bundle = read_bundle(Path(folder), identities)
    except BundleProblem as problem:
        return problem
    bundle["events"] = PreparedEvents.of(bundle.pop("events_json"), bundle["events"],
                                         bundle["sessions"])
    return bundle


def _read_ahead(count: int, wanted: Callable[[int], bool],
                read: Callable[..., T], args: Callable[[int], tuple], readers: int = READERS
                ) -> Iterator[tuple[int, Callable[[], T]]]:
    """Each index with a way to get ``read(*args(index))``, the next wanted ones (up to
    ``readers``) being read meanwhile in other processes: reading and checking a bundle
    (JSON, SHA-256, zlib, rows) is Python work, which in a thread would only take turns with
    the work of storing the bundle before (and make SQLite wait for the lock at every row).
    The first is read here while those processes start; with a single bundle no process is
    started. ``wanted`` is asked here only; an index not wanted is never read ahead."""
    if count < 2:
        for index in range(count):
            yield index, partial(read, *args(index))
        return
    with ExitStack() as stack:
        pools = [stack.enter_context(pool) for pool in helper_processes(readers)]
        ahead: dict[int, Future[T]] = {}
        works = True
        for index in range(count):
            for following in range(index + 1, min(count, index + 1 + readers)):
                if works and following not in ahead and wanted(following):
                    try:
                        ahead[following] = pools[following % len(pools)].submit(
                            read, *args(following))
                    except (BrokenExecutor, OSError):  # could not start: read here from now
                        works = False
            # (no name here holds the future: its bundle is let go of once it is stored)
            yield index, partial(_result_or_read_here, ahead.pop(index, None), read,
                                 args(index))


def _result_or_read_here(started: Future[T] | None, read: Callable[..., T], args: tuple) -> T:
    """What the reading process found; read here if it was not asked, or could not start or
    ended (a frozen program, a machine out of processes): slower, never wrong."""
    if started is not None:
        try:
            return started.result()
        except BrokenExecutor:
            pass
    return read(*args)


@no_cycle_collection()  # (rows come back from the reading processes here too)
def import_bundles(store_folder: Path, bundles: Iterable[Path],
                   identities: Iterable[Any] = (),
                   progress: Callable[[str], None] | None = None) -> ImportSummary:
    """Check, then merge, each bundle; a bad one is refused whole and the rest still go in.

    ``identities``: the designer's private keys, for encrypted bundles. ``progress``, if
    given, hears a line per bundle as it is done (a year of bundles takes a while).
    """
    folder = Path(store_folder)
    _remove_abandoned_builds(folder)
    if store_exists(folder):
        return _merge_all(DesignerStore(folder, progress=progress), bundles, identities, progress)
    # A new store: built in a new file under a temporary name, then moved into place whole
    building = folder / f"{STORE_DB}{BUILDING}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        store = DesignerStore(folder, new_file=building)
    except (sqlite3.DatabaseError, OSError) as error:
        raise cannot_open(folder, error) from None
    try:
        summary = _merge_all(store, bundles, identities, progress)
    except BaseException:
        _move_into_place(building, folder)  # the bundles merged whole before the error
        raise
    if not _move_into_place(building, folder):  # another import made a store meanwhile
        return _merge_all(DesignerStore(folder, progress=progress), bundles, identities, progress)
    return summary


# A new store is built in a file of this name (and a number of its own) beside where it
# goes, without a journal on disk or an fsync per batch (see ``SqliteStore``: 12% quicker);
# only when it is finished is it moved into place, so a crash or a power cut mid-import
# leaves no store, never a damaged one. Importing again starts afresh; a file left by an
# import that was killed is removed once it is an hour old (an import at work writes to its
# file every few seconds).
BUILDING = ".importing-"
ABANDONED_AFTER_SECONDS = 3600


def _remove_abandoned_builds(folder: Path) -> None:
    for left in folder.glob(f"{STORE_DB}{BUILDING}*"):
        try:
            if time.time() - left.stat().st_mtime > ABANDONED_AFTER_SECONDS:
                left.unlink()
        except OSError:
            pass


def _move_into_place(building: Path, folder: Path) -> bool:
    """A finished new store onto the disk and into place, unless a store appeared there
    meanwhile (then it is removed, and False)."""
    sync_file(building)
    if place_new_durably(building, folder / STORE_DB):
        return True
    building.unlink()
    return False


def _merge_all(store: DesignerStore, bundles: Iterable[Path], identities: Iterable[Any],
               progress: Callable[[str], None] | None) -> ImportSummary:
    """:func:`import_bundles` into this store, which it closes."""
    summary = ImportSummary()
    identities = list(identities)
    db = store.sql.db
    try:
        store.sql.defer_checkpoints()
        pending = 0
        db.execute("BEGIN IMMEDIATE")
        folders = [(folder, _manifest_fingerprint(Path(folder))) for folder in
                   find_bundles(bundles)]

        def wanted(index: int) -> bool:
            fingerprint = folders[index][1]
            return not fingerprint or store.already_imported(fingerprint) is None

        keys = tuple(map(str, identities))  # age keys as text: they cross to the reader

        def done(index: int, what: str) -> None:
            if progress is not None and len(folders) > 1:
                progress(f"[{index + 1}/{len(folders)}] {Path(folders[index][0]).name}: {what}")

        for index, got in _read_ahead(len(folders), wanted, prepare_bundle,
                                      lambda index: (str(folders[index][0]), keys),
                                      _readers_for([Path(f) for f, _ in folders])):
            folder, fingerprint = folders[index]
            had = store.already_imported(fingerprint) if fingerprint else None
            if had is not None:  # (also a copy of a bundle merged a moment ago)
                summary.imported.append(str(folder))
                summary.already_had += had
                done(index, "imported before")
                continue
            bundle = got()
            if isinstance(bundle, BundleProblem):
                summary.refused.append((str(folder), str(bundle)))
                done(index, "refused (see below)")
                continue
            answers_before = summary.new_answers
            store.merge(bundle, str(folder), summary, fingerprint)  # all of it, or none
            done(index, f"{summary.new_answers - answers_before} new answers")
            pending += len(bundle["events"])
            del bundle, got  # its rows, let go of before the next bundle is waited for
            if pending >= COMMIT_EVERY:
                db.execute("COMMIT")
                db.execute("BEGIN IMMEDIATE")
                pending = 0
        db.execute("COMMIT")
        store.sql.checkpoint()  # the import is on disk when this returns
    finally:
        if db.in_transaction:  # an error: the bundles merged whole before it are kept
            try:
                db.execute("COMMIT")
            except sqlite3.Error:
                db.execute("ROLLBACK")
        store.close()
    return summary
