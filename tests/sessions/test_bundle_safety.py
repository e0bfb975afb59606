"""A stranger's bundle cannot reach the designer's computer (issue 16, items 2 and 4).

Deck ids from a bundle become folder names when the report looks for a deck's pictures, so
only ids that follow the deck format's rule are accepted; anything else refuses the whole
bundle. Reading a bundle opens only ordinary files inside its folder: a FIFO, a link to
``/dev/zero`` or to a file elsewhere, a folder named like a file, are refused with the plain
message of any damaged bundle. The special files are real (``os.mkfifo``, ``os.symlink``) and
the import is the real ``kiosk import`` command in a subprocess, under a time limit and a
memory limit, so a hang or an endless read fails the test instead of the machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.sessions.bundle import MAX_FILE_BYTES
from kiosk.sessions.crypto import new_key_pair, read_public_keys
from kiosk.sessions.export import build_bundle_files, encrypted_bundle_files
from kiosk.sessions.importer import DesignerStore, import_bundles
from kiosk.sessions.log import ResponseLog

CREATED = "2025-03-04T00:00:00.000Z"
HOSTILE_DECK_IDS = ["../../../etc", "/etc", "..", ".", "gp-letter/../../secret",
                    "C:\\Users\\designer", "..\\..\\secret", "GP-Letter", "gp letter",
                    "gp-letter\x00", "déck", "-gp", "gp--letter", "a" * 65, "", 7, None,
                    ["gp-letter"]]


def plain_files(deck_id: str = "gp-letter") -> dict[str, bytes]:
    """A real bundle's files, from a real log (in memory)."""
    log = ResponseLog.in_memory("walsall-1", clock=lambda: datetime(2025, 3, 4, tzinfo=UTC))
    sid = log.start_session(deck_id, 2, "Caldmore")
    for n in range(3):
        log.record(sid, "answer", participant=n + 1, screen_id="p1", variant="easy-read",
                   response="understood", seconds_to_answer=2.0, replays=0)
    log.end_session(sid)
    return build_bundle_files("walsall-1", log.sessions(), log.events(), CREATED)


def rehashed(files: dict[str, bytes], manifest: dict | None = None) -> dict[str, bytes]:
    """The manifest rewritten with every other file's true hash (a careful forger's bundle)."""
    manifest = dict(manifest or json.loads(files["manifest.json"]))
    manifest["files"] = {name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                         for name, data in files.items() if name != "manifest.json"}
    return dict(files, **{"manifest.json": json.dumps(manifest).encode()})


def with_deck_id(deck_id, where: str) -> dict[str, bytes]:
    """A good bundle whose deck id is ``deck_id`` in the sessions, the manifest, or an event."""
    files = plain_files()
    manifest = json.loads(files["manifest.json"])
    body = json.loads(files["events.json"])
    if where == "sessions":
        for session in body["sessions"]:
            session["deck_id"] = deck_id
    elif where == "manifest":
        manifest["decks"] = [{"deck_id": deck_id, "deck_version": 2}]
    else:
        body["events"][0]["deck_id"] = deck_id
    files["events.json"] = json.dumps(body).encode()
    return rehashed(files, manifest)


def write_bundle(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    """A real designer key pair: (public recipients, private key file)."""
    public, private = new_key_pair(tmp_path_factory.mktemp("keys"))
    return read_public_keys(public), private


def sealed(files: dict[str, bytes], keys) -> dict[str, bytes]:
    return encrypted_bundle_files(files, keys[0], CREATED)


def stored(store: Path) -> int:
    if not store.exists():
        return 0
    db = DesignerStore(store, read_only=True)
    try:
        return len(db.sessions()) + len(db.events())
    finally:
        db.close()


def _one_gigabyte_of_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def kiosk_import(home: Path, *args: str) -> subprocess.CompletedProcess:
    """The real ``kiosk import`` in its own process; a hang or a runaway read fails the test."""
    script = Path(sys.executable).parent / "kiosk"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "kiosk"]
    try:
        return subprocess.run([*command, "--home", str(home), "import", *args],
                              capture_output=True, text=True, timeout=60,
                              preexec_fn=_one_gigabyte_of_memory)
    except subprocess.TimeoutExpired:
        pytest.fail("kiosk import hung (still running after 60 s)")


def assert_refused_plainly(result: subprocess.CompletedProcess, *words: str) -> None:
    said = result.stdout + result.stderr
    assert "Traceback" not in said and "MemoryError" not in said, said
    assert result.returncode == 1, said
    assert "Refused" in result.stdout, said
    for word in words:
        assert word in result.stdout, said


# ---------------------------------------------------------------- item 2: deck ids


@pytest.mark.parametrize("where", ["sessions", "manifest", "event"])
@pytest.mark.parametrize("deck_id", HOSTILE_DECK_IDS, ids=repr)
def test_a_deck_id_outside_the_deck_rule_refuses_the_whole_bundle(tmp_path, deck_id, where):
    good = write_bundle(tmp_path / "stick" / "a-good-one", plain_files())
    bad = write_bundle(tmp_path / "stick" / "b-hostile", with_deck_id(deck_id, where))
    summary = import_bundles(tmp_path / "store", [good, bad])
    assert summary.imported == [str(good)]
    ((folder, why),) = summary.refused
    assert folder == str(bad)
    assert "names a deck" in why and "Nothing from this bundle was imported" in why
    assert stored(tmp_path / "store") == 1 + 3  # the good bundle's session and answers only


@pytest.mark.parametrize(("field", "value"), [
    ("session_id", ["a", "list"]), ("session_id", {"a": "dict"}), ("session_id", "nobody's"),
    ("session_id", None), ("event_id", ""), ("event_id", 7), ("event_id", None)])
def test_an_event_of_no_session_in_the_bundle_refuses_it_plainly(tmp_path, field, value):
    files = plain_files()
    body = json.loads(files["events.json"])
    body["events"][1][field] = value
    files["events.json"] = json.dumps(body).encode()
    bad = write_bundle(tmp_path / "bad", rehashed(files))
    summary = import_bundles(tmp_path / "store", [bad])
    assert "belong to no session" in summary.refused[0][1]
    assert stored(tmp_path / "store") == 0


@pytest.mark.parametrize("table", ["sessions", "events"])
@pytest.mark.parametrize("value", [[1], ["text"], [None], [[{"session_id": "x"}]], "text",
                                   {"session_id": "x"}, 5, None], ids=repr)
def test_events_json_whose_sessions_or_events_are_not_documents_is_refused_plainly(
        tmp_path, table, value):
    files = plain_files()
    body = json.loads(files["events.json"])
    body[table] = value if value is None or not isinstance(value, list) else \
        body[table] + value
    files["events.json"] = json.dumps(body).encode()
    bad = write_bundle(tmp_path / "bad", rehashed(files))
    summary = import_bundles(tmp_path / "store", [bad])
    assert "events.json cannot be read" in summary.refused[0][1]
    assert stored(tmp_path / "store") == 0


def test_a_deck_version_that_is_not_a_whole_number_is_refused(tmp_path):
    files = plain_files()
    body = json.loads(files["events.json"])
    body["sessions"][0]["deck_version"] = "2; rm -rf"
    files["events.json"] = json.dumps(body).encode()
    bad = write_bundle(tmp_path / "bad", rehashed(files))
    summary = import_bundles(tmp_path / "store", [bad])
    assert "deck version" in summary.refused[0][1]
    assert stored(tmp_path / "store") == 0


def test_a_hostile_deck_id_inside_an_encrypted_bundle_is_refused_too(tmp_path, keys):
    bad = write_bundle(tmp_path / "stick" / "sealed",
                       sealed(with_deck_id("../../home/designer", "sessions"), keys))
    result = kiosk_import(tmp_path / "home", "--key", str(keys[1]), str(bad))
    assert_refused_plainly(result, "names a deck")
    assert stored(tmp_path / "home" / "designer-store") == 0


def test_kiosk_import_refuses_an_absolute_deck_id_plainly(tmp_path):
    bad = write_bundle(tmp_path / "stick" / "abs", with_deck_id("/etc", "sessions"))
    result = kiosk_import(tmp_path / "home", str(bad))
    assert_refused_plainly(result, "names a deck '/etc'")
    assert stored(tmp_path / "home" / "designer-store") == 0


def test_every_real_deck_id_still_imports(tmp_path):
    for n, deck_id in enumerate(["gp-letter", "a", "x" * 64, "diabetes-app-2"]):
        folder = write_bundle(tmp_path / f"b{n}", with_deck_id(deck_id, "sessions"))
        summary = import_bundles(tmp_path / "store", [folder])
        assert summary.imported == [str(folder)], summary.refused


# ---------------------------------------------------------------- item 4: special files


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def link_to_dev_zero(path: Path) -> None:
    os.symlink("/dev/zero", path)


def make_folder(path: Path) -> None:
    path.mkdir()


SPECIAL = {"fifo": make_fifo, "link-to-dev-zero": link_to_dev_zero, "folder": make_folder}


@pytest.mark.parametrize("kind", sorted(SPECIAL))
@pytest.mark.parametrize("name", ["manifest.json", "events.json"])
def test_kiosk_import_refuses_a_special_file_plainly(tmp_path, kind, name):
    files = plain_files()
    bundle = write_bundle(tmp_path / "stick" / "kiosk-log-x", files)
    (bundle / name).unlink()
    SPECIAL[kind](bundle / name)
    result = kiosk_import(tmp_path / "home", str(tmp_path / "stick"))
    assert_refused_plainly(result, f"{name} is damaged", "Copy the logs from the kiosk again")
    assert stored(tmp_path / "home" / "designer-store") == 0


def test_a_device_file_in_the_bundle_is_never_opened(tmp_path):
    bundle = write_bundle(tmp_path / "kiosk-log-x", plain_files())
    (bundle / "events.json").unlink()
    try:
        os.mknod(bundle / "events.json", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero
    except PermissionError:
        pytest.skip("making a device file needs root")
    result = kiosk_import(tmp_path / "home", str(bundle))
    assert_refused_plainly(result, "events.json is damaged")


def test_a_link_to_a_matching_file_outside_the_bundle_is_not_followed(tmp_path):
    """The forged link points at a real copy with the right hash: only the link is wrong."""
    files = plain_files()
    outside = tmp_path / "elsewhere" / "events.json"
    outside.parent.mkdir()
    outside.write_bytes(files["events.json"])
    bundle = write_bundle(tmp_path / "stick" / "kiosk-log-x", files)
    (bundle / "events.json").unlink()
    os.symlink(outside, bundle / "events.json")
    result = kiosk_import(tmp_path / "home", str(bundle))
    assert_refused_plainly(result, "events.json is damaged (it is a link")
    assert stored(tmp_path / "home" / "designer-store") == 0


def test_a_bundle_folder_that_is_a_link_is_not_followed(tmp_path):
    real = write_bundle(tmp_path / "elsewhere" / "kiosk-log-x", plain_files())
    (tmp_path / "stick").mkdir()
    os.symlink(real, tmp_path / "stick" / "kiosk-log-x", target_is_directory=True)
    summary = import_bundles(tmp_path / "store", [tmp_path / "stick"])
    assert "link to another folder" in summary.refused[0][1]
    assert stored(tmp_path / "store") == 0


def test_a_file_larger_than_the_cap_is_refused_without_reading_it(tmp_path):
    bundle = write_bundle(tmp_path / "kiosk-log-x", plain_files())
    with open(bundle / "events.json", "r+b") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    summary = import_bundles(tmp_path / "store", [bundle])
    assert "larger than any kiosk writes" in summary.refused[0][1]


@pytest.mark.parametrize("kind", sorted(SPECIAL))
@pytest.mark.parametrize("name", ["manifest.json", "bundle.age"])
def test_encrypted_bundles_get_the_same_treatment(tmp_path, keys, kind, name):
    bundle = write_bundle(tmp_path / "stick" / "kiosk-log-x", sealed(plain_files(), keys))
    (bundle / name).unlink()
    SPECIAL[kind](bundle / name)
    result = kiosk_import(tmp_path / "home", "--key", str(keys[1]), str(tmp_path / "stick"))
    assert_refused_plainly(result, f"{name} is damaged")
    assert stored(tmp_path / "home" / "designer-store") == 0


def test_a_strange_file_name_in_the_manifest_is_refused_plainly(tmp_path):
    files = plain_files()
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["nul\x00byte"] = {"sha256": "0", "bytes": 0}
    bundle = write_bundle(tmp_path / "kiosk-log-x",
                          dict(files, **{"manifest.json": json.dumps(manifest).encode()}))
    summary = import_bundles(tmp_path / "store", [bundle])
    assert "strange file" in summary.refused[0][1]


def test_the_good_bundle_still_imports_through_the_command(tmp_path, keys):
    write_bundle(tmp_path / "stick" / "plain", plain_files())
    write_bundle(tmp_path / "stick" / "sealed", sealed(plain_files(), keys))
    result = kiosk_import(tmp_path / "home", "--key", str(keys[1]), str(tmp_path / "stick"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Imported 2 bundles" in result.stdout
