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

from kiosk.decks.model import Deck, ProfileQuestion, Screen, Task
from kiosk.walk import phrases
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
    Record,
    Red,
    Replay,
    SetVolume,
    Speak,
    StartJob,
    StickInserted,
    StickRemoved,
    StopSpeech,
    Tap,
)
from kiosk.walk.menu import Menu, MenuChoice
from kiosk.walk.view import FLASH, OFF, ON, PULSE, View

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
            return [StopSpeech(), Speak(f"{name}. {local.choose_language}", language)]
        if state == "how":
            return self._say(words.how_spoken)
        if state == "profile_intro":
            return self._say(words.profile_spoken)
        if state == "profile":
            return self._say(f"{self._profile_text()} {words.profile_skip_hint}")
        if state == "screen":
            self._participant.shown_at = now
            self._participant.replays = 0
            return self._narrate(self._current_screen())
        if state == "task_intro":
            return self._say(f"{self._task_text('instruction')} {words.stuck_hint}")
        if state == "task":
            return self._narrate(self._current_screen(), ask=False)
        if state == "task_done":
            return [Cue("yes"), *self._say(words.task_done)]
        if state == "task_ask":
            self._participant.shown_at = now
            return self._say(self._task_text("ask"))
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

    def _on_task_intro(self, event: Event, now: float) -> list[Effect]:
        if isinstance(event, Green):
            task = self._task()
            participant = self._participant
            participant.screen_index = self._index_of(task.start)
            participant.task_started = now
            participant.task_path = [task.start]
            participant.shown_at = now
            return [Cue("yes"), *self._enter("task", now),
                    *self._record("task_step", self._current_screen(), now, task=task.id,
                                  step=1, seconds_on_screen=0.0)]
        if isinstance(event, (Red, Replay)):
            return self._enter("task_intro", now)
        return []

    def _on_task(self, event: Event, now: float) -> list[Effect]:
        """Finding the way by tapping; red is "I'm stuck", green hears the task again."""
        screen = self._current_screen()
        if isinstance(event, Tap):
            return self._tap(event, screen, now)
        if isinstance(event, Red):
            return [Cue("no"), *self._end_task("gave_up", now), *self._enter("task_ask", now)]
        if isinstance(event, Green):
            return self._say(self._task_text("instruction"))
        if isinstance(event, Replay):
            self._participant.replays += 1
            return self._narrate(screen, ask=False)
        return []

    def _on_task_ask(self, event: Event, now: float) -> list[Effect]:
        if isinstance(event, (Green, Red)):
            understood = isinstance(event, Green)
            screen = self._current_screen()
            return [*self._acknowledge(understood, now),
                    *self._record("answer", screen, now, task=self._task().id,
                                  response="understood" if understood else "not_understood",
                                  **self._timings(now))]
        if isinstance(event, Replay):
            return self._say(self._task_text("ask"))
        return []

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
        language = self._participant.language
        recording = self.deck.path_of(screen.audio) if screen.audio and self.deck.folder else None
        effects: list[Effect] = [StopSpeech(), Speak(screen.say, language, recording)]
        return effects + [Speak(screen.ask, language)] if ask else effects

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

    # ================================================================== tasks and profile

    def _task(self) -> Task:
        return self.deck.tasks[self._participant.task_index]

    def _task_text(self, part: str) -> str:
        task = self._task()
        translated = task.translations.get(self._participant.language, {}).get(part)
        if translated:
            return translated
        if part == "ask" and task.ask == Task.__dataclass_fields__["ask"].default:
            return self._words.easy_ask
        return getattr(task, part)

    def _profile_question(self) -> ProfileQuestion:
        return self.deck.profile[self._participant.profile_index]

    def _profile_text(self) -> str:
        question = self._profile_question()
        return question.translations.get(self._participant.language) or question.question

    def _end_task(self, outcome: str, now: float) -> list[Effect]:
        participant = self._participant
        participant.task_outcome = outcome
        return self._record("task_end", self._current_screen(), now, task=self._task().id,
                            outcome=outcome, seconds=round(now - participant.task_started, 3),
                            steps=len(participant.task_path))

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

    # ================================================================== views

    def _base(self, kind: str, title: str = "", lines: tuple[str, ...] = (), **more) -> View:
        language = self._participant.language if self._participant else (
            self.deck.language if self.deck else phrases.KIOSK_LANGUAGE)
        return View(kind, title, lines, deck=self.deck, banner=self._banner(),
                    language=language, **more)

    def _view_welcome(self) -> View:
        if self.deck is None:
            return self._base("welcome", phrases.NOT_READY_TITLE, phrases.NOT_READY_LINES)
        words = self._words
        return self._base("welcome", words.welcome_title, words.welcome_lines,
                          buttons=(words.how_buttons[0], ""), lamps=(PULSE, OFF))

    def _view_language(self) -> View:
        language = self._offered_languages()[self._choice]
        local = phrases.words_for(language)
        name = phrases.language_name(language, self.deck.language_names)
        return View("language", name, (local.choose_language,), deck=self.deck,
                    buttons=local.choose_buttons, lamps=(PULSE, PULSE), language=language,
                    banner=self._banner())

    def _view_how(self) -> View:
        words = self._words
        return self._base("how", words.how_title, tuple(text for _, text in words.how_lines),
                          symbols=tuple(symbol for symbol, _ in words.how_lines),
                          buttons=words.how_buttons, lamps=(PULSE, ON))

    def _view_profile_intro(self) -> View:
        words = self._words
        return self._base("profile_intro", words.profile_title, words.profile_lines,
                          buttons=words.profile_buttons, lamps=(PULSE, PULSE))

    def _view_profile(self) -> View:
        words = self._words
        number = self._participant.profile_index + 1
        return self._base("profile", self._profile_text(), (words.profile_skip_hint,),
                          buttons=words.profile_buttons, lamps=(PULSE, PULSE),
                          progress=(number, len(self.deck.profile)))

    def _view_screen(self) -> View:
        screen = self._current_screen()
        lamps = (PULSE, PULSE)
        if self._ack:
            lamps = (FLASH, OFF) if self._ack == "yes" else (OFF, FLASH)
        question = screen.ask
        progress: tuple[int, int] | None = self._progress()
        if self.deck.tasks:
            question, progress = self._task_text("ask"), None
        return self._base("screen", screen=screen, question=question, ack=self._ack,
                          lamps=lamps, progress=progress)

    _view_ack = _view_screen
    _view_task_ask = _view_screen

    def _view_task_intro(self) -> View:
        words = self._words
        return self._base("task_intro", words.task_title,
                          (self._task_text("instruction"), words.stuck_hint),
                          buttons=words.task_buttons, lamps=(PULSE, ON),
                          progress=(self._participant.task_index + 1, len(self.deck.tasks)))

    def _view_task(self) -> View:
        return self._base("screen", screen=self._current_screen(),
                          question=self._task_text("instruction"), lamps=(OFF, PULSE))

    def _view_task_done(self) -> View:
        return self._base("screen", screen=self._current_screen(),
                          question=self._words.task_done, ack="yes", lamps=(FLASH, OFF))

    def _view_still_there(self) -> View:
        words = self._words
        return self._base("still_there", words.still_there_title, words.still_there_lines,
                          buttons=(words.choose_buttons[0], ""), lamps=(PULSE, OFF))

    def _view_thanks(self) -> View:
        words = self._words
        return self._base("thanks", words.thanks_title, words.thanks_lines)

    def _view_menu(self) -> View:
        return self._menu.view(self._message)

    def _view_pin(self) -> View:
        dots = "● " * len(self._pin_entered) + "○ " * (len(self.menu_pin) - len(self._pin_entered))
        return View("confirm", phrases.PIN_TITLE, (phrases.PIN_HELP, dots.strip()),
                    buttons=("Green", "Red"), lamps=(PULSE, PULSE), language="en-GB")

    def _banner(self) -> str:
        return "" if self.recording else "Rehearsal: nothing is recorded"

    # ================================================================== sessions

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
        self._participant = None
        return [EndSession(reason)] if had_session and self.recording else []

    def _quit(self) -> list[Effect]:
        """Closing time: answers given are kept; an unfinished walk is simply not continued."""
        return [StopSpeech(), *self._end_session("ended"), Exit()]

    # ================================================================== facilitator menu

    def _open_menu(self, now: float) -> list[Effect]:
        if self._state in ("menu", "pin"):
            return []
        effects: list[Effect] = [StopSpeech(), Cue("menu")]
        if self._participant is not None:
            where = self._resume_state if self._state == "still_there" else self._state
            effects += self._abandon(now, where)
            self._participant = None
        if self.menu_pin:
            self._state, self._since, self._pin_entered = "pin", now, ""
            return effects + [Speak(phrases.PIN_HELP, phrases.KIOSK_LANGUAGE)]
        return effects + self._show_menu(now)

    def _show_menu(self, now: float) -> list[Effect]:
        self._menu = Menu(self.decks, self.venues, self.deck, self.venue, self.volume)
        if self.deck is not None:
            people = self._participants_seen
            noun = "person" if people == 1 else "people"
            self._menu.status = f"Now: {self.venue}, {people} {noun}"
        if self._stick is not None:
            self._menu.offer_stick(self._stick.has_decks, self._stick.wants_export)
        self._state, self._since = "menu", now
        return self._menu.speak_current()

    def _on_pin(self, event: Event, now: float) -> list[Effect]:
        """The code is pressed as greens and reds; a wrong code goes quietly back."""
        if not isinstance(event, (Green, Red)):
            return []
        self._pin_entered += "G" if isinstance(event, Green) else "R"
        if len(self._pin_entered) < len(self.menu_pin):
            return [Cue("tap")]
        if self._pin_entered == self.menu_pin:
            return [Cue("menu"), *self._show_menu(now)]
        return [Cue("no"), *self._enter("welcome", now)]

    def _on_menu(self, event: Event, now: float) -> list[Effect]:
        self._message = None
        if isinstance(event, Red):
            return [Cue("tap"), *self._menu.next_option()]
        if isinstance(event, Green):
            return [Cue("yes"), *self._do(self._menu.choose(), now)]
        if isinstance(event, Replay):
            return self._menu.speak_current()
        return []

    def _do(self, choice: MenuChoice | None, now: float) -> list[Effect]:
        if choice is None:
            return self._menu.speak_current()
        action = choice.action
        if action == "close":
            self._menu = None
            return self._enter("welcome", now)
        if action == "start":
            self._menu = None
            return self._begin_session(choice.deck, choice.venue or self.venue) + \
                self._enter("welcome", now)
        if action == "end":
            self._menu = None
            return self._end_session("ended") + self._enter("welcome", now)
        if action == "volume":
            self.volume = choice.volume
            return [SetVolume(choice.volume), *self._menu.speak_current()]
        if action in ("install_usb", "export_usb", "clear_exported"):
            self._message = (phrases.WORKING_TITLE, ("Please wait…",))
            return [StartJob(action)]
        if action == "quit":
            return self._quit()
        if action == "shutdown":
            return [*self._quit()[:-1], Exit(shutdown=True)]
        raise AssertionError(f"unknown menu action {action!r}")

    def _job_finished(self, event: JobFinished, now: float) -> list[Effect]:
        """Say how a slow job went, in the menu (opening it if a participant closed it)."""
        if self._state != "menu":
            self._show_menu(now)
        title = "Done" if event.ok else "That did not work"
        self._message = (title, tuple(line for line in event.message.splitlines() if line))
        return [StopSpeech(), Cue("yes" if event.ok else "no"),
                Speak(f"{title}. {event.message}", phrases.KIOSK_LANGUAGE)]

    def _stick_inserted(self, event: StickInserted) -> list[Effect]:
        """A stick arrived: offer the matching job in the menu, which only a facilitator opens."""
        self._stick = event
        if self._menu is not None and self._state == "menu":
            self._menu.offer_stick(event.has_decks, event.wants_export)
            return self._menu.speak_current()
        return []


__all__ = ["Walk", "Timing", "OFF", "ON", "PULSE", "FLASH"]
