"""The installed decks, and installing new ones without ever breaking the old.

An install copies the deck into scratch space on the same disk (``home.work``), checks the
*copy* (so a stick changed mid-install cannot slip anything past), renders its narration,
flushes it to disk and only then renames it into ``home.decks/<id>``: one rename, which a
power cut or a killed process either did or did not do. Replacing a version renames the
old one aside first; a journal in the scratch folder lets the next run put it back if the
process died between the two renames. Scratch left by a killed install is cleaned up by the
next ``DeckLibrary`` call that takes the lock.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kiosk.decks.model import Deck
from kiosk.decks.narration import DeckNarration, NarrationCache
from kiosk.decks.reader import deck_notes, is_safe_deck_id, read_deck
from kiosk.decks.unpack import FoundDeck, find_decks, readable, unpack
from kiosk.durable import fsync_folder, replace_durably, write_new_file
from kiosk.errors import DeckProblems, KioskError, StorageProblem
from kiosk.home import Home

INSTALLED = "installed"
REPLACED = "replaced"
UNCHANGED = "unchanged"
REFUSED = "refused"

SCRATCH_PREFIXES = ("deck-install-", "deck-remove-")
LOCK_NAME = "deck-library.lock"
JOURNAL = "journal"  # holds the deck id being replaced, for recovery
ASIDE = "old"  # the replaced version, renamed aside until the new one is in
NEW = "new"


SILENT_RULE = (
    "The deck is installed anyway, because its pictures and words are right and are shown "
    "on screen; the kiosk tries again to make the missing narration each time it starts (the "
    "facilitator banner says so until it is done), or run this install again to try now"
)
"""Why a deck with missing narration still goes in: refusing it would keep an older version
(or nothing) for the session, while the missing clips can be made later with no change to
the deck. A deck already installed is never taken out by a failed narration."""


@dataclass(frozen=True)
class InstallResult:
    """What happened to one deck found at the install path."""

    source: str  # how the facilitator knows it: 'letters.zip', 'hospital-letter'
    status: str  # INSTALLED, REPLACED, UNCHANGED or REFUSED
    deck_id: str | None = None
    title: str | None = None
    version: int | None = None
    previous_version: int | None = None
    problems: tuple[str, ...] = ()  # why it was refused
    notes: tuple[str, ...] = ()  # installed, but: "narration is missing: ..."
    narration: DeckNarration | None = None  # clips made, reused, not made (None: refused)

    @property
    def ok(self) -> bool:
        """The deck is in place (installed, replaced or unchanged), ready or not."""
        return self.status != REFUSED

    @property
    def silent(self) -> tuple[str, ...]:
        """Where a participant would hear nothing: "screen 'p3'", ... (empty when ready)."""
        return tuple(self.narration.silent) if self.narration else ()

    @property
    def ready(self) -> bool:
        """In place, and every screen can be read aloud."""
        return self.ok and (self.narration is None or self.narration.complete)

    def describe(self) -> str:
        """Plain sentences for the command line and the facilitator menu."""
        name = f"'{self.title}' ({self.deck_id}, version {self.version})"
        if self.status == INSTALLED:
            lines = [f"Installed {name} from {self.source}."]
        elif self.status == REPLACED:
            before = f"version {self.previous_version}" if self.previous_version else "a copy"
            lines = [f"Installed {name} from {self.source}, replacing {before}."]
        elif self.status == UNCHANGED:
            lines = [f"{name} from {self.source} is already installed; nothing changed."]
        else:
            lines = [f"Not installed: {self.source}. Nothing was changed, because:"]
            lines += [f"  - {problem}" for problem in self.problems]
        unready = self.narration if self.ok and not self.ready else None
        if unready is not None:
            count = unready.could_not_make
            lines[0] = lines[0][:-1] + (
                f", but it is NOT READY: {count} narration "
                + ("clip" if count == 1 else "clips")
                + " could not be made, so "
                + ("this screen" if len(self.silent) == 1 else "these screens")
                + " would be silent: " + _shortened(self.silent) + "."
            )
        lines += [f"  Note: {note}." for note in self.notes]
        if unready is not None:
            lines.append(f"  {SILENT_RULE}.")
        return "\n".join(lines)


def _shortened(places: tuple[str, ...], most: int = 8) -> str:
    if len(places) <= most:
        return ", ".join(places)
    return ", ".join(places[:most]) + f" and {len(places) - most} more"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one deck without installing it."""

    source: str
    deck: Deck | None
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # good, but worth knowing: what falls back to the main language

    @property
    def ok(self) -> bool:
        return self.deck is not None


def check_path(path: Path) -> list[CheckResult]:
    """Check every deck at a path (folder, zip, or a stick's root) without installing.

    Raises KioskError only when nothing that looks like a deck is there at all.
    """
    results = []
    for found in find_decks(Path(path)):
        try:
            with readable(found) as folder:
                deck = read_deck(folder, source=found.name)
            results.append(CheckResult(found.name, deck, notes=tuple(deck_notes(deck))))
        except DeckProblems as problems:
            results.append(CheckResult(found.name, None, tuple(problems.problems)))
        except KioskError as error:
            results.append(CheckResult(found.name, None, (str(error),)))
    return results


class DeckLibrary:
    """The decks in ``home.decks``, one folder per deck id."""

    def __init__(self, home: Home, cache: NarrationCache | None = None) -> None:
        self.home = home
        self._cache = cache
        self.skipped: list[DeckProblems] = []  # damaged decks the last installed() passed over

    @property
    def cache(self) -> NarrationCache:
        if self._cache is None:
            self._cache = NarrationCache.for_home(self.home)
        return self._cache

    # ------------------------------------------------------------------------ reading

    def installed(self) -> list[Deck]:
        """Every usable installed deck, sorted by title; a damaged one is skipped (and kept
        in ``skipped``) so one bad folder never hides the others."""
        self._recover(wait=False)
        decks: list[Deck] = []
        skipped: list[DeckProblems] = []
        try:
            entries = sorted(os.scandir(self.home.decks), key=lambda e: e.name)
        except OSError:
            entries = []
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_dir(follow_symlinks=False):
                continue
            try:
                deck = self._read_installed(Path(entry.path))
            except DeckProblems as problems:
                skipped.append(problems)
                continue
            decks.append(deck)
        self.skipped = skipped
        return sorted(decks, key=lambda d: (d.title.casefold(), d.id))

    def get(self, deck_id: str) -> Deck:
        """One installed deck; KioskError (plain words) when it is not there."""
        if not is_safe_deck_id(deck_id):
            raise KioskError(f"'{deck_id}' is not a deck id (ids look like 'hospital-letter').")
        folder = self.home.decks / deck_id
        if not folder.is_dir():
            self._recover(wait=False)
        if not folder.is_dir():
            have = ", ".join(sorted(d.name for d in self._folders())) or "none"
            raise KioskError(f"No deck '{deck_id}' is installed. Installed decks: {have}.")
        return self._read_installed(folder)

    def _read_installed(self, folder: Path) -> Deck:
        deck = read_deck(folder, thorough=False, source=f"the installed deck '{folder.name}'")
        if deck.id != folder.name:
            raise DeckProblems(
                f"the installed deck '{folder.name}'",
                [f"its deck.toml says id '{deck.id}', not '{folder.name}'"],
            )
        return deck

    def _folders(self) -> list[Path]:
        try:
            return [
                Path(e.path)
                for e in os.scandir(self.home.decks)
                if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")
            ]
        except OSError:
            return []

    # --------------------------------------------------------------------- installing

    def install(self, source: Path, force: bool = False) -> list[InstallResult]:
        """Install every deck found at ``source``, each on its own: a bad deck is refused
        with its reasons and the good ones still go in. ``force`` installs an older or
        equal version over the installed one.

        Raises KioskError only when there is no deck at ``source`` at all, and
        StorageProblem when the data folder itself cannot be written.
        """
        found = find_decks(Path(source))
        with self._locked():
            self._recover_locked()
            return [self._install_one(one, force) for one in found]

    def _install_one(self, found: FoundDeck, force: bool) -> InstallResult:
        try:
            scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIXES[0], dir=self.home.work))
        except OSError as error:
            raise StorageProblem(
                f"the kiosk's data folder {self.home.root} cannot be written "
                f"({error.strerror or error}); nothing was changed"
            ) from error
        try:
            return self._install_from(found, scratch, force)
        except DeckProblems as problems:
            return InstallResult(found.name, REFUSED, problems=tuple(problems.problems))
        except KioskError as error:  # StorageProblem, a stick pulled out, ...
            return InstallResult(found.name, REFUSED, problems=(str(error),))
        except Exception:  # noqa: BLE001 - one deck's surprise must not stop the others
            where = self._log_traceback()
            return InstallResult(
                found.name, REFUSED, problems=(f"something unexpected went wrong{where}",)
            )
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _install_from(self, found: FoundDeck, scratch: Path, force: bool) -> InstallResult:
        new = unpack(found, scratch / NEW)
        try:
            deck = read_deck(new, thorough=False, source=found.name)
        except DeckProblems:
            read_deck(new, source=found.name)  # the full check, to report every problem
            raise
        target = self.home.decks / deck.id
        current = self._current(target)
        previous = current.version if current else None
        if current and not force:
            if deck.version < current.version:
                return self._refuse(
                    found,
                    deck,
                    previous,
                    f"version {deck.version} is older than the installed version "
                    f"{current.version}; to go back to it, install with --force",
                )
            if deck.version == current.version:
                if _same_tree(new, target):
                    notes, narration = self._narrate(current)
                    return InstallResult(
                        found.name, UNCHANGED, deck.id, deck.title, deck.version, previous,
                        notes=notes, narration=narration,
                    )  # fmt: skip
                return self._refuse(
                    found,
                    deck,
                    previous,
                    f"version {deck.version} is already installed and this copy is different: "
                    f"raise version in deck.toml to {deck.version + 1}, or install with --force",
                )
        deck = read_deck(
            new, source=found.name, trusted_copy=target if current else None
        )  # every image decoded, except those identical to the installed copy
        notes, narration = self._narrate(deck)
        existed = target.exists()
        self._swap_in(scratch, new, target)  # even with clips missing: see SILENT_RULE
        status = REPLACED if existed else INSTALLED
        return InstallResult(
            found.name, status, deck.id, deck.title, deck.version, previous, notes=notes,
            narration=narration,
        )  # fmt: skip

    def _log_traceback(self) -> str:
        import traceback

        try:
            with open(self.home.kiosk_log, "a", encoding="utf-8") as log:
                log.write(traceback.format_exc() + "\n")
        except OSError:
            return ""
        return f" (the details are in {self.home.kiosk_log})"

    def _refuse(
        self, found: FoundDeck, deck: Deck, previous: int | None, why: str
    ) -> InstallResult:
        return InstallResult(
            found.name, REFUSED, deck.id, deck.title, deck.version, previous, problems=(why,)
        )

    def _current(self, target: Path) -> Deck | None:
        if not target.is_dir():
            return None
        try:
            return self._read_installed(target)
        except DeckProblems:
            return None  # a damaged copy: anything valid may replace it

    def _narrate(self, deck: Deck) -> tuple[tuple[str, ...], DeckNarration]:
        """Render the narration; the notes say what cannot be voiced and what falls back."""
        report = self.cache.render_deck(deck)
        return tuple(report.missing) + tuple(deck_notes(deck)), report

    def _swap_in(self, scratch: Path, new: Path, target: Path) -> None:
        """The commit: one rename (two when replacing, with a journal to undo the first)."""
        try:
            _fsync_tree(new)
            self.home.decks.mkdir(parents=True, exist_ok=True)
            _write_synced(scratch / JOURNAL, target.name)
            fsync_folder(scratch)
            if target.exists():
                replace_durably(target, scratch / ASIDE, sync_folder=False)
            replace_durably(new, target)
        except OSError as error:
            if not target.exists() and (scratch / ASIDE).exists():
                replace_durably(scratch / ASIDE, target)
            raise StorageProblem(
                f"the deck could not be put in place ({error.strerror or error}); "
                "nothing was changed"
            ) from error

    # ----------------------------------------------------------------------- removing

    def remove(self, deck_id: str) -> None:
        """Take a deck off the kiosk (its session logs stay). KioskError if absent."""
        with self._locked():
            self._recover_locked()
            target = self.home.decks / deck_id
            if not is_safe_deck_id(deck_id) or not target.is_dir():
                self.get(deck_id)  # raises the plain "no deck ... installed" message
            try:
                scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIXES[1], dir=self.home.work))
                replace_durably(target, scratch / "removed", sync_folder=False)
                fsync_folder(self.home.decks)
            except OSError as error:
                raise StorageProblem(
                    f"the deck '{deck_id}' could not be removed ({error.strerror or error})"
                ) from error
            shutil.rmtree(scratch, ignore_errors=True)

    # ------------------------------------------------------------------ crash recovery

    def _recover(self, wait: bool) -> None:
        try:
            with self._locked(wait=wait) as locked:
                if locked:
                    self._recover_locked()
        except (OSError, StorageProblem):
            pass  # a read-only data folder still lists its decks

    def _recover_locked(self) -> None:
        """Undo a replace cut short between its two renames; remove all other scratch."""
        try:
            entries = list(os.scandir(self.home.work))
        except OSError:
            return
        for entry in entries:
            if not entry.name.startswith(SCRATCH_PREFIXES):
                continue
            scratch = Path(entry.path)
            aside = scratch / ASIDE
            with contextlib.suppress(OSError, UnicodeDecodeError):
                deck_id = (scratch / JOURNAL).read_text("utf-8").strip()
                target = self.home.decks / deck_id
                if aside.is_dir() and is_safe_deck_id(deck_id) and not target.exists():
                    replace_durably(aside, target)
            shutil.rmtree(scratch, ignore_errors=True)
        self.cache.clean_scratch()

    @contextlib.contextmanager
    def _locked(self, wait: bool = True) -> Iterator[bool]:
        """One installer at a time per data folder (the kiosk's USB watcher and a shell)."""
        import fcntl

        try:
            self.home.work.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.home.work / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise StorageProblem(
                f"the kiosk's data folder {self.home.root} cannot be written "
                f"({error.strerror or error}); nothing was changed"
            ) from error
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(descriptor)


def _same_tree(a: Path, b: Path) -> bool:
    """Byte-for-byte the same files (what "nothing changed" means for a re-install)."""
    files_a, files_b = _tree(a), _tree(b)
    if files_a != files_b:
        return False
    try:
        return all(filecmp.cmp(a / rel, b / rel, shallow=False) for rel in files_a)
    except OSError:
        return False


def _tree(folder: Path) -> set[str]:
    found = set()
    for top, _dirs, names in os.walk(folder):
        for name in names:
            found.add((Path(top) / name).relative_to(folder).as_posix())
    return found


def _fsync_tree(folder: Path) -> None:
    """Data first, then names: after the rename, a power cut cannot leave empty files."""
    for top, _dirs, names in os.walk(folder):
        for name in names:
            descriptor = os.open(os.path.join(top, name), os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        fsync_folder(Path(top))


def _write_synced(path: Path, text: str) -> None:
    write_new_file(path, text.encode("utf-8"))
