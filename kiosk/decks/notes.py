"""Advice about a deck that is not an error: what falls back to the main language."""

from __future__ import annotations

from collections.abc import Sized

from kiosk.decks.languages import described
from kiosk.decks.model import (
    Deck,
)
from kiosk.decks.tasks import TASK_TRANSLATION_KEYS


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


def _count(items: Sized, word: str) -> str:
    return f"{len(items)} {word}" + ("" if len(items) == 1 else "s")


def _ids(ids: list[str], most: int = 6) -> str:
    shown = ", ".join(ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")
