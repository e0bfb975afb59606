"""The files of a deck: found without following links, looked up forgivingly, never outside it.

Designers type paths with the wrong capitals or backslashes and Mac zips spell accents
decomposed, so look-ups fold both; a path that climbs out of the deck, or a link that lands
outside it, is refused, because a deck from a USB stick is untrusted.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kiosk.decks.fields import Problems, quoted
from kiosk.tomlfile import TomlProblem, parse_toml

DECK_FILE = "deck.toml"


MAX_DECK_FILE_BYTES = 2_000_000


MAX_FILES_INDEXED = 20_000


AUDIO_EXTENSIONS = (".wav", ".ogg")


class FileIndex:
    """The deck's files, found without following links, for forgiving path look-ups."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.exact: set[str] = set()
        self.folded: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        count = 0
        for top, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__MACOSX")
            base = Path(top).relative_to(folder)
            for name in sorted(names):
                relative = (base / name).as_posix()
                self.exact.add(relative)
                self.folded.setdefault(fold_name(relative), []).append(relative)
                self.by_name.setdefault(fold_name(name), []).append(relative)
                count += 1
                if count >= MAX_FILES_INDEXED:
                    return

    def find(self, relative: str) -> str | None:
        if relative in self.exact:
            return relative
        matches = self.folded.get(fold_name(relative), [])
        return matches[0] if len(matches) == 1 else None

    def suggestion(self, relative: str) -> str | None:
        matches = self.by_name.get(fold_name(PurePosixPath(relative).name), [])
        return matches[0] if len(matches) == 1 else None


def fold_name(text: str) -> str:
    """Mac zips spell accented names decomposed, Windows ignores case: compare neither."""
    return unicodedata.normalize("NFC", text).casefold()


def load_deck_toml(folder: Path, files: FileIndex, problems: Problems) -> dict[str, Any] | None:
    if not folder.is_dir():
        problems.add(0, f"'{folder}' is not a folder")
        return None
    name = files.find(DECK_FILE)
    if name is None or "/" in name:
        problems.add(
            0,
            f"there is no {DECK_FILE} in this folder: every deck needs one, next to its "
            "images (see prototypes/README.md)",
        )
        return None
    path = folder / name
    if leaves_folder(folder, path):
        problems.add(0, f"{DECK_FILE} is a link to a file outside the deck")
        return None
    try:
        if path.stat().st_size > MAX_DECK_FILE_BYTES:
            problems.add(0, f"{DECK_FILE} is too big to be a deck description (over 2 MB)")
            return None
        raw = path.read_bytes()
    except OSError:
        problems.add(0, f"{DECK_FILE} could not be read")
        return None
    try:
        return parse_toml(raw, DECK_FILE)
    except TomlProblem as problem:
        problems.add(0, str(problem))
        return None


@dataclass(frozen=True)
class Refusal:
    message: str


def deck_file(
    value: Any,
    field_name: str,
    extensions: tuple[str, ...],
    kinds: str,
    folder: Path,
    files: FileIndex,
) -> str | Refusal:
    """The real relative path behind a path typed in deck.toml, or why it cannot be used."""
    if not isinstance(value, str):
        return Refusal(f"{field_name} {quoted(value)} must be a file name in quotes")
    shown = f"{field_name} '{value}'"
    typed = value.strip().replace("\\", "/")
    if not typed:
        return Refusal(f"{field_name} is empty: name a file in the deck")
    if typed.startswith("/") or re.match(r"[A-Za-z]:", typed) or "\x00" in typed:
        return Refusal(
            f"{shown} points outside the deck: write the path from the deck folder, "
            "such as 'screens/page1.png'"
        )
    parts = [part for part in typed.split("/") if part not in ("", ".")]
    if ".." in parts:
        return Refusal(f"{shown} climbs out of the deck with '..': keep files inside the deck")
    relative = "/".join(parts)
    if not relative.lower().endswith(extensions):
        return Refusal(f"{shown} must be a {kinds} file")
    real = files.find(relative)
    if real is None:
        hint = files.suggestion(relative)
        more = f" (there is a '{hint}': is that the one?)" if hint else ""
        return Refusal(f"{shown} is not in the deck{more}")
    path = folder / real
    if leaves_folder(folder, path):
        return Refusal(f"{shown} is a link to a file outside the deck")
    if not path.is_file():
        return Refusal(f"{shown} is not a file")
    return real


def recording(value: Any, folder: Path, files: FileIndex) -> str | Refusal:
    """A checked ``audio`` path: in the deck, and really a WAV or OGG recording."""
    found = deck_file(value, "audio", AUDIO_EXTENSIONS, "WAV or OGG", folder, files)
    if isinstance(found, Refusal):
        return found
    wrong = audio_problem(folder / found)
    return Refusal(f"audio {quoted(value)} {wrong}") if wrong else found


def leaves_folder(folder: Path, path: Path) -> bool:
    """True when ``path`` (through links) lands outside ``folder``."""
    root = os.path.realpath(folder)
    target = os.path.realpath(path)
    return os.path.commonpath([root, target]) != root


def audio_problem(path: Path) -> str | None:
    try:
        with open(path, "rb") as stream:
            head = stream.read(12)
    except OSError:
        return "could not be read"
    if path.suffix.lower() == ".wav" and not (head[:4] == b"RIFF" and head[8:12] == b"WAVE"):
        return "is not a WAV recording (its contents are something else)"
    if path.suffix.lower() == ".ogg" and head[:4] != b"OggS":
        return "is not an OGG recording (its contents are something else)"
    return None


def same_file(a: Path, b: Path) -> bool:
    import filecmp

    try:
        return b.is_file() and not b.is_symlink() and filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False
