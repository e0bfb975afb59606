"""Reading one kiosk log bundle from a folder, checked before anything from it is used.

A bundle comes from a USB stick of unknown history, so everything in it is hostile until
checked: the manifest must list every file with its size and SHA-256, the events must belong
to the bundle's sessions, and an encrypted bundle (``bundle.age``) is checked against its outer
manifest, opened with the designer's key, then checked like a plain one. Anything wrong is a
``BundleProblem`` with a plain message; the importer refuses the whole bundle.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError
from kiosk.sessions.crypto import ENCRYPTED_FORMAT, SEALED_FILE, KeyProblem, unseal
from kiosk.sessions.export import BUNDLE_FORMAT


class BundleProblem(KioskError):
    """A bundle that cannot be imported, in words a designer can act on."""


def find_bundles(paths: Iterable[Path]) -> list[Path]:
    """Bundle folders named directly, or found one level inside (a USB stick's folder)."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if (path / "manifest.json").exists() or path.name.startswith(".partial-"):
            found.append(path)
        elif path.is_dir():
            inner = sorted(p for p in path.iterdir() if p.is_dir() and (
                (p / "manifest.json").exists() or p.name.startswith(".partial-")))
            found.extend(inner if inner else [path])
        else:
            found.append(path)
    return found


def _checked(manifest: dict[str, Any], load) -> dict[str, bytes]:
    """Every file the manifest lists, read with ``load(name)`` and matched to its hash."""
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise BundleProblem("its manifest does not list its files.")
    contents: dict[str, bytes] = {}
    for name, expected in files.items():
        if not isinstance(name, str) or "/" in name or "\\" in name or name.startswith("."):
            raise BundleProblem(f"its manifest names a strange file ({name!r}).")
        if not isinstance(expected, dict):
            raise BundleProblem("its manifest is damaged. Copy the logs from the kiosk again.")
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
    except (ValueError, UnicodeDecodeError):
        raise BundleProblem("its manifest.json is damaged. Copy the logs from the kiosk "
                            "again.") from None
    if not isinstance(manifest, dict) or manifest.get("format") not in (
            BUNDLE_FORMAT, ENCRYPTED_FORMAT):
        raise BundleProblem("it was made by a different version of the kiosk, or it is not "
                            "a kiosk log bundle.")
    return manifest


def _from_folder(folder: Path):
    def load(name: str) -> bytes:
        try:
            return (folder / name).read_bytes()
        except OSError:
            raise BundleProblem(f"{name} is missing. Copy the logs from the kiosk "
                                "again.") from None
    return load


def read_bundle(folder: Path, identities: Iterable[Any] = ()) -> dict[str, Any]:
    """The checked contents of one bundle (``events.json`` parsed), or BundleProblem.

    An encrypted bundle (``bundle.age``) is checked against its outer manifest, opened with
    one of ``identities`` (the designer's private keys), then checked like a plain one.
    """
    folder = Path(folder)
    if folder.name.startswith(".partial-"):
        raise BundleProblem("this copy was never finished (the USB stick was probably "
                            "removed too early). Copy the logs from the kiosk again.")
    if not folder.is_dir():
        raise BundleProblem("there is no bundle folder there.")
    try:
        raw_manifest = (folder / "manifest.json").read_bytes()
    except FileNotFoundError:
        raise BundleProblem("it has no manifest.json, so it is not a kiosk log bundle "
                            "(or it was not copied completely).") from None
    except OSError:
        raise BundleProblem("its manifest.json cannot be read. Copy the logs from the kiosk "
                            "again.") from None
    manifest = _read_manifest(raw_manifest)
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
        if "manifest.json" not in inner:
            raise BundleProblem("it opened, but holds no manifest.json.")
        raw_manifest = inner["manifest.json"]
        manifest = _read_manifest(raw_manifest)
        if manifest["format"] != BUNDLE_FORMAT:
            raise BundleProblem("it opened, but what is inside is not a kiosk log bundle.")

        def load(name: str) -> bytes:
            if name not in inner:
                raise BundleProblem(f"{name} is missing inside the encrypted bundle.")
            return inner[name]
    else:
        load = _from_folder(folder)
    files = manifest.get("files") or {}
    if "events.json" not in files:
        raise BundleProblem("its manifest does not list events.json.")
    contents = _checked(manifest, load)
    try:
        body = json.loads(contents["events.json"].decode("utf-8"))
        sessions = body["sessions"]
        events = body["events"]
        if not all(isinstance(d, dict) for d in [*sessions, *events]):
            raise TypeError("not documents")
        session_ids = {s.get("session_id") for s in sessions}
        listed = manifest.get("sessions", [])
        if not isinstance(listed, list) or not all(isinstance(s, str) for s in listed):
            raise TypeError("sessions")
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise BundleProblem("events.json cannot be read.") from None
    if set(listed) != session_ids or not all(isinstance(s, str) for s in session_ids):
        raise BundleProblem("its sessions do not match its manifest.")
    for event in events:
        if event.get("session_id") not in session_ids or not isinstance(
                event.get("event_id"), str) or not event["event_id"]:
            raise BundleProblem("it holds events that belong to no session in it.")
    return {"manifest": manifest, "sessions": sessions, "events": events,
            "manifest_sha256": hashlib.sha256(raw_manifest).hexdigest()}
