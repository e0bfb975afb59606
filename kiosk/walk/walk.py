"""The walk: what happens on each press, from the welcome to the thank-you.

For each participant: welcome -> (choose a language) -> how it works -> (a few optional
profile questions) -> either each screen of the deck, answered green or red, or the deck's
tasks, done by tapping through a clickable prototype -> thank you. Holding both buttons opens
the facilitator menu at any time.

``Walk.handle(event, now)`` and ``Walk.tick(now)`` return effects; ``Walk.view()`` says what to
show. ``now`` is seconds on any steady clock (``time.monotonic()`` in the kiosk, a number moved
by hand in tests). Nothing here waits, draws, plays or writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.decks.model import Deck, ProfileQuestion, Screen
from kiosk.walk import phrases
from kiosk.walk.events import (
    Cue,
    Effect,
    Event,
    Green,
    HoldBoth,
    JobFinished,
    Quit,
    Record,
    Red,
    Replay,
    Speak,
    StickInserted,
    StickRemoved,
    StopSpeech,
    Tap,
)
from kiosk.walk.facilitator import FacilitatorSteps
from kiosk.walk.menu import Menu
from kiosk.walk.tasks import TaskSteps
from kiosk.walk.view import FLASH, OFF, ON, PULSE, View
from kiosk.walk.views import WalkViews

# States in which a participant is part-way through; quiet there means "still there?".
_IN_PROGRESS = ("language", "how", "profile_intro", "screen", "task_intro", "task", "task_ask")


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


@dataclass
class _Participant:
    number: int
    language: str
    words: phrases.Words
    screen_index: int = 0
    shown_at: float = 0.0
    replays: int = 0
    answered: set[str] = field(default_factory=set)
    profile_index: int = 0
    task_index: int = 0
    task_started: float = 0.0
    task_path: list[str] = field(default_factory=list)
    task_outcome: str = ""


class Walk(TaskSteps, FacilitatorSteps, WalkViews):
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
        self.languages_for = languages_for or (lambda d: d.languages)
        self.menu_pin = menu_pin.upper()
        self.deck: Deck | None = None
        self.venue = venue or self.venues[0]
        self._state = "welcome"
        self._since = now
        self._last_input = now
        self._last_invite = now
        self._ack: str | None = None
        self._participant: _Participant | None = None
        self._participants_seen = 0
        self._choice = 0  # the language being offered
        self._menu: Menu | None = None
        self._pin_entered = ""
        self._message: tuple[str, tuple[str, ...]] | None = None
        self._notice: tuple[str, tuple[str, ...]] | None = None  # a job's result, for later
        self._resume_state = "screen"
        self._stick: StickInserted | None = None
        self._pending: list[Effect] = []
        if deck is not None:
            self._pending += self._begin_session(deck, self.venue)
        self._pending += self._enter("welcome", now)

    # ================================================================== public interface

    @property
    def state(self) -> str:
        return self._state

    @property
    def participant_number(self) -> int | None:
        return self._participant.number if self._participant else None

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
            return self._job_finished(event, now)
        if isinstance(event, StickInserted):
            return self._stick_inserted(event)
        if isinstance(event, StickRemoved):
            self._stick = None
            return []
        self._last_input = now
        return getattr(self, f"_on_{self._state}")(event, now)

    def tick(self, now: float) -> list[Effect]:
        """Let time pass: end acknowledgements, repeat invitations, notice walk-aways."""
        state, elapsed, quiet = self._state, now - self._since, now - self._last_input
        if state == "ack" and elapsed >= self.timing.acknowledge:
            return self._after_answer(now)
        if state == "task_done" and elapsed >= self.timing.task_done_for:
            return self._enter("task_ask", now)
        if state == "welcome" and self.deck and now - self._last_invite >= self.timing.invite_every:
            self._last_invite = now
            return [Speak(self._words.welcome_spoken, self._words.language)]
        if state == "profile" and quiet >= self.timing.profile_skip_after:
            return self._profile_answer("rather_not_say", now)
        if state in _IN_PROGRESS and quiet >= self.timing.still_there_after:
            self._resume_state = state
            return self._enter("still_there", now)
        if state == "still_there" and elapsed >= self.timing.abandon_after:
            return self._abandon(now, self._resume_state) + self._enter("welcome", now)
        if state == "thanks" and elapsed >= self.timing.thanks_for:
            return self._enter("welcome", now)
        return []

    def view(self, now: float | None = None) -> View:
        return getattr(self, f"_view_{self._state}")()

    def restart(self, now: float) -> list[Effect]:
        """After an unexpected error: back to a calm welcome, keeping the session."""
        self._menu = None
        self._message = None
        return self._enter("welcome", now)

    def replace_decks(self, decks: list[Deck]) -> None:
        """After an install, the facilitator may choose among the new decks."""
        self.decks = list(decks)
        if self._menu is not None:
            self._menu.decks = list(decks)

    # ================================================================== entering states

    @property
    def _words(self) -> phrases.Words:
        if self._participant is not None:
            return self._participant.words
        return phrases.words_for(self.deck.language if self.deck else phrases.KIOSK_LANGUAGE)

    def _say_parts(self, *parts: tuple[str, str]) -> list[Effect]:
        """Stop what is playing and say each (text, language) in turn, each in its own voice."""
        return [StopSpeech(), *(Speak(text, language) for text, language in parts)]

    def _say(self, text: str) -> list[Effect]:
        """Stop what is playing and say the kiosk's own words in the participant's language."""
        return [StopSpeech(), Speak(text, self._words.language)]

    def _enter(self, state: str, now: float) -> list[Effect]:
        self._state, self._since, self._last_input, self._ack = state, now, now, None
        words = self._words
        if state == "welcome":
            self._participant = None
            self._last_invite = now
            return self._say(self._words.welcome_spoken) if self.deck else [StopSpeech()]
        if state == "language":
            language = self._offered_languages()[self._choice]
            local = phrases.words_for(language)
            name = phrases.language_name(language, self.deck.language_names)
            return self._say_parts((name, language), (local.choose_language, local.language))
        if state == "how":
            return self._say(words.how_spoken)
        if state == "profile_intro":
            return self._say(words.profile_spoken)
        if state == "profile":
            return self._say_parts(self._profile_words(),
                                   (words.profile_skip_hint, words.language))
        if state == "screen":
            self._participant.shown_at = now
            self._participant.replays = 0
            return self._narrate(self._current_screen())
        if state == "task_intro":
            return self._say_parts(self._task_words("instruction"),
                                   (words.stuck_hint, words.language))
        if state == "task":
            return self._narrate(self._current_screen(), ask=False)
        if state == "task_done":
            return [Cue("yes"), *self._say(words.task_done)]
        if state == "task_ask":
            self._participant.shown_at = now
            return self._say_parts(self._task_words("ask"))
        if state == "still_there":
            return self._say(words.still_there_spoken)
        if state == "thanks":
            return self._say(words.thanks_spoken)
        return []

    # ================================================================== each state's presses

    def _on_welcome(self, event: Event, now: float) -> list[Effect]:
        if self.deck is None:
            return []
        if isinstance(event, Green):
            self._participants_seen += 1
            language = self.deck.language
            self._participant = _Participant(self._participants_seen, language,
                                             phrases.words_for(language))
            self._choice = 0
            nxt = "language" if len(self._offered_languages()) > 1 else "how"
            return [Cue("yes"), *self._enter(nxt, now)]
        if isinstance(event, (Red, Replay)):
            self._last_invite = now
            return self._say(self._words.welcome_spoken)
        return []

    def _on_language(self, event: Event, now: float) -> list[Effect]:
        """Each language's name is spoken in that language: green picks it, red goes on."""
        offered = self._offered_languages()
        if isinstance(event, Green):
            language = offered[self._choice]
            self._participant.language = language
            self._participant.words = phrases.words_for(language)
            return [Cue("yes"), *self._enter("how", now)]
        if isinstance(event, Red):
            self._choice = (self._choice + 1) % len(offered)
            return [Cue("tap"), *self._enter("language", now)]
        if isinstance(event, Replay):
            return self._enter("language", now)
        return []

    def _on_how(self, event: Event, now: float) -> list[Effect]:
        if isinstance(event, Green):
            return [Cue("yes"), *self._after_how(now)]
        if isinstance(event, (Red, Replay)):
            return [Cue("tap"), *self._say(self._words.how_spoken)]
        return []

    def _on_profile_intro(self, event: Event, now: float) -> list[Effect]:
        if isinstance(event, Green):
            self._participant.profile_index = 0
            return [Cue("yes"), *self._enter("profile", now)]
        if isinstance(event, Red):  # "rather not say" to all of them
            effects: list[Effect] = [Cue("tap")]
            for question in self.deck.profile:
                effects += self._record("profile", None, now, question=question.id,
                                        answer="rather_not_say")
            return effects + self._start_content(now)
        if isinstance(event, Replay):
            return self._say(self._words.profile_spoken)
        return []

    def _on_profile(self, event: Event, now: float) -> list[Effect]:
        if isinstance(event, Green):
            return [Cue("yes"), *self._profile_answer("yes", now)]
        if isinstance(event, Red):
            return [Cue("no"), *self._profile_answer("no", now)]
        if isinstance(event, Replay):
            return self._enter("profile", now)
        return []

    def _on_screen(self, event: Event, now: float) -> list[Effect]:
        participant, screen = self._participant, self._current_screen()
        if isinstance(event, (Green, Red)):
            understood = isinstance(event, Green)
            participant.answered.add(screen.id)
            return [*self._acknowledge(understood, now),
                    *self._record("answer", screen, now,
                                  response="understood" if understood else "not_understood",
                                  **self._timings(now))]
        if isinstance(event, Replay):
            participant.replays += 1
            return [*self._record("replay", screen, now, replay_number=participant.replays),
                    *self._narrate(screen)]
        if isinstance(event, Tap):
            return self._tap(event, screen, now)
        return []

    def _on_ack(self, event: Event, now: float) -> list[Effect]:
        return []  # presses while the tick or cross shows are ignored (button mashing)

    _on_task_done = _on_ack

    def _on_still_there(self, event: Event, now: float) -> list[Effect]:
        """Any press means "yes, I'm here": back where they were, heard again, not answered."""
        if not isinstance(event, (Green, Red, Replay, Tap)):
            return []
        resume = self._resume_state
        if resume == "screen":
            self._state, self._since = resume, now
            return [Cue("yes"), *self._narrate(self._current_screen())]
        return [Cue("yes"), *self._enter(resume, now)]

    def _on_thanks(self, event: Event, now: float) -> list[Effect]:
        return self._enter("welcome", now) if isinstance(event, Green) else []

    # ================================================================== the order of things

    def _after_how(self, now: float) -> list[Effect]:
        if self.deck.profile:
            return self._enter("profile_intro", now)
        return self._start_content(now)

    def _start_content(self, now: float) -> list[Effect]:
        """A deck with tasks is walked task by task; any other deck screen by screen."""
        participant = self._participant
        if self.deck.tasks:
            participant.task_index = 0
            participant.task_outcome = ""
            return self._enter("task_intro", now)
        participant.screen_index = 0
        return self._enter("screen", now)

    def _profile_answer(self, answer: str, now: float) -> list[Effect]:
        participant = self._participant
        question = self.deck.profile[participant.profile_index]
        effects = self._record("profile", None, now, question=question.id, answer=answer)
        participant.profile_index += 1
        if participant.profile_index < len(self.deck.profile):
            return effects + self._enter("profile", now)
        return effects + self._start_content(now)

    def _acknowledge(self, understood: bool, now: float) -> list[Effect]:
        """The big tick or cross: seen and heard at once; the next step waits a moment."""
        self._ack = "yes" if understood else "no"
        self._state, self._since = "ack", now
        return [StopSpeech(), Cue(self._ack)]

    def _after_answer(self, now: float) -> list[Effect]:
        """After the tick: the next screen in deck order, the next task, or thank you."""
        participant = self._participant
        if self.deck.tasks:
            participant.task_index += 1
            if participant.task_index < len(self.deck.tasks):
                participant.task_outcome = ""
                participant.task_path = []
                return self._enter("task_intro", now)
            return self._enter("thanks", now)
        participant.screen_index += 1
        if participant.screen_index >= len(self.deck.screens):
            return self._enter("thanks", now)
        return self._enter("screen", now)

    # ================================================================== screens and taps

    def _current_screen(self) -> Screen:
        """The screen being shown, in the participant's language where the deck has it."""
        screen = self.deck.screens[self._participant.screen_index]
        return screen.in_language(self._participant.language, self.deck.language)[0]

    def _index_of(self, screen_id: str) -> int:
        return next(i for i, s in enumerate(self.deck.screens) if s.id == screen_id)

    def _narrate(self, screen: Screen, ask: bool = True) -> list[Effect]:
        """The screen read aloud: each part in the voice of the language it is written in."""
        deck, language = self.deck, self._participant.language
        translation = deck.screen(screen.id).translations.get(language)
        if language == deck.language or translation is None:
            translation = None
        say_language = language if translation and translation.say else deck.language
        ask_language = language if translation and translation.ask else deck.language
        recording = deck.path_of(screen.audio) if screen.audio and deck.folder else None
        effects: list[Effect] = [StopSpeech(), Speak(screen.say, say_language, recording)]
        return effects + [Speak(screen.ask, ask_language)] if ask else effects

    def _tap(self, tap: Tap, screen: Screen, now: float) -> list[Effect]:
        participant = self._participant
        hotspot = None if tap.x is None or tap.y is None else screen.hotspot_at(tap.x, tap.y)
        in_task = {"task": self._task().id} if self._state == "task" else {}
        if hotspot is None:
            if not screen.hotspots:
                return []  # a tap on a screen with nothing to tap is not a misclick
            return [Cue("miss"), *self._record("miss", screen, now, x=tap.x, y=tap.y, **in_task)]
        effects: list[Effect] = [Cue("tap")]
        effects += self._record("tap", screen, now, x=tap.x, y=tap.y, hotspot=hotspot.label,
                                goto=hotspot.goto, **in_task)
        seconds_before = round(now - participant.shown_at, 3)
        participant.screen_index = self._index_of(hotspot.goto)
        if self._state != "task":
            return effects + self._enter("screen", now)
        participant.task_path.append(hotspot.goto)
        participant.shown_at = now
        effects += self._record("task_step", self._current_screen(), now, task=self._task().id,
                                step=len(participant.task_path),
                                seconds_on_screen=seconds_before)
        if hotspot.goto in self._task().done:
            expected = list(self._task().path)
            direct = participant.task_path == expected if expected else \
                len(set(participant.task_path)) == len(participant.task_path)
            return effects + self._end_task("direct" if direct else "indirect", now) + \
                self._enter("task_done", now)
        return effects + self._enter("task", now)

    def _progress(self) -> tuple[int, int]:
        return (self._participant.screen_index + 1, len(self.deck.screens))

    # ================================================================== profile

    def _profile_question(self) -> ProfileQuestion:
        return self.deck.profile[self._participant.profile_index]

    def _profile_text(self) -> str:
        return self._profile_words()[0]

    def _profile_words(self) -> tuple[str, str]:
        """The question, and the language it is in (the deck's own when not translated)."""
        question, language = self._profile_question(), self._participant.language
        if question.translations.get(language):
            return question.translations[language], language
        return question.question, self.deck.language

    # ================================================================== records

    def _timings(self, now: float) -> dict:
        participant = self._participant
        seconds = round(now - participant.shown_at, 3)
        return {"seconds_to_answer": seconds, "seconds_on_screen": seconds,
                "replays": participant.replays}

    def _record(self, kind: str, screen: Screen | None, now: float, **fields) -> list[Effect]:
        if not self.recording or self.deck is None or self._participant is None:
            return []
        participant = self._participant
        base: dict = {"participant": participant.number, "language": participant.language}
        if screen is not None:
            original = self.deck.screen(screen.id)
            fell_back = original.in_language(participant.language, self.deck.language)[1]
            base.update(screen_id=screen.id, variant=screen.variant or "")
            if fell_back:
                base["fallback"] = True  # shown in the main language: no translation
            if kind in ("replay", "tap", "miss"):
                base["seconds_on_screen"] = round(now - participant.shown_at, 3)
        return [Record(kind, {**base, **fields})]

    def _abandon(self, now: float, where: str) -> list[Effect]:
        """Walked away from ``where``: what they did is kept, the rest marked 'abandoned'."""
        participant = self._participant
        if self.deck is None or participant is None:
            return []
        if where == "task" and not participant.task_outcome:
            return self._end_task("abandoned", now)
        if where not in ("screen", "ack") or self.deck.tasks:
            return []  # they left before the first screen (or between tasks)
        effects: list[Effect] = []
        for screen in self.deck.screens[participant.screen_index:]:
            if screen.id not in participant.answered:
                effects += self._record("answer", screen, now, response="abandoned")
        return effects

    # ================================================================== languages

    def _offered_languages(self) -> tuple[str, ...]:
        offered = tuple(self.languages_for(self.deck)) if self.deck else ()
        return offered or (self.deck.language,)



__all__ = ["Walk", "Timing", "OFF", "ON", "PULSE", "FLASH", "View"]
