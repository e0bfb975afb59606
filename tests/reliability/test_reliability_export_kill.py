"""Power cut during an export: a bundle either checks out whole or is refused, never half.

A forked child exports the same log again and again (plain and encrypted in turn) to one
"stick" folder; the parent SIGKILLs it at random moments. Afterwards every folder on the
stick is either a bundle whose manifest hashes match (and imports), or a ``.partial-``
folder that the import refuses; the kiosk's log still opens with every answer.
(Installer kills at chosen points are in tests/decks/test_deck_crash.py.)
"""

from __future__ import annotations

import os
import random
import signal
import time

from kiosk.sessions.crypto import new_key_pair, read_private_keys, read_public_keys
from kiosk.sessions.export import export_bundle
from kiosk.sessions.importer import import_bundles, read_bundle
from kiosk.sessions.log import ResponseLog

KILLS = 150
BUDGET_SECONDS = 12.0
ANSWERS = 300


def _child(folder, stick, public_key, out) -> None:
    try:
        log = ResponseLog(folder, "kiosk-x")
        recipients = read_public_keys(public_key)
        os.write(out, b"O\n")
        n = 0
        while True:
            bundle = export_bundle(log, stick, recipients=recipients if n % 2 else None)
            os.write(out, f"B {bundle.name}\n".encode())
            n += 1
    except BaseException as error:  # noqa: BLE001
        os.write(out, f"E {error!r}\n".encode())
    finally:
        os._exit(0)


def test_sigkill_mid_export_never_leaves_a_bundle_that_looks_whole(tmp_path):
    public, private = new_key_pair(tmp_path / "keys")
    log = ResponseLog(tmp_path / "log", "kiosk-x")
    sid = log.start_session("gp-letter", 2, "Library")
    for n in range(ANSWERS):
        log.record(sid, "answer", participant=n, screen_id="p1", response="understood")
    log.end_session(sid)
    log.close()
    stick = tmp_path / "stick"
    rnd = random.Random(7)
    kills = reported = 0
    errors: list[str] = []
    started = time.monotonic()
    while kills < KILLS and time.monotonic() - started < BUDGET_SECONDS:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            _child(tmp_path / "log", stick, public, write_end)
        os.close(write_end)
        time.sleep(rnd.uniform(0.0, 0.08))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(read_end, "rb") as pipe:
            lines = pipe.read().split(b"\n")[:-1]
        errors += [line.decode() for line in lines if line.startswith(b"E ")]
        reported += sum(line.startswith(b"B ") for line in lines)
        kills += 1
    assert errors == []
    assert kills >= 50
    folders = sorted(stick.iterdir())
    whole = [f for f in folders if not f.name.startswith(".partial-")]
    partial = [f for f in folders if f.name.startswith(".partial-")]
    identities = read_private_keys(private)
    for folder in whole:  # every folder that looks whole IS whole
        assert len(read_bundle(folder, identities)["events"]) == ANSWERS
    summary = import_bundles(tmp_path / "store", folders, identities)
    assert sorted(summary.imported) == [str(f) for f in whole]
    assert sorted(f for f, _ in summary.refused) == [str(f) for f in partial]
    assert summary.new_answers == ANSWERS and len(whole) >= reported
    with ResponseLog(tmp_path / "log", "reader") as log:
        assert len(log.events()) == ANSWERS
    print(f"\n{kills} kills mid-export: {len(whole)} whole bundles (all checked and imported, "
          f"{ANSWERS} answers counted once), {len(partial)} .partial folders refused")
