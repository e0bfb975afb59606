"""Reading and checking a deck folder: ``deck.toml``, its images and its recordings.

The reader is the one gate every deck passes through, whether a designer runs
``kiosk deck check`` on a laptop or a facilitator installs from a USB stick. It collects
*every* problem as a sentence naming the screen and field, so a designer can fix a deck in
one go rather than one error per attempt, and it accepts what real people hand over:
Windows Notepad files (byte-order mark, CRLF, even UTF-16), paths typed with the wrong
capital letters or backslashes, JPEG as well as PNG, spaces and any script in names.

The checks live in modules of one idea each: ``fields`` (problems and text), ``files``
(the deck's files), ``screens``, ``translations``, ``tasks``, ``profile`` and ``notes``
(advice that is not an error).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from kiosk.decks.fields import (
    LANGUAGE_HINT,
    LANGUAGE_TAG,
    MAX_ID,
    Problems,
    quoted,
    slug_hint,
    text_field,
)
from kiosk.decks.files import DECK_FILE, FileIndex, load_deck_toml
from kiosk.decks.languages import native_name
from kiosk.decks.model import (
    DEFAULT_ASK,
    Deck,
)
from kiosk.decks.notes import deck_notes
from kiosk.decks.profile import read_profile
from kiosk.decks.screens import ScreenContext, read_screens
from kiosk.decks.tasks import read_tasks
from kiosk.decks.translations import deck_translations, language_names
from kiosk.errors import DeckProblems

__all__ = ["DECK_FILE", "deck_notes", "is_safe_deck_id", "read_deck"]

KNOWN_DECK_KEYS = frozenset(
    {"id", "title", "version", "language", "ask", "screen", "task", "profile",
     "language_names", "translations"}
)


DECK_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


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
    problems = Problems()
    files = FileIndex(folder)
    data = load_deck_toml(folder, files, problems)
    if data is None:
        raise DeckProblems(source, problems.sorted())
    deck = _check(data, folder, files, problems, thorough=thorough, trusted_copy=trusted_copy)
    if problems or deck is None:
        raise DeckProblems(source, problems.sorted())
    return deck


def is_safe_deck_id(value: object) -> bool:
    """A deck id becomes a folder name on the kiosk, so only a plain, safe name will do."""
    return isinstance(value, str) and len(value) <= MAX_ID and bool(DECK_ID.match(value))


def _check(
    data: dict[str, Any],
    folder: Path,
    files: FileIndex,
    problems: Problems,
    *,
    thorough: bool,
    trusted_copy: Path | None,
) -> Deck | None:
    deck_id = _deck_id(data.get("id"), problems)
    title = text_field(data, "title", problems, 0, "", required=True, limit=200)
    version = _version(data.get("version"), problems)
    language = _language(data.get("language"), problems)

    deck_ask = text_field(data, "ask", problems, 0, "", required=False) or DEFAULT_ASK
    main = language
    asks_in = deck_translations(data.get("translations"), main, problems)

    found = read_screens(data, ScreenContext(folder, files, problems, deck_ask, main, asks_in,
                                             thorough, trusted_copy))
    if found is None:
        return None
    screens, links = found
    tasks = read_tasks(data.get("task"), links, main, problems)
    profile = read_profile(data.get("profile"), main, problems)
    given_names = language_names(data.get("language_names"), problems)
    if problems or deck_id is None or version is None or language is None:
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


def _deck_id(value: Any, problems: Problems) -> str | None:
    """The deck's id, or None with a problem said."""
    if value is None:
        problems.add(0, "id is missing: give the deck a short name such as 'hospital-letter'")
        return None
    if not is_safe_deck_id(value):
        problems.add(
            0,
            f"id {quoted(value)} is not a safe name: use only lower-case letters, digits "
            f"and dashes (at most {MAX_ID}), such as {slug_hint(value)!r}",
        )
        return None
    return str(value)


def _version(value: Any, problems: Problems) -> int | None:
    """The deck's version, or None with a problem said."""
    if value is None:
        problems.add(0, "version is missing: start with version = 1 and raise it for each change")
    elif isinstance(value, bool) or not isinstance(value, int):
        hint = " (without quotes)" if isinstance(value, str) else ""
        problems.add(0, f"version {quoted(value)} must be a whole number such as 1{hint}")
    elif not 1 <= value < 1_000_000_000:
        problems.add(0, f"version {value} must be 1 or more")
    else:
        return value
    return None


def _language(value: Any, problems: Problems) -> str | None:
    """The deck's main language tag, or None with a problem said."""
    if value is None:
        problems.add(0, f"language is missing: {LANGUAGE_HINT}")
    elif not isinstance(value, str) or not LANGUAGE_TAG.match(value):
        problems.add(0, f"language {quoted(value)} is not a language code: {LANGUAGE_HINT}")
    else:
        return value
    return None
