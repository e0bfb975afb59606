"""A first import builds the store in a file of its own and moves it into place at the end:
killed mid-way it leaves no store (never a damaged one), an error keeps what was merged, and
another import that made the store meanwhile loses nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from sessions_helpers import answer

from kiosk.sessions import importer
from kiosk.sessions.designer_store import STORE_DB, StoreProblem
from kiosk.sessions.export import export_bundle
from kiosk.sessions.importer import DesignerStore, import_bundles, store_exists
from kiosk.sessions.log import ResponseLog


def _bundle(tmp_path, clock, kiosk_id, people=3):
    log = ResponseLog(tmp_path / kiosk_id, kiosk_id, clock)
    sid = log.start_session("gp-letter", 2, "Library")
    for person in range(1, people + 1):
        answer(log, sid, person, "letter-1", "understood" if person % 2 else "not_understood")
        answer(log, sid, person, "letter-2", "understood", seconds=3.5, replays=1)
    log.end_session(sid)
    bundle = export_bundle(log, tmp_path / "stick", recipients=None)
    log.close()
    return bundle


def _contents(folder):
    store = DesignerStore(folder, read_only=True)
    try:
        events = store.sql.query("SELECT session_id, event_id, kind, screen_id, response "
                                 "FROM events ORDER BY session_id, event_id")
        sessions = store.sql.query("SELECT session_id FROM sessions ORDER BY session_id")
        return sessions, events
    finally:
        store.close()


def _builds(folder):
    return sorted(folder.glob(f"{STORE_DB}{importer.BUILDING}*"))


def test_a_new_store_is_built_aside_and_moved_into_place(tmp_path, clock):
    bundles = [_bundle(tmp_path, clock, f"k{n}") for n in range(3)]
    summary = import_bundles(tmp_path / "store", bundles)
    assert summary.new_answers == 3 * 6
    assert store_exists(tmp_path / "store") and not _builds(tmp_path / "store")
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == [STORE_DB]
    again = import_bundles(tmp_path / "store", bundles)  # into the store now there
    assert again.new_answers == 0 and again.already_had == summary.new_events


def test_an_import_killed_mid_way_leaves_no_store_and_the_next_one_imports_everything(
        tmp_path, clock):
    """SIGKILL at random moments of a first import, in a process of its own: each time there
    is no store afterwards, or a whole one; importing again gives what one clean import
    gives, and a file left by a killed import is removed once it is an hour old."""
    for n in range(8):
        _bundle(tmp_path, clock, f"k{n}", people=150)
    store, stick = tmp_path / "store", tmp_path / "stick"
    command = [sys.executable, "-c", "import sys; from kiosk.sessions.importer import "
               "import_bundles; import_bundles(sys.argv[1], [sys.argv[2]])", str(store),
               str(stick)]

    def started(process: subprocess.Popen, builds: int) -> float:
        """When this import began its file (polled), or when it ended."""
        while len(_builds(store)) == builds and process.poll() is None:
            time.sleep(0.001)
        return time.perf_counter()

    process = subprocess.Popen(command)
    began = started(process, 0)
    assert process.wait() == 0
    building = time.perf_counter() - began  # from its file begun to the store in place
    clean = _contents(store)
    for path in store.iterdir():
        path.unlink()
    rng = random.Random(11)
    killed_mid_way = 0
    for _ in range(6):
        process = subprocess.Popen(command)
        started(process, len(_builds(store)))
        time.sleep(rng.uniform(0, 0.8) * building)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if store_exists(store):
            assert _contents(store) == clean  # moved into place only when finished
            (store / STORE_DB).unlink()
            for leftover in store.glob(f"{STORE_DB}-*"):
                leftover.unlink()
        else:
            killed_mid_way += 1
    assert killed_mid_way >= 2
    left = _builds(store)
    assert left  # the killed imports' files, each less than an hour old: kept
    an_hour_ago = time.time() - importer.ABANDONED_AFTER_SECONDS - 60
    os.utime(left[0], (an_hour_ago, an_hour_ago))
    import_bundles(store, [stick])
    assert _contents(store) == clean
    assert _builds(store) == left[1:]  # the hour-old one removed, the others not yet


def test_an_error_mid_import_keeps_the_bundles_merged_before_it(tmp_path, clock):
    bundles = [_bundle(tmp_path, clock, f"k{n}") for n in range(3)]

    def unplugged(line: str) -> None:
        if line.startswith("[2/"):
            raise KeyboardInterrupt  # the designer gave up after the first two
    with pytest.raises(KeyboardInterrupt):
        import_bundles(tmp_path / "store", bundles, progress=unplugged)
    assert not _builds(tmp_path / "store")
    sessions, events = _contents(tmp_path / "store")
    assert len(sessions) == 2 and sum(e[2] == "answer" for e in events) == 2 * 6
    import_bundles(tmp_path / "store", bundles)
    import_bundles(tmp_path / "clean", bundles)
    assert _contents(tmp_path / "store") == _contents(tmp_path / "clean")


def test_a_store_made_meanwhile_by_another_import_loses_nothing(tmp_path, clock):
    """Two first imports into one folder at once: the one that finishes second finds a store
    in place, so it imports its bundles into that one instead of replacing it."""
    first, second = _bundle(tmp_path, clock, "k1"), _bundle(tmp_path, clock, "k2")
    others: list = []

    def meanwhile(line: str) -> None:
        if not others:
            others.append(import_bundles(tmp_path / "store", [second]))
    summary = import_bundles(tmp_path / "store", [first, _bundle(tmp_path, clock, "k3")],
                             progress=meanwhile)
    assert others[0].new_answers == 6 and summary.new_answers == 2 * 6
    assert not _builds(tmp_path / "store")
    import_bundles(tmp_path / "clean", [tmp_path / "stick"])
    assert _contents(tmp_path / "store") == _contents(tmp_path / "clean")


def test_a_folder_where_no_store_can_be_made_is_said_plainly(tmp_path, clock):
    bundle = _bundle(tmp_path, clock, "k1")
    (tmp_path / "store").write_text("a file where the folder would be")
    with pytest.raises(StoreProblem, match="cannot be opened"):
        import_bundles(tmp_path / "store", [bundle])
