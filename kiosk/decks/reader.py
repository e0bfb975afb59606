"""Reading and checking a deck folder: ``deck.toml``, its images and its recordings.

The reader is the one gate every deck passes through, whether a designer runs
``kiosk deck check`` on a laptop or a facilitator installs from a USB stick. It collects
*every* problem as a sentence naming the screen and field, so a designer can fix a deck in
one go rather than one error per attempt, and it accepts what real people hand over:
Windows Notepad files (byte-order mark, CRLF, even UTF-16), paths typed with the wrong
capital letters or backslashes, JPEG as well as PNG, spaces and any script in names.
"""

from __future__ import annotations

import dataclasses
import os
import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from kiosk.decks.images import EXTENSIONS as IMAGE_EXTENSIONS
from kiosk.decks.images import ImageInfo, ImageProblem, inspect_images
from kiosk.decks.languages import described, native_name
from kiosk.decks.model import (
    DEFAULT_ASK,
    Deck,
    Hotspot,
    ProfileQuestion,
    Screen,
    Task,
    Translation,
)
from kiosk.errors import DeckProblems
from kiosk.tomlfile import TomlProblem, parse_toml

DECK_FILE = "deck.toml"
MAX_DECK_FILE_BYTES = 2_000_000
MAX_SCREENS = 1000
MAX_TEXT = 5000  # characters of one `say` or `ask`: about six minutes read aloud
MAX_FILES_INDEXED = 20_000
AUDIO_EXTENSIONS = (".wav", ".ogg")
KNOWN_DECK_KEYS = frozenset(
    {"id", "title", "version", "language", "ask", "screen", "task", "profile",
     "language_names", "translations"}
)
SCREEN_TRANSLATION_KEYS = ("say", "ask", "image", "audio")
TASK_TRANSLATION_KEYS = ("instruction", "ask")
DEFAULT_TASK_ASK = "Was that easy to do?"
MAX_PROFILE = 5  # short and optional: more would tire people before the deck starts
MAX_TASKS = 50
MAX_QUESTION = 300
MAX_LANGUAGE_NAME = 60
# Where problems sort: the deck (0), screens (1..), then tasks, profile questions, names.
TASKS_AT, PROFILE_AT, NAMES_AT = 10_000, 20_000, 30_000
# Task and profile ids go into the session log, which keeps identifiers, never free text.
SAFE_ID = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*\Z")

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
    try:
        return parse_toml(raw, DECK_FILE)
    except TomlProblem as problem:
        problems.add(0, str(problem))
        return None


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
    main = language if isinstance(language, str) and LANGUAGE_TAG.match(language) else None
    asks_in = _deck_translations(data.get("translations"), main, problems)

    found = _screens(data, folder, files, problems, deck_ask, thorough, trusted_copy, main,
                     asks_in)
    if found is None:
        return None
    screens, links = found
    tasks = _tasks(data.get("task"), links, main, problems)
    profile = _profile(data.get("profile"), main, problems)
    given_names = _language_names(data.get("language_names"), problems)
    if problems:
        return None
    extra = {key: value for key, value in data.items() if key not in KNOWN_DECK_KEYS}
    deck = Deck(
        id=deck_id,
        title=title,
        version=version,
        language=language,
        screens=screens,
        ask=deck_ask,
        folder=folder,
        extra=extra,
        tasks=tasks,
        profile=profile,
    )
    names = dict(given_names)
    for tag in deck.languages:
        default = native_name(tag)
        if tag not in names and default:
            names[tag] = default
    return dataclasses.replace(deck, language_names=names)


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
    translations: list[_TranslationDraft] = field(default_factory=list)


@dataclass
class _TranslationDraft:
    """One ``[screen.translations.<language>]`` table being checked."""

    language: str
    where: str  # "screen 'home': the Punjabi (pa) translation"
    say: str | None = None
    ask: str | None = None
    image: str | None = None
    image_value: str = ""
    audio: str | None = None


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
    main: str | None,
    asks_in: dict[str, str],
) -> tuple[tuple[Screen, ...], dict[str, list[str]]] | None:
    """The screens, and where each screen's hotspots lead (for checking tasks)."""
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
        draft = _draft(number, table, folder, files, problems, deck_ask, first_seen)
        draft.translations = _screen_translations(
            table.get("translations"), draft, folder, files, problems, main
        )
        drafts.append(draft)

    known_ids = set(first_seen)
    for draft in drafts:
        for spot in draft.hotspots:
            if spot.goto is not None and spot.goto not in known_ids:
                problems.add(
                    draft.index,
                    f"{draft.label}: hotspot {spot.number}{spot.shown}: goto '{spot.goto}' is "
                    "not a screen in this deck",
                )

    links: dict[str, list[str]] = {}
    for draft in drafts:
        if draft.id is not None and first_seen.get(draft.id) == draft.index:
            links[draft.id] = [s.goto for s in draft.hotspots if s.goto in known_ids]

    sizes = _image_sizes(drafts, folder, problems, thorough, trusted_copy)
    screens: list[Screen] = []
    for draft in drafts:
        size = sizes.get(draft.image) if draft.image else None
        for t in draft.translations:
            other = sizes.get(t.image) if t.image else None
            if draft.hotspots and size and other and (other.width, other.height) != (
                size.width, size.height
            ):
                problems.add(
                    draft.index,
                    f"{t.where}: image '{t.image_value}' is {other.width} x {other.height} "
                    f"pixels but the screen's own image is {size.width} x {size.height}: "
                    "hotspots are measured on the screen's own image, so a translated "
                    "picture must be exactly the same size",
                )
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
                translations={
                    t.language: Translation(
                        say=t.say,
                        ask=t.ask or asks_in.get(t.language),
                        image=t.image,
                        audio=t.audio,
                    )
                    for t in draft.translations
                },
            )
        )
    return tuple(screens), links


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
        found = _recording(audio, folder, files)
        if isinstance(found, _Refusal):
            problems.add(number, f"{label}: {found.message}")
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


def _recording(value: Any, folder: Path, files: _FileIndex) -> str | _Refusal:
    """A checked ``audio`` path: in the deck, and really a WAV or OGG recording."""
    found = _deck_file(value, "audio", AUDIO_EXTENSIONS, "WAV or OGG", folder, files)
    if isinstance(found, _Refusal):
        return found
    wrong = _audio_problem(folder / found)
    return _Refusal(f"audio {_show(value)} {wrong}") if wrong else found


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
    refs = [
        (draft, image, value, where)
        for draft in drafts
        for image, value, where in (
            [(draft.image, draft.image_value, draft.label)]
            + [(t.image, t.image_value, t.where) for t in draft.translations]
        )
        if image
    ]
    wanted = sorted({image for _, image, _, _ in refs})
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
    for draft, image, value, where in refs:
        outcome = results[folder / image]
        if isinstance(outcome, ImageProblem):
            problems.add(draft.index, f"{where}: image '{value}' {outcome}")
        else:
            sizes[image] = outcome
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


# ------------------------------------------------- translations, tasks, profile questions


def _language_key(value: Any, main: str | None, where: str, at: int, problems: _Problems) -> bool:
    """True when a ``translations.<language>`` key is a language code other than the deck's."""
    if not isinstance(value, str) or not LANGUAGE_TAG.match(value):
        problems.add(at, f"{where}: {_show(value)} is not a language code: {LANGUAGE_HINT}")
        return False
    if main is not None and value.lower() == main.lower():
        problems.add(
            at,
            f"{where}: '{value}' is the deck's own language: its words go in the main fields, "
            "not in a translation",
        )
        return False
    return True


def _translation_tables(
    raw: Any, header: str, where: str, at: int, main: str | None, problems: _Problems
) -> list[tuple[str, dict]]:
    """The ``[... .translations.<language>]`` tables under one table, each checked for shape."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        problems.add(
            at,
            f"{where}: translations must be written as [{header}.translations.pa] tables, one "
            "for each language (with one pair of square brackets)",
        )
        return []
    found = []
    for language, table in raw.items():
        if not _language_key(language, main, f"{where}: translation", at, problems):
            continue
        if not isinstance(table, dict):
            problems.add(
                at,
                f"{where}: translation '{language}' must be its own table: write "
                f"[{header}.translations.{language}] on a line of its own, then the fields",
            )
            continue
        found.append((language, table))
    return found


def _unknown_keys(
    table: dict, allowed: tuple[str, ...], where: str, at: int, problems: _Problems
) -> None:
    """A misspelt field in a translation would silently fall back to the main language."""
    for key in table:
        if key not in allowed:
            problems.add(
                at,
                f"{where}: '{key}' is not a field here (use {', '.join(allowed)}); check "
                "the spelling",
            )


def _deck_translations(raw: Any, main: str | None, problems: _Problems) -> dict[str, str]:
    """``[translations.pa] ask = "..."``: the deck's default question in each language."""
    asks: dict[str, str] = {}
    if raw is None:
        return asks
    if not isinstance(raw, dict):
        problems.add(0, "translations must be written as [translations.pa] tables")
        return asks
    for language, table in raw.items():
        if not _language_key(language, main, "translations", 0, problems):
            continue
        where = f"the {described(language)} translation of the deck"
        if not isinstance(table, dict):
            problems.add(0, f"{where} must be written [translations.{language}]")
            continue
        _unknown_keys(table, ("ask",), where, 0, problems)
        ask = _text(table, "ask", problems, 0, f"{where}: ", required=False)
        if ask:
            asks[language] = ask
    return asks


def _screen_translations(
    raw: Any,
    draft: _Draft,
    folder: Path,
    files: _FileIndex,
    problems: _Problems,
    main: str | None,
) -> list[_TranslationDraft]:
    """``[screen.translations.pa]``: say, ask, image and audio, each optional."""
    number, found = draft.index, []
    for language, table in _translation_tables(
        raw, "screen", draft.label, number, main, problems
    ):
        t = _TranslationDraft(language, f"{draft.label}: the {described(language)} translation")
        _unknown_keys(table, SCREEN_TRANSLATION_KEYS, t.where, number, problems)
        t.say = _text(table, "say", problems, number, f"{t.where}: ", required=False) or None
        t.ask = _text(table, "ask", problems, number, f"{t.where}: ", required=False) or None
        if "image" in table:
            image = _deck_file(
                table["image"], "image", IMAGE_EXTENSIONS, "PNG or JPEG", folder, files
            )
            if isinstance(image, _Refusal):
                problems.add(number, f"{t.where}: {image.message}")
            else:
                t.image, t.image_value = image, table["image"]
        if "audio" in table:
            audio = _recording(table["audio"], folder, files)
            if isinstance(audio, _Refusal):
                problems.add(number, f"{t.where}: {audio.message}")
            elif t.say is None and "say" not in table:
                problems.add(
                    number,
                    f"{t.where}: has audio but no say: write the words of the recording as "
                    "say too (the written record of what is heard)",
                )
            else:
                t.audio = audio
        found.append(t)
    return found


def _tables(raw: Any, name: str, at: int, problems: _Problems) -> list[dict]:
    """``[[task]]`` or ``[[profile]]`` tables; a single ``[task]`` is explained, not taken."""
    if raw is None:
        return []
    if isinstance(raw, dict):
        problems.add(at, f"{name}s must be written [[{name}]] (two square brackets), once each")
        return []
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        problems.add(at, f"each {name} must be written as a [[{name}]] table")
        return []
    return raw


def _safe_id(
    value: Any, what: str, example: str, at: int, seen: dict[str, int], number: int,
    problems: _Problems,
) -> tuple[str, str | None]:  # fmt: skip
    """(label for messages, the id or None): ids are what the log and report keep."""
    label = f"{what} {number}"
    if value is None:
        problems.add(at, f"{label}: id is missing: give it a short name such as '{example}'")
        return label, None
    if not isinstance(value, str) or len(value) > MAX_ID or not SAFE_ID.match(value):
        problems.add(
            at,
            f"{label}: id {_show(value)} must be a short name of lower-case letters, digits and "
            f"dashes, with no spaces (such as '{example}'): it is kept in the results, which "
            "hold names, never sentences",
        )
        return label, None
    label = f"{what} '{value}'"
    if value in seen:
        problems.add(
            at, f"{label} appears twice ({what}s {seen[value]} and {number}): give each its own id"
        )
        return label, None
    seen[value] = number
    return label, value


def _screen_ids(
    value: Any, field_name: str, label: str, at: int, links: dict[str, list[str]],
    problems: _Problems,
) -> tuple[str, ...] | None:  # fmt: skip
    """One screen id or a list of them, each naming a screen of this deck."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        problems.add(
            at,
            f'{label}: {field_name} {_show(value)} must be a screen id in quotes, or a list '
            'of them such as ["saved", "week"]',
        )
        return None
    for screen_id in values:
        if screen_id not in links:
            problems.add(at, f"{label}: {field_name} '{screen_id}' is not a screen in this deck")
    return tuple(v for v in values if v in links)  # the good ones, so later checks still run


def _reachable(start: str, links: dict[str, list[str]]) -> set[str]:
    """Every screen a participant can reach from ``start`` by tapping hotspots."""
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in links.get(queue.popleft(), []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _tasks(
    raw: Any, links: dict[str, list[str]], main: str | None, problems: _Problems
) -> tuple[Task, ...]:
    """``[[task]]``: something to do by tapping, checked to be doable through the hotspots."""
    tables = _tables(raw, "task", TASKS_AT, problems)
    if len(tables) > MAX_TASKS:
        problems.add(TASKS_AT, f"the deck has {len(tables)} tasks; the most it may have is "
                     f"{MAX_TASKS}")
        tables = tables[:MAX_TASKS]
    tasks, seen = [], {}
    for number, table in enumerate(tables, start=1):
        at = TASKS_AT + number
        label, task_id = _safe_id(
            table.get("id"), "task", "add-reading", at, seen, number, problems
        )
        instruction = ""
        if table.get("instruction") is None:
            problems.add(
                at,
                f"{label}: instruction is missing: add the words read aloud to set the task, "
                "such as \"Find where to change your appointment\"",
            )
        else:
            instruction = _text(table, "instruction", problems, at, f"{label}: ", required=True)
        ask = _text(table, "ask", problems, at, f"{label}: ", required=False) or DEFAULT_TASK_ASK
        start = None
        if table.get("start") is None:
            problems.add(at, f"{label}: start is missing: name the screen the task starts on")
        else:
            found = _screen_ids(table["start"], "start", label, at, links, problems)
            if found and len(found) != 1:
                problems.add(at, f"{label}: start must be one screen id, not a list")
            elif found:
                start = found[0]
        done = None
        if table.get("done") is None:
            problems.add(
                at, f"{label}: done is missing: name the screen (or screens) that mean it is done"
            )
        else:
            done = _screen_ids(table["done"], "done", label, at, links, problems)
        path: tuple[str, ...] = ()
        if table.get("path") is not None:
            path = _screen_ids(table["path"], "path", label, at, links, problems) or ()
            if isinstance(table["path"], list) and len(path) != len(table["path"]):
                path = ()  # a path with a missing screen cannot be followed: already said
        if start and done:
            _check_task_route(label, start, done, path, links, at, problems)
        translations = {}
        for language, t in _translation_tables(
            table.get("translations"), "task", label, at, main, problems
        ):
            where = f"{label}: the {described(language)} translation"
            _unknown_keys(t, TASK_TRANSLATION_KEYS, where, at, problems)
            words = {
                key: text
                for key in TASK_TRANSLATION_KEYS
                if (text := _text(t, key, problems, at, f"{where}: ", required=False))
            }
            translations[language] = words
        if task_id and instruction and start and done:
            tasks.append(Task(task_id, instruction, start, done, path, ask, translations))
    return tuple(tasks)


def _check_task_route(
    label: str, start: str, done: tuple[str, ...], path: tuple[str, ...],
    links: dict[str, list[str]], at: int, problems: _Problems,
) -> None:  # fmt: skip
    """The task must be doable: its done screens reachable, its path really tappable."""
    if start in done:
        problems.add(
            at, f"{label}: start '{start}' is also a done screen, so it would be done at once"
        )
    reachable = _reachable(start, links)
    for target in done:
        if target not in reachable:
            problems.add(
                at,
                f"{label}: the done screen '{target}' cannot be reached from the start screen "
                f"'{start}' by tapping hotspots, so nobody could finish the task: add a "
                "hotspot that leads there, or change start or done",
            )
    if not path:
        return
    if len(path) < 2:
        problems.add(at, f"{label}: path must list at least two screens, start to done")
        return
    if path[0] != start:
        problems.add(at, f"{label}: path must begin with the start screen '{start}'")
    if path[-1] not in done:
        problems.add(at, f"{label}: path must end on a done screen ({', '.join(done)})")
    for here, there in zip(path, path[1:], strict=False):
        if there not in links.get(here, []):
            leads = ", ".join(dict.fromkeys(links.get(here, []))) or "nowhere: it has none"
            problems.add(
                at,
                f"{label}: path goes from '{here}' to '{there}', but no hotspot on '{here}' "
                f"leads to '{there}' (its hotspots lead to {leads})",
            )


def _profile(raw: Any, main: str | None, problems: _Problems) -> tuple[ProfileQuestion, ...]:
    """``[[profile]]``: a few optional, anonymous yes/no questions asked before the deck."""
    tables = _tables(raw, "profile", PROFILE_AT, problems)
    if len(tables) > MAX_PROFILE:
        problems.add(
            PROFILE_AT,
            f"the deck has {len(tables)} profile questions; at most {MAX_PROFILE} are allowed. "
            "They come before the deck and are optional, so keep them few and short: a long "
            "list tires people before they start, and many answers together could single "
            "someone out in a small group",
        )
    questions, seen = [], {}
    for number, table in enumerate(tables, start=1):
        at = PROFILE_AT + number
        label, question_id = _safe_id(
            table.get("id"), "profile question", "age-65-plus", at, seen, number, problems
        )
        text = _text(table, "question", problems, at, f"{label}: ", True, MAX_QUESTION)
        translations = {}
        for language, t in _translation_tables(
            table.get("translations"), "profile", label, at, main, problems
        ):
            where = f"{label}: the {described(language)} translation"
            _unknown_keys(t, ("question",), where, at, problems)
            words = _text(t, "question", problems, at, f"{where}: ", False, MAX_QUESTION)
            if words:
                translations[language] = words
        if question_id and text:
            questions.append(ProfileQuestion(question_id, text, translations))
    return tuple(questions)


def _language_names(raw: Any, problems: _Problems) -> dict[str, str]:
    """``[language_names]``: each language's name written in that language."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.add(NAMES_AT, 'language_names must be a table: [language_names] then pa = "ਪੰਜਾਬੀ"')
        return {}
    names = {}
    for tag in raw:
        if not LANGUAGE_TAG.match(tag):
            problems.add(
                NAMES_AT, f"language_names: '{tag}' is not a language code: {LANGUAGE_HINT}"
            )
            continue
        text = _text(raw, tag, problems, NAMES_AT, "language_names: ", True, MAX_LANGUAGE_NAME)
        if text:
            names[tag] = text
    return names


def deck_notes(deck: Deck) -> list[str]:
    """What falls back to the main language, in plain sentences: not errors, but worth knowing.

    A translation may be partial on purpose (a designer tests the easy-read pages in
    Punjabi, not the original letter); these notes make sure it is on purpose.
    """
    notes: list[str] = []
    main = described(deck.language)
    languages = deck.languages
    for language in languages[1:]:
        name = described(language)
        untranslated = [s.id for s in deck.screens if language not in s.translations]
        if untranslated:
            notes.append(
                f"{name}: {_count(untranslated, 'screen')} of {len(deck.screens)} "
                f"{'has' if len(untranslated) == 1 else 'have'} no translation and "
                f"{'is' if len(untranslated) == 1 else 'are'} shown and read in {main} "
                f"({_ids(untranslated)})"
            )
        no_say = [s.id for s in deck.screens
                  if language in s.translations and s.translations[language].say is None]
        if no_say:
            notes.append(f"{name}: the translation of {_count(no_say, 'screen')} has no say, "
                         f"so its words are read in {main} ({_ids(no_say)})")
        no_ask = [s.id for s in deck.screens if language in s.translations
                  and s.translations[language].say is not None
                  and s.translations[language].ask is None]
        if no_ask:
            notes.append(f"{name}: the question of {_count(no_ask, 'screen')} is asked in "
                         f"{main}: add ask to the translation, or [translations.{language}] "
                         f"ask for the whole deck ({_ids(no_ask)})")
        for key in TASK_TRANSLATION_KEYS:
            missing = [t.id for t in deck.tasks if key not in t.translations.get(language, {})]
            if missing:
                notes.append(f"{name}: the {key} of {_count(missing, 'task')} is read in {main} "
                             f"({_ids(missing)})")
        missing = [q.id for q in deck.profile if language not in q.translations]
        if missing:
            notes.append(f"{name}: {_count(missing, 'profile question')} "
                         f"{'is' if len(missing) == 1 else 'are'} asked in {main} "
                         f"({_ids(missing)})")
    for language in languages if len(languages) > 1 else ():  # one language: no choice
        if language not in deck.language_names:
            notes.append(
                f"{described(language)} has no name to say when participants choose a "
                f'language: add [language_names] with {language} = "..." (the name written '
                "in that language)"
            )
    offered = set(languages)
    extra = {lang for t in deck.tasks for lang in t.translations} | {
        lang for q in deck.profile for lang in q.translations
    }
    for language in sorted(extra - offered):
        notes.append(
            f"{described(language)} is translated in tasks or profile questions but on no "
            "screen, so it is not offered: translate at least one screen"
        )
    return notes


def _count(items: list, word: str) -> str:
    return f"{len(items)} {word}" + ("" if len(items) == 1 else "s")


def _ids(ids: list[str], most: int = 6) -> str:
    shown = ", ".join(ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")
