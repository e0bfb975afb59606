"""Checking one field of deck.toml, and collecting every problem by where it is.

Shared by every part of the deck reader so that each message reads the same way: the field,
what was written, and how to fix it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

MAX_TEXT = 5000  # characters of one `say` or `ask`: about six minutes read aloud


MAX_ID = 64


LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")


LANGUAGE_HINT = "use a code such as 'en-GB' (English), 'pa' (Punjabi), 'ur' (Urdu) or 'pl' (Polish)"


# Task and profile ids go into the session log, which keeps identifiers, never free text.
SAFE_ID = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*\Z")


@dataclass
class Problems:
    """Problems keyed by where they are (0 = the deck, n = screen n) so they print in order."""

    items: list[tuple[int, str]] = field(default_factory=list)

    def add(self, where: int, message: str) -> None:
        self.items.append((where, message))

    def sorted(self) -> list[str]:
        return [message for _, message in sorted(self.items, key=lambda item: item[0])]

    def __bool__(self) -> bool:
        return bool(self.items)


def text_field(
    table: dict[str, Any],
    key: str,
    problems: Problems,
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
        problems.add(where, f'{prefix}{key} {quoted(value)} must be text in "quotes"')
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


def quoted(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def slug_hint(value: Any) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return slug[:MAX_ID].strip("-") or "my-deck"


def array_tables(raw: Any, name: str, at: int, problems: Problems) -> list[dict[str, Any]]:
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


def safe_id(
    value: Any, what: str, example: str, at: int, seen: dict[str, int], number: int,
    problems: Problems,
) -> tuple[str, str | None]:  # fmt: skip
    """(label for messages, the id or None): ids are what the log and report keep."""
    label = f"{what} {number}"
    if value is None:
        problems.add(at, f"{label}: id is missing: give it a short name such as '{example}'")
        return label, None
    if not isinstance(value, str) or len(value) > MAX_ID or not SAFE_ID.match(value):
        problems.add(
            at,
            f"{label}: id {quoted(value)} must be a short name of lower-case letters, digits and "
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
