"""The walk: what happens on each press, from the welcome to the thank-you.

For each participant: welcome -> (choose a language) -> how it works -> (a few optional
profile questions) -> either each screen of the deck, answered green or red, or the deck's
tasks, done by tapping through a clickable prototype -> thank you. Holding both buttons opens
the facilitator menu at any time.

``Walk.handle(event, now)`` and ``Walk.tick(now)`` return effects; ``Walk.view()`` says what to
show. ``now`` is seconds on any steady clock (``time.monotonic()`` in the kiosk, a number moved
by hand in tests). Nothing here waits, draws, plays or writes.

Each ``State`` (states.py) has a press handler here (``_HANDLERS``) and a view (views.py,
``VIEWS``); both tables are checked for every state at import. The walk keeps the session and
the state; its collaborators keep the rest: a ``Visit`` (visit.py) is the participant's way
through the deck and builds the log's records (records.py), a ``Facilitator``
(facilitator.py) remembers the menu.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from kiosk.decks.model import Deck, Screen
from kiosk.walk import phrases, views
from kiosk.walk.events import (
    BeginSession,
    Cue,
    Effect,
    EndSession,
    Event,
    Exit,
    Green,
    HoldBoth,
    JobFinished,
    Quit,
    Red,
    Replay,
    SetVolume,
    Speak,
    SpeechFinished,
    SpeechStarted,
    StartJob,
    StickInserted,
    StickRemoved,
    StopSpeech,
    Tap,
)
from kiosk.walk.facilitator import Facilitator
from kiosk.walk.menu import MenuChoice
from kiosk.walk.records import ProfileAnswer, Record
from kiosk.walk.states import IN_PROGRESS, State, complete
from kiosk.walk.tasks import reached_outcome
from kiosk.walk.view import FLASH, OFF, ON, PULSE, View
from kiosk.walk.visit import Visit


@dataclass(frozen=True)
class Timing:
    """How long things take. Generous on purpose: nobody is ever rushed."""

    acknowledge: float = 0.8  # the tick or cross stays this long before the next screen
    task_done_for: float = 2.0  # "Well done!" over the screen a task ended on
    invite_every: float = 45.0  # the welcome invitation is repeated this often while idle
    still_there_after: float = 180.0  # quiet time before "Are you still there?"
    abandon_after: float = 60.0  # then this much more quiet before the walk is abandoned
    thanks_for: float = 12.0  # the thank-you screen, before the next person's welcome
    profile_skip_after: float = 30.0  # quiet on a profile question means "rather not say"


def _all_languages(deck: Deck) -> tuple[str, ...]:
    return deck.languages


class Walk:
    """One kiosk's conversation with the people in front of it.

    ``decks`` are the installed decks the facilitator may choose from; ``deck`` and ``venue``
    start a session at once. ``recording`` False is a rehearsal: everything works, nothing is
    logged. ``languages_for(deck)`` says which of a deck's languages this kiosk can offer (a
    voice, or recorded audio); ``menu_pin`` ("GRRG") guards the facilitator menu.
    """

    def __init__(
        self,
        decks: list[Deck],
        venues: list[str],
        now: float,
        deck: Deck | None = None,
        venue: str | None = None,
        timing: Timing | None = None,
        recording: bool = True,
        volume: float = 0.8,
        languages_for: Callable[[Deck], tuple[str, ...]] | None = None,
        menu_pin: str = "",
    ) -> None:
        self.decks = list(decks)
        self.venues = list(venues) or ["Community centre"]
        self.timing = timing or Timing()
        self.recording = recording
        self.volume = volume
        self.languages_for = languages_for or _all_languages
        self.facilitator = Facilitator(menu_pin)
        self.deck: Deck | None = None
        self.venue = venue or self.venues[0]
        self._state = State.WELCOME
        self._since = now
        self._last_input = now
        self._last_invite = now
        self._ack: Literal["yes", "no"] | None = None
        self._visit: Visit | None = None
        self._participants_seen = 0
        self._choice = 0  # the language being offered
        self._resume_state = State.SCREEN
        self._pending: list[Effect] = []
        if deck is not None:
            self._pending += self._begin_session(deck, self.venue)
        self._pending += self._enter(State.WELCOME, now)

    # ================================================================== public interface

    @property
    def state(self) -> State:
        return self._state

    @property
    def participant_number(self) -> int | None:
        return self._visit.number if self._visit else None

    def startup_effects(self) -> list[Effect]:
        """What the kiosk must do as it opens (start the session, say hello)."""
        effects, self._pending = self._pending, []
        return effects

    def handle(self, event: Event, now: float) -> list[Effect]:
        if isinstance(event, Quit):
            return self._quit()
        if isinstance(event, HoldBoth):
            return self._open_menu(now)
        if isinstance(event, JobFinished):
            if event.decks is not None:
                self.replace_decks(list(event.decks))
            return self.facilitator.job_finished(event, menu_open=self._state is State.MENU)
        if isinstance(event, StickInserted):
            return self.facilitator.stick_inserted(event, menu_open=self._state is State.MENU)
        if isinstance(event, StickRemoved):
            self.facilitator.stick = None
            return []
        if isinstance(event, (SpeechStarted, SpeechFinished)):
            return self._heard(event)
        self._last_input = now
        return _HANDLERS[self._state](self, event, now)

    def tick(self, now: float) -> list[Effect]:
        """Let time pass: end acknowledgements, repeat invitations, notice walk-aways."""
        state, elapsed, quiet = self._state, now - self._since, now - self._last_input
        if state is State.ACK and elapsed >= self.timing.acknowledge:
            return self._after_answer(now)
        if state is State.TASK_DONE and elapsed >= self.timing.task_done_for:
            return self._enter(State.TASK_ASK, now)
        if (state is State.WELCOME and self.deck
                and now - self._last_invite >= self.timing.invite_every):
            self._last_invite = now
            return [Speak(self.words.welcome_spoken, self.words.language)]
        if state is State.PROFILE and quiet >= self.timing.profile_skip_after:
            return self._profile_answer("rather_not_say", now)
        if state in IN_PROGRESS and quiet >= self.timing.still_there_after:
            self._resume_state = state
            return self._enter(State.STILL_THERE, now)
        if state is State.STILL_THERE and elapsed >= self.timing.abandon_after:
            return self._abandon(now, self._resume_state) + self._enter(State.WELCOME, now)
        if state is State.THANKS and elapsed >= self.timing.thanks_for:
            return self._enter(State.WELCOME, now)
        return []

    def view(self, now: float | None = None) -> View:
        return views.VIEWS[self._state](self)

    def restart(self, now: float) -> list[Effect]:
        """After an unexpected error: back to a calm welcome, keeping the session."""
        self.facilitator.menu = None
        self.facilitator.message = None
        return self._enter(State.WELCOME, now)

    def replace_decks(self, decks: list[Deck]) -> None:
        """After an install, the facilitator may choose among the new decks."""
        self.decks = list(decks)
        self.facilitator.replace_decks(decks)

    # ------------------------------------------------------------------ read by the views

    @property
    def visit(self) -> Visit | None:
        """The participant's way through the deck, while someone is walking it."""
        return self._visit

    @property
    def words(self) -> phrases.Words:
        """The kiosk's own words: the participant's language, else the deck's."""
        if self._visit is not None:
            return self._visit.words
        return phrases.words_for(self.deck.language if self.deck else phrases.KIOSK_LANGUAGE)

    @property
    def ack(self) -> Literal["yes", "no"] | None:
        """The tick ("yes") or cross ("no") being shown after an answer."""
        return self._ack

    @property
    def offered_language(self) -> str:
        """The language being offered while the participant chooses one."""
        return self._offered_languages()[self._choice]

    # ================================================================== entering states

    def _here(self) -> Visit:
        """The participant's visit, in the states only a participant reaches."""
        if self._visit is None:
            raise RuntimeError(f"the walk is in {self._state.value!r} with nobody walking")
        return self._visit

    def _session_deck(self) -> Deck:
        if self.deck is None:
            raise RuntimeError(f"the walk is in {self._state.value!r} with no session")
        return self.deck

    def _keep(self, *records: Record) -> list[Effect]:
        """Records go to the log, except in a rehearsal."""
        return list(records) if self.recording else []

    def _say_parts(self, *parts: tuple[str, str]) -> list[Effect]:
        """Stop what is playing and say each (text, language) in turn, each in its own voice."""
        return [StopSpeech(), *(Speak(text, language) for text, language in parts)]

    def _say(self, text: str) -> list[Effect]:
        """Stop what is playing and say the kiosk's own words in the participant's language."""
        return [StopSpeech(), Speak(text, self.words.language)]

    def _heard(self, news: SpeechStarted | SpeechFinished) -> list[Effect]:
        """The speaker's news: a read-along screen shows the passage being read. Not a press:
        the quiet that leads to "are you still there?" goes on counting."""
        if self._visit is not None and self._state in (State.SCREEN, State.TASK):
            self._visit.reading.heard(news)
        return []

    def _enter(self, state: State, now: float) -> list[Effect]:
        self._state, self._since, self._last_input, self._ack = state, now, now, None
        if self._visit is not None:
            self._visit.reading.end()  # a screen entered below begins its own reading
        words = self.words
        if state is State.WELCOME:
            self._visit = None
            self._last_invite = now
            return self._say(self.words.welcome_spoken) if self.deck else [StopSpeech()]
        if state is State.LANGUAGE:
            language = self.offered_language
            local = phrases.words_for(language)
            name = phrases.language_name(language, self._session_deck().language_names)
            return self._say_parts((name, language), (local.choose_language, local.language))
        if state is State.HOW:
            return self._say(words.how_spoken)
        if state is State.PROFILE_INTRO:
            return self._say(words.profile_spoken)
        if state is State.PROFILE:
            return self._say_parts(self._here().profile_words(),
                                   (words.profile_skip_hint, words.language))
        if state is State.SCREEN:
            visit = self._here()
            visit.shown_at = now
            visit.replays = 0
            return visit.narrate(visit.current_screen())
        if state is State.TASK_INTRO:
            return self._say_parts(self._here().task_words("instruction"),
                                   (words.stuck_hint, words.language))
        if state is State.TASK:
            visit = self._here()
            return visit.narrate(visit.current_screen(), ask=False)
        if state is State.TASK_DONE:
            return [Cue("yes"), *self._say(words.task_done)]
        if state is State.TASK_ASK:
            visit = self._here()
            visit.shown_at = now
            return self._say_parts(visit.task_words("ask"))
        if state is State.STILL_THERE:
            return self._say(words.still_there_spoken)
        if state is State.THANKS:
            return self._say(words.thanks_spoken)
        return []

    # ================================================================== each state's presses

    def _on_welcome(self, event: Event, now: float) -> list[Effect]:
        if self.deck is None:
            return []
        if isinstance(event, Green):
            self._participants_seen += 1
            language = self.deck.language
            self._visit = Visit(self.deck, self._participants_seen, language,
                                phrases.words_for(language))
            self._choice = 0
            nxt = State.LANGUAGE if len(self._offered_languages()) > 1 else State.HOW
            return [Cue("yes"), *self._enter(nxt, now)]
        if isinstance(event, (Red, Replay)):
            self._last_invite = now
            return self._say(self.words.welcome_spoken)
        return []

    def _on_language(self, event: Event, now: float) -> list[Effect]:
        """Each language's name is spoken in that language: green picks it, red goes on."""
        offered = self._offered_languages()
        if isinstance(event, Green):
            visit = self._here()
            visit.language = offered[self._choice]
            visit.words = phrases.words_for(visit.language)
            return [Cue("yes"), *self._enter(State.HOW, now)]
        if isinstance(event, Red):
            self._choice = (self._choice + 1) % len(offered)
            return [Cue("tap"), *self._enter(State.LANGUAGE, now)]
        if isinstance(event, Replay):
            return self._enter(State.LANGUAGE, now)
        return []

    def _on_how(self, event: Event, now: float) -> list[Effect]:
        if isinstance(event, Green):
            return [Cue("yes"), *self._after_how(now)]
        if isinstance(event, (Red, Replay)):
            return [Cue("tap"), *self._say(self.words.how_spoken)]
        return []

    def _on_profile_intro(self, event: Event, now: float) -> list[Effect]:
        visit = self._here()
        if isinstance(event, Green):
            visit.profile_index = 0
            return [Cue("yes"), *self._enter(State.PROFILE, now)]
        if isinstance(event, Red):  # "rather not say" to all of them
            effects: list[Effect] = [Cue("tap")]
            for question in visit.deck.profile:
                effects += self._keep(visit.profile(question, "rather_not_say"))
            return effects + self._start_content(now)
        if isinstance(event, Replay):
            return self._say(self.words.profile_spoken)
        return []

    def _on_profile(self, event: Event, now: float) -> list[Effect]:
        if isinstance(event, Green):
            return [Cue("yes"), *self._profile_answer("yes", now)]
        if isinstance(event, Red):
            return [Cue("no"), *self._profile_answer("no", now)]
        if isinstance(event, Replay):
            return self._enter(State.PROFILE, now)
        return []

    def _on_screen(self, event: Event, now: float) -> list[Effect]:
        visit = self._here()
        screen = visit.current_screen()
        if isinstance(event, (Green, Red)):
            understood = isinstance(event, Green)
            visit.answered.add(screen.id)
            response: Literal["understood", "not_understood"] = (
                "understood" if understood else "not_understood")
            return [*self._acknowledge(understood, now),
                    *self._keep(visit.answer(screen, now, response))]
        if isinstance(event, Replay):
            return self._hear_again(screen, now)
        if isinstance(event, Tap):
            return self._tap(event, screen, now)
        return []

    def _hear_again(self, screen: Screen, now: float, ask: bool = True) -> list[Effect]:
        """Read-along: the passage being read, if narration is mid-part; otherwise (or on a
        second press) the whole screen, part by part. The record says which part."""
        visit = self._here()
        part = visit.reading.replay_scope()
        visit.replays += 1
        record = visit.replay(screen, now, part)
        effects = visit.narrate(screen, ask=ask, only=part)
        return [*self._keep(record), *effects] if self._state is State.SCREEN else effects

    def _on_nothing(self, event: Event, now: float) -> list[Effect]:
        return []  # presses while the tick or cross shows are ignored (button mashing)

    def _on_task_intro(self, event: Event, now: float) -> list[Effect]:
        if isinstance(event, Green):
            visit = self._here()
            task = visit.task()
            visit.screen_index = visit.index_of(task.start)
            visit.task_started = now
            visit.task_path = [task.start]
            visit.shown_at = now
            return [Cue("yes"), *self._enter(State.TASK, now),
                    *self._keep(visit.task_step(seconds_on_screen=0.0))]
        if isinstance(event, (Red, Replay)):
            return self._enter(State.TASK_INTRO, now)
        return []

    def _on_task(self, event: Event, now: float) -> list[Effect]:
        """Finding the way by tapping; red is "I'm stuck", green hears the task again."""
        visit = self._here()
        screen = visit.current_screen()
        if isinstance(event, Tap):
            return self._tap(event, screen, now)
        if isinstance(event, Red):
            return [Cue("no"), *self._keep(visit.end_task("gave_up", now)),
                    *self._enter(State.TASK_ASK, now)]
        if isinstance(event, Green):
            return self._say_parts(visit.task_words("instruction"))
        if isinstance(event, Replay):
            return self._hear_again(screen, now, ask=False)
        return []

    def _on_task_ask(self, event: Event, now: float) -> list[Effect]:
        visit = self._here()
        if isinstance(event, (Green, Red)):
            understood = isinstance(event, Green)
            response: Literal["understood", "not_understood"] = (
                "understood" if understood else "not_understood")
            screen = visit.current_screen()
            return [*self._acknowledge(understood, now),
                    *self._keep(visit.answer(screen, now, response, task=visit.task().id))]
        if isinstance(event, Replay):
            return self._say_parts(visit.task_words("ask"))
        return []

    def _on_still_there(self, event: Event, now: float) -> list[Effect]:
        """Any press means "yes, I'm here": back where they were, heard again, not answered."""
        if not isinstance(event, (Green, Red, Replay, Tap)):
            return []
        resume = self._resume_state
        if resume is State.SCREEN:
            self._state, self._since = resume, now
            visit = self._here()
            return [Cue("yes"), *visit.narrate(visit.current_screen())]
        return [Cue("yes"), *self._enter(resume, now)]

    def _on_thanks(self, event: Event, now: float) -> list[Effect]:
        return self._enter(State.WELCOME, now) if isinstance(event, Green) else []

    def _on_pin(self, event: Event, now: float) -> list[Effect]:
        """The code is pressed as greens and reds; a wrong code goes quietly back."""
        if not isinstance(event, (Green, Red)):
            return []
        so_far = self.facilitator.press_code(isinstance(event, Green))
        if so_far == "more":
            return [Cue("tap")]
        if so_far == "right":
            return [Cue("menu"), *self._show_menu(now)]
        return [Cue("no"), *self._enter(State.WELCOME, now)]

    def _on_menu(self, event: Event, now: float) -> list[Effect]:
        menu = self.facilitator.open_menu()
        self.facilitator.message = None
        if isinstance(event, Red):
            return [Cue("tap"), *menu.next_option()]
        if isinstance(event, Green):
            return [Cue("yes"), *self._do(menu.choose(), now)]
        if isinstance(event, Replay):
            return menu.speak_current()
        return []

    # ================================================================== the order of things

    def _after_how(self, now: float) -> list[Effect]:
        if self._here().deck.profile:
            return self._enter(State.PROFILE_INTRO, now)
        return self._start_content(now)

    def _start_content(self, now: float) -> list[Effect]:
        """A deck with tasks is walked task by task; any other deck screen by screen."""
        visit = self._here()
        if visit.deck.tasks:
            visit.task_index = 0
            visit.task_outcome = ""
            return self._enter(State.TASK_INTRO, now)
        visit.screen_index = 0
        return self._enter(State.SCREEN, now)

    def _profile_answer(self, answer: ProfileAnswer, now: float) -> list[Effect]:
        visit = self._here()
        effects = self._keep(visit.profile(visit.profile_question(), answer))
        visit.profile_index += 1
        if visit.profile_index < len(visit.deck.profile):
            return effects + self._enter(State.PROFILE, now)
        return effects + self._start_content(now)

    def _acknowledge(self, understood: bool, now: float) -> list[Effect]:
        """The big tick or cross: seen and heard at once; the next step waits a moment."""
        self._ack = "yes" if understood else "no"
        self._state, self._since = State.ACK, now
        return [StopSpeech(), Cue(self._ack)]

    def _after_answer(self, now: float) -> list[Effect]:
        """After the tick: the next screen in deck order, the next task, or thank you."""
        visit = self._here()
        if visit.deck.tasks:
            visit.task_index += 1
            if visit.task_index < len(visit.deck.tasks):
                visit.task_outcome = ""
                visit.task_path = []
                return self._enter(State.TASK_INTRO, now)
            return self._enter(State.THANKS, now)
        visit.screen_index += 1
        if visit.screen_index >= len(visit.deck.screens):
            return self._enter(State.THANKS, now)
        return self._enter(State.SCREEN, now)

    def _tap(self, tap: Tap, screen: Screen, now: float) -> list[Effect]:
        visit = self._here()
        hotspot = None if tap.x is None or tap.y is None else screen.hotspot_at(tap.x, tap.y)
        in_task = self._state is State.TASK
        task_id = visit.task().id if in_task else None
        if hotspot is None:
            if not screen.hotspots:
                return []  # a tap on a screen with nothing to tap is not a misclick
            return [Cue("miss"), *self._keep(visit.miss(screen, now, tap.x, tap.y, task_id))]
        effects: list[Effect] = [Cue("tap")]
        effects += self._keep(visit.tap(screen, now, tap.x, tap.y, hotspot.label, hotspot.goto,
                                        task_id))
        seconds_before = round(now - visit.shown_at, 3)
        visit.screen_index = visit.index_of(hotspot.goto)
        if not in_task:
            return effects + self._enter(State.SCREEN, now)
        visit.task_path.append(hotspot.goto)
        visit.shown_at = now
        effects += self._keep(visit.task_step(seconds_on_screen=seconds_before))
        task = visit.task()
        if hotspot.goto in task.done:
            outcome = reached_outcome(task, visit.task_path)
            return effects + self._keep(visit.end_task(outcome, now)) + \
                self._enter(State.TASK_DONE, now)
        return effects + self._enter(State.TASK, now)

    def _abandon(self, now: float, where: State) -> list[Effect]:
        """Walked away from ``where``: what they did is kept, the rest marked 'abandoned'."""
        visit = self._visit
        if self.deck is None or visit is None:
            return []
        if where is State.TASK and not visit.task_outcome:
            return self._keep(visit.end_task("abandoned", now))
        if where not in (State.SCREEN, State.ACK) or visit.deck.tasks:
            return []  # they left before the first screen (or between tasks)
        return self._keep(*(visit.abandoned(screen)
                            for screen in visit.deck.screens[visit.screen_index:]
                            if screen.id not in visit.answered))

    def _offered_languages(self) -> tuple[str, ...]:
        deck = self._session_deck()
        return tuple(self.languages_for(deck)) or (deck.language,)

    # ================================================================== sessions and the menu

    def _begin_session(self, deck: Deck, venue: str) -> list[Effect]:
        effects: list[Effect] = []
        if self.deck is not None:
            effects += self._end_session("ended")
        self.deck = deck
        self.venue = venue
        self._participants_seen = 0
        if self.recording:
            effects.append(BeginSession(deck.id, deck.version, venue))
        return effects

    def _end_session(self, reason: str) -> list[Effect]:
        had_session = self.deck is not None
        self.deck = None
        self._visit = None
        return [EndSession(reason)] if had_session and self.recording else []

    def _quit(self) -> list[Effect]:
        """Closing time: answers given are kept; an unfinished walk is simply not continued."""
        return [StopSpeech(), *self._end_session("ended"), Exit()]

    def _open_menu(self, now: float) -> list[Effect]:
        if self._state in (State.MENU, State.PIN):
            return []
        effects: list[Effect] = [StopSpeech(), Cue("menu")]
        if self._visit is not None:
            where = self._resume_state if self._state is State.STILL_THERE else self._state
            effects += self._abandon(now, where)
            self._visit = None
        if self.facilitator.menu_pin:
            self._state, self._since = State.PIN, now
            return effects + self.facilitator.ask_code()
        return effects + self._show_menu(now)

    def _show_menu(self, now: float) -> list[Effect]:
        effects = self.facilitator.show_menu(self.decks, self.venues, self.deck, self.venue,
                                             self.volume, self._participants_seen)
        self._state, self._since = State.MENU, now
        return effects

    def _do(self, choice: MenuChoice | None, now: float) -> list[Effect]:
        """Carry out what the facilitator chose in the menu."""
        facilitator = self.facilitator
        if choice is None:
            return facilitator.open_menu().speak_current()
        action = choice.action
        if action == "close":
            facilitator.menu = None
            return self._enter(State.WELCOME, now)
        if action == "start" and choice.deck is not None:
            facilitator.menu = None
            return self._begin_session(choice.deck, choice.venue or self.venue) + \
                self._enter(State.WELCOME, now)
        if action == "end":
            facilitator.menu = None
            return self._end_session("ended") + self._enter(State.WELCOME, now)
        if action == "volume":
            self.volume = choice.volume
            return [SetVolume(choice.volume), *facilitator.open_menu().speak_current()]
        if action in ("install_usb", "export_usb", "clear_exported"):
            facilitator.message = (phrases.WORKING_TITLE, ("Please wait…",))
            return [StartJob(action)]
        if action == "quit":
            return self._quit()
        if action == "shutdown":
            return [*self._quit()[:-1], Exit(shutdown=True)]
        raise AssertionError(f"unknown menu action {action!r}")


_Handler = Callable[[Walk, Event, float], list[Effect]]

_HANDLERS: Mapping[State, _Handler] = complete({
    State.WELCOME: Walk._on_welcome,
    State.LANGUAGE: Walk._on_language,
    State.HOW: Walk._on_how,
    State.PROFILE_INTRO: Walk._on_profile_intro,
    State.PROFILE: Walk._on_profile,
    State.SCREEN: Walk._on_screen,
    State.ACK: Walk._on_nothing,
    State.TASK_INTRO: Walk._on_task_intro,
    State.TASK: Walk._on_task,
    State.TASK_DONE: Walk._on_nothing,
    State.TASK_ASK: Walk._on_task_ask,
    State.STILL_THERE: Walk._on_still_there,
    State.THANKS: Walk._on_thanks,
    State.MENU: Walk._on_menu,
    State.PIN: Walk._on_pin,
}, "press handler")


__all__ = ["Walk", "Timing", "State", "OFF", "ON", "PULSE", "FLASH", "View"]
