"""Tasks on clickable decks: "Find where to change your appointment", done by tapping.

A mixin of ``Walk`` (kiosk/walk/walk.py). The participant hears the task, starts on its start
screen, taps hotspots to move (each screen is a "task_step"), and either reaches a done screen
(direct: on the expected path; indirect: another way) or presses red for "I'm stuck"; then
they answer "Was that easy to do?".
"""

from __future__ import annotations

from kiosk.decks.model import Task
from kiosk.walk.events import Cue, Effect, Event, Green, Red, Replay, Tap


class TaskSteps:
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
            return self._say_parts(self._task_words("instruction"))
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
            return self._say_parts(self._task_words("ask"))
        return []

    def _task(self) -> Task:
        return self.deck.tasks[self._participant.task_index]

    def _task_text(self, part: str) -> str:
        return self._task_words(part)[0]

    def _task_words(self, part: str) -> tuple[str, str]:
        """The task's instruction or question, and the language it is in (it may fall back)."""
        task, language = self._task(), self._participant.language
        translated = task.translations.get(language, {}).get(part)
        if translated:
            return translated, language
        if part == "ask" and task.ask == Task.__dataclass_fields__["ask"].default:
            return self._words.easy_ask, self._words.language
        return getattr(task, part), self.deck.language

    def _end_task(self, outcome: str, now: float) -> list[Effect]:
        participant = self._participant
        participant.task_outcome = outcome
        return self._record("task_end", self._current_screen(), now, task=self._task().id,
                            outcome=outcome, seconds=round(now - participant.task_started, 3),
                            steps=len(participant.task_path))
