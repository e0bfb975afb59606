"""Writing files so that a power cut at the wall leaves the old version or the new, never half.

The kiosk is switched off without warning and sticks are pulled out mid-copy; every file the
kiosk writes goes through these two helpers (or the session log's journal, which appends).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file's name durable (FAT/exFAT sticks cannot: then ignore)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary name, fsync, then rename over ``path``: old or new, never half."""
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    fsync_folder(path.parent)
