"""Fixtures for the sessions tests: both storages side by side, a steady clock, sample logs."""

from __future__ import annotations

import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.sessions.storage import JournalDB, JournalStorage, MemoryJournalStorage


class FileBackend:
    """The real journal on disk; ``reopen`` is what happens after a power cut."""

    name = "file"

    def __init__(self, folder: Path) -> None:
        self.path = folder / "test.journal"
        self.storage = None

    def open(self) -> JournalStorage:
        self.storage = JournalStorage(self.path)
        return self.storage

    def db(self) -> JournalDB:
        return JournalDB(self.path, storage=JournalStorage)

    def raw(self) -> bytes:
        return self.path.read_bytes()

    def set_raw(self, data: bytes) -> None:
        self.path.write_bytes(data)

    def close(self) -> None:
        if self.storage is not None:
            self.storage.close()


class MemoryBackend:
    """The same journal over bytes in memory."""

    name = "memory"

    def __init__(self) -> None:
        self.bytes = b""
        self.storage = None

    def open(self) -> MemoryJournalStorage:
        self.storage = MemoryJournalStorage(self.bytes)
        return self.storage

    def db(self) -> JournalDB:
        return JournalDB(storage=lambda: self.open())

    def raw(self) -> bytes:
        return bytes(self.storage.raw) if self.storage is not None else self.bytes

    def set_raw(self, data: bytes) -> None:
        self.bytes = data
        self.storage = None

    def close(self) -> None:
        if self.storage is not None:
            self.bytes = bytes(self.storage.raw)


@pytest.fixture(params=["file", "memory"])
def backend(request, tmp_path):
    """Each storage test runs against the real file journal and the in-memory one."""
    made = FileBackend(tmp_path) if request.param == "file" else MemoryBackend()
    yield made
    made.close()


class StepClock:
    """A clock that moves one second per reading: repeatable timestamps."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 3, 4, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def clock():
    return StepClock()


@pytest.fixture
def tmpfs(tmp_path):
    """A tiny real file system (tmpfs) we can fill up or make read-only, when mount works."""
    point = tmp_path / f"mnt-{uuid.uuid4().hex[:6]}"
    point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(point)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root?): the injected-error tests cover this")
    yield point
    subprocess.run(["umount", "-l", str(point)], capture_output=True)
