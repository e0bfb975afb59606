"""The facilitator menu, worked with the same two buttons: red = next option, green = choose.

Every option is spoken as it is highlighted, so it works without reading glasses too. Anything
that ends a session or deletes data asks "Are you sure?" first (clearing data asks twice).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kiosk.decks.model import Deck
from kiosk.walk import phrases
from kiosk.walk.events import Effect, Speak, StopSpeech
from kiosk.walk.view import PULSE, View

VOLUMES = (0.25, 0.5, 0.75, 1.0)
# What an option does; the first two are done inside the menu, the rest by the walk.
Action = Literal["choose_deck", "choose_venue", "start", "end", "install_usb", "export_usb",
                 "clear_exported", "volume", "close", "quit", "shutdown"]


@dataclass(frozen=True)
class MenuChoice:
    """What the facilitator chose; the walk carries it out."""

    action: Action
    deck: Deck | None = None
    venue: str | None = None
    volume: float = 0.0


@dataclass(frozen=True)
class _Option:
    action: Action
    label: str
    confirmations: int = 0


class Menu:
    def __init__(
        self, decks: list[Deck], venues: list[str], deck: Deck | None, venue: str, volume: float
    ) -> None:
        self.status = ""  # one line about the session, shown under the title
        self.decks = list(decks)
        self.venues = list(venues)
        self.session_deck = deck
        self.deck = deck or (self.decks[0] if self.decks else None)
        self.venue = venue
        self.volume = volume
        self.index = 0
        self.stick_has_decks = False
        self.stick_wants_export = False
        self._confirming: _Option | None = None
        self._confirmations_left = 0

    # -------------------------------------------------------------- what is on offer

    def options(self) -> list[_Option]:
        deck_name = self.deck.title if self.deck else "no decks installed"
        stick = " (stick found)"
        options = [
            _Option("choose_deck", f"Deck: {deck_name}"),
            _Option("choose_venue", f"Venue: {self.venue}"),
            _Option("start", "Start a new session"),
        ]
        if self.session_deck is not None:
            options.append(_Option("end", "End this session", confirmations=1))
        options += [
            _Option("install_usb",
                    "Install decks from USB" + (stick if self.stick_has_decks else "")),
            _Option("export_usb",
                    "Copy logs to USB" + (stick if self.stick_wants_export else "")),
            _Option("clear_exported", "Delete copied sessions", confirmations=2),
            _Option("volume", f"Volume: {round(self.volume * 100)}%"),
            _Option("close", "Close this menu"),
            _Option("quit", "Quit the kiosk", confirmations=1),
            _Option("shutdown", "Shut down", confirmations=1),
        ]
        return options

    def offer_stick(self, has_decks: bool, wants_export: bool) -> None:
        """Jump to what the stick is for, so the facilitator only has to press green."""
        self.stick_has_decks, self.stick_wants_export = has_decks, wants_export
        wanted = "install_usb" if has_decks else "export_usb" if wants_export else None
        for i, option in enumerate(self.options()):
            if option.action == wanted:
                self.index = i

    # -------------------------------------------------------------- buttons

    def next_option(self) -> list[Effect]:
        if self._confirming is not None:  # red while asked "are you sure?" means no
            self._confirming = None
            return self.speak_current()
        self.index = (self.index + 1) % len(self.options())
        return self.speak_current()

    def choose(self) -> MenuChoice | None:
        """Green: do the highlighted option, or step through its confirmations first."""
        option = self._confirming or self.options()[self.index]
        if option.confirmations and self._confirming is None:
            self._confirming, self._confirmations_left = option, option.confirmations
        if self._confirming is not None:
            if self._confirmations_left > 0:
                self._confirmations_left -= 1
                return None
            self._confirming = None
        return self._carry_out(option)

    def _carry_out(self, option: _Option) -> MenuChoice | None:
        if option.action == "choose_deck":
            if self.decks:
                at = self.decks.index(self.deck) if self.deck in self.decks else -1
                self.deck = self.decks[(at + 1) % len(self.decks)]
            return None
        if option.action == "choose_venue":
            at = self.venues.index(self.venue) if self.venue in self.venues else -1
            self.venue = self.venues[(at + 1) % len(self.venues)]
            return None
        if option.action == "start":
            if self.deck is None:
                return None
            return MenuChoice("start", deck=self.deck, venue=self.venue)
        if option.action == "volume":
            at = min(range(len(VOLUMES)), key=lambda i: abs(VOLUMES[i] - self.volume))
            self.volume = VOLUMES[(at + 1) % len(VOLUMES)]
            return MenuChoice("volume", volume=self.volume)
        return MenuChoice(option.action)

    # -------------------------------------------------------------- showing and saying

    def speak_current(self) -> list[Effect]:
        if self._confirming is not None:
            words = f"{phrases.CONFIRM_TITLE} {self._confirming.label}. {phrases.CONFIRM_HELP}"
        else:
            words = self.options()[self.index].label
        return [StopSpeech(), Speak(words, phrases.KIOSK_LANGUAGE)]

    def view(self, message: tuple[str, tuple[str, ...]] | None = None) -> View:
        if self._confirming is not None:
            asked: tuple[str, ...] = (self._confirming.label + "?",)
            if self._confirmations_left == 0 and self._confirming.confirmations > 1:
                asked += ("This cannot be undone. Press green once more to be sure.",)
            return View("confirm", phrases.CONFIRM_TITLE, asked + (phrases.CONFIRM_HELP,),
                        buttons=("Yes", "No"), lamps=(PULSE, PULSE))
        labels = tuple(option.label for option in self.options())
        default: tuple[str, ...] = (
            (phrases.MENU_HELP, self.status) if self.status else (phrases.MENU_HELP,))
        title, lines = message if message else (phrases.MENU_TITLE, default)
        return View("menu", title, lines, menu_items=labels, menu_index=self.index,
                    buttons=("Choose", "Next"), lamps=(PULSE, PULSE))
