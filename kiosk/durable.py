"""Writing files so that a power cut at the wall leaves the old version or the new, never half.

The kiosk is switched off without warning and sticks are pulled out mid-copy; every file the
kiosk writes goes through here (or the session log's journal, which appends): a whole file
through :func:`atomic_open` or :func:`write_atomically`, a finished folder or a temporary file
moved into place through :func:`replace_durably`. A test refuses ``os.replace`` and
``os.rename`` anywhere else in the package, so there is one way to do it.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


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


def replace_durably(source: Path, target: Path) -> None:
    """Move a finished file or folder over ``target`` and make the move itself durable."""
    os.replace(source, target)
    fsync_folder(Path(target).parent)


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "wb", **open_args: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on leaving the block it replaces ``path``.

    The data is fsync'd before the rename, so after a power cut ``path`` holds the old
    contents or the new, never half. If the block raises, the temporary file is removed and
    ``path`` is untouched.
    """
    if "w" not in mode:
        raise ValueError("atomic_open writes a whole new file: use a 'w' mode")
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temporary, mode, **open_args) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        replace_durably(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (see :func:`atomic_open`)."""
    with atomic_open(path) as handle:
        handle.write(data)
