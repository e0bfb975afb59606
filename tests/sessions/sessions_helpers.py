"""Helpers shared by the sessions tests (a unique module name, so it never shadows another)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def answer(log, session, participant, screen, response, variant="", seconds=4.0, replays=0):
    return log.record(session, "answer", participant=participant, screen_id=screen,
                      variant=variant, response=response, seconds_to_answer=seconds,
                      seconds_on_screen=seconds, replays=replays, language="en-GB")


def remount_read_only(point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)


def fill_up(point: Path) -> None:
    """Fill the file system to the last byte."""
    fd = os.open(point / "ballast", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    os.sync()
