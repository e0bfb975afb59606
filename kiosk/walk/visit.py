"""One participant's way through the session's deck: where they are, and what to record.

The walk (walk.py) decides the states; a ``Visit`` answers what every state asks (which
screen, which task or question, in which language, said in which voice) and builds the log's
records. It exists only while someone is at the kiosk, and always has a deck, so nothing here
asks "is there a session? a participant?".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from kiosk.decks.model import Deck, ProfileQuestion, Screen, Task
from kiosk.walk import phrases
from kiosk.walk.events import Effect, Speak, StopSpeech
from kiosk.walk.reading import Reading, reads_along
from kiosk.walk.records import (
    AnswerRecord,
    MissRecord,
    Outcome,
    ProfileAnswer,
    ProfileRecord,
    ReplayRecord,
    Response,
    TapRecord,
    TaskEndRecord,
    TaskStepRecord,
)
from kiosk.walk.tasks import TaskPart, task_words


class _Seen(TypedDict):
    """The fields every record about a screen starts with."""

    participant: int
    language: str
    screen_id: str
    variant: str
    fallback: bool


@dataclass
class Visit:
    deck: Deck
    number: int  # the participant's number within the session
    language: str
    words: phrases.Words  # the kiosk's own words, in ``language`` where it has them
    screen_index: int = 0
    shown_at: float = 0.0  # when the current screen (or task step, or question) appeared
    replays: int = 0
    answered: set[str] = field(default_factory=set)
    profile_index: int = 0
    task_index: int = 0
    task_started: float = 0.0
    task_path: list[str] = field(default_factory=list)
    task_outcome: str = ""  # "" until the current task has ended
    reading: Reading = field(default_factory=Reading)  # read along: the passage being read

    # ------------------------------------------------------------------ screens

    def current_screen(self) -> Screen:
        """The screen being shown, in the participant's language where the deck has it."""
        screen = self.deck.screens[self.screen_index]
        return screen.in_language(self.language, self.deck.language)[0]

    def upcoming(self, current_next: bool = False) -> tuple[Screen, ...]:
        """The screens that may come next (the next two, and where each button leads), in the
        participant's language, so the screen edge can load their pictures ahead.
        ``current_next``: a message is shown before the current screen (how it works, a
        task's introduction), so that screen itself comes next."""
        screens = self.deck.screens
        if self.screen_index >= len(screens):  # every screen answered: nothing comes next
            return ()
        start = self.screen_index if current_next else self.screen_index + 1
        following = screens[start:start + 2]
        targets = tuple(self.deck.screen(h.goto) for h in screens[self.screen_index].hotspots)
        return tuple(s.in_language(self.language, self.deck.language)[0]
                     for s in (*following, *targets))

    def index_of(self, screen_id: str) -> int:
        return next(i for i, s in enumerate(self.deck.screens) if s.id == screen_id)

    def progress(self) -> tuple[int, int]:
        return (self.screen_index + 1, len(self.deck.screens))

    def narrate(self, screen: Screen, ask: bool = True, only: int | None = None
                ) -> list[Effect]:
        """The screen read aloud: each part in the voice of the language it is written in.

        A read-along screen is queued a passage at a time, each tagged so the screen can
        follow the voice (``only``: just that passage, heard again); the question is tagged
        too, since the whole picture and the question come back as it starts.
        """
        deck, language = self.deck, self.language
        translation = deck.screen(screen.id).translations.get(language)
        if language == deck.language or translation is None:
            translation = None
        say_language = language if translation and translation.say else deck.language
        ask_language = language if translation and translation.ask else deck.language
        effects: list[Effect] = [StopSpeech()]
        if reads_along(screen):
            reading = self.reading
            reading.begin(len(screen.parts), only or 0, whole=only is None)
            effects += [Speak(part.say, say_language, tag=reading.tag(number))
                        for number, part in enumerate(screen.parts)
                        if only is None or number == only]
            return effects + [Speak(screen.ask, ask_language, tag=reading.tag(None))] \
                if ask else effects
        self.reading.begin(0)
        recording = deck.path_of(screen.audio) if screen.audio and deck.folder else None
        effects.append(Speak(screen.say, say_language, recording))
        return effects + [Speak(screen.ask, ask_language)] if ask else effects

    def shown_region(self, screen: Screen) -> tuple[int, int, int, int] | None:
        """The region of the picture being read now (None: the whole picture)."""
        part = self.reading.part
        return screen.parts[part].rect if part is not None and part < len(screen.parts) \
            else None

    # ------------------------------------------------------------------ profile and tasks

    def profile_question(self) -> ProfileQuestion:
        return self.deck.profile[self.profile_index]

    def profile_words(self) -> tuple[str, str]:
        """The question, and the language it is in (the deck's own when not translated)."""
        question, language = self.profile_question(), self.language
        if question.translations.get(language):
            return question.translations[language], language
        return question.question, self.deck.language

    def task(self) -> Task:
        return self.deck.tasks[self.task_index]

    def task_words(self, part: TaskPart) -> tuple[str, str]:
        return task_words(self.task(), part, self.language, self.deck.language, self.words)

    # ------------------------------------------------------------------ records

    def _seen(self, screen: Screen) -> _Seen:
        original = self.deck.screen(screen.id)
        fell_back = original.in_language(self.language, self.deck.language)[1]
        return _Seen(participant=self.number, language=self.language, screen_id=screen.id,
                     variant=screen.variant or "", fallback=fell_back)

    def _seconds_on_screen(self, now: float) -> float:
        return round(now - self.shown_at, 3)

    def answer(self, screen: Screen, now: float, response: Response,
               task: str | None = None) -> AnswerRecord:
        seconds = self._seconds_on_screen(now)
        return AnswerRecord(**self._seen(screen), task=task, response=response,
                            seconds_to_answer=seconds, seconds_on_screen=seconds,
                            replays=self.replays)

    def abandoned(self, screen: Screen) -> AnswerRecord:
        """A screen they never answered because they walked away: no timings."""
        return AnswerRecord(**self._seen(screen), response="abandoned")

    def replay(self, screen: Screen, now: float, part: int | None = None) -> ReplayRecord:
        """``part`` counts from 0 here (the reading's index); the record counts from 1."""
        return ReplayRecord(**self._seen(screen), seconds_on_screen=self._seconds_on_screen(now),
                            replay_number=self.replays,
                            part=None if part is None else part + 1)

    def tap(self, screen: Screen, now: float, x: float | None, y: float | None, hotspot: str,
            goto: str, task: str | None) -> TapRecord:
        return TapRecord(**self._seen(screen), seconds_on_screen=self._seconds_on_screen(now),
                         x=x, y=y, hotspot=hotspot, goto=goto, task=task)

    def miss(self, screen: Screen, now: float, x: float | None, y: float | None,
             task: str | None) -> MissRecord:
        return MissRecord(**self._seen(screen), seconds_on_screen=self._seconds_on_screen(now),
                          x=x, y=y, task=task)

    def task_step(self, seconds_on_screen: float) -> TaskStepRecord:
        """The screen just reached inside the task (``task_path`` already holds it)."""
        return TaskStepRecord(**self._seen(self.current_screen()), task=self.task().id,
                              step=len(self.task_path), seconds_on_screen=seconds_on_screen)

    def end_task(self, outcome: Outcome, now: float) -> TaskEndRecord:
        self.task_outcome = outcome
        return TaskEndRecord(**self._seen(self.current_screen()), task=self.task().id,
                             outcome=outcome, seconds=round(now - self.task_started, 3),
                             steps=len(self.task_path))

    def profile(self, question: ProfileQuestion, answer: ProfileAnswer) -> ProfileRecord:
        return ProfileRecord(participant=self.number, language=self.language,
                             question=question.id, answer=answer)
