"""Finding decks on whatever a facilitator plugs in, and copying them out safely.

A USB stick is untrusted: a zip may hold entries that climb out with ``..``, absolute
paths, symbolic links or a "zip bomb" (a small file that unpacks to gigabytes); a folder
may hold links pointing elsewhere on the kiosk. Everything here refuses those with a plain
sentence before a byte lands outside the scratch folder it was given.

Limits (per deck): ``MAX_TOTAL_BYTES`` unpacked, ``MAX_FILES`` files, and for a zip a
compression ratio of at most ``MAX_RATIO`` for any entry over 1 MB and for the whole zip
(pictures and recordings barely compress, so an honest deck is nowhere near it).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kiosk.errors import DeckProblems, KioskError, StorageProblem

MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_FILES = 5000
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # smaller entries may compress as well as they like
SEARCH_DEPTH = 2  # a stick's root, and one folder down
DECK_FILE = "deck.toml"

JUNK_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini", "icon\r"})
JUNK_FOLDERS = frozenset(
    {
        "__macosx",
        ".trashes",
        ".spotlight-v100",
        ".fseventsd",
        ".temporaryitems",
        "system volume information",
        "$recycle.bin",
    }
)
DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}


@dataclass(frozen=True)
class FoundDeck:
    """One deck on a stick: a folder, or a folder inside a zip (``inner``, "" for the top)."""

    path: Path
    inner: str = ""

    @property
    def is_zip(self) -> bool:
        return self.path.suffix.lower() == ".zip" and not self.path.is_dir()

    @property
    def name(self) -> str:
        """How a facilitator would recognise it: 'letters.zip', 'letters.zip: easy-read'."""
        if self.inner:
            return f"{self.path.name}: {self.inner.rstrip('/')}"
        return self.path.name or str(self.path)


def is_junk(name: str) -> bool:
    """Files a Mac or Windows adds on its own, which are never part of a deck."""
    lowered = name.lower()
    if lowered in ("", ".", ".."):
        return False
    return lowered in JUNK_NAMES or lowered.startswith(".") or lowered in JUNK_FOLDERS


def find_decks(path: Path) -> list[FoundDeck]:
    """Every deck at ``path``: a deck folder, a .zip, or a folder holding several of either.

    Raises KioskError when there is nothing there or no deck at all. A zip that cannot be
    read is still returned, so installing it reports why (and the other decks still go in).
    """
    path = Path(path)
    if not path.exists():
        raise KioskError(
            f"There is nothing at '{path}'. Check the path (is the stick plugged in?)."
        )
    if path.is_file():
        if path.suffix.lower() != ".zip":
            raise KioskError(
                f"'{path.name}' is not a deck: give a deck folder (with a {DECK_FILE} in it), "
                "a .zip of one, or a folder holding several."
            )
        return _decks_in_zip(path)
    if _has_deck_file(path):
        return [FoundDeck(path)]
    found = _search(path, SEARCH_DEPTH)
    if not found:
        raise KioskError(
            f"No decks found in '{path}': a deck is a folder with a {DECK_FILE} file in it, "
            "or a .zip of such a folder."
        )
    return found


def _search(folder: Path, depth: int) -> list[FoundDeck]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name.lower())
    except OSError:
        return []
    found: list[FoundDeck] = []
    deeper: list[Path] = []
    for entry in entries:
        if is_junk(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file() and entry.name.lower().endswith(".zip"):
                found.extend(_decks_in_zip(Path(entry.path)))
            elif entry.is_dir(follow_symlinks=False):
                if _has_deck_file(Path(entry.path)):
                    found.append(FoundDeck(Path(entry.path)))
                else:
                    deeper.append(Path(entry.path))
    if depth > 1:
        for child in deeper:
            found.extend(_search(child, depth - 1))
    return found


def _has_deck_file(folder: Path) -> bool:
    try:
        return any(
            e.name.lower() == DECK_FILE and not e.is_dir(follow_symlinks=False)
            for e in os.scandir(folder)
        )
    except OSError:
        return False


# ------------------------------------------------------------------------------- zips


@dataclass(frozen=True)
class _Entry:
    info: zipfile.ZipInfo
    name: str  # cleaned: forward slashes, no empty parts, decoded


def _decks_in_zip(path: Path) -> list[FoundDeck]:
    try:
        with zipfile.ZipFile(path) as archive:
            entries, _ = _entries(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return [FoundDeck(path)]
    homes = sorted(
        {str(PurePosixPath(e.name).parent) for e in entries if _is_deck_file(e.name)},
        key=lambda p: (p.count("/"), p),
    )
    kept: list[str] = []
    for home in homes:
        home = "" if home == "." else home + "/"
        if not any(home.startswith(other) for other in kept):
            kept.append(home)
    if not kept or "" in kept:
        return [FoundDeck(path)]
    return [FoundDeck(path, inner) for inner in kept]


def _is_deck_file(name: str) -> bool:
    return PurePosixPath(name).name.lower() == DECK_FILE


def _entries(archive: zipfile.ZipFile) -> tuple[list[_Entry], list[str]]:
    """The zip's real entries (junk dropped) and every reason to refuse the whole zip."""
    problems: list[str] = []
    entries: list[_Entry] = []
    for info in archive.infolist():
        name = _decoded(info)
        shown = name if len(name) <= 80 else name[:77] + "..."
        clean = name.replace("\\", "/")
        parts = [p for p in clean.split("/") if p not in ("", ".")]
        if clean.startswith("/") or (len(clean) > 1 and clean[1] == ":") or "\x00" in clean:
            problems.append(f"the zip holds '{shown}', a path from the top of a disk")
            continue
        if ".." in parts:
            problems.append(f"the zip holds '{shown}', which would land outside the deck")
            continue
        if any(is_junk(part) for part in parts):
            continue
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            problems.append(f"the zip holds '{shown}', a link to another place")
            continue
        if info.flag_bits & 0x1:
            problems.append(f"the zip holds '{shown}' locked with a password")
            continue
        if not parts or info.is_dir():
            continue
        entries.append(_Entry(info, "/".join(parts)))
    return entries, problems


def _decoded(info: zipfile.ZipInfo) -> str:
    """Mac and Linux zippers write UTF-8 names without saying so; zipfile reads cp437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("utf-8")
    return unicodedata.normalize("NFC", name)


def _zip_limits(path: Path, entries: list[_Entry]) -> list[str]:
    problems: list[str] = []
    if len(entries) > MAX_FILES:
        problems.append(f"the zip holds {len(entries)} files; a deck may have at most {MAX_FILES}")
    total = sum(e.info.file_size for e in entries)
    if total > MAX_TOTAL_BYTES:
        problems.append(
            f"the zip would unpack to {total // (1024 * 1024)} MB; a deck may be at most "
            f"{MAX_TOTAL_BYTES // (1024 * 1024)} MB"
        )
    for entry in entries:
        size, packed = entry.info.file_size, max(entry.info.compress_size, 1)
        if size > RATIO_FLOOR and size / packed > MAX_RATIO:
            problems.append(
                f"the zip entry '{entry.name}' would grow {size // packed} times when "
                "unpacked (a 'zip bomb'); it was refused"
            )
    zip_size = max(_size(path), 1)
    if total > RATIO_FLOOR and total / zip_size > MAX_RATIO:
        problems.append(
            f"the zip would grow {total // zip_size} times when unpacked (a 'zip bomb'); "
            "it was refused"
        )
    return problems


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _extract(found: FoundDeck, dest: Path) -> None:
    try:
        archive = zipfile.ZipFile(found.path)
    except FileNotFoundError:
        raise KioskError(f"'{found.path}' is gone: was the USB stick removed?") from None
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        raise DeckProblems(found.name, ["it is not a zip file that can be opened"]) from None
    except OSError as error:
        raise _read_failure(found, error) from None
    with archive:
        entries, problems = _entries(archive)
        entries = [e for e in entries if e.name.startswith(found.inner)]
        problems += _zip_limits(found.path, entries)
        if problems:
            raise DeckProblems(found.name, problems)
        written = 0
        for entry in entries:
            relative = entry.name[len(found.inner) :]
            target = dest / relative
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                out = open(target, "xb")  # noqa: SIM115 - closed below
            except FileExistsError:
                raise DeckProblems(
                    found.name, [f"the zip holds '{entry.name}' twice (or as file and folder)"]
                ) from None
            except OSError as error:
                raise _write_failure(found, error) from None
            with out:
                try:
                    stream = archive.open(entry.info)
                except (zipfile.BadZipFile, NotImplementedError, ValueError, zlib.error):
                    raise DeckProblems(
                        found.name, [f"'{entry.name}' in the zip is damaged"]
                    ) from None
                except OSError as error:
                    raise _read_failure(found, error) from None
                with stream:
                    while True:
                        try:
                            chunk = stream.read(1024 * 1024)
                        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
                            raise DeckProblems(
                                found.name, [f"'{entry.name}' in the zip is damaged"]
                            ) from None
                        except OSError as error:
                            raise _read_failure(found, error) from None
                        if not chunk:
                            break
                        written += len(chunk)
                        if written > MAX_TOTAL_BYTES:
                            raise DeckProblems(found.name, ["the zip unpacks to far too much"])
                        try:
                            out.write(chunk)
                        except OSError as error:
                            raise _write_failure(found, error) from None


# ---------------------------------------------------------------------------- folders


def folder_files(folder: Path, name: str | None = None) -> list[tuple[str, Path]]:
    """The files of a deck folder as (relative path, file to read), after refusing links
    that lead out of it, special files, and more than the limits allow.

    Links that stay inside the deck are followed; junk (``.DS_Store``...) is left out.
    """
    name = name or folder.name
    root = os.path.realpath(folder)
    problems: list[str] = []
    files: list[tuple[str, Path]] = []
    total = 0
    for top, dirs, names in os.walk(folder, onerror=None):
        base = Path(top)
        keep = []
        for d in sorted(dirs):
            if is_junk(d):
                continue
            path = base / d
            if path.is_symlink():
                if not _inside(root, path):
                    problems.append(f"'{_rel(folder, path)}' is a link to a place outside the deck")
                continue
            keep.append(d)
        dirs[:] = keep
        for file_name in sorted(names):
            if is_junk(file_name):
                continue
            path = base / file_name
            relative = _rel(folder, path)
            if path.is_symlink() and not _inside(root, path):
                problems.append(f"'{relative}' is a link to a place outside the deck")
                continue
            try:
                info = path.stat()
            except OSError:
                problems.append(f"'{relative}' is a link to nothing")
                continue
            if not stat.S_ISREG(info.st_mode):
                problems.append(f"'{relative}' is not an ordinary file")
                continue
            total += info.st_size
            files.append((relative, path))
    if len(files) > MAX_FILES:
        problems.append(f"the deck holds {len(files)} files; a deck may have at most {MAX_FILES}")
    if total > MAX_TOTAL_BYTES:
        problems.append(
            f"the deck holds {total // (1024 * 1024)} MB; a deck may be at most "
            f"{MAX_TOTAL_BYTES // (1024 * 1024)} MB"
        )
    if problems:
        raise DeckProblems(name, problems)
    return files


def _inside(root: str, path: Path) -> bool:
    target = os.path.realpath(path)
    return os.path.commonpath([root, target]) == root


def _rel(folder: Path, path: Path) -> str:
    return path.relative_to(folder).as_posix()


def _copy_folder(found: FoundDeck, dest: Path) -> None:
    try:
        files = folder_files(found.path, found.name)
    except OSError as error:
        raise _read_failure(found, error) from None
    for relative, source in files:
        target = dest / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _write_failure(found, error) from None
        try:
            shutil.copyfile(source, target)
        except OSError as error:
            if error.errno in DISK_FULL:
                raise _write_failure(found, error) from None
            raise _read_failure(found, error) from None


# ------------------------------------------------------------------------------ both


def unpack(found: FoundDeck, dest: Path) -> Path:
    """Copy or extract one deck's files into the new folder ``dest``, refusing hostile input.

    Raises DeckProblems (the deck is unsafe or damaged), StorageProblem (the kiosk's disk is
    full or read-only) or KioskError (the source could not be read: a stick pulled out).
    ``dest`` may be left half-filled; the caller owns it and throws it away.
    """
    try:
        dest.mkdir(parents=True)
    except OSError as error:
        raise _write_failure(found, error) from None
    if found.is_zip:
        _extract(found, dest)
    else:
        _copy_folder(found, dest)
    return dest


@contextlib.contextmanager
def readable(found: FoundDeck) -> Iterator[Path]:
    """A folder to read the deck from, for checking: the deck itself, or a zip unpacked
    into a temporary folder that is removed afterwards."""
    if not found.is_zip:
        folder_files(found.path, found.name)
        yield found.path
        return
    with tempfile.TemporaryDirectory(prefix="kiosk-check-") as scratch:
        yield unpack(found, Path(scratch) / "deck")


def _read_failure(found: FoundDeck, error: OSError) -> KioskError:
    if error.errno in DISK_FULL:
        return _write_failure(found, error)
    return KioskError(
        f"{found.name} could not be read ({error.strerror or 'read error'}): was the USB "
        "stick removed? Nothing was changed; plug it in and try again."
    )


def _write_failure(found: FoundDeck, error: OSError) -> StorageProblem:
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        why = "there is not enough space on the kiosk's disk"
    elif error.errno == errno.EROFS:
        why = "the kiosk's disk is read-only"
    else:
        why = f"the kiosk's disk refused it ({error.strerror or 'write error'})"
    return StorageProblem(f"{found.name} could not be installed: {why}. Nothing was changed.")
