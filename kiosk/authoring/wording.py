"""Easy Read and GOV.UK wording checks: warnings a designer can act on, never errors.

Only what can be checked honestly: sentence length (Easy Read asks for 15 words or fewer),
an estimated reading age (English only, from textstat's Flesch-Kincaid grade + 5, the usual
conversion from a US school grade to a UK reading age), and words for which a small built-in
list knows a plain-English alternative. A deck with warnings still installs and runs: the
words are the designer's call, and comparing an original with a rewrite is the point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SENTENCE_WORDS = 15  # Easy Read: one idea per sentence, 15 words or fewer
MAX_READING_AGE = 9  # the reading age Easy Read material is written for
MIN_WORDS_FOR_AGE = 30  # readability formulas say nothing reliable about a line or two
TODO_MARK = "TODO"  # what `kiosk deck new` leaves in a `say` it cannot draft

# Words and phrases with a plainer alternative (GOV.UK "words to avoid", NHS style guide).
PLAIN_WORDS: dict[str, str] = {
    "commence": "start",
    "attend": "go to",
    "prior to": "before",
    "in order to": "to",
    "in the event that": "if",
    "in accordance with": "under",
    "with regard to": "about",
    "regarding": "about",
    "purchase": "buy",
    "assistance": "help",
    "assist": "help",
    "require": "need",
    "approximately": "about",
    "additional": "more",
    "sufficient": "enough",
    "terminate": "end",
    "utilise": "use",
    "utilize": "use",
    "facilitate": "help",
    "obtain": "get",
    "notify": "tell",
    "inform": "tell",
    "advise": "tell or suggest",
    "endeavour": "try",
    "subsequently": "later",
    "consequently": "so",
    "therefore": "so",
    "accompany": "come with",
    "discontinue": "stop",
    "ensure": "make sure",
    "consultation": "appointment",
    "medication": "medicines",
    "telephone": "phone",
    "contact us": "call us",
    "due to": "because of",
    "failure to": "if you do not",
    "commencement": "start",
    "reschedule": "change",
    "unable to": "cannot",
    "whilst": "while",
    "forthwith": "now",
}

_SENTENCE_END = re.compile(r"(?<=[.!?।۔؟])\s+|\n\s*\n")


@dataclass(frozen=True)
class WordingWarning:
    """One thing to look at on one screen (``screen_id`` None: the whole deck)."""

    screen_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"screen '{self.screen_id}': " if self.screen_id else ""
        return where + self.message


@dataclass(frozen=True)
class WordingReport:
    warnings: tuple[WordingWarning, ...]
    summary: str  # "original: reading age 14; easy-read: 8"
    worth_showing: bool = True  # False: no warnings and nothing measured (all very short)


def sentences(text: str) -> list[str]:
    """Sentences split at . ! ? (and the Devanagari/Urdu full stops) and at blank lines."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def words(text: str) -> list[str]:
    """Words as separated by spaces: works for any script with spaces (Gurmukhi vowel signs
    are not "word characters" to ``re``, so a regex would cut Punjabi words apart)."""
    return [token for token in text.split() if any(c.isalnum() for c in token)]


def scores_english(language: str) -> bool:
    """textstat's grade formulas are made for English; other languages are not scored."""
    return language.lower().split("-")[0] == "en"


def reading_age(text: str) -> int | None:
    """An estimated UK reading age for English text, or None when there are too few words."""
    if len(words(text)) < MIN_WORDS_FOR_AGE:
        return None
    import textstat

    grade = textstat.flesch_kincaid_grade(_for_scoring(text))
    return max(5, round(grade + 5))


def plain_alternatives(text: str) -> list[tuple[str, str]]:
    """(word as written, plainer alternative) for each listed word or phrase in ``text``."""
    found: list[tuple[int, str, str]] = []
    for term, plain in PLAIN_WORDS.items():
        for match in _term_pattern(term).finditer(text):
            found.append((match.start(), match.group(0), plain))
    found.sort()
    seen: set[str] = set()
    result = []
    for _, written, plain in found:
        if written.casefold() not in seen:
            seen.add(written.casefold())
            result.append((written, plain))
    return result


def check_screen(screen_id: str, say: str, language: str) -> list[WordingWarning]:
    """The warnings for one screen's spoken words."""
    warnings: list[WordingWarning] = []
    if _is_draft(say):
        return [WordingWarning(screen_id, "say is still a draft (TODO): write the words read "
                                          "aloud for this screen")]
    for sentence in sentences(say):
        count = len(words(sentence))
        if count > MAX_SENTENCE_WORDS:
            warnings.append(WordingWarning(
                screen_id,
                f"a sentence has {count} words (Easy Read: {MAX_SENTENCE_WORDS} or fewer): "
                f"\"{_shorten(sentence)}\"",
            ))
    if scores_english(language):
        age = reading_age(say)
        if age is not None and age > MAX_READING_AGE:
            warnings.append(WordingWarning(
                screen_id, f"reading age about {age} (Easy Read: {MAX_READING_AGE} or under)"))
        for written, plain in plain_alternatives(say):
            warnings.append(WordingWarning(screen_id, f"'{written}': try '{plain}'"))
    return warnings


def check_deck(deck) -> WordingReport:
    """Warnings for every screen of a ``kiosk.decks.model.Deck``, and the per-variant summary."""
    warnings: list[WordingWarning] = []
    for screen in deck.screens:
        for number, part in enumerate(screen.parts, start=1):
            if _is_draft(part.say):
                warnings.append(WordingWarning(screen.id, f"part {number}: say is still a draft "
                                               "(TODO): write the words read aloud for it"))
        if not screen.parts or _spoken(screen):
            warnings += check_screen(screen.id, _spoken(screen), deck.language)
    measured = not scores_english(deck.language) or any(
        age is not None for age in _variant_ages(deck).values())
    return WordingReport(tuple(warnings), summarise(deck), bool(warnings) or measured)


def summarise(deck) -> str:
    """One line per deck: the reading age of each variant's words taken together."""
    if not scores_english(deck.language):
        return (f"reading age not measured: the readability formulas work for English only, "
                f"and this deck is in '{deck.language}'")
    ages = _variant_ages(deck)
    parts: list[str] = []
    for variant, age in ages.items():
        shown = str(age) if age is not None else "too few words to score"
        prefix = f"{variant}: " if variant else ("" if len(ages) == 1 else "no variant: ")
        parts.append(prefix + (f"reading age {shown}" if not parts else shown))
    if not parts:
        return "reading age not measured: no screen has its words yet"
    return "; ".join(parts)


def _variant_ages(deck) -> dict[str, int | None]:
    """Each variant's reading age ("" = screens without one), from all its words together."""
    groups: dict[str, list[str]] = {}
    for screen in deck.screens:
        words = _spoken(screen)
        if words and not _is_draft(words):
            groups.setdefault(screen.variant or "", []).append(words)
    return {variant: reading_age("\n\n".join(says)) for variant, says in groups.items()}


def _is_draft(say: str) -> bool:
    return say.lstrip().upper().startswith(TODO_MARK)


def _spoken(screen) -> str:
    """A screen's words as paragraphs: its parts (drafts left out, each its own paragraph, as
    each is heard on its own), or its ``say``."""
    if screen.parts:
        return "\n\n".join(p.say for p in screen.parts if not _is_draft(p.say))
    return screen.say


def _for_scoring(text: str) -> str:
    """Paragraphs without a full stop (headings, "Dear ...") count as sentences of their own."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return " ".join(p if p[-1] in ".!?" else p + "." for p in paragraphs)


def _term_pattern(term: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(part) for part in term.split())
    if " " not in term:
        stem = term[:-1] if term.endswith("e") else term
        body = rf"(?:{re.escape(term)}(?:s|d|es|ed)?|{re.escape(stem)}ing)"
    return re.compile(rf"\b{body}\b", re.IGNORECASE)


def _shorten(sentence: str, limit: int = 70) -> str:
    flat = " ".join(sentence.split())
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."
