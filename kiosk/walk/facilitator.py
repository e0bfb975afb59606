"""Sessions and the facilitator menu: the parts of the walk only a facilitator reaches.

A mixin of ``Walk`` (kiosk/walk/walk.py). The menu opens only on the deliberate hold of both
buttons (and, if set, a code of green and red presses); it ends the participant's walk first,
keeping what they answered.
"""

from __future__ import annotations

from kiosk.decks.model import Deck
from kiosk.walk import phrases
from kiosk.walk.events import (
    BeginSession,
    Cue,
    Effect,
    EndSession,
    Event,
    Exit,
    Green,
    JobFinished,
    Red,
    Replay,
    SetVolume,
    Speak,
    StartJob,
    StickInserted,
    StopSpeech,
)
from kiosk.walk.menu import Menu, MenuChoice


class FacilitatorSteps:
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
        if self._notice is not None:
            self._message, self._notice = self._notice, None
            title, lines = self._message
            return [Speak(". ".join((title, *lines)), phrases.KIOSK_LANGUAGE)]
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
        """Say how a slow job went: in the menu if it is open, else as a notice for later.

        A finished job never opens the menu (that would skip the facilitator's code) and never
        interrupts a participant: if the menu was closed meanwhile, the result waits as a
        banner line and is shown in full the next time the menu is opened.
        """
        if event.decks is not None:
            self.replace_decks(list(event.decks))
        title = "Done" if event.ok else "That did not work"
        result = (title, tuple(line for line in event.message.splitlines() if line))
        if self._state != "menu":
            self._notice = result
            if self._message is not None and self._message[0] == phrases.WORKING_TITLE:
                self._message = None
            return []
        self._message = result
        return [StopSpeech(), Cue("yes" if event.ok else "no"),
                Speak(f"{title}. {event.message}", phrases.KIOSK_LANGUAGE)]

    def _stick_inserted(self, event: StickInserted) -> list[Effect]:
        """A stick arrived: offer the matching job in the menu, which only a facilitator opens."""
        self._stick = event
        if self._menu is not None and self._state == "menu":
            self._menu.offer_stick(event.has_decks, event.wants_export)
            return self._menu.speak_current()
        return []
