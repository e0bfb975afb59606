"""Reading one kiosk log bundle from a folder, checked before anything from it is used.

A bundle comes from a USB stick of unknown history, so everything in it is hostile until
checked: the manifest must list every file with its size and SHA-256, the events must belong
to the bundle's sessions, and an encrypted bundle (``bundle.age``) is checked against its outer
manifest, opened with the designer's key, then checked like a plain one. Anything wrong is a
``BundleProblem`` with a plain message; the importer refuses the whole bundle.

Two rules keep a stranger's stick from reaching the rest of the designer's computer:

- Only ordinary files directly inside the bundle folder are opened: never a link (not even one
  pointing back inside), a FIFO (which would block the import forever), a device such as
  ``/dev/zero`` (endless), or a folder named like a file. Each is read with a size cap.
- Deck ids must follow the deck format's rule (``kiosk.decks.reader.is_safe_deck_id``):
  the report turns them into folder names when it looks for the deck's pictures, so ``../``
  or ``/home/...`` in a bundle would otherwise point it anywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterable
from operator import methodcaller
from pathlib import Path
from typing import Any

from kiosk.decks.reader import is_safe_deck_id
from kiosk.errors import KioskError
from kiosk.sessions.crypto import ENCRYPTED_FORMAT, SEALED_FILE, KeyProblem, unseal
from kiosk.sessions.export import BUNDLE_FORMAT

try:  # (the designer extra: without it, Python's own json reads the same, slower)
    import orjson
except ImportError:  # pragma: no cover - depends on what is installed
    orjson = None  # type: ignore[assignment]

MANIFEST = "manifest.json"
# Far above anything a kiosk writes (a year of a busy kiosk is a few tens of MB of events),
# small enough that a hostile file cannot exhaust the designer's memory.
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_FILE_BYTES = 256 * 1024 * 1024
# Open without following a final link, without blocking on a FIFO, never as a terminal.
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
AGAIN = "Copy the logs from the kiosk again. Nothing from this bundle was imported."


class BundleProblem(KioskError):
    """A bundle that cannot be imported, in words a designer can act on."""


class MissingFile(BundleProblem):
    """A file the manifest (or the bundle format) names is not there."""


def _damaged(name: str, why: str) -> BundleProblem:
    """The one message for a file a kiosk never writes: damaged, whatever the cause."""
    return BundleProblem(f"its {name} is damaged ({why}). {AGAIN}")


def _is_bundle(path: Path) -> bool:
    try:
        os.lstat(path / MANIFEST)
    except (OSError, ValueError):
        return False
    return True


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def find_bundles(paths: Iterable[Path]) -> list[Path]:
    """Bundle folders named directly, or found one level inside (a USB stick's folder)."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if _is_bundle(path) or path.name.startswith(".partial-"):
            found.append(path)
        elif _is_folder(path):
            try:
                inner = sorted(p for p in path.iterdir() if _is_folder(p) and (
                    _is_bundle(p) or p.name.startswith(".partial-")))
            except OSError:
                inner = []
            found.extend(inner if inner else [path])
        else:
            found.append(path)
    return found


def read_plain_file(folder: Path, name: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``folder/name`` if it is an ordinary file of at most ``limit`` bytes.

    Checked before opening (``lstat``) so a FIFO or device is never opened, opened without
    following links or blocking, then checked again on the open file (same file, still
    ordinary) so nothing swapped in between is read.
    """
    path = folder / name
    try:
        before = os.lstat(path)
    except FileNotFoundError:
        raise MissingFile(f"{name} is missing. {AGAIN}") from None
    except (OSError, ValueError):
        raise _damaged(name, "it cannot be read") from None
    if stat.S_ISLNK(before.st_mode):
        raise _damaged(name, "it is a link, not a file")
    if not stat.S_ISREG(before.st_mode):
        raise _damaged(name, "it is a folder, a pipe or a device, not a file")
    if before.st_size > limit:
        raise _damaged(name, f"it is larger than any kiosk writes: {before.st_size} bytes")
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError:
        raise _damaged(name, "it cannot be read") from None
    try:
        now = os.fstat(descriptor)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (
                before.st_dev, before.st_ino):
            raise _damaged(name, "it changed while it was being read")
        chunks, total = [], 0
        while True:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise _damaged(name, "it is larger than any kiosk writes")
    except OSError:
        raise _damaged(name, "it cannot be read") from None
    finally:
        os.close(descriptor)
    return b"".join(chunks)


def _checked(manifest: dict[str, Any], load: Callable[[str], bytes]) -> dict[str, bytes]:
    """Every file the manifest lists, read with ``load(name)`` and matched to its hash."""
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise BundleProblem("its manifest does not list its files.")
    contents: dict[str, bytes] = {}
    for name, expected in files.items():
        if not isinstance(name, str) or not name or any(c in name for c in "/\\\0") \
                or name.startswith("."):
            raise BundleProblem(f"its manifest names a strange file ({_show(name)}). "
                                f"{AGAIN}")
        if not isinstance(expected, dict):
            raise BundleProblem(f"its manifest is damaged. {AGAIN}")
        data = load(name)
        if len(data) != expected.get("bytes") or \
                hashlib.sha256(data).hexdigest() != expected.get("sha256"):
            raise BundleProblem(f"{name} does not match its manifest: the file was changed or "
                                "damaged after export. Nothing from this bundle was imported.")
        contents[name] = data
    return contents


def _read_manifest(raw: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BundleProblem(f"its manifest.json is damaged. {AGAIN}") from None
    if not isinstance(manifest, dict) or manifest.get("format") not in (
            BUNDLE_FORMAT, ENCRYPTED_FORMAT):
        raise BundleProblem("it was made by a different version of the kiosk, or it is not "
                            "a kiosk log bundle.")
    return manifest


def _from_folder(folder: Path) -> Callable[[str], bytes]:
    def load(name: str) -> bytes:
        return read_plain_file(folder, name)
    return load


def _show(value: Any) -> str:
    """A hostile value, short and with control characters escaped, for a message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _check_deck_id(deck_id: Any) -> None:
    """Deck ids become folder names in the report, so only the deck format's ids will do."""
    if not is_safe_deck_id(deck_id):
        raise BundleProblem(f"it names a deck {_show(deck_id)} that no kiosk could have "
                            "(deck ids are lower-case letters, digits and dashes). This is "
                            f"not a bundle the kiosk wrote. {AGAIN}")


def _check_deck(deck_id: Any, version: Any) -> None:
    _check_deck_id(deck_id)
    if isinstance(version, bool) or not isinstance(version, int):
        raise BundleProblem(f"it names a deck version {_show(version)} that no kiosk could "
                            f"have (versions are whole numbers). {AGAIN}")


def _check_decks(manifest: dict[str, Any], sessions: list[dict], events: list[dict]) -> None:
    decks = manifest.get("decks", [])
    if not isinstance(decks, list) or not all(isinstance(d, dict) for d in decks):
        raise BundleProblem(f"its manifest is damaged. {AGAIN}")
    for deck in decks:
        _check_deck(deck.get("deck_id"), deck.get("deck_version"))
    for session in sessions:
        _check_deck(session.get("deck_id"), session.get("deck_version"))
    if any(map(_HAS_DECK_ID, events)):  # the kiosk puts it on sessions only; a bundle may
        for event in filter(_HAS_DECK_ID, events):
            _check_deck_id(event["deck_id"])


_DOCUMENT = frozenset({dict})  # (what a JSON object is read as)
_EVENT_ID, _SESSION_ID = methodcaller("get", "event_id"), methodcaller("get", "session_id")
_HAS_DECK_ID = methodcaller("__contains__", "deck_id")


# Every digit made "0" and every other byte a space: a run of 19 digits is then found with
# ``in``, in C (a regular expression takes eight times as long)
_DIGITS_AS_ZERO = bytes(48 if 48 <= byte <= 57 else 32 for byte in range(256))
_LONG_NUMBER = b"0" * 19


def _has_long_number(raw: bytes, chunk: int = 1 << 20) -> bool:
    """Whether ``raw`` holds a run of 19 digits, looked for a megabyte at a time (each piece
    overlapping the one before by 18 bytes): never a copy of the whole text at once."""
    overlap = len(_LONG_NUMBER) - 1
    return any(_LONG_NUMBER in raw[max(0, start - overlap):start + chunk].translate(
        _DIGITS_AS_ZERO) for start in range(0, len(raw), chunk))


def parse_json(raw: bytes) -> Any:
    """JSON text, read exactly as Python's ``json`` reads it, by orjson where that gives the
    same: 1.4-2 times quicker (parsing was a fifth of the work of reading a bundle). Text
    either refuses, orjson refuses too (control characters, trailing commas, a BOM...).

    orjson reads a whole number past 64 bits as a float without a word, so text with a run of
    19 digits or more (a kiosk writes none: its longest, in an id, is 12) goes to ``json``;
    so does anything orjson refuses (NaN, Infinity, a lone surrogate: ``json`` takes them, or
    raises as it always did), and everything where orjson is not installed.
    """
    if orjson is not None and not _has_long_number(raw):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return json.loads(raw.decode("utf-8"))


def _refuse_unfinished_or_linked(folder: Path) -> None:
    if folder.name.startswith(".partial-"):
        raise BundleProblem("this copy was never finished (the USB stick was probably "
                            "removed too early). Copy the logs from the kiosk again.")
    try:
        mode = os.lstat(folder).st_mode
    except (OSError, ValueError):
        raise BundleProblem("there is no bundle folder there.") from None
    if stat.S_ISLNK(mode):
        raise BundleProblem("it is a link to another folder, not a bundle folder; the import "
                            "never follows links. Name the bundle folder itself.")
    if not stat.S_ISDIR(mode):
        raise BundleProblem("there is no bundle folder there.")


def read_bundle(folder: Path, identities: Iterable[Any] = ()) -> dict[str, Any]:
    """The checked contents of one bundle (``events.json`` parsed), or BundleProblem.

    An encrypted bundle (``bundle.age``) is checked against its outer manifest, opened with
    one of ``identities`` (the designer's private keys), then checked like a plain one.
    """
    folder = Path(folder)
    _refuse_unfinished_or_linked(folder)
    try:
        raw_manifest = read_plain_file(folder, MANIFEST, MAX_MANIFEST_BYTES)
    except MissingFile:
        raise BundleProblem("it has no manifest.json, so it is not a kiosk log bundle "
                            "(or it was not copied completely).") from None
    manifest = _read_manifest(raw_manifest)
    load: Callable[[str], bytes]
    if manifest["format"] == ENCRYPTED_FORMAT:
        sealed = _checked(manifest, _from_folder(folder))
        if SEALED_FILE not in sealed:
            raise BundleProblem(f"its manifest does not list {SEALED_FILE}.")
        identities = list(identities)
        if not identities:
            raise BundleProblem("it is encrypted. Import it with your private key: "
                                "kiosk import --key designer-private-key.txt BUNDLE")
        try:
            inner = unseal(sealed[SEALED_FILE], identities)
        except KeyProblem as problem:
            raise BundleProblem(str(problem)) from None
        if MANIFEST not in inner:
            raise BundleProblem("it opened, but holds no manifest.json.")
        raw_manifest = inner[MANIFEST]
        manifest = _read_manifest(raw_manifest)
        if manifest["format"] != BUNDLE_FORMAT:
            raise BundleProblem("it opened, but what is inside is not a kiosk log bundle.")

        def load_inner(name: str) -> bytes:
            if name not in inner:
                raise BundleProblem(f"{name} is missing inside the encrypted bundle.")
            return inner[name]

        load = load_inner
    else:
        load = _from_folder(folder)
    files = manifest.get("files") or {}
    if not isinstance(files, dict) or "events.json" not in files:
        raise BundleProblem("its manifest does not list events.json.")
    contents = _checked(manifest, load)
    try:
        body = parse_json(contents["events.json"])
        sessions = body["sessions"]
        events = body["events"]
        if not _DOCUMENT.issuperset(map(type, sessions)) or \
                not _DOCUMENT.issuperset(map(type, events)):
            raise TypeError("not documents")
        session_ids = {s.get("session_id") for s in sessions}
        listed = manifest.get("sessions", [])
        if not isinstance(listed, list) or not all(isinstance(s, str) for s in listed):
            raise TypeError("sessions")
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError,
            RecursionError):
        raise BundleProblem("events.json cannot be read.") from None
    if set(listed) != session_ids or not all(isinstance(s, str) for s in session_ids):
        raise BundleProblem("its sessions do not match its manifest.")
    # (each event looked at by C loops: a year's bundles hold millions)
    ids = list(map(_EVENT_ID, events))
    try:
        belong = session_ids.issuperset(map(_SESSION_ID, events))
    except TypeError:  # a list or a dict as a session id
        belong = False
    if not belong or not {str}.issuperset(map(type, ids)) or "" in ids:
        raise BundleProblem("it holds events that belong to no session in it.")
    _check_decks(manifest, sessions, events)
    return {"manifest": manifest, "sessions": sessions, "events": events,
            "events_json": contents["events.json"],  # as it came: the store keeps it
            "manifest_sha256": hashlib.sha256(raw_manifest).hexdigest()}
