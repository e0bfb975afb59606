"""Writing files so that a power cut at the wall leaves the old version or the new, never half.

The kiosk is switched off without warning and sticks are pulled out mid-copy; every file the
kiosk writes goes through here (or the session log's journal, which appends): a whole file
through :func:`atomic_open` or :func:`write_atomically`, a finished folder or a temporary file
moved into place through :func:`replace_durably` (or :func:`place_new_durably`, where nothing
may be there yet). A test refuses ``os.replace`` and ``os.rename`` anywhere else in the
package, so there is one way to do it.
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


def replace_durably(source: Path, target: Path, sync_folder: bool = True) -> None:
    """Move a finished (already fsync'd) file or folder over ``target``, durably.

    ``sync_folder=False`` is for a batch of moves into one folder that is fsync'd once at the
    end (narration clips), where a folder fsync per file would cost seconds on an SD card.
    """
    os.replace(source, target)
    if sync_folder:
        fsync_folder(Path(target).parent)


def place_new_durably(source: Path, target: Path) -> bool:
    """Move a finished (already fsync'd) file to ``target`` only if nothing is there: False,
    with ``source`` left as it was, if another program put a file there meanwhile (where
    :func:`replace_durably` would overwrite it)."""
    try:
        os.link(source, target)  # fails if target exists, in one step
    except FileExistsError:
        return False
    except OSError:  # no hard links here (FAT, exFAT): check, then move
        if os.path.lexists(target):
            return False
        os.rename(source, target)  # (on Windows this too fails if target exists)
    else:
        os.unlink(source)
    fsync_folder(Path(target).parent)
    return True


def sync_file(path: Path) -> None:
    """fsync a file another program wrote (espeak-ng's WAV) before it is moved into place."""
    with open(path, "rb+") as stream:
        os.fsync(stream.fileno())


def write_new_file(path: Path, data: bytes) -> None:
    """Write and fsync a file inside a folder that is not in use yet (moved into place later)."""
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


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
