"""``[[profile]]``: a few optional, anonymous yes/no questions asked before the deck."""

from __future__ import annotations

from typing import Any

from kiosk.decks.fields import Problems, array_tables, safe_id, text_field
from kiosk.decks.languages import described
from kiosk.decks.model import (
    ProfileQuestion,
)
from kiosk.decks.translations import translation_tables, unknown_keys

MAX_PROFILE = 5  # short and optional: more would tire people before the deck starts


MAX_QUESTION = 300


PROFILE_AT = 20_000


def read_profile(raw: Any, main: str | None, problems: Problems) -> tuple[ProfileQuestion, ...]:
    """``[[profile]]``: a few optional, anonymous yes/no questions asked before the deck."""
    tables = array_tables(raw, "profile", PROFILE_AT, problems)
    if len(tables) > MAX_PROFILE:
        problems.add(
            PROFILE_AT,
            f"the deck has {len(tables)} profile questions; at most {MAX_PROFILE} are allowed. "
            "They come before the deck and are optional, so keep them few and short: a long "
            "list tires people before they start, and many answers together could single "
            "someone out in a small group",
        )
    questions: list[ProfileQuestion] = []
    seen: dict[str, int] = {}
    for number, table in enumerate(tables, start=1):
        at = PROFILE_AT + number
        label, question_id = safe_id(
            table.get("id"), "profile question", "age-65-plus", at, seen, number, problems
        )
        text = text_field(table, "question", problems, at, f"{label}: ", True, MAX_QUESTION)
        translations = {}
        for language, t in translation_tables(
            table.get("translations"), "profile", label, at, main, problems
        ):
            where = f"{label}: the {described(language)} translation"
            unknown_keys(t, ("question",), where, at, problems)
            words = text_field(t, "question", problems, at, f"{where}: ", False, MAX_QUESTION)
            if words:
                translations[language] = words
        if question_id and text:
            questions.append(ProfileQuestion(question_id, text, translations))
    return tuple(questions)
