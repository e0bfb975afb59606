"""Hostile-input cases shared by the CI fuzz tests and ``bench/fuzz_inputs.py``.

Each ``check_*`` function feeds one input to the real code and raises AssertionError when the
promise is broken: only the project's own ``KioskError`` family may come out, nothing may be
written outside the working folder, and a refused input leaves no state behind.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import signal
import stat
import warnings
import zipfile
from collections.abc import Iterator
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


def check_bundle(files: dict[str, bytes], base: Path, special: dict[str, str] | None = None,
                 identities: list | None = None) -> str:
    """Import one (possibly hostile) bundle into a fresh store; "imported" or "refused".

    ``special``: bundle file name -> one of ``SPECIAL_KINDS``, made for real after the files
    are written. The import runs under an alarm, so a hang fails instead of blocking forever.
    """
    from kiosk.sessions.importer import DesignerStore, import_bundles

    folder = base / "stick" / "kiosk-log-x"
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    for name, kind in (special or {}).items():
        make_special(folder, name, kind)
    before = _files_under(base)
    with no_hang(30):
        summary = import_bundles(base / "store", [folder], identities or [])
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


# ---------------------------------------------------------------- issue 16: hostile bundles

HOSTILE_DECK_IDS = ["../../../etc", "/etc", "..", ".", "gp-letter/../../x", "C:\\Users\\x",
                    "..\\..\\x", "GP-Letter", "gp letter", "gp-letter\x00", "d\u00e9ck", "-gp",
                    "gp-", "gp--letter", "a" * 65, "", "~", "$HOME", "%APPDATA%", "gp-letter\n"]
deck_ids = st.one_of(st.sampled_from(HOSTILE_DECK_IDS), st.text(max_size=70),
                     st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True),
                     st.integers(), st.none(), st.lists(st.text(max_size=3), max_size=2))
DECK_ID_PLACES = ("session", "manifest", "event")


def with_deck_id(deck_id: object, where: str) -> dict[str, bytes]:
    """The good bundle with ``deck_id`` in one place, hashes recomputed (a careful forger)."""
    files = dict(GOOD_BUNDLE)
    manifest = json.loads(files["manifest.json"])
    body = json.loads(files["events.json"])
    if where == "session":
        body["sessions"][0]["deck_id"] = deck_id
    elif where == "manifest":
        manifest["decks"][0]["deck_id"] = deck_id
    else:
        body["events"][0]["deck_id"] = deck_id
    files["events.json"] = json.dumps(body).encode()
    files["manifest.json"] = json.dumps(manifest).encode()
    return reseal(files)


def check_deck_id(deck_id: object, where: str, base: Path) -> str:
    """A bundle is refused exactly when its deck id breaks the deck format's rule."""
    from kiosk.decks.reader import is_safe_deck_id

    outcome = check_bundle(with_deck_id(deck_id, where), base)
    expected = "imported" if is_safe_deck_id(deck_id) else "refused"
    assert outcome == expected, f"deck id {deck_id!r} in the {where}: {outcome}"
    return outcome


SPECIAL_KINDS = ("fifo", "link-to-dev-zero", "link-outside", "link-inside", "folder",
                 "missing", "device", "huge")


def make_special(folder: Path, name: str, kind: str) -> None:
    """Replace ``folder/name`` with a real special file of ``kind``."""
    from kiosk.sessions.bundle import MAX_FILE_BYTES

    path = folder / name
    data = path.read_bytes() if path.is_file() else b"{}"
    if path.exists() or path.is_symlink():
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link-to-dev-zero":
        os.symlink("/dev/zero", path)
    elif kind == "link-outside":  # to a true copy, so only the link itself is wrong
        outside = folder.parent.parent / f"outside-{name}"
        outside.write_bytes(data)
        os.symlink(outside, path)
    elif kind == "link-inside":
        (folder / f".copy-{name}").write_bytes(data)
        os.symlink(f".copy-{name}", path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "device":
        try:
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero's numbers
        except PermissionError:
            os.mkfifo(path)  # without root, the nearest thing
    elif kind == "huge":
        path.write_bytes(data)
        with open(path, "r+b") as handle:
            handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    elif kind != "missing":
        raise ValueError(kind)


@contextlib.contextmanager
def no_hang(seconds: int) -> Iterator[None]:
    """Fail (instead of blocking CI forever) when the body runs longer than ``seconds``."""
    def hung(signum, frame):
        raise AssertionError(f"the import hung for {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _sealed_bundle() -> tuple[dict[str, bytes], list]:
    from pyrage import x25519

    from kiosk.sessions.export import encrypted_bundle_files

    identity = x25519.Identity.generate()
    return (encrypted_bundle_files(GOOD_BUNDLE, [identity.to_public()],
                                   "2025-03-04T00:00:00.000Z"), [identity])


GOOD_SEALED, SEALED_IDENTITIES = _sealed_bundle()
special_files = st.dictionaries(
    st.sampled_from(sorted({*GOOD_BUNDLE, *GOOD_SEALED, "extra.bin"})),
    st.sampled_from(SPECIAL_KINDS), min_size=1, max_size=3)


def check_special(special: dict[str, str], sealed: bool, base: Path) -> str:
    """Special files in place of listed ones refuse the bundle; unlisted ones are not opened."""
    files, identities = (GOOD_SEALED, SEALED_IDENTITIES) if sealed else (GOOD_BUNDLE, [])
    special = {name: kind for name, kind in special.items()
               if name in files or name == "extra.bin"}
    outcome = check_bundle(files, base, special, identities)
    expected = "refused" if set(special) & set(files) else "imported"
    assert outcome == expected, f"{special} ({'sealed' if sealed else 'plain'}): {outcome}"
    return outcome


FORMULA_CHARS = ("=", "+", "-", "@", "\t")
separator_text = st.one_of(st.text(alphabet=",;\t\r\n \"'=+-@1a.", max_size=30),
                           st.text(max_size=20))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def formula_pieces(csv_text: str) -> list[str]:
    """Pieces that would start a cell with a formula character, whichever of ``,`` ``;`` or
    tab a spreadsheet splits on (a quote or spaces before it count as nothing)."""
    found = []
    for line in re.split(r"[\r\n]", csv_text):
        for separator in ",;\t":
            for piece in line.split(separator):
                bare = piece.lstrip(' "')
                if bare.startswith(FORMULA_CHARS) and not _is_number(piece.strip(' "')):
                    found.append(piece)
    return found


def check_csv(texts: list[str], numbers: list[float]) -> str:
    """Text through the CSV writer: no piece may start a formula, numbers stay as written,
    and reading the file back gives each text (with its guard quotes) in its own cell."""
    from kiosk.sessions.export import csv_bytes, neutralise

    columns = ("label", "number", "text")
    rows = [{"label": text, "number": number, "text": text}
            for text, number in zip(texts, numbers, strict=False)]
    written = csv_bytes(rows, columns).decode("utf-8-sig")
    assert not formula_pieces(written), formula_pieces(written)
    back = list(csv.DictReader(io.StringIO(written, newline="")))
    assert len(back) == len(rows)
    for row, read in zip(rows, back, strict=True):
        assert read["label"] == neutralise(row["label"]) == read["text"]
        assert float(read["number"]) == row["number"]
    return "guarded" if any(neutralise(t) != t for t in texts) else "plain"


def check_bundle_text(text: str, base: Path) -> str:
    """Hostile text in a bundle's venue, screen and variant: imported as is, and the report's
    responses.csv (written from the store as ``kiosk report`` does) holds no formula."""
    from kiosk.sessions.export import answer_rows, csv_bytes, neutralise
    from kiosk.sessions.importer import DesignerStore

    body = json.loads(GOOD_BUNDLE["events.json"])
    body["sessions"][0]["venue"] = text
    for event in body["events"]:
        event.update(screen_id=text, variant=text)
    outcome = check_bundle(reseal(dict(GOOD_BUNDLE, **{"events.json": json.dumps(body)
                                                        .encode()})), base)
    assert outcome == "imported"
    store = DesignerStore(base / "store", read_only=True)
    try:
        written = csv_bytes(answer_rows(store.sessions(), store.events())).decode("utf-8-sig")
    finally:
        store.close()
    assert not formula_pieces(written), formula_pieces(written)
    return "guarded" if neutralise(text) != text else "plain"
