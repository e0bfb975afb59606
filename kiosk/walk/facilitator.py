"""The facilitator's side of the kiosk: the menu, its code, job results and USB sticks.

The menu opens only on the deliberate hold of both buttons (and, if set, a code of green and
red presses); the walk ends the participant's walk first, keeping what they answered. A
``Facilitator`` keeps what the menu remembers between presses and says what to show and say;
the walk owns the states and carries out what the facilitator chose (walk.py, ``_do``).
"""

from __future__ import annotations

from typing import Literal

from kiosk.decks.model import Deck
from kiosk.walk import phrases
from kiosk.walk.events import Cue, Effect, JobFinished, Speak, StickInserted, StopSpeech
from kiosk.walk.menu import Menu
from kiosk.walk.view import PULSE, View

Message = tuple[str, tuple[str, ...]]  # a title and its lines
CodeSoFar = Literal["more", "right", "wrong"]


class Facilitator:
    def __init__(self, menu_pin: str = "") -> None:
        self.menu_pin = menu_pin.upper()  # "GRRG": the code, as greens and reds
        self.menu: Menu | None = None  # while the menu is open
        self.pin_entered = ""
        self.message: Message | None = None  # shown in the menu instead of its help
        self.notice: Message | None = None  # a job's result, for the next time the menu opens
        self.stick: StickInserted | None = None

    def open_menu(self) -> Menu:
        """The menu being worked; only asked for in the menu state, where there is one."""
        if self.menu is None:
            raise RuntimeError("the facilitator menu is not open")
        return self.menu

    # ------------------------------------------------------------------ the code

    def ask_code(self) -> list[Effect]:
        self.pin_entered = ""
        return [Speak(phrases.PIN_HELP, phrases.KIOSK_LANGUAGE)]

    def press_code(self, green: bool) -> CodeSoFar:
        self.pin_entered += "G" if green else "R"
        if len(self.pin_entered) < len(self.menu_pin):
            return "more"
        return "right" if self.pin_entered == self.menu_pin else "wrong"

    # ------------------------------------------------------------------ the menu

    def show_menu(self, decks: list[Deck], venues: list[str], deck: Deck | None, venue: str,
                  volume: float, people: int) -> list[Effect]:
        """Open the menu on the session's state; a job result that waited is said first."""
        self.menu = Menu(decks, venues, deck, venue, volume)
        if deck is not None:
            noun = "person" if people == 1 else "people"
            self.menu.status = f"Now: {venue}, {people} {noun}"
        if self.stick is not None:
            self.menu.offer_stick(self.stick.has_decks, self.stick.wants_export)
        if self.notice is not None:
            self.message, self.notice = self.notice, None
            title, lines = self.message
            return [Speak(". ".join((title, *lines)), phrases.KIOSK_LANGUAGE)]
        return self.menu.speak_current()

    def replace_decks(self, decks: list[Deck]) -> None:
        if self.menu is not None:
            self.menu.decks = list(decks)

    def job_finished(self, event: JobFinished, menu_open: bool) -> list[Effect]:
        """Say how a slow job went: in the menu if it is open, else as a notice for later.

        A finished job never opens the menu (that would skip the facilitator's code) and never
        interrupts a participant: if the menu was closed meanwhile, the result waits as a
        banner line and is shown in full the next time the menu is opened.
        """
        title = "Done" if event.ok else "That did not work"
        result = (title, tuple(line for line in event.message.splitlines() if line))
        if not menu_open:
            self.notice = result
            if self.message is not None and self.message[0] == phrases.WORKING_TITLE:
                self.message = None
            return []
        self.message = result
        return [StopSpeech(), Cue("yes" if event.ok else "no"),
                Speak(f"{title}. {event.message}", phrases.KIOSK_LANGUAGE)]

    def stick_inserted(self, event: StickInserted, menu_open: bool) -> list[Effect]:
        """A stick arrived: offer the matching job in the menu, which only a facilitator opens."""
        self.stick = event
        if self.menu is not None and menu_open:
            self.menu.offer_stick(event.has_decks, event.wants_export)
            return self.menu.speak_current()
        return []

    # ------------------------------------------------------------------ what to show

    def menu_view(self) -> View:
        return self.open_menu().view(self.message)

    def code_view(self) -> View:
        entered, length = len(self.pin_entered), len(self.menu_pin)
        dots = "● " * entered + "○ " * (length - entered)
        return View("confirm", phrases.PIN_TITLE, (phrases.PIN_HELP, dots.strip()),
                    buttons=("Green", "Red"), lamps=(PULSE, PULSE), language="en-GB")

    def banner(self) -> str:
        """A line for the facilitator while nobody is mid-walk: a job result is waiting."""
        if self.notice is None:
            return ""
        title, _ = self.notice
        return f"For the facilitator: a job has finished ({title}). Open the menu to see."
