"""Reading and checking a deck folder: ``deck.toml``, its images and its recordings.

The reader is the one gate every deck passes through, whether a designer runs
``kiosk deck check`` on a laptop or a facilitator installs from a USB stick. It collects
*every* problem as a sentence naming the screen and field, so a designer can fix a deck in
one go rather than one error per attempt, and it accepts what real people hand over:
Windows Notepad files (byte-order mark, CRLF, even UTF-16), paths typed with the wrong
capital letters or backslashes, JPEG as well as PNG, spaces and any script in names.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from kiosk.decks.images import EXTENSIONS as IMAGE_EXTENSIONS
from kiosk.decks.images import ImageInfo, ImageProblem, inspect_images
from kiosk.decks.model import DEFAULT_ASK, Deck, Hotspot, Screen
from kiosk.errors import DeckProblems

DECK_FILE = "deck.toml"
MAX_DECK_FILE_BYTES = 2_000_000
MAX_SCREENS = 1000
MAX_TEXT = 5000  # characters of one `say` or `ask`: about six minutes read aloud
MAX_FILES_INDEXED = 20_000
AUDIO_EXTENSIONS = (".wav", ".ogg")
KNOWN_DECK_KEYS = frozenset({"id", "title", "version", "language", "ask", "screen"})

DECK_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_ID = 64
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")

LANGUAGE_HINT = "use a code such as 'en-GB' (English), 'pa' (Punjabi), 'ur' (Urdu) or 'pl' (Polish)"


def read_deck(
    folder: Path,
    *,
    thorough: bool = True,
    trusted_copy: Path | None = None,
    source: str | None = None,
) -> Deck:
    """Read and check the deck in ``folder``; raise DeckProblems listing everything wrong.

    ``thorough`` decodes every image in full (what install and check do); the library reads
    its own, already-checked decks with ``thorough=False`` so listing decks stays quick.
    ``trusted_copy`` is an installed copy of the same deck: images byte-for-byte identical
    to it were checked at its install and are not decoded again, which makes re-installing
    an unchanged deck fast. ``source`` names the deck in messages (default: the folder).
    """
    folder = Path(folder)
    source = source or f"the deck in '{folder.name or folder}'"
    problems = _Problems()
    files = _FileIndex(folder)
    data = _load_toml(folder, files, problems)
    if data is None:
        raise DeckProblems(source, problems.sorted())
    deck = _check(data, folder, files, problems, thorough=thorough, trusted_copy=trusted_copy)
    if problems or deck is None:
        raise DeckProblems(source, problems.sorted())
    return deck


def is_safe_deck_id(value: object) -> bool:
    """A deck id becomes a folder name on the kiosk, so only a plain, safe name will do."""
    return isinstance(value, str) and len(value) <= MAX_ID and bool(DECK_ID.match(value))


# ---------------------------------------------------------------------------- internals


@dataclass
class _Problems:
    """Problems keyed by where they are (0 = the deck, n = screen n) so they print in order."""

    items: list[tuple[int, str]] = field(default_factory=list)

    def add(self, where: int, message: str) -> None:
        self.items.append((where, message))

    def sorted(self) -> list[str]:
        return [message for _, message in sorted(self.items, key=lambda item: item[0])]

    def __bool__(self) -> bool:
        return bool(self.items)


class _FileIndex:
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
                self.folded.setdefault(_fold(relative), []).append(relative)
                self.by_name.setdefault(_fold(name), []).append(relative)
                count += 1
                if count >= MAX_FILES_INDEXED:
                    return

    def find(self, relative: str) -> str | None:
        if relative in self.exact:
            return relative
        matches = self.folded.get(_fold(relative), [])
        return matches[0] if len(matches) == 1 else None

    def suggestion(self, relative: str) -> str | None:
        matches = self.by_name.get(_fold(PurePosixPath(relative).name), [])
        return matches[0] if len(matches) == 1 else None


def _fold(text: str) -> str:
    """Mac zips spell accented names decomposed, Windows ignores case: compare neither."""
    return unicodedata.normalize("NFC", text).casefold()


def _load_toml(folder: Path, files: _FileIndex, problems: _Problems) -> dict | None:
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
    if _leaves(folder, path):
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
    text = _decode(raw, problems)
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problems.add(
            0,
            f"{DECK_FILE} is not written correctly: {error}. Check that text is in "
            '"double quotes", that each screen starts with [[screen]], and that '
            "no line is cut in two",
        )
        return None
    except (ValueError, RecursionError):
        problems.add(0, f"{DECK_FILE} is not written correctly and could not be read")
        return None


def _decode(raw: bytes, problems: _Problems) -> str | None:
    """Text from the bytes Notepad, TextEdit or a script may have written."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            problems.add(0, f"{DECK_FILE} could not be read as text")
            return None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            problems.add(
                0,
                f"{DECK_FILE} is not saved as UTF-8 text (line {line} has a character it "
                "cannot read): in Notepad use File > Save As and choose Encoding 'UTF-8'",
            )
            return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check(
    data: dict,
    folder: Path,
    files: _FileIndex,
    problems: _Problems,
    *,
    thorough: bool,
    trusted_copy: Path | None,
) -> Deck | None:
    deck_id = data.get("id")
    if deck_id is None:
        problems.add(0, "id is missing: give the deck a short name such as 'hospital-letter'")
    elif not is_safe_deck_id(deck_id):
        problems.add(
            0,
            f"id {_show(deck_id)} is not a safe name: use only lower-case letters, digits "
            f"and dashes (at most {MAX_ID}), such as {_slug_hint(deck_id)!r}",
        )

    title = _text(data, "title", problems, 0, "", required=True, limit=200)
    version = data.get("version")
    if version is None:
        problems.add(0, "version is missing: start with version = 1 and raise it for each change")
    elif isinstance(version, bool) or not isinstance(version, int):
        hint = " (without quotes)" if isinstance(version, str) else ""
        problems.add(0, f"version {_show(version)} must be a whole number such as 1{hint}")
    elif not 1 <= version < 1_000_000_000:
        problems.add(0, f"version {version} must be 1 or more")

    language = data.get("language")
    if language is None:
        problems.add(0, f"language is missing: {LANGUAGE_HINT}")
    elif not isinstance(language, str) or not LANGUAGE_TAG.match(language):
        problems.add(0, f"language {_show(language)} is not a language code: {LANGUAGE_HINT}")

    deck_ask = _text(data, "ask", problems, 0, "", required=False) or DEFAULT_ASK

    screens = _screens(data, folder, files, problems, deck_ask, thorough, trusted_copy)
    if problems or screens is None:
        return None
    extra = {key: value for key, value in data.items() if key not in KNOWN_DECK_KEYS}
    return Deck(
        id=deck_id,
        title=title,
        version=version,
        language=language,
        screens=screens,
        ask=deck_ask,
        folder=folder,
        extra=extra,
    )


@dataclass
class _Draft:
    """A screen being checked; its image size arrives later, from the parallel image check."""

    index: int
    label: str
    id: str | None
    image: str | None = None
    image_value: str = ""
    say: str = ""
    ask: str = ""
    variant: str | None = None
    audio: str | None = None
    hotspots: list[_SpotDraft] = field(default_factory=list)


@dataclass
class _SpotDraft:
    number: int
    rect: tuple[int, int, int, int] | None
    goto: str | None
    label: str

    @property
    def shown(self) -> str:
        return f" ('{self.label}')" if self.label else ""


def _screens(
    data: dict,
    folder: Path,
    files: _FileIndex,
    problems: _Problems,
    deck_ask: str,
    thorough: bool,
    trusted_copy: Path | None,
) -> tuple[Screen, ...] | None:
    raw = data.get("screen")
    if raw is None:
        problems.add(0, "there are no screens: add at least one [[screen]] with id, image and say")
        return None
    if isinstance(raw, dict):
        problems.add(
            0, "screens must be written [[screen]] (two square brackets), once for each screen"
        )
        return None
    if not isinstance(raw, list) or not raw:
        problems.add(0, "there are no screens: add at least one [[screen]] with id, image and say")
        return None
    if len(raw) > MAX_SCREENS:
        problems.add(
            0, f"the deck has {len(raw)} screens; the most the kiosk takes is {MAX_SCREENS}"
        )
        raw = raw[:MAX_SCREENS]

    drafts: list[_Draft] = []
    first_seen: dict[str, int] = {}
    for number, table in enumerate(raw, start=1):
        if not isinstance(table, dict):
            problems.add(number, f"screen {number} is not written as a [[screen]] table")
            continue
        drafts.append(_draft(number, table, folder, files, problems, deck_ask, first_seen))

    known_ids = set(first_seen)
    for draft in drafts:
        for spot in draft.hotspots:
            if spot.goto is not None and spot.goto not in known_ids:
                problems.add(
                    draft.index,
                    f"{draft.label}: hotspot {spot.number}{spot.shown}: goto '{spot.goto}' is "
                    "not a screen in this deck",
                )

    sizes = _image_sizes(drafts, folder, problems, thorough, trusted_copy)
    screens: list[Screen] = []
    for draft in drafts:
        size = sizes.get(draft.image) if draft.image else None
        hotspots: list[Hotspot] = []
        for spot in draft.hotspots:
            if spot.rect is None or spot.goto is None:
                continue
            x, y, w, h = spot.rect
            if size is not None and (x + w > size.width or y + h > size.height):
                problems.add(
                    draft.index,
                    f"{draft.label}: hotspot {spot.number}{spot.shown}: rect {list(spot.rect)} "
                    f"goes off the image, which is {size.width} x {size.height} pixels",
                )
            hotspots.append(Hotspot(rect=spot.rect, goto=spot.goto, label=spot.label))
        if draft.id is None or draft.image is None or not draft.say:
            continue
        screens.append(
            Screen(
                id=draft.id,
                image=draft.image,
                say=draft.say,
                ask=draft.ask,
                variant=draft.variant,
                audio=draft.audio,
                hotspots=tuple(hotspots),
            )
        )
    return tuple(screens)


def _draft(
    number: int,
    table: dict,
    folder: Path,
    files: _FileIndex,
    problems: _Problems,
    deck_ask: str,
    first_seen: dict[str, int],
) -> _Draft:
    screen_id = table.get("id")
    label = f"screen {number}"
    good_id: str | None = None
    if screen_id is None:
        problems.add(number, f"screen {number}: id is missing: give every screen a short name")
    elif not _is_screen_id(screen_id):
        problems.add(
            number,
            f"screen {number}: id {_show(screen_id)} must be a short name of letters, digits, "
            "dashes or underscores, with no spaces (such as 'page-2')",
        )
    else:
        label = f"screen '{screen_id}'"
        if screen_id in first_seen:
            problems.add(
                number,
                f"{label} appears twice (screens {first_seen[screen_id]} and {number}): every "
                "screen needs its own id",
            )
        else:
            first_seen[screen_id] = number
        good_id = screen_id

    draft = _Draft(index=number, label=label, id=good_id)
    value = table.get("image")
    if value is None:
        problems.add(number, f"{label}: image is missing: name the picture file for this screen")
    else:
        found = _deck_file(value, "image", IMAGE_EXTENSIONS, "PNG or JPEG", folder, files)
        if isinstance(found, _Refusal):
            problems.add(number, f"{label}: {found.message}")
        else:
            draft.image, draft.image_value = found, value

    draft.say = _text(table, "say", problems, number, f"{label}: ", required=True)
    draft.ask = _text(table, "ask", problems, number, f"{label}: ", required=False) or deck_ask
    draft.variant = _text(table, "variant", problems, number, f"{label}: ", False, 64) or None

    audio = table.get("audio")
    if audio is not None:
        found = _deck_file(audio, "audio", AUDIO_EXTENSIONS, "WAV or OGG", folder, files)
        if isinstance(found, _Refusal):
            problems.add(number, f"{label}: {found.message}")
        else:
            wrong = _audio_problem(folder / found)
            if wrong:
                problems.add(number, f"{label}: audio {_show(audio)} {wrong}")
            else:
                draft.audio = found

    draft.hotspots = _hotspots(table.get("hotspot"), number, label, problems)
    return draft


def _hotspots(raw: Any, number: int, label: str, problems: _Problems) -> list[_SpotDraft]:
    if raw is None:
        return []
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        problems.add(number, f"{label}: hotspot must be written [[screen.hotspot]]")
        return []
    found = []
    for spot_number, spot in enumerate(raw, start=1):
        where = f"{label}: hotspot {spot_number}"
        if not isinstance(spot, dict):
            problems.add(number, f"{where} must be written [[screen.hotspot]]")
            continue
        name = spot.get("label", "")
        if not isinstance(name, str):
            problems.add(number, f"{where}: label must be text in quotes")
            name = ""
        draft = _SpotDraft(spot_number, None, None, name.strip())
        where += draft.shown
        draft.rect = _rect(spot.get("rect"), where, number, problems)
        goto = spot.get("goto")
        if goto is None:
            problems.add(number, f"{where}: goto is missing: name the screen it leads to")
        elif not isinstance(goto, str):
            problems.add(number, f"{where}: goto {_show(goto)} must be a screen id")
        else:
            draft.goto = goto
        found.append(draft)
    return found


def _rect(
    value: Any, where: str, number: int, problems: _Problems
) -> tuple[int, int, int, int] | None:
    wanted = "four whole numbers of pixels: [x, y, width, height]"
    if value is None:
        problems.add(number, f"{where}: rect is missing: give {wanted}")
        return None
    if (
        not isinstance(value, list)
        or len(value) != 4
        or any(isinstance(n, bool) or not isinstance(n, int) for n in value)
    ):
        problems.add(number, f"{where}: rect {_show(value)} must be {wanted}")
        return None
    x, y, w, h = value
    if x < 0 or y < 0 or w <= 0 or h <= 0:
        problems.add(
            number,
            f"{where}: rect {value} must start at 0 or more and have a width and height above 0",
        )
        return None
    return (x, y, w, h)


@dataclass(frozen=True)
class _Refusal:
    message: str


def _deck_file(
    value: Any,
    field_name: str,
    extensions: tuple[str, ...],
    kinds: str,
    folder: Path,
    files: _FileIndex,
) -> str | _Refusal:
    """The real relative path behind a path typed in deck.toml, or why it cannot be used."""
    if not isinstance(value, str):
        return _Refusal(f"{field_name} {_show(value)} must be a file name in quotes")
    shown = f"{field_name} '{value}'"
    typed = value.strip().replace("\\", "/")
    if not typed:
        return _Refusal(f"{field_name} is empty: name a file in the deck")
    if typed.startswith("/") or re.match(r"[A-Za-z]:", typed) or "\x00" in typed:
        return _Refusal(
            f"{shown} points outside the deck: write the path from the deck folder, "
            "such as 'screens/page1.png'"
        )
    parts = [part for part in typed.split("/") if part not in ("", ".")]
    if ".." in parts:
        return _Refusal(f"{shown} climbs out of the deck with '..': keep files inside the deck")
    relative = "/".join(parts)
    if not relative.lower().endswith(extensions):
        return _Refusal(f"{shown} must be a {kinds} file")
    real = files.find(relative)
    if real is None:
        hint = files.suggestion(relative)
        more = f" (there is a '{hint}': is that the one?)" if hint else ""
        return _Refusal(f"{shown} is not in the deck{more}")
    path = folder / real
    if _leaves(folder, path):
        return _Refusal(f"{shown} is a link to a file outside the deck")
    if not path.is_file():
        return _Refusal(f"{shown} is not a file")
    return real


def _leaves(folder: Path, path: Path) -> bool:
    """True when ``path`` (through links) lands outside ``folder``."""
    root = os.path.realpath(folder)
    target = os.path.realpath(path)
    return os.path.commonpath([root, target]) != root


def _audio_problem(path: Path) -> str | None:
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


def _image_sizes(
    drafts: list[_Draft],
    folder: Path,
    problems: _Problems,
    thorough: bool,
    trusted_copy: Path | None,
) -> dict[str, ImageInfo]:
    wanted = sorted({d.image for d in drafts if d.image})
    full: list[Path] = []
    quick: list[Path] = []
    for relative in wanted:
        already_checked = trusted_copy is not None and _same_file(
            folder / relative, trusted_copy / relative
        )
        (full if thorough and not already_checked else quick).append(folder / relative)
    results = inspect_images(full, thorough=True)
    results.update(inspect_images(quick, thorough=False))
    sizes: dict[str, ImageInfo] = {}
    for draft in drafts:
        if not draft.image:
            continue
        outcome = results[folder / draft.image]
        if isinstance(outcome, ImageProblem):
            problems.add(draft.index, f"{draft.label}: image '{draft.image_value}' {outcome}")
        else:
            sizes[draft.image] = outcome
    return sizes


def _same_file(a: Path, b: Path) -> bool:
    import filecmp

    try:
        return b.is_file() and not b.is_symlink() and filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


def _is_screen_id(value: Any) -> bool:
    """Letters of any script (with their vowel signs), digits, dashes, dots, underscores."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_ID:
        return False
    if unicodedata.category(value[0])[0] not in "LN":
        return False
    return all(unicodedata.category(c)[0] in "LMN" or c in "-_." for c in value)


def _text(
    table: dict,
    key: str,
    problems: _Problems,
    where: int,
    prefix: str,
    required: bool,
    limit: int = MAX_TEXT,
) -> str:
    value = table.get(key)
    if value is None:
        if required:
            what = "the words read aloud" if key == "say" else "text in quotes"
            problems.add(where, f"{prefix}{key} is missing: add {what}")
        return ""
    if not isinstance(value, str):
        problems.add(where, f'{prefix}{key} {_show(value)} must be text in "quotes"')
        return ""
    text = value.strip()
    if not text:
        fix = "write the words read aloud" if required else f"write the words, or leave {key} out"
        problems.add(where, f"{prefix}{key} is empty: {fix}")
        return ""
    if len(text) > limit:
        problems.add(where, f"{prefix}{key} is too long ({len(text)} characters; at most {limit})")
        return ""
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        problems.add(where, f"{prefix}{key} holds invisible control characters: retype it")
        return ""
    return text


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def _slug_hint(value: Any) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return slug[:MAX_ID].strip("-") or "my-deck"
