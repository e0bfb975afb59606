"""Helpers shared by the sessions tests (a unique module name, so it never shadows another)."""

from __future__ import annotations

import errno
import multiprocessing.spawn
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kiosk.sessions import bulk

# How helper processes start: forked (Linux) and spawned (macOS, Windows; also tried here)
START_METHODS = [pytest.param("fork", marks=pytest.mark.skipif(
    sys.platform != "linux", reason="helpers are forked on Linux only")), "spawn"]


@contextmanager
def helpers_started_by(method: str, monkeypatch, can_start: bool = True) -> Iterator[None]:
    """Helper processes started by ``method`` for the block; with ``can_start`` False none
    can start: forked, as on a machine out of processes (``fork`` fails with EAGAIN);
    spawned, as in a frozen program (the new Python is /bin/false and dies at once)."""
    monkeypatch.setattr(bulk, "FORKING", method == "fork")
    if can_start:
        yield
        return
    if method == "fork":
        def out_of_processes() -> int:
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
        fork, os.fork = os.fork, out_of_processes
        try:
            yield
        finally:
            os.fork = fork
        return
    python = multiprocessing.spawn.get_executable()
    multiprocessing.spawn.set_executable("/bin/false")
    try:
        yield
    finally:
        multiprocessing.spawn.set_executable(python)


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
