"""What the walk shows in each state: ``View`` data for the screen and the lamps.

A mixin of ``Walk`` (kiosk/walk/walk.py): it reads the walk's state and never changes it.
"""

from __future__ import annotations

from kiosk.walk import phrases
from kiosk.walk.view import FLASH, OFF, ON, PULSE, View


class WalkViews:
    """One ``_view_<state>`` per state; ``Walk.view()`` picks the one for the current state."""

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
        if self._notice is not None and self._participant is None:
            title, _ = self._notice
            return f"For the facilitator: a job has finished ({title}). Open the menu to see."
        return "" if self.recording else "Rehearsal: nothing is recorded"
