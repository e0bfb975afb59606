"""What the walk shows in each state: ``View`` data for the screen and the lamps.

One function per state, read from a ``Shown`` (the walk, seen read-only): a view never changes
anything. ``VIEWS`` has one for every state, checked when this module is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, Protocol

from kiosk.decks.model import Deck
from kiosk.walk import phrases
from kiosk.walk.facilitator import Facilitator
from kiosk.walk.states import State, complete
from kiosk.walk.view import FLASH, OFF, ON, PULSE, View
from kiosk.walk.visit import Visit


class Shown(Protocol):
    """What the views read from the walk."""

    @property
    def deck(self) -> Deck | None: ...
    @property
    def visit(self) -> Visit | None: ...
    @property
    def words(self) -> phrases.Words: ...
    @property
    def ack(self) -> Literal["yes", "no"] | None: ...
    @property
    def offered_language(self) -> str: ...
    @property
    def facilitator(self) -> Facilitator: ...
    @property
    def recording(self) -> bool: ...


def _visit(shown: Shown) -> Visit:
    if shown.visit is None:
        raise RuntimeError("this view needs a participant, and nobody is walking")
    return shown.visit


def _deck(shown: Shown) -> Deck:
    if shown.deck is None:
        raise RuntimeError("this view needs a session, and none is started")
    return shown.deck


def _banner(shown: Shown) -> str:
    waiting = shown.facilitator.banner() if shown.visit is None else ""
    return waiting or ("" if shown.recording else "Rehearsal: nothing is recorded")


def _base(shown: Shown, kind: str, title: str = "", lines: tuple[str, ...] = (),
          **more: Any) -> View:
    language = shown.visit.language if shown.visit else (
        shown.deck.language if shown.deck else phrases.KIOSK_LANGUAGE)
    upcoming = shown.visit.upcoming(current_next=kind != "screen") if shown.visit else (
        shown.deck.screens[:2] if shown.deck else ())
    return View(kind, title, lines, deck=shown.deck, banner=_banner(shown), language=language,
                upcoming=upcoming, **more)


def welcome(shown: Shown) -> View:
    if shown.deck is None:
        return _base(shown, "welcome", phrases.NOT_READY_TITLE, phrases.NOT_READY_LINES)
    words = shown.words
    return _base(shown, "welcome", words.welcome_title, words.welcome_lines,
                 buttons=(words.how_buttons[0], ""), lamps=(PULSE, OFF))


def language(shown: Shown) -> View:
    offered = shown.offered_language
    local = phrases.words_for(offered)
    name = phrases.language_name(offered, _deck(shown).language_names)
    return View("language", name, (local.choose_language,), deck=shown.deck,
                buttons=local.choose_buttons, lamps=(PULSE, PULSE), language=offered,
                banner=_banner(shown))


def how(shown: Shown) -> View:
    words = shown.words
    return _base(shown, "how", words.how_title, tuple(text for _, text in words.how_lines),
                 symbols=tuple(symbol for symbol, _ in words.how_lines),
                 buttons=words.how_buttons, lamps=(PULSE, ON))


def profile_intro(shown: Shown) -> View:
    words = shown.words
    return _base(shown, "profile_intro", words.profile_title, words.profile_lines,
                 buttons=words.profile_buttons, lamps=(PULSE, PULSE))


def profile(shown: Shown) -> View:
    words, visit = shown.words, _visit(shown)
    return _base(shown, "profile", visit.profile_words()[0], (words.profile_skip_hint,),
                 buttons=words.profile_buttons, lamps=(PULSE, PULSE),
                 progress=(visit.profile_index + 1, len(visit.deck.profile)))


def screen(shown: Shown) -> View:
    """A screen waiting for an answer (also with the tick or cross, and a task's question)."""
    visit = _visit(shown)
    current = visit.current_screen()
    lamps = (PULSE, PULSE)
    if shown.ack:
        lamps = (FLASH, OFF) if shown.ack == "yes" else (OFF, FLASH)
    question = current.ask
    progress: tuple[int, int] | None = visit.progress()
    if visit.deck.tasks:
        question, progress = visit.task_words("ask")[0], None
    return _base(shown, "screen", screen=current, question=question, ack=shown.ack,
                 lamps=lamps, progress=progress, region=visit.shown_region(current),
                 narrating=visit.reading.narrating)


def task_intro(shown: Shown) -> View:
    words, visit = shown.words, _visit(shown)
    return _base(shown, "task_intro", words.task_title,
                 (visit.task_words("instruction")[0], words.stuck_hint),
                 buttons=words.task_buttons, lamps=(PULSE, ON),
                 progress=(visit.task_index + 1, len(visit.deck.tasks)))


def task(shown: Shown) -> View:
    visit = _visit(shown)
    current = visit.current_screen()
    return _base(shown, "screen", screen=current,
                 question=visit.task_words("instruction")[0], lamps=(OFF, PULSE),
                 region=visit.shown_region(current), narrating=visit.reading.narrating)


def task_done(shown: Shown) -> View:
    return _base(shown, "screen", screen=_visit(shown).current_screen(),
                 question=shown.words.task_done, ack="yes", lamps=(FLASH, OFF))


def still_there(shown: Shown) -> View:
    words = shown.words
    return _base(shown, "still_there", words.still_there_title, words.still_there_lines,
                 buttons=(words.choose_buttons[0], ""), lamps=(PULSE, OFF))


def thanks(shown: Shown) -> View:
    words = shown.words
    return _base(shown, "thanks", words.thanks_title, words.thanks_lines)


def menu(shown: Shown) -> View:
    return shown.facilitator.menu_view()


def pin(shown: Shown) -> View:
    return shown.facilitator.code_view()


VIEWS: Mapping[State, Callable[[Shown], View]] = complete({
    State.WELCOME: welcome,
    State.LANGUAGE: language,
    State.HOW: how,
    State.PROFILE_INTRO: profile_intro,
    State.PROFILE: profile,
    State.SCREEN: screen,
    State.ACK: screen,
    State.TASK_INTRO: task_intro,
    State.TASK: task,
    State.TASK_DONE: task_done,
    State.TASK_ASK: screen,
    State.STILL_THERE: still_there,
    State.THANKS: thanks,
    State.MENU: menu,
    State.PIN: pin,
}, "view")
