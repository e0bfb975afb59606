"""Realistic fake kiosk logs, for the report benchmark and for looking at the report.

Each fake participant chooses a language (venues differ), may answer the optional profile
questions, walks a deck's screens in order (the chance of "understood" depends on the screen,
the language's translation and the person: easy-read is clearer, some translations are weak),
some replay, some tap outside the buttons, and a few walk away part-way (their remaining
screens are "abandoned", as the walk records). On the clickable diabetes deck they then do
three tasks by tapping the real example deck's buttons (coordinates inside the buttons'
rectangles, misclicks near them), some the expected way, some another way, some give up.
Records follow ``kiosk.walk.events.Record``; kinds the log's checks do not know yet are
written the way ``ResponseLog.record`` writes them.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.sessions import log as log_module
from kiosk.sessions.log import ResponseLog, iso

# (screen, variant, chance understood in the main language)
DECKS = {
    ("hospital-letter", 2): [
        ("original-1", "original", 0.55), ("original-2", "original", 0.35),
        ("original-3", "original", 0.45), ("easy-read-1", "easy-read", 0.9),
        ("easy-read-2", "easy-read", 0.8), ("easy-read-3", "easy-read", 0.85),
        ("easy-read-4", "easy-read", 0.75),
    ],
    ("diabetes-app", 1): [
        ("home", "", 0.85), ("log-reading", "", 0.7), ("saved", "", 0.75), ("week", "", 0.55),
        ("reminder", "", 0.8), ("taken", "", 0.85), ("help", "", 0.6), ("calling", "", 0.8),
        ("numbers", "", 0.5),
    ],
}
MAIN = "en-GB"
# per deck: language -> {screen: change in the chance of understanding}; a screen listed
# with None has no translation, so the kiosk shows it in the main language (a fallback)
TRANSLATIONS: dict[str, dict[str, dict[str, float | None]]] = {
    "hospital-letter": {"pa": {"easy-read-3": -0.35}, "ur": {"original-2": None,
                                                             "original-3": None}},
    "diabetes-app": {"pa": {"week": -0.3}, "pl": {"numbers": None, "calling": None}},
}
VENUES = {  # venue -> chances of each language
    "Caldmore Community Centre": {"en-GB": 0.6, "ur": 0.25, "pa": 0.1, "pl": 0.05},
    "Palfrey Library coffee morning": {"en-GB": 0.75, "pl": 0.15, "ur": 0.1},
    "Beechdale housing drop-in": {"en-GB": 0.8, "pl": 0.2},
    "Darlaston Sikh Gurdwara hall": {"pa": 0.7, "en-GB": 0.3},
}
PROFILE = ("english-first-language", "age-65-plus", "smartphone-daily")

# The bundled diabetes deck's buttons, read from the deck itself so the fake taps land on
# its pictures: screen -> [(rect, goto, label)].
DIABETES_DECK = Path(__file__).resolve().parent.parent / "prototypes" / "diabetes-app"


def _deck_buttons() -> tuple[int, dict[str, list[tuple[tuple[int, int, int, int], str, str]]]]:
    from kiosk.decks.reader import read_deck

    deck = read_deck(DIABETES_DECK, thorough=False)
    return deck.version, {screen.id: [(tuple(h.rect), h.goto, h.label)  # type: ignore[misc]
                                      for h in screen.hotspots] for screen in deck.screens}


DIABETES_VERSION, HOTSPOTS = _deck_buttons()
DECKS[("diabetes-app", DIABETES_VERSION)] = DECKS.pop(("diabetes-app", 1))  # as installed
# Places that look tappable but are not, on the deck's 780 x 1688 pictures: where misclicks
# gather (x, y, spread).
LURES = {"home": (390, 520, 70), "week": (390, 760, 110), "log-reading": (390, 600, 80),
         "help": (390, 1000, 60), "saved": (390, 420, 60)}
# task id -> (expected path, chance of the expected way, chance of giving up)
TASKS = {
    "add-reading": (("home", "log-reading", "saved"), 0.75, 0.06),
    "see-week": (("home", "week"), 0.55, 0.1),
    "call-nurse": (("home", "help", "calling"), 0.45, 0.18),
}


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=2)
        return self.now


def write(log: ResponseLog, sid: str, kind: str, **fields: Any) -> None:
    """``log.record`` where the log knows the kind; the same document written directly if not."""
    if kind in log_module.KINDS:
        log.record(sid, kind, **fields)
        return
    log._seq += 1  # noqa: SLF001 - a bench helper standing in for the log's next version
    log._events.insert({"event_id": str(uuid.uuid4()), "session_id": sid, "kind": kind,  # noqa: SLF001
                        "at": iso(log.clock()), "seq": log._seq, **fields})  # noqa: SLF001


def _pick(rnd: random.Random, chances: dict[str, float]) -> str:
    roll, total = rnd.random(), 0.0
    for name, chance in chances.items():
        total += chance
        if roll < total:
            return name
    return next(iter(chances))


def _inside(rnd: random.Random, rect: tuple[int, int, int, int]) -> tuple[float, float]:
    x, y, w, h = rect
    return (round(min(x + w - 1, max(x, rnd.gauss(x + w / 2, w / 6))), 1),
            round(min(y + h - 1, max(y, rnd.gauss(y + h / 2, h / 5))), 1))


def _miss(rnd: random.Random, screen: str) -> tuple[float, float]:
    if screen in LURES and rnd.random() < 0.7:
        cx, cy, spread = LURES[screen]
        return round(rnd.gauss(cx, spread), 1), round(rnd.gauss(cy, spread / 2), 1)
    spots = HOTSPOTS.get(screen) or [((600, 400, 300, 100), "", "")]
    x, y, w, h = rnd.choice(spots)[0]  # just beside a button: a near miss
    side = rnd.choice((-1, 1))
    return (round(x + w / 2 + side * (w / 2 + abs(rnd.gauss(12, 8))), 1),
            round(rnd.uniform(y, y + h), 1))


def shown_language(deck_id: str, language: str, screen: str) -> str:
    """The language the kiosk uses for ``screen``: the main one where there is no translation."""
    if language == MAIN or TRANSLATIONS[deck_id].get(language, {}).get(screen, 0.0) is None:
        return MAIN
    return language


def _tap_button(log: ResponseLog, rnd: random.Random, sid: str, base: dict, screen: str,
                goto: str, task: str | None = None) -> None:
    buttons = [(rect, label) for rect, target, label in HOTSPOTS.get(screen, [])
               if target == goto]
    if buttons:
        rect, label = rnd.choice(buttons)  # a screen may have two ways to one place
        x, y = _inside(rnd, rect)
        extra = {"task": task} if task else {}
        write(log, sid, "tap", **base, screen_id=screen, x=x, y=y, hotspot=label, goto=goto,
              **extra)


def _do_task(log: ResponseLog, rnd: random.Random, sid: str, person: int, language: str,
             task: str, skill: float) -> int:
    """One person doing one task; returns the answers written (the "easy?" answer)."""
    path, direct_chance, give_up = TASKS[task]
    done = path[-1]
    screen, steps, seconds = path[0], 1, 0.0
    route = [screen]
    roll = rnd.random()
    direct = roll < direct_chance * skill
    outcome = ""
    while True:
        base = {"participant": person,
                "language": shown_language("diabetes-app", language, screen)}
        on_screen = round(rnd.lognormvariate(1.6, 0.5), 1)
        write(log, sid, "task_step", **base, task=task, screen_id=screen, step=steps,
              seconds_on_screen=on_screen)
        seconds += on_screen
        if screen == done:
            outcome = "direct" if tuple(route) == path else "indirect"
            break
        if rnd.random() < 0.15 + (0.1 if not direct else 0):
            write(log, sid, "miss", **base, task=task, screen_id=screen,
                  **dict(zip(("x", "y"), _miss(rnd, screen), strict=True)),
                  hotspot=None, goto=None)
        if not direct and (rnd.random() < give_up or steps >= 8):
            outcome = "abandoned" if rnd.random() < 0.15 else "gave_up"
            break
        if direct:
            goto = path[route.index(screen) + 1] if screen in path else path[0]
        else:
            options = [t for _, t, _ in HOTSPOTS.get(screen, [])]
            want = path[path.index(screen) + 1] if screen in path[:-1] else None
            goto = want if want in options and rnd.random() < 0.6 else rnd.choice(options)
        _tap_button(log, rnd, sid, base, screen, goto, task)
        screen = goto
        route.append(screen)
        steps += 1
    write(log, sid, "task_end", **base, task=task, outcome=outcome, seconds=round(seconds, 1),
          steps=steps)
    if outcome == "abandoned":
        return 0
    easy = rnd.random() < (0.85 if outcome == "direct" else 0.5 if outcome == "indirect"
                           else 0.15)
    write(log, sid, "answer", **base, task=task, screen_id=screen, variant="",
          response="understood" if easy else "not_understood",
          seconds_to_answer=round(rnd.lognormvariate(1.5, 0.4), 2),
          seconds_on_screen=round(seconds, 1), replays=0)
    return 1


def fill_log(log: ResponseLog, rnd: random.Random, sessions: int, people: int) -> int:
    """Write ``sessions`` sessions of ``people`` participants each; return answers written."""
    answers = 0
    for _ in range(sessions):
        deck = rnd.choice(list(DECKS))
        venue = rnd.choice(list(VENUES))
        sid = log.start_session(deck[0], deck[1], venue)
        offered = {MAIN} | set(TRANSLATIONS[deck[0]])
        for person in range(1, people + 1):
            language = _pick(rnd, VENUES[venue])
            if language not in offered:
                language = MAIN
            profile: dict[str, str] = {}
            if rnd.random() < 0.9:
                for question in PROFILE:
                    roll = rnd.random()
                    if question == "english-first-language":
                        yes = 0.9 if language == MAIN else 0.1
                    else:
                        yes = 0.45 if question == "age-65-plus" else 0.6
                    answer = ("rather_not_say" if roll < 0.05 else
                              "yes" if roll < 0.05 + 0.95 * yes else "no")
                    profile[question] = answer
                    write(log, sid, "profile", participant=person, language=language,
                          question=question, answer=answer)
            skill = 1.0
            if profile.get("smartphone-daily") == "no":
                skill -= 0.2
            if profile.get("age-65-plus") == "yes":
                skill -= 0.08
            gone = False
            for screen, variant, p in DECKS[deck]:
                change = TRANSLATIONS[deck[0]].get(language, {}).get(screen, 0.0)
                shown = MAIN if change is None else language
                chance = p * skill + (change or 0.0) - (0.2 if change is None else 0.0)
                base = dict(participant=person, screen_id=screen, variant=variant,
                            language=shown)
                if gone:
                    log.record(sid, "answer", **base, response="abandoned",
                               seconds_to_answer=None, seconds_on_screen=0.0, replays=0)
                    answers += 1
                    continue
                replays = 1 if rnd.random() < (0.5 - p / 2) else 0
                for n in range(replays):
                    log.record(sid, "replay", **base, replay_number=n + 1)
                if deck[0] == "diabetes-app":
                    if rnd.random() < 0.1:
                        x, y = _miss(rnd, screen)
                        log.record(sid, "miss", participant=person, screen_id=screen, x=x,
                                   y=y, language=shown)
                    if rnd.random() < 0.2 and HOTSPOTS.get(screen):
                        _tap_button(log, rnd, sid, {"participant": person, "language": shown},
                                    screen, rnd.choice(HOTSPOTS[screen])[1])
                if rnd.random() < 0.04:
                    gone = True
                    log.record(sid, "answer", **base, response="abandoned",
                               seconds_to_answer=None, seconds_on_screen=30.0, replays=replays)
                    answers += 1
                    continue
                understood = rnd.random() < chance
                seconds = round(rnd.lognormvariate(2.0 if understood else 2.5, 0.4), 2)
                log.record(sid, "answer", **base,
                           response="understood" if understood else "not_understood",
                           seconds_to_answer=seconds, seconds_on_screen=seconds,
                           replays=replays)
                answers += 1
            if deck[0] == "diabetes-app" and not gone:
                for task in TASKS:
                    answers += _do_task(log, rnd, sid, person, language, task, skill)
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
