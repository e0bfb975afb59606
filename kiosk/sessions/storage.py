"""A TinyDB storage that survives the kiosk being switched off at the wall.

Why not TinyDB's ``JSONStorage``: it rewrites the whole file in place on every write, so a
power cut mid-write leaves broken JSON (the whole session lost) and each write costs more as
the session grows. This storage keeps the database in memory and appends *changes* to a
journal file instead:

- One journal line per write: ``K1 <crc32 hex> <byte length> <json list of operations>\\n``.
  A line is applied whole or not at all, so a write that changes several documents is atomic.
- Each write is one ``pwrite`` at the known end of the good data, then one ``fdatasync``:
  when ``write`` returns the change is on the card. A failed write (full disk) is cut back
  off, and the next write overwrites whatever was left, so good lines never get glued to junk.
- On open the journal is replayed. A line that fails its length or checksum (a write cut off
  by a power cut, or card damage) is copied into a side file ``<name>.damaged-<time>``, left
  out, and reported in ``problems``; everything else is kept. The journal is then compacted
  (only when worthwhile, or after damage) by writing a fresh file under a temporary name,
  fsync, ``os.replace``, and fsync of the folder, so a cut during compaction leaves the old
  journal whole.
- Inserts (the kiosk's hot path) go through :class:`JournalTable`, which appends just the new
  document, so the cost of recording an answer stays flat however long the session gets.
  Any other TinyDB operation works through the generic ``read``/``write`` pair (which diffs
  against the last state, so it still appends only what changed).

:class:`MemoryJournalStorage` is the same machinery over bytes in memory, so the same tests
(torn tails, garbage, replay) run against both, as TinyDB does for its own storages.
"""

from __future__ import annotations

import errno
import json
import os
import zlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from kiosk.durable import fsync_folder, replace_durably
from kiosk.errors import StorageProblem

MAGIC = b"K1"
# Disk errors that mean "the card or stick refused", told to a person rather than raised raw.
DISK_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EIO, errno.EACCES, errno.EPERM}
COMPACT_CHUNK = 200  # documents per line when compacting: damage to one line loses at most this


def _plain_disk_message(error: OSError, where: Path | str) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"The kiosk's storage is full, so the last answer could not be saved ({where}). "
                "Answers saved before this are safe. Copy the logs to a USB stick and clear "
                "exported sessions to make room.")
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return (f"The kiosk's storage cannot be written to (it is read-only: {where}). "
                "Answers saved before this are safe. Restart the kiosk; if this keeps "
                "happening the SD card may be failing.")
    return (f"The kiosk could not save to its storage ({where}: {error.strerror}). "
            "Answers saved before this are safe.")


def encode_line(ops: list[list[Any]]) -> bytes:
    """One journal line: magic, checksum and length guard the JSON so a torn line is detected."""
    body = json.dumps(ops, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return b"%s %08x %d %s\n" % (MAGIC, zlib.crc32(body), len(body), body)


def decode_line(line: bytes) -> list[list[Any]] | None:
    """The operations of one line (without its newline), or None when the line is damaged."""
    try:
        magic, crc, length, body = line.split(b" ", 3)
        if magic != MAGIC or int(length) != len(body) or int(crc, 16) != zlib.crc32(body):
            return None
        ops = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return ops if isinstance(ops, list) else None


def _copy(value: Any) -> Any:
    """A copy of JSON-like data, so TinyDB may mutate what ``read`` gave it."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


class JournalCore(Storage):
    """The journal logic shared by the file and the in-memory storage.

    Operations (JSON lists): ``["put", table, id, doc]``, ``["del", table, id]``,
    ``["mk", table]`` (an empty table), ``["drop", table]``, ``["wipe"]``.
    """

    def __init__(self) -> None:
        self._data: dict[str, dict[str, dict]] = {}
        self._read_any = False  # TinyDB's ``None`` for an empty, never-written database
        self.problems: list[str] = []  # plain-English notes about damage found on open
        self.ops_in_journal = 0

    # ------------------------------------------------------------------ subclass hooks
    def _append(self, line: bytes) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # ------------------------------------------------------------------ replay
    def _apply(self, ops: Iterable[list[Any]]) -> None:
        data = self._data
        for op in ops:
            kind = op[0]
            if kind == "put":
                data.setdefault(op[1], {})[op[2]] = op[3]
            elif kind == "del":
                data.get(op[1], {}).pop(op[2], None)
            elif kind == "mk":
                data.setdefault(op[1], {})
            elif kind == "drop":
                data.pop(op[1], None)
            elif kind == "wipe":
                data.clear()
            self.ops_in_journal += 1
        self._read_any = True

    def _replay(self, raw: bytes) -> tuple[int, list[bytes]]:
        """Apply every good line of ``raw``; return the good length and the damaged pieces."""
        damaged: list[bytes] = []
        position = 0
        good_end = 0
        size = len(raw)
        while position < size:
            newline = raw.find(b"\n", position)
            if newline < 0:  # a last line with no newline: cut off mid-write
                damaged.append(raw[position:])
                break
            ops = decode_line(raw[position:newline])
            if ops is None:
                damaged.append(raw[position:newline + 1])
            else:
                self._apply(ops)
                good_end = newline + 1
            position = newline + 1
        return good_end, damaged

    def _compacted_lines(self) -> list[bytes]:
        lines: list[bytes] = []
        for table, docs in self._data.items():
            ops: list[list[Any]] = [["mk", table]]
            for doc_id, doc in docs.items():
                ops.append(["put", table, doc_id, doc])
                if len(ops) >= COMPACT_CHUNK:
                    lines.append(encode_line(ops))
                    ops = []
            if ops:
                lines.append(encode_line(ops))
        return lines

    # ------------------------------------------------------------------ TinyDB's interface
    def read(self) -> dict[str, dict[str, Any]] | None:
        """A private copy of the whole database (TinyDB mutates what it is given)."""
        if not self._read_any and not self._data:
            return None
        return _copy(self._data)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Append only what differs from the current state, as one atomic line."""
        ops: list[list[Any]] = []
        old = self._data
        for table in old:
            if table not in data:
                ops.append(["drop", table])
        for table, docs in data.items():
            before = old.get(table)
            if before is None:
                ops.append(["mk", table])
                before = {}
            for doc_id in before:
                if doc_id not in docs:
                    ops.append(["del", table, doc_id])
            for doc_id, doc in docs.items():
                if before.get(doc_id) != doc:
                    ops.append(["put", table, str(doc_id), doc])
        if not data and old:
            ops = [["wipe"]]
        if ops:
            self._commit(ops)
        self._read_any = True

    # ------------------------------------------------------------------ the fast paths
    def live_table(self, table: str) -> dict[str, Mapping]:
        """The table's documents without a copy: for readers that do not mutate."""
        return cast("dict[str, Mapping]", self._data.get(table, {}))  # read, never changed

    def put_many(self, table: str, docs: Mapping[str, Mapping], replace: bool = False) -> None:
        """Add (or with ``replace``, overwrite) documents in one durable, atomic append.

        The cost is that of the new documents, not of the table: the kiosk's hot path.
        """
        existing = self._data.get(table, {})
        ops: list[list[Any]] = [] if table in self._data else [["mk", table]]
        for doc_id, doc in docs.items():
            if doc_id in existing and not replace:
                raise ValueError(f"Document with ID {doc_id} already exists")
            ops.append(["put", table, str(doc_id), dict(doc)])
        if ops:
            self._commit(ops)

    def _commit(self, ops: list[list[Any]]) -> None:
        line = encode_line(ops)
        self._append(line)  # raises StorageProblem and leaves the state unchanged on failure
        self._apply(json.loads(line.split(b" ", 3)[3]))  # the state as it will replay


class JournalTable(Table):
    """TinyDB's Table, with inserts appended directly and reads served without copies."""

    def _read_table(self) -> dict[str, Mapping]:
        storage = self._storage
        if isinstance(storage, JournalCore):
            return storage.live_table(self.name)
        return super()._read_table()

    def insert(self, document: Mapping) -> int:
        return self.insert_multiple([document])[0]

    def insert_multiple(self, documents: Iterable[Mapping]) -> list[int]:
        storage = self._storage
        if not isinstance(storage, JournalCore):
            return super().insert_multiple(documents)
        new: dict[str, dict] = {}
        ids: list[int] = []
        for document in documents:
            if not isinstance(document, Mapping):
                raise ValueError("Document is not a Mapping")
            if isinstance(document, self.document_class):
                doc_id = document.doc_id
                self._next_id = None
            else:
                doc_id = self._get_next_id()
            if str(doc_id) in new:
                raise ValueError(f"Document with ID {doc_id} already exists")
            new[str(doc_id)] = dict(document)
            ids.append(doc_id)
        try:
            storage.put_many(self.name, new)
        finally:
            self.clear_cache()
        return ids


    def replace_docs(self, docs: Mapping[int, Mapping]) -> None:
        """Overwrite (or add) whole documents by id in one append, without TinyDB's full diff."""
        storage = self._storage
        if not isinstance(storage, JournalCore):
            for doc_id, doc in docs.items():
                self.upsert(self.document_class(doc, doc_id))
            return
        try:
            storage.put_many(self.name, {str(k): dict(v) for k, v in docs.items()}, replace=True)
        finally:
            self.clear_cache()
            self._next_id = None


class JournalDB(TinyDB):
    """TinyDB whose tables use the journal's fast paths; the API readers know is unchanged."""

    table_class = JournalTable


class MemoryJournalStorage(JournalCore):
    """The journal over bytes in memory: tests, and a kiosk with no card to write to.

    ``raw`` is the journal as it would be on disk; pass it to a new instance to "reopen".
    """

    def __init__(self, raw: bytes | bytearray = b"") -> None:
        super().__init__()
        self.raw = bytearray()
        good_end, damaged = self._replay(bytes(raw))
        self.raw += bytes(raw)[:good_end]
        if damaged:
            self.set_aside = list(damaged)
            self.problems.append(_damage_message(damaged, "memory"))
            self.raw = bytearray(b"".join(self._compacted_lines()))
        else:
            self.set_aside = []

    def _append(self, line: bytes) -> None:
        self.raw += line


def _damage_message(damaged: list[bytes], side: str) -> str:
    size = sum(len(piece) for piece in damaged)
    what = "record was" if len(damaged) == 1 else f"{len(damaged)} records were"
    return (f"The log had {size} bytes that could not be read (the last {what} probably cut "
            f"off by a power cut). They were set aside in {side}; every other answer was kept.")


class JournalStorage(JournalCore):
    """The journal in a file: crash-safe, flat-cost appends, one writer at a time.

    ``read_only=True`` opens without the writer's lock, without compaction and without setting
    anything aside (for ``kiosk sessions list`` while the kiosk runs); writes then refuse.
    """

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False,
                 compact: bool | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        self._fd: int | None = None
        self._lock_fd: int | None = None
        self._end = 0
        self._broken: str | None = None
        try:
            if read_only:
                raw = self.path.read_bytes() if self.path.exists() else b""
                good_end, damaged = self._replay(raw)
                if damaged:
                    self.problems.append(_damage_message(damaged, "(nothing: opened read-only)"))
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._take_lock()
            for stale in self.path.parent.glob(self.path.name + ".compacting-*"):
                stale.unlink()  # a compaction cut off by a power cut: the journal is still whole
            created = not self.path.exists()
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            if created:
                fsync_folder(self.path.parent)
            raw = self._read_all()
            good_end, damaged = self._replay(raw)
            self._end = good_end
            live = sum(len(docs) for docs in self._data.values()) + len(self._data)
            if damaged:
                side = self._set_aside(damaged)
                self.problems.append(_damage_message(damaged, side.name))
            worthwhile = self.ops_in_journal > 2 * live + 1000
            if damaged or (worthwhile if compact is None else compact):
                self.compact()
        except OSError as error:
            self.close()
            raise StorageProblem(_plain_disk_message(error, self.path)) from error

    # ------------------------------------------------------------------ opening
    def _take_lock(self) -> None:
        import fcntl  # here, not at the top: the designer side imports this module on Windows

        lock_path = self.path.with_name(self.path.name + ".lock")
        self._lock_fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock_fd)
            self._lock_fd = None
            raise StorageProblem(
                f"The session log in {self.path.parent} is in use by another kiosk program "
                "(is the kiosk running?). Stop it, or use the facilitator menu, and try again."
            ) from None

    def _read_all(self) -> bytes:
        assert self._fd is not None
        size = os.fstat(self._fd).st_size
        chunks = []
        offset = 0
        while offset < size:
            chunk = os.pread(self._fd, min(1 << 24, size - offset), offset)
            if not chunk:
                break
            chunks.append(chunk)
            offset += len(chunk)
        return b"".join(chunks)

    def _set_aside(self, damaged: list[bytes]) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        side = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        self._write_file(side, damaged)
        return side

    def _write_file(self, target: Path, pieces: list[bytes]) -> None:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = b"".join(pieces)
            written = 0
            while written < len(view):
                written += os.write(fd, view[written:])
            os.fsync(fd)
        finally:
            os.close(fd)

    def compact(self) -> None:
        """Rewrite the journal as the current state: temp file, fsync, replace, fsync folder."""
        temp = self.path.with_name(f"{self.path.name}.compacting-{os.getpid()}")
        lines = self._compacted_lines()
        try:
            self._write_file(temp, lines)
        except OSError:
            temp.unlink(missing_ok=True)
            raise
        replace_durably(temp, self.path)
        if self._fd is not None:
            os.close(self._fd)
        self._fd = os.open(self.path, os.O_RDWR)
        self._end = os.fstat(self._fd).st_size
        self.ops_in_journal = sum(len(docs) + 1 for docs in self._data.values())

    # ------------------------------------------------------------------ writing
    def _append(self, line: bytes) -> None:
        if self.read_only or self._fd is None:
            raise StorageProblem("The session log was opened only for reading; nothing was saved.")
        if self._broken:
            raise StorageProblem(self._broken)
        offset = self._end
        try:
            view = memoryview(line)
            while view:
                written = os.pwrite(self._fd, view, offset)
                view = view[written:]
                offset += written
            os.fdatasync(self._fd)
        except OSError as error:
            message = _plain_disk_message(error, self.path)
            try:  # cut the half-written line off; if even that fails, the next write overwrites it
                os.ftruncate(self._fd, self._end)
            except OSError:
                pass
            if error.errno not in DISK_ERRNOS:
                self._broken = message
            raise StorageProblem(message) from error
        self._end = offset

    def close(self) -> None:
        for name in ("_fd", "_lock_fd"):
            fd = getattr(self, name, None)
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
                setattr(self, name, None)


def open_db(path: str | os.PathLike[str] | None, read_only: bool = False) -> JournalDB:
    """A TinyDB on the crash-safe journal at ``path`` (None: in memory, for tests)."""
    if path is None:
        return JournalDB(storage=MemoryJournalStorage)
    return JournalDB(path, storage=JournalStorage, read_only=read_only)
