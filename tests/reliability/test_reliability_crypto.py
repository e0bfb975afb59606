"""Encrypted bundles and retention, through the real ``kiosk`` command line.

A lost stick must reveal nothing: once a designer key is on the kiosk, an export holds no
readable session, venue, deck or answer; only ``kiosk import --key`` with the matching
private key reads it. The designer can delete a session from their store for good.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import zlib

import pytest

from kiosk.cli import main
from kiosk.errors import KioskError
from kiosk.sessions.crypto import (
    PUBLIC_KEY_FILE,
    KeyProblem,
    installed_key_file,
    new_key_pair,
)
from kiosk.sessions.designer_store import STORE_DB
from kiosk.sessions.export import export_bundle
from kiosk.sessions.importer import DesignerStore, import_bundles
from kiosk.sessions.log import ResponseLog

VENUE = "Caldmore Community Centre"


def kiosk_with_answers(root, answers: int = 5) -> ResponseLog:
    log = ResponseLog(root / "log", "walsall-1")
    sid = log.start_session("gp-letter", 2, VENUE)
    for n in range(answers):
        log.record(sid, "answer", participant=n + 1, screen_id="p1", variant="easy-read",
                   response="understood", seconds_to_answer=3.5, replays=0)
    log.end_session(sid)
    return log


def sealed_folder_reveals_nothing(bundle) -> None:
    names = sorted(p.name for p in bundle.iterdir())
    assert names == ["bundle.age", "manifest.json"]
    everything = b"".join(p.read_bytes() for p in bundle.iterdir())
    # Each secret is long enough never to turn up in random ciphertext by chance ("p1" did).
    for secret in (VENUE.encode(), b"gp-letter", b"understood", b'"p1"', b"walsall"):
        assert secret not in everything


def test_keys_new_install_export_import_round_trip(tmp_path, capsys):
    kiosk, designer = tmp_path / "kiosk", tmp_path / "designer"
    assert main(["--home", str(designer), "keys", "new", str(tmp_path / "keys")]) == 0
    public, private = tmp_path / "keys" / PUBLIC_KEY_FILE, tmp_path / "keys" / \
        "designer-private-key.txt"
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    assert main(["--home", str(kiosk), "keys", "install", str(public)]) == 0
    log = kiosk_with_answers(kiosk)
    log.close()
    assert main(["--home", str(kiosk), "export", str(tmp_path / "stick")]) == 0
    (bundle,) = (tmp_path / "stick").iterdir()
    sealed_folder_reveals_nothing(bundle)
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert set(manifest) == {"format", "created_at", "recipients", "files"}

    capsys.readouterr()
    assert main(["--home", str(designer), "import", str(bundle)]) == 1  # no key: refused
    assert "--key" in capsys.readouterr().out
    assert main(["--home", str(designer), "import", "--key", str(private), str(bundle)]) == 0
    assert "5 new answers" in capsys.readouterr().out
    store = DesignerStore(designer / "designer-store", read_only=True)
    assert {s["venue"] for s in store.sessions()} == {VENUE}
    store.close()


def test_wrong_key_tampered_and_public_key_given_to_import(tmp_path):
    mine = new_key_pair(tmp_path / "mine")
    theirs = new_key_pair(tmp_path / "theirs")
    log = kiosk_with_answers(tmp_path / "kiosk")
    from kiosk.sessions.crypto import read_private_keys, read_public_keys

    bundle = export_bundle(log, tmp_path / "stick", recipients=read_public_keys(mine[0]))
    log.close()
    wrong = import_bundles(tmp_path / "store", [bundle], read_private_keys(theirs[1]))
    assert wrong.refused and "cannot be opened with this private key" in wrong.refused[0][1]
    with pytest.raises(KeyProblem, match="public key"):
        read_private_keys(mine[0])
    with pytest.raises(KeyProblem, match="PRIVATE"):
        read_public_keys(mine[1])
    sealed = bytearray((bundle / "bundle.age").read_bytes())
    sealed[-5] ^= 0x40
    (bundle / "bundle.age").write_bytes(bytes(sealed))
    tampered = import_bundles(tmp_path / "store", [bundle], read_private_keys(mine[1]))
    assert tampered.refused and "does not match its manifest" in tampered.refused[0][1]
    store = DesignerStore(tmp_path / "store", read_only=True)
    assert store.sessions() == []
    store.close()


def test_a_key_on_the_stick_is_picked_up_once_and_never_replaces(tmp_path):
    first = new_key_pair(tmp_path / "first")
    stranger = new_key_pair(tmp_path / "stranger")
    stick = tmp_path / "stick" / "kiosk-export"
    stick.mkdir(parents=True)
    (stick / PUBLIC_KEY_FILE).write_bytes(first[0].read_bytes())
    log = kiosk_with_answers(tmp_path / "kiosk")
    sealed_folder_reveals_nothing(export_bundle(log, stick))
    assert installed_key_file(tmp_path / "kiosk").read_bytes() == first[0].read_bytes()
    (stick / PUBLIC_KEY_FILE).write_bytes(stranger[0].read_bytes())  # a stranger's stick
    second = export_bundle(log, stick)
    log.close()
    assert installed_key_file(tmp_path / "kiosk").read_bytes() == first[0].read_bytes()
    from kiosk.sessions.crypto import read_private_keys

    ok = import_bundles(tmp_path / "store", [second], read_private_keys(first[1]))
    assert not ok.refused and ok.new_answers == 5


def test_a_damaged_key_file_stops_the_export_rather_than_writing_plain(tmp_path):
    log = kiosk_with_answers(tmp_path / "kiosk")
    key = installed_key_file(tmp_path / "kiosk")
    key.parent.mkdir(parents=True)
    key.write_text("age1this-is-not-a-key\n")
    with pytest.raises(KioskError, match="not a public key"):
        export_bundle(log, tmp_path / "stick")
    log.close()
    assert not (tmp_path / "stick").exists() or not list((tmp_path / "stick").iterdir())


def test_keys_are_never_overwritten_and_install_refuses_a_private_key(tmp_path, capsys):
    public, private = new_key_pair(tmp_path / "k")
    with pytest.raises(KeyProblem, match="already a key"):
        new_key_pair(tmp_path / "k")
    assert main(["--home", str(tmp_path / "kiosk"), "keys", "install", str(private)]) == 1
    assert "PRIVATE" in capsys.readouterr().err
    assert not installed_key_file(tmp_path / "kiosk").exists()
    other, _ = new_key_pair(tmp_path / "other")
    assert main(["--home", str(tmp_path / "kiosk"), "keys", "install", str(public)]) == 0
    assert main(["--home", str(tmp_path / "kiosk"), "keys", "install", str(other)]) == 1
    assert main(["--home", str(tmp_path / "kiosk"), "keys", "install", "--replace",
                 str(other)]) == 0
    assert main(["--home", str(tmp_path / "kiosk"), "keys", "show"]) == 0
    assert "encrypted to age1" in capsys.readouterr().out


def test_store_delete_removes_a_session_for_good(tmp_path, capsys):
    log = kiosk_with_answers(tmp_path / "kiosk")
    keep = log.start_session("gp-letter", 2, "Library")
    log.record(keep, "answer", participant=1, screen_id="p1", response="not_understood")
    log.end_session(keep)
    bundle = export_bundle(log, tmp_path / "stick", recipients=None)
    gone = log.sessions()[0]["session_id"]
    log.close()
    designer = tmp_path / "designer"
    assert main(["--home", str(designer), "import", str(bundle)]) == 0
    assert main(["--home", str(designer), "store", "delete", gone]) == 2  # asks first
    assert main(["--home", str(designer), "store", "delete", gone, "--yes"]) == 0
    assert "its 5 events" in capsys.readouterr().out
    journal = b"".join(p.read_bytes() for p in (designer / "designer-store").iterdir()
                       if p.is_file())  # the SQLite file and any write-ahead log beside it
    assert VENUE.encode() not in journal  # not just hidden: gone from the files
    kept = sqlite3.connect(designer / "designer-store" / STORE_DB)
    for (body,) in kept.execute("SELECT body FROM sources"):  # nor in the kept documents
        assert VENUE.encode() not in zlib.decompress(body)
        assert gone.encode() not in zlib.decompress(body)
    kept.close()
    assert main(["--home", str(designer), "import", str(bundle)]) == 0  # the old bundle again
    store = DesignerStore(designer / "designer-store", read_only=True)
    assert [s["venue"] for s in store.sessions()] == ["Library"]
    assert len(store.events()) == 1
    store.close()
    assert main(["--home", str(designer), "store", "delete", "no-such", "--yes"]) == 1
