"""Each person's answers to a deck's optional profile questions ("Are you over 65?"), read
once per report.

Two parts of the report count by them: the screen tallies (``stats.analyse_store``) and the
profile groups (``breakdowns.profiles_from_store``). The screen tallies are counted per screen
and per set of answers ("signature") in one GROUP BY. A person has one signature, so adding
the piles up gives each screen's figures exactly, distinct people included. The profile
groups are sums of those same piles. The answers that count are sorted once for both: a
year of answers is a second quicker than with two sorts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

PROFILE_ANSWERS = ("yes", "no", "rather_not_say")
DeckKey = tuple[str, int]

# Each person's profile records in the order given (the last answer counts, if a question
# was asked twice), by the store's number for the person
PROFILE_SQL = """
SELECT e.person, e.deck_id, e.deck_version, e.question, e.answer
FROM events AS e
WHERE e.kind = 'profile' AND e.kind != 'answer' AND e.deck_id IS NOT NULL
ORDER BY e.session_id, e.seq, e.at
"""
# person -> the number of their signature, for SQL to group by (``read_profile_answers``)
SIGNATURES = "temp.profile_signature"


@dataclass
class ProfileAnswers:
    """What the profile groups need of everyone's profile answers. People are the store's
    numbers for them: a year of answers holds a hundred thousand people, and numbers take a
    fraction of the memory of (session id, participant)."""

    deck_of: dict[int, DeckKey] = field(default_factory=dict)  # everyone with a record
    questions: dict[DeckKey, dict[str, None]] = field(default_factory=dict)  # in order met
    asked: dict[tuple[DeckKey, str, str], int] = field(default_factory=dict)  # people each
    signature_of: dict[int, int] = field(default_factory=dict)  # who answered: their number
    # each number's answers, as (question, answer) pairs
    given_of: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)


def read_profile_answers(store: Any) -> ProfileAnswers:
    """Everyone's profile answers (``SqliteStore``), and each person's signature in the
    temporary table ``SIGNATURES`` (who, signature): empty where nobody answered."""
    from kiosk.sessions.designer_store import one_transaction

    answers: dict[int, dict[str, str]] = defaultdict(dict)
    found = ProfileAnswers()
    for person, deck_id, version, question, answer in store.db.execute(PROFILE_SQL):
        found.deck_of[person] = (deck_id, version)
        if answer in PROFILE_ANSWERS:
            answers[person][str(question or "")] = answer
    questions: dict[DeckKey, dict[str, None]] = defaultdict(dict)
    asked: dict[tuple[DeckKey, str, str], int] = defaultdict(int)
    for person, given in answers.items():
        for question, answer in given.items():
            questions[found.deck_of[person]].setdefault(question)
            asked[(found.deck_of[person], question, answer)] += 1
    found.questions, found.asked = dict(questions), dict(asked)
    # each distinct set of answers is numbered: the piles are then grouped by a small number,
    # not by its text (a million answers sort far quicker, in far less memory)
    signatures: dict[tuple[tuple[str, str], ...], int] = {}
    found.signature_of = {
        person: signatures.setdefault(tuple(sorted(given.items())), len(signatures))
        for person, given in answers.items()}
    found.given_of = {number: given for given, number in signatures.items()}
    db = store.db
    db.execute(f"CREATE TABLE IF NOT EXISTS {SIGNATURES} "
               "(who INTEGER PRIMARY KEY, signature INTEGER)")
    db.execute(f"DELETE FROM {SIGNATURES}")
    with one_transaction(db):
        db.executemany(f"INSERT OR REPLACE INTO {SIGNATURES} VALUES (?, ?)",
                       found.signature_of.items())
    return found
