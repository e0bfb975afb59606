"""Translations in a deck: ``[translations.<language>]``, ``[language_names]`` and the checks
shared by the screens', tasks' and profile questions' own translation tables."""

from __future__ import annotations

from typing import Any

from kiosk.decks.fields import LANGUAGE_HINT, LANGUAGE_TAG, Problems, quoted, text_field
from kiosk.decks.languages import described

MAX_LANGUAGE_NAME = 60


NAMES_AT = 30_000


def language_key(value: Any, main: str | None, where: str, at: int, problems: Problems) -> bool:
    """True when a ``translations.<language>`` key is a language code other than the deck's."""
    if not isinstance(value, str) or not LANGUAGE_TAG.match(value):
        problems.add(at, f"{where}: {quoted(value)} is not a language code: {LANGUAGE_HINT}")
        return False
    if main is not None and value.lower() == main.lower():
        problems.add(
            at,
            f"{where}: '{value}' is the deck's own language: its words go in the main fields, "
            "not in a translation",
        )
        return False
    return True


def translation_tables(
    raw: Any, header: str, where: str, at: int, main: str | None, problems: Problems
) -> list[tuple[str, dict[str, Any]]]:
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
        if not language_key(language, main, f"{where}: translation", at, problems):
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


def unknown_keys(
    table: dict[str, Any], allowed: tuple[str, ...], where: str, at: int, problems: Problems
) -> None:
    """A misspelt field in a translation would silently fall back to the main language."""
    for key in table:
        if key not in allowed:
            problems.add(
                at,
                f"{where}: '{key}' is not a field here (use {', '.join(allowed)}); check "
                "the spelling",
            )


def deck_translations(raw: Any, main: str | None, problems: Problems) -> dict[str, str]:
    """``[translations.pa] ask = "..."``: the deck's default question in each language."""
    asks: dict[str, str] = {}
    if raw is None:
        return asks
    if not isinstance(raw, dict):
        problems.add(0, "translations must be written as [translations.pa] tables")
        return asks
    for language, table in raw.items():
        if not language_key(language, main, "translations", 0, problems):
            continue
        where = f"the {described(language)} translation of the deck"
        if not isinstance(table, dict):
            problems.add(0, f"{where} must be written [translations.{language}]")
            continue
        unknown_keys(table, ("ask",), where, 0, problems)
        ask = text_field(table, "ask", problems, 0, f"{where}: ", required=False)
        if ask:
            asks[language] = ask
    return asks


def language_names(raw: Any, problems: Problems) -> dict[str, str]:
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
        text = text_field(raw, tag, problems, NAMES_AT, "language_names: ", True, MAX_LANGUAGE_NAME)
        if text:
            names[tag] = text
    return names
