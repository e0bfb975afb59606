"""Realistic fake kiosk logs, for the report benchmark and for looking at the report.

Each fake participant walks a deck's screens in order; the chance of "understood" depends
on the screen (easy-read screens are clearer), some replay, some tap outside hotspots, and a
few walk away part-way (their remaining screens are "abandoned", as the walk records).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.sessions.log import ResponseLog

DECKS = {
    ("hospital-letter", 1): [
        ("original-1", "original", 0.55), ("original-2", "original", 0.35),
        ("original-3", "original", 0.45), ("easy-read-1", "easy-read", 0.9),
        ("easy-read-2", "easy-read", 0.8), ("easy-read-3", "easy-read", 0.85),
        ("easy-read-4", "easy-read", 0.75),
    ],
    ("diabetes-app", 1): [
        ("home", "", 0.85), ("readings", "", 0.6), ("book", "", 0.5), ("confirm", "", 0.7),
    ],
}
VENUES = ["Caldmore Community Centre", "Palfrey Library coffee morning",
          "Beechdale housing drop-in", "Darlaston Sikh Gurdwara hall"]


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=2)
        return self.now


def fill_log(log: ResponseLog, rnd: random.Random, sessions: int, people: int) -> int:
    """Write ``sessions`` sessions of ``people`` participants each; return answers written."""
    answers = 0
    for _ in range(sessions):
        deck = rnd.choice(list(DECKS))
        sid = log.start_session(deck[0], deck[1], rnd.choice(VENUES))
        for person in range(1, people + 1):
            gone = False
            for screen, variant, p in DECKS[deck]:
                base = dict(participant=person, screen_id=screen, variant=variant,
                            language="en-GB")
                if gone:
                    log.record(sid, "answer", **base, response="abandoned",
                               seconds_to_answer=None, seconds_on_screen=0.0, replays=0)
                    answers += 1
                    continue
                replays = 1 if rnd.random() < (0.5 - p / 2) else 0
                for n in range(replays):
                    log.record(sid, "replay", **base, replay_number=n + 1)
                if rnd.random() < 0.1:
                    log.record(sid, "miss", participant=person, screen_id=screen,
                               x=rnd.uniform(0, 800), y=rnd.uniform(0, 1200))
                if screen == "book":
                    log.record(sid, "tap", participant=person, screen_id=screen, x=300, y=900,
                               hotspot="Book appointment", goto="confirm")
                if rnd.random() < 0.04:
                    gone = True
                    log.record(sid, "answer", **base, response="abandoned",
                               seconds_to_answer=None, seconds_on_screen=30.0, replays=replays)
                    answers += 1
                    continue
                understood = rnd.random() < p
                seconds = round(rnd.lognormvariate(2.0 if understood else 2.5, 0.4), 2)
                log.record(sid, "answer", **base,
                           response="understood" if understood else "not_understood",
                           seconds_to_answer=seconds, seconds_on_screen=seconds,
                           replays=replays)
                answers += 1
        log.end_session(sid)
    return answers


def make_kiosk_log(folder: Path, kiosk_id: str, seed: int, sessions: int, people: int,
                   memory: bool = False) -> ResponseLog:
    rnd = random.Random(seed)
    clock = Clock(datetime(2025, 3, 1, 9, 30, tzinfo=UTC) + timedelta(days=seed % 20))
    log = (ResponseLog.in_memory(kiosk_id, clock) if memory
           else ResponseLog(folder, kiosk_id, clock))
    fill_log(log, rnd, sessions, people)
    return log
