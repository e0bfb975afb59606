"""Hostile-input cases shared by the CI fuzz tests and ``bench/fuzz_inputs.py``.

Each ``check_*`` function feeds one input to the real code and raises AssertionError when the
promise is broken: only the project's own ``KioskError`` family may come out, nothing may be
written outside the working folder, and a refused input leaves no state behind.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import warnings
import zipfile
from pathlib import Path

from hypothesis import strategies as st

from kiosk.errors import KioskError

GOOD_TOML = b"""id = "fuzz-deck"
title = "Fuzz"
version = 1
language = "en-GB"

[[screen]]
id = "p1"
image = "p1.png"
say = "Hello."
"""


def tiny_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 94, 184)).save(out, "PNG")
    return out.getvalue()


PNG = tiny_png()
HOSTILE_NAMES = ["deck.toml", "p1.png", "../escape.txt", "../../escape.txt", "/tmp/abs.txt",
                 "C:\\evil.txt", "a/../../escape.txt", "top/deck.toml", "top/p1.png",
                 "__MACOSX/._deck.toml", "DECK.TOML", "screens/", "p1.png/x", "", ".",
                 "a" * 300, "nul\x00byte", "link.png", "top/../deck.toml"]


def zip_with(entries: list[tuple[str, bytes, bool]]) -> bytes:
    """A zip file made byte for byte from (name, data, is_symlink) entries."""
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # duplicate names are part of the attack
        for name, data, symlink in entries:
            try:
                info = zipfile.ZipInfo(name or "_")
                if symlink:
                    info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, data)
            except (IndexError, ValueError):
                continue  # Python's zipfile cannot even write that name (e.g. "\x00")
    return out.getvalue()


GOOD_ZIP = zip_with([("deck.toml", GOOD_TOML, False), ("p1.png", PNG, False)])

entry_data = st.one_of(st.sampled_from([GOOD_TOML, PNG, b"/etc/passwd", b"", b"\0" * 2000]),
                       st.binary(max_size=200))
zip_entries = st.lists(st.tuples(st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(max_size=30)),
                                 entry_data, st.booleans()), max_size=6)
cuts = st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 16), st.binary(max_size=8)),
                min_size=1, max_size=5)


def mutate(raw: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Cut, overwrite and insert bytes: a damaged copy, as a flaky stick makes them."""
    data = bytearray(raw)
    for at, remove, insert in edits:
        at = at % (len(data) + 1)
        data[at:at + remove] = insert
    return bytes(data)


def _files_under(folder: Path) -> set[str]:
    return {os.path.relpath(os.path.join(top, name), folder)
            for top, dirs, names in os.walk(folder) for name in names + dirs}


def check_zip(raw: bytes, base: Path) -> str:
    """Find, unpack and read a deck zip; returns "deck" or "refused"."""
    from kiosk.decks.reader import read_deck
    from kiosk.decks.unpack import find_decks, unpack

    work = base / "a" / "b"
    work.mkdir(parents=True)
    (work / "in.zip").write_bytes(raw)
    before = _files_under(base)
    outcome = "refused"
    try:
        for n, found in enumerate(find_decks(work / "in.zip")):
            folder = unpack(found, work / f"out{n}")
            read_deck(folder)
            outcome = "deck"
    except KioskError:
        pass
    after = _files_under(base)
    escaped = {p for p in after - before if not p.startswith(os.path.join("a", "b"))}
    assert not escaped, f"written outside its folder: {escaped}"
    return outcome


def bundle_files(answers: int = 3) -> dict[str, bytes]:
    """A real plain bundle's three files, from a real log in memory."""
    from datetime import UTC, datetime

    from kiosk.sessions.export import build_bundle_files
    from kiosk.sessions.log import ResponseLog

    log = ResponseLog.in_memory("fuzz-kiosk", clock=lambda: datetime(2025, 3, 4, tzinfo=UTC))
    sid = log.start_session("gp-letter", 2, "Library")
    for n in range(answers):
        log.record(sid, "answer", participant=n + 1, screen_id="p1", variant="easy-read",
                   response="understood", seconds_to_answer=2.0, replays=0)
    log.end_session(sid)
    return build_bundle_files("fuzz-kiosk", log.sessions(), log.events(),
                              "2025-03-04T00:00:00.000Z")


GOOD_BUNDLE = bundle_files()


def reseal(files: dict[str, bytes]) -> dict[str, bytes]:
    """Recompute the manifest's hashes so the fuzzing gets past them to the parsing."""
    try:
        manifest = json.loads(files["manifest.json"])
        manifest["files"] = {name: {"sha256": hashlib.sha256(data).hexdigest(),
                                    "bytes": len(data)}
                             for name, data in files.items() if name != "manifest.json"}
        files = dict(files, **{"manifest.json": json.dumps(manifest).encode()})
    except (ValueError, TypeError, KeyError):
        pass
    return files


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=10), st.sampled_from(["answer", "session_id", "event_id"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(
                                ["session_id", "event_id", "kind", "sessions", "events",
                                 "format", "response", "ended_at", "x"]), inner, max_size=5)),
    max_leaves=12)


def check_bundle(files: dict[str, bytes], base: Path) -> str:
    """Import one (possibly hostile) bundle into a fresh store; "imported" or "refused"."""
    from kiosk.sessions.importer import DesignerStore, import_bundles

    folder = base / "stick" / "kiosk-log-x"
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    before = _files_under(base)
    summary = import_bundles(base / "store", [folder])
    new = {p for p in _files_under(base) - before if not p.startswith("store")}
    assert not new, f"the import wrote outside its store: {new}"
    store = DesignerStore(base / "store", read_only=True)
    try:
        kept = len(store.sessions()) + len(store.events())
    finally:
        store.close()
    if summary.refused:
        assert kept == 0, "a refused bundle left something in the store"
        assert all(len(why) > 10 and "Traceback" not in why for _, why in summary.refused)
        return "refused"
    return "imported"
